#include "tessel/io/arch_attributes.h"

#include <cmath>
#include <optional>
#include <vector>

#include "tessel/common/checked_int.h"

namespace tessel::io {
namespace {

constexpr int kDefaultWordBits = 16;  // Timeloop's Specs::kDefaultWordBits

bool ContainsAny(const std::string& lower, const std::vector<std::string>& needles) {
  for (const std::string& needle : needles)
    if (lower.find(needle) != std::string::npos) return true;
  return false;
}

std::int64_t PositiveInt(const YNode& node, const std::string& what) {
  std::int64_t value = node.AsInt(what);
  if (value <= 0) node.Fail(what + " must be a positive integer, got " + std::to_string(value));
  return value;
}

std::optional<std::int64_t> OptionalPositiveInt(const YNode& attributes,
                                                std::initializer_list<std::string_view> keys,
                                                const std::string& what) {
  YNode node = attributes.GetAny(keys);
  if (!node.Valid() || node.IsNull()) return std::nullopt;
  return PositiveInt(node, what);
}

std::optional<double> OptionalPositiveDouble(const YNode& attributes, std::string_view key,
                                             const std::string& what) {
  YNode node = attributes.Get(key);
  if (!node.Valid() || node.IsNull()) return std::nullopt;
  double value = node.AsDouble(what);
  if (!(value > 0))
    node.Fail(what + " must be a positive number, got '" + node.raw().Scalar() + "'");
  return value;
}

int WordBits(const YNode& attributes, const std::string& name) {
  auto bits = OptionalPositiveInt(attributes, {"word_bits", "word_width", "datawidth"},
                                  "word bits (datawidth) of '" + name + "'");
  return bits ? static_cast<int>(*bits) : kDefaultWordBits;
}

// Timeloop's ValidateTopology with the instance count known: a missing mesh side is derived
// from the other; with neither, the structure's hint or a single row (meshX = instances).
void ResolveMesh(const YNode& attributes, const YNode& where, const std::string& name,
                 std::int64_t instances, std::optional<MeshHint> hint, std::int64_t* mesh_x,
                 std::int64_t* mesh_y) {
  auto x = OptionalPositiveInt(attributes, {"meshX"}, "meshX of '" + name + "'");
  auto y = OptionalPositiveInt(attributes, {"meshY"}, "meshY of '" + name + "'");
  const std::string count = std::to_string(instances);
  if (x && y) {
    const std::optional<std::int64_t> product = CheckedMul(*x, *y);
    if (product != instances)
      where.Fail("meshX * meshY of '" + name + "' is " + std::to_string(*x) + " * " +
                 std::to_string(*y) + " = " +
                 (product ? std::to_string(*product) : std::string("more than 2^63-1")) +
                 ", which is not its number of instances " + count);
  } else if (x || y) {
    std::int64_t given = x ? *x : *y;
    if (instances % given != 0)
      where.Fail(std::string(x ? "meshX" : "meshY") + " " + std::to_string(given) + " of '" + name +
                 "' does not divide its number of instances " + count);
    if (x) y = instances / given;
    if (!x) x = instances / given;
  } else if (hint && CheckedMul(hint->x, hint->y) == instances) {
    x = hint->x;
    y = hint->y;
  } else {
    x = instances;
    y = 1;
  }
  *mesh_x = *x;
  *mesh_y = *y;
}

std::int64_t Instances(const YNode& attributes, const std::string& name, std::int64_t implied) {
  auto given = OptionalPositiveInt(attributes, {"instances"}, "instances of '" + name + "'");
  return given ? *given : implied;
}

// Block and cluster size from block_size / cluster_size / width, exactly as BufferLevel::ParseSpecs
// resolves them (a width with neither given sets block_size = width / word_bits).
void ResolveBlockAndCluster(const YNode& attributes, const YNode& where, StorageLevel* level) {
  const std::string& name = level->name;
  auto block =
      OptionalPositiveInt(attributes, {"block_size", "n_words"}, "block_size of '" + name + "'");
  auto cluster =
      OptionalPositiveInt(attributes, {"cluster_size"}, "cluster_size of '" + name + "'");
  auto width = OptionalPositiveInt(attributes, {"width", "memory_width", "data_storage_width"},
                                   "width of '" + name + "'");
  level->block_size = block.value_or(1);
  level->cluster_size = cluster.value_or(1);
  if (!width) return;
  const std::int64_t bits = level->word_bits;
  const std::string w = std::to_string(*width);
  // Products of given sizes that overflow cannot equal or divide the width: the same errors.
  const std::int64_t bits_x_block = CheckedMul(bits, level->block_size).value_or(0);
  if (bits_x_block == 0 || *width % bits_x_block != 0)
    where.Fail("width " + w + " of '" + name + "' is not a multiple of word bits (" +
               std::to_string(bits) + ") x block size (" + std::to_string(level->block_size) + ")");
  if (block && cluster) {
    const std::optional<std::int64_t> product = CheckedMul(bits_x_block, *cluster);
    if (product != *width)
      where.Fail("block_size * word bits * cluster_size of '" + name + "' is " +
                 (product ? std::to_string(*product) : std::string("more than 2^63-1")) +
                 ", which is not its width " + w);
  } else if (cluster) {
    const std::int64_t cluster_x_bits = CheckedMul(*cluster, bits).value_or(0);
    if (cluster_x_bits == 0 || *width % cluster_x_bits != 0)
      where.Fail("width " + w + " of '" + name + "' is not a multiple of cluster_size x word bits");
    level->block_size = *width / *cluster / bits;
  } else if (block) {
    level->cluster_size = *width / (bits * *block);
  } else {
    level->block_size = *width / bits;
  }
}

// Capacity in words: entries | depth * block_size | sizeKB * 1024 * 8 / word_bits | unbounded.
std::optional<std::int64_t> SizeWords(const YNode& attributes, const StorageLevel& level) {
  const std::string& name = level.name;
  YNode entries = attributes.Get("entries");
  if (entries.Valid() && !entries.IsNull()) {
    std::int64_t value = entries.AsInt("entries of '" + name + "'");
    if (value < 0) entries.Fail("entries of '" + name + "' must not be negative");
    return value;
  }
  YNode depth = attributes.GetAny({"depth", "memory_depth", "data_storage_depth"});
  if (depth.Valid() && !depth.IsNull()) {
    std::int64_t value = depth.AsInt("depth of '" + name + "'");
    if (value < 0) depth.Fail("depth of '" + name + "' must not be negative");
    const std::optional<std::int64_t> words = CheckedMul(value, level.block_size);
    if (!words)
      depth.Fail("depth x block_size of '" + name + "' (" + std::to_string(value) + " x " +
                 std::to_string(level.block_size) + " words) exceeds 2^63-1");
    return *words;
  }
  YNode size_kb = attributes.Get("sizeKB");
  if (size_kb.Valid() && !size_kb.IsNull()) {
    double kb = size_kb.AsDouble("sizeKB of '" + name + "'");
    if (!(kb >= 0)) size_kb.Fail("sizeKB of '" + name + "' must not be negative");
    const double words = std::floor(kb * 1024 * 8 / level.word_bits);
    if (!(words < 0x1p63))  // also infinity: the cast below would be undefined
      size_kb.Fail("sizeKB of '" + name + "' is " + size_kb.raw().Scalar() +
                   ", more than 2^63-1 words");
    return static_cast<std::int64_t>(words);
  }
  return std::nullopt;
}

void ParseBandwidths(const YNode& attributes, StorageLevel* level) {
  const std::string suffix = " of '" + level->name + "' (words per cycle per instance)";
  // Deprecated `bandwidth`: Timeloop assumes read = write = bandwidth / 2.
  if (auto bw = OptionalPositiveDouble(attributes, "bandwidth", "bandwidth" + suffix)) {
    level->read_bandwidth = *bw / 2;
    level->write_bandwidth = *bw / 2;
  }
  if (auto bw = OptionalPositiveDouble(attributes, "read_bandwidth", "read_bandwidth" + suffix))
    level->read_bandwidth = *bw;
  if (auto bw = OptionalPositiveDouble(attributes, "write_bandwidth", "write_bandwidth" + suffix))
    level->write_bandwidth = *bw;
  if (auto bw = OptionalPositiveDouble(attributes, "shared_bandwidth", "shared_bandwidth" + suffix))
    level->shared_bandwidth = *bw;
}

}  // namespace

ComponentKind ClassifyComponent(const std::string& klass) {
  const std::string lower = ToLower(klass);
  if (ContainsAny(lower, {"dram", "sram", "regfile", "smartbuffer", "storage"}))
    return ComponentKind::kStorage;
  if (ContainsAny(lower, {"mac", "compute"})) return ComponentKind::kCompute;  // intmac, fpmac too
  return ComponentKind::kOther;
}

ComponentName ParseComponentName(const YNode& name_node) {
  const std::string name = name_node.AsString("component name");
  ComponentName parsed{name, 1};
  const size_t open = name.find('[');
  if (open == std::string::npos) return parsed;
  const size_t dots = name.find("..", open);
  const size_t close = name.find(']', open);
  std::int64_t first = 0, last = 0;
  if (dots == std::string::npos || close == std::string::npos || close != name.size() - 1 ||
      !ParseInt64(name.substr(open + 1, dots - open - 1), &first) ||
      !ParseInt64(name.substr(dots + 2, close - dots - 2), &last) || last < first) {
    name_node.Fail("malformed instance range in component name '" + name +
                   "'; write it as Name[first..last], e.g. PE[0..15]");
  }
  parsed.base = name.substr(0, open);
  const std::optional<std::int64_t> span = CheckedAdd(last, -first);
  if (!span || *span == INT64_MAX)
    name_node.Fail("instance range of component name '" + name + "' has more than 2^63-1 entries");
  parsed.multiplicity = *span + 1;
  return parsed;
}

StorageLevel ParseStorageLevel(const std::string& name, const std::string& klass,
                               const YNode& attributes, const YNode& where, std::int64_t instances,
                               std::optional<MeshHint> hint) {
  StorageLevel level;
  level.name = name;
  level.klass = klass;
  level.word_bits = WordBits(attributes, name);
  ResolveBlockAndCluster(attributes, where, &level);
  level.size_words = SizeWords(attributes, level);
  YNode technology = attributes.Get("technology");
  level.is_dram = ToLower(klass).find("dram") != std::string::npos ||
                  (technology.IsScalar() && technology.raw().Scalar() == "DRAM");
  if (auto mb = OptionalPositiveDouble(attributes, "multiple_buffering",
                                       "multiple_buffering of '" + name + "'"))
    level.multiple_buffering = *mb;
  ParseBandwidths(attributes, &level);
  level.instances = Instances(attributes, name, instances);
  ResolveMesh(attributes, where, name, level.instances, hint, &level.mesh_x, &level.mesh_y);
  return level;
}

ArithmeticLevel ParseArithmeticLevel(const std::string& name, const YNode& attributes,
                                     const YNode& where, std::int64_t instances,
                                     std::optional<MeshHint> hint) {
  ArithmeticLevel level;
  level.name = name;
  level.word_bits = WordBits(attributes, name);
  level.instances = Instances(attributes, name, instances);
  ResolveMesh(attributes, where, name, level.instances, hint, &level.mesh_x, &level.mesh_y);
  return level;
}

}  // namespace tessel::io
