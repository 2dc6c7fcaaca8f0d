#include "tessel/io/stream/stream_hardware.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>

#include "tessel/common/checked_int.h"
#include "tessel/io/arch_inputs.h"
#include "tessel/io/yaml_util.h"

namespace tessel::io {
namespace {

double NonNegative(const YNode& node, const std::string& what) {
  double value = node.AsDouble(what);
  if (value < 0) node.Fail(what + " must not be negative");
  return value;
}

// "I1, tl" -> "I1".
std::string PortOperand(const YNode& item) {
  std::string text = item.AsString("port allocation");
  return text.substr(0, text.find(','));
}

void ReadPorts(const YNode& ports, CoreMemory& memory) {
  for (const YNode& port : ports.Items("ports")) {
    CheckMapKeys(port, "a memory port",
                 {"name", "type", "bandwidth_min", "bandwidth_max", "allocation"});
    std::string type = RequiredKey(port, "type", "a port").AsString("port type");
    YNode bw_node = RequiredKey(port, "bandwidth_max", "a port");
    std::int64_t bits = bw_node.AsInt("bandwidth_max");
    if (bits <= 0) bw_node.Fail("bandwidth_max of memory '" + memory.name + "' must be positive");
    for (const YNode& item : port.Get("allocation").Items("allocation")) PortOperand(item);
    if (type == "read") {
      memory.read_bits = std::max(memory.read_bits, bits);
    } else if (type == "write") {
      memory.write_bits = std::max(memory.write_bits, bits);
    } else if (type == "read_write") {
      memory.read_bits = std::max(memory.read_bits, bits);
      memory.write_bits = std::max(memory.write_bits, bits);
      memory.shared_port = true;
    } else {
      port.Get("type").Fail("port type '" + type + "' is not one of: read, write, read_write");
    }
  }
}

CoreMemory ReadMemory(const std::string& name, const YNode& node) {
  CheckMapKeys(node, "memory '" + name + "'",
               {"size", "r_cost", "w_cost", "area", "latency", "auto_cost_extraction", "operands",
                "ports", "served_dimensions", "min_r_granularity", "min_w_granularity"});
  CoreMemory memory;
  memory.name = name;
  memory.where = node.Location();
  YNode size = RequiredKey(node, "size", "memory '" + name + "'");
  memory.size_bits = size.AsInt("size");
  if (memory.size_bits <= 0) size.Fail("size of memory '" + name + "' must be positive");
  memory.read_pJ = NonNegative(RequiredKey(node, "r_cost", "memory '" + name + "'"), "r_cost");
  memory.write_pJ = NonNegative(RequiredKey(node, "w_cost", "memory '" + name + "'"), "w_cost");
  for (const YNode& op : RequiredKey(node, "operands", "memory '" + name + "'").Items("operands")) {
    std::string operand = op.AsString("operand");
    if (operand != "I1" && operand != "I2" && operand != "O")
      op.Fail("operand '" + operand + "' is not one of: I1, I2, O");
    memory.operands.push_back(operand);
  }
  ReadPorts(RequiredKey(node, "ports", "memory '" + name + "'"), memory);
  for (const YNode& dim : node.Get("served_dimensions").Items("served_dimensions"))
    memory.served_dims.push_back(dim.AsString("served dimension"));
  return memory;
}

// `D1: [K, 32]` or `D1: ["K, 32"]`.
std::pair<std::string, std::int64_t> ReadUnroll(const YNode& item) {
  std::string text = item.AsString("dataflow entry");
  size_t comma = text.find(',');
  std::int64_t size = 0;
  std::string dim = text.substr(0, comma);
  std::string rest = comma == std::string::npos ? "" : text.substr(comma + 1);
  rest.erase(0, rest.find_first_not_of(' '));
  if (comma == std::string::npos || !ParseInt64(rest, &size) || size < 1)
    item.Fail("dataflow entry '" + text + "' is not 'DIM, SIZE' with a positive size");
  return {dim, size};
}

void ReadArray(const YNode& root, Core& core) {
  YNode array = RequiredKey(root, "operational_array", "core file");
  CheckMapKeys(array, "operational_array", {"unit_energy", "unit_area", "dimensions", "sizes"});
  core.mac_pJ = NonNegative(RequiredKey(array, "unit_energy", "operational_array"), "unit_energy");
  for (const YNode& d : RequiredKey(array, "dimensions", "operational_array").Items("dimensions"))
    core.array_dims.push_back(d.AsString("array dimension"));
  YNode sizes = RequiredKey(array, "sizes", "operational_array");
  for (const YNode& s : sizes.Items("sizes")) {
    std::int64_t size = s.AsInt("array size");
    if (size < 0) s.Fail("array size must not be negative");
    core.array_sizes.push_back(size);
  }
  if (core.array_sizes.size() != core.array_dims.size())
    sizes.Fail("operational_array has " + std::to_string(core.array_dims.size()) +
               " dimensions but " + std::to_string(core.array_sizes.size()) + " sizes");
}

// A dataflow that unrolls more than the array dimension holds cannot be built.
void ReadDataflows(const YNode& root, Core& core) {
  YNode flows = root.Get("dataflows");
  if (!flows.Valid() || flows.IsNull()) return;
  for (const auto& [dim, items] : flows.Entries()) {
    auto at = std::find(core.array_dims.begin(), core.array_dims.end(), dim);
    if (at == core.array_dims.end())
      items.Fail("dataflow names array dimension '" + dim + "', which core '" + core.name +
                 "' does not have (it has: " + JoinNames(core.array_dims) + ")");
    DataflowEntry entry{dim, {}, items.Location()};
    std::int64_t product = 1;
    bool overflow = false;  // past 2^63-1: larger than any array
    for (const YNode& item : items.Items("dataflow")) {
      entry.unrolls.push_back(ReadUnroll(item));
      overflow = overflow || !MulInto(&product, entry.unrolls.back().second);
    }
    std::int64_t size = core.array_sizes[at - core.array_dims.begin()];
    if (overflow || product > size)
      items.Fail("dataflow unrolls " +
                 (overflow ? std::string("more than 2^63-1") : std::to_string(product)) + " over " +
                 dim + ", larger than the array's " + std::to_string(size));
    core.dataflows.push_back(std::move(entry));
  }
}

Core LoadCore(int id, const std::string& path, const YNode& reference) {
  if (!std::filesystem::is_regular_file(path))
    reference.Fail("core file '" + path + "' does not exist");
  YNode root = LoadYamlFile(path);
  CheckMapKeys(root, "a core file", {"name", "type", "memories", "operational_array", "dataflows"});
  Core core;
  core.id = id;
  core.file = std::filesystem::weakly_canonical(path).string();
  core.where = root.Location();
  core.name = RequiredKey(root, "name", "core file").AsString("name");
  std::string type = root.Has("type") ? root.Get("type").AsString("type") : "compute";
  if (type == "compute")
    core.type = CoreType::kCompute;
  else if (type == "pooling")
    core.type = CoreType::kPooling;
  else if (type == "simd")
    core.type = CoreType::kSimd;
  else if (type == "memory")
    core.type = CoreType::kMemory;
  else
    root.Get("type").Fail("core type '" + type + "' is not one of: compute, pooling, simd, memory");
  YNode memories = RequiredKey(root, "memories", "core file");
  if (!memories.IsMap()) memories.Fail("memories must be a map from name to memory");
  for (const auto& [name, node] : memories.Entries())
    core.memories.push_back(ReadMemory(name, node));
  if (core.memories.empty()) memories.Fail("core '" + core.name + "' has no memory");
  ReadArray(root, core);
  ReadDataflows(root, core);
  return core;
}

// tessel's own form: `id: {timeloop: [arch.yaml, ERT.yaml, constraints.yaml], name: N, type: T}`,
// paths relative to the hardware file.
Core LoadTimeloopCore(int id, const YNode& node, const std::filesystem::path& dir) {
  CheckMapKeys(node, "a core entry", {"timeloop", "name", "type"});
  YNode files = RequiredKey(node, "timeloop", "a core entry");
  std::vector<std::string> paths;
  for (const YNode& f : files.IsSeq() ? files.Items("timeloop") : std::vector<YNode>{files}) {
    std::string path = (dir / f.AsString("file")).string();
    if (!std::filesystem::is_regular_file(path)) f.Fail("file '" + path + "' does not exist");
    paths.push_back(path);
  }
  ArchInputs inputs = LoadArchInputs(paths);
  Core core;
  core.id = id;
  core.where = node.Location();
  core.file = paths.front();
  core.name = node.Has("name") ? node.Get("name").AsString("name") : inputs.target.arch.name;
  const std::vector<StorageLevel>& levels = inputs.target.arch.storage;
  if (levels.size() < 2 || !levels.back().is_dram)
    files.Fail("the architecture of core " + std::to_string(id) +
               " needs an off-chip (DRAM) level on top of at least one on-chip level");
  core.mac_pJ = inputs.target.arch.arithmetic.compute_pJ;
  core.timeloop = TimeloopCore{inputs.target.arch, inputs.target.constraints};
  if (node.Has("type")) {
    std::string type = node.Get("type").AsString("type");
    if (type == "pooling")
      core.type = CoreType::kPooling;
    else if (type == "simd")
      core.type = CoreType::kSimd;
    else if (type != "compute")
      node.Get("type").Fail("core type '" + type + "' is not one of: compute, pooling, simd");
  }
  return core;
}

void ReadConnectivity(const YNode& root, double default_pJ, System& system) {
  YNode list = RequiredKey(root, "core_connectivity", "a hardware file");
  for (const YNode& item : list.Items("core_connectivity")) {
    CheckMapKeys(item, "a core_connectivity entry",
                 {"type", "cores", "bandwidth", "unit_energy_cost"});
    Link link;
    link.id = static_cast<int>(system.links.size());
    link.where = item.Location();
    std::string type = item.Has("type") ? item.Get("type").AsString("type") : "link";
    if (type != "link" && type != "bus")
      item.Get("type").Fail("connection type '" + type + "' is not one of: link, bus");
    link.bus = type == "bus";
    YNode cores = RequiredKey(item, "cores", "a core_connectivity entry");
    for (const YNode& c : cores.Items("cores")) {
      int id = static_cast<int>(c.AsInt("core id"));
      if (system.CoreIndex(id) < 0)
        c.Fail("core_connectivity names core " + std::to_string(id) + ", which is not in 'cores'");
      link.cores.push_back(id);
    }
    if (link.cores.size() < 2) cores.Fail("a connection needs at least two cores");
    if (!link.bus && link.cores.size() != 2)
      cores.Fail("a link joins two cores; use 'type: bus' for more");
    YNode bw = RequiredKey(item, "bandwidth", "a core_connectivity entry");
    link.bandwidth_bits = bw.AsDouble("bandwidth");
    if (link.bandwidth_bits <= 0) bw.Fail("bandwidth must be positive, got " + bw.raw().Scalar());
    link.pJ_per_bit = item.Has("unit_energy_cost")
                          ? NonNegative(item.Get("unit_energy_cost"), "unit_energy_cost")
                          : default_pJ;
    system.links.push_back(std::move(link));
  }
}

// The off-chip memory's port becomes the last link (see System::offchip_port_link).
void AddOffchipPort(const YNode& where, System& system) {
  const Core& offchip = system.core(system.offchip_core);
  std::vector<int> tops = offchip.TopMemories();
  if (tops.empty()) where.Fail("the off-chip core has no memory");
  Link port;
  port.id = static_cast<int>(system.links.size());
  port.cores = {offchip.id};
  port.bandwidth_bits = static_cast<double>(offchip.memories[tops.back()].read_bits);
  port.where = offchip.where;
  system.offchip_port_link = port.id;
  system.links.push_back(port);
}

// Stream's rule: "./x" is relative to the hardware file's directory, "a/b" to the working
// directory, a bare name is looked up in the hardware directories; here a bare name is looked
// up beside the hardware file, then in its cores/ subdirectory (Stream's own layout).
std::string CorePath(const std::filesystem::path& dir, const std::string& name) {
  namespace fs = std::filesystem;
  if (name.rfind("./", 0) == 0 || name.rfind("../", 0) == 0)
    return (dir / name).lexically_normal().string();
  if (name.find('/') != std::string::npos) {
    if (fs::path(name).is_absolute() || fs::exists(name)) return name;
    return (dir / name).string();
  }
  if (fs::exists(dir / name) || !fs::exists(dir / "cores" / name)) return (dir / name).string();
  return (dir / "cores" / name).string();
}

}  // namespace

System LoadStreamSystem(const std::string& path) {
  YNode root = LoadYamlFile(path);
  CheckMapKeys(root, "a hardware file",
               {"name", "cores", "offchip_core_id", "unit_energy_cost", "core_connectivity"});
  System system;
  system.file = path;
  system.name = root.Has("name") ? root.Get("name").AsString("name") : "system";
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  YNode cores = RequiredKey(root, "cores", "a hardware file");
  if (!cores.IsMap()) cores.Fail("cores must be a map from core id to core file");
  std::map<int, Core> by_id;
  for (const auto& [key, file] : cores.Entries()) {
    std::int64_t id = 0;
    if (!ParseInt64(key, &id) || id < 0)
      file.Fail("core id '" + key + "' is not a non-negative integer");
    by_id[static_cast<int>(id)] =
        file.IsMap()
            ? LoadTimeloopCore(static_cast<int>(id), file, dir)
            : LoadCore(static_cast<int>(id), CorePath(dir, file.AsString("core file")), file);
  }
  for (auto& [id, core] : by_id) system.cores.push_back(std::move(core));
  double default_pJ = root.Has("unit_energy_cost")
                          ? NonNegative(root.Get("unit_energy_cost"), "unit_energy_cost")
                          : 0.0;
  if (root.Has("offchip_core_id")) {
    YNode off = root.Get("offchip_core_id");
    system.offchip_core = static_cast<int>(off.AsInt("offchip_core_id"));
    if (system.CoreIndex(system.offchip_core) < 0)
      off.Fail("offchip_core_id " + std::to_string(system.offchip_core) + " is not in 'cores'");
  }
  ReadConnectivity(root, default_pJ, system);
  if (system.offchip_core >= 0) AddOffchipPort(root, system);
  return system;
}

}  // namespace tessel::io
