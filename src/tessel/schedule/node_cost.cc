#include "tessel/schedule/node_cost.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>

#include "tessel/common/cancel.h"
#include "tessel/common/parallel.h"
#include "tessel/mapper/local_search.h"
#include "tessel/mapper/tiling.h"
#include "tessel/mapping/mapspace.h"
#include "tessel/model/evaluate.h"

namespace tessel {
namespace {

// Stream's dimension names -> tessel's conv (R S P Q C M N) and matmul (M N K) dimensions.
std::string TesselDim(const Problem& problem, const std::string& stream_dim) {
  const bool conv = problem.DimIndex("Q") >= 0;
  static const std::vector<std::pair<std::string, std::string>> kConv = {
      {"K", "M"}, {"C", "C"}, {"OY", "Q"}, {"OX", "P"}, {"FY", "S"}, {"FX", "R"}, {"B", "N"}};
  static const std::vector<std::pair<std::string, std::string>> kMatMul = {
      {"K", "N"}, {"C", "K"}, {"D", "M"}, {"B", "M"}};
  for (const auto& [from, to] : conv ? kConv : kMatMul)
    if (from == stream_dim) return to;
  return "";
}

std::int64_t LargestDivisorAtMost(std::int64_t n, std::int64_t limit) {
  for (std::int64_t d = std::min(n, limit); d > 1; --d)
    if (n % d == 0) return d;
  return 1;
}

// Fan-out of level `s` along X (axis 0) or Y (axis 1): its inner neighbour's mesh over its own.
std::int64_t FanOut(const Arch& arch, int s, int axis) {
  std::int64_t child = s == 0
                           ? (axis == 0 ? arch.arithmetic.mesh_x : arch.arithmetic.mesh_y)
                           : (axis == 0 ? arch.storage[s - 1].mesh_x : arch.storage[s - 1].mesh_y);
  std::int64_t own = axis == 0 ? arch.storage[s].mesh_x : arch.storage[s].mesh_y;
  return std::max<std::int64_t>(1, child / std::max<std::int64_t>(1, own));
}

int WidestFanOutLevel(const Arch& arch, int axis) {
  int best = -1;
  std::int64_t widest = 1;
  for (int s = 0; s < static_cast<int>(arch.storage.size()); ++s)
    if (FanOut(arch, s, axis) > widest) widest = FanOut(arch, s, axis), best = s;
  return best;
}

}  // namespace

MapConstraints DataflowConstraints(const Problem& problem, const CoreArch& core_arch,
                                   const std::vector<DataflowEntry>& dataflow) {
  const Arch& arch = core_arch.arch;
  if (!core_arch.constraints.empty())
    return ResolveConstraints(core_arch.constraints, problem, arch, nullptr);
  MapConstraints c = NoConstraints(problem, arch);
  for (size_t s = 0; s < core_arch.keep.size(); ++s)
    for (const auto& [name, keep] : core_arch.keep[s]) {
      int ds = problem.DataSpaceIndex(name);
      if (ds >= 0) c.levels[s].keep[ds] = keep;
    }
  if (dataflow.empty()) return c;
  for (int axis = 0; axis < 2; ++axis) {
    int level = WidestFanOutLevel(arch, axis);
    if (level < 0) continue;
    LevelConstraints& lc = c.levels[level];
    for (const DataflowEntry& entry : dataflow) {
      const bool on_x = entry.array_dim == "D1";
      if (on_x != (axis == 0)) continue;
      for (const auto& [stream_dim, size] : entry.unrolls) {
        int d = problem.DimIndex(TesselDim(problem, stream_dim));
        if (d < 0) continue;
        lc.spatial[d].exact = LargestDivisorAtMost(problem.dims[d].bound, size);
        lc.spatial[d].where = entry.where;
        (axis == 0 ? lc.spatial_order.inner : lc.spatial_order.outer).push_back(d);
      }
    }
  }
  // Dimensions no dataflow names do not unroll where a dataflow is pinned.
  for (LevelConstraints& lc : c.levels) {
    if (lc.spatial_order.empty()) continue;
    for (size_t d = 0; d < lc.spatial.size(); ++d)
      if (lc.spatial[d].exact == 0) lc.spatial[d].exact = 1;
    lc.spatial_order = LoopOrder{};
  }
  return c;
}

std::int64_t NodeFootprintBits(const NodeGraph& graph, int node) {
  const CompNode& n = graph.nodes[node];
  std::int64_t bits = n.network_input_bits + n.weight_bits + n.output_bits();
  for (int d : n.deps) bits += graph.nodes[d].output_bits();
  return bits;
}

NodeCostTable::NodeCostTable(const System& system, const Workload& workload, const NodeGraph& graph,
                             ScheduleMode mode, NodeCostOptions options)
    : system_(system), workload_(workload), graph_(graph), mode_(mode), options_(options) {}

std::string NodeCostTable::Key(int node, int core_id, bool blocking) const {
  const CompNode& n = graph_.nodes[node];
  const Core& core = system_.core(core_id);
  std::string key = core.file + "|" + core.name + "|" + (blocking ? "B" : "F") + "|";
  if (blocking && system_.offchip_core >= 0) {
    auto it = offchip_bandwidth_.find(core_id);  // a route search per node is costly
    if (it == offchip_bandwidth_.end())
      it = offchip_bandwidth_
               .emplace(core_id, std::to_string(system_.RouteBandwidth(
                                     system_.Route(system_.offchip_core, core_id))))
               .first;
    key += it->second;
  }
  const LayerMappingEntry* entry = graph_.layers[n.layer].entry;
  if (!entry->spatial_mapping.empty()) key += "|sm:" + entry->name;
  if (n.macs > 0) return key + "|" + ShapeKey(n.problem) + "|r" + std::to_string(n.repeat);
  return key + "|nomac|" + std::to_string(n.input_elements) + "|" +
         std::to_string(n.output_elements);
}

bool NodeCostTable::Blocking(int node, int core_id) const { return blocking_.at({node, core_id}); }

const NodeCost& NodeCostTable::Get(int node, int core_id) const {
  return cache_.at(key_of_.at({node, core_id}));
}

bool NodeCostCache::Find(const std::string& key, NodeCost* cost, std::string* note) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = map_.find(key);
  if (it == map_.end()) return false;
  *cost = it->second.first, *note = it->second.second;
  return true;
}

void NodeCostCache::Put(const std::string& key, const NodeCost& cost, const std::string& note) {
  std::lock_guard<std::mutex> lock(mutex_);
  map_.emplace(key, std::make_pair(cost, note));
}

void NodeCostTable::Prepare(std::vector<std::string>* warnings) {
  std::vector<std::tuple<std::string, int, int, bool>> todo;      // key, node, core, blocking
  std::vector<std::pair<std::string, std::string>> shared_notes;  // key, note (in key order)
  for (const CompNode& n : graph_.nodes)
    for (int core_id : graph_.layers[n.layer].allowed) {
      const Core& core = system_.core(core_id);
      const std::int64_t need = NodeFootprintBits(graph_, n.id);
      bool blocking = mode_ == ScheduleMode::kLayerByLayer || need > core.MemoryBits();
      if (blocking && system_.offchip_core < 0) {
        if (mode_ == ScheduleMode::kLayerByLayer)
          throw UserError(SourceLocation{system_.file},
                          "layer-by-layer mode streams every layer through off-chip memory, and "
                          "the system has no off-chip core (offchip_core_id)");
        throw UserError(SourceLocation{system_.file},
                        "layer '" + workload_.layer(n.layer).name + "' needs " +
                            std::to_string(need) + " bits on core " + std::to_string(core_id) +
                            ", which holds " + std::to_string(core.MemoryBits()) +
                            " bits, and the system has no off-chip core to spill to");
      }
      std::string key = Key(n.id, core_id, blocking);
      key_of_[{n.id, core_id}] = key;
      blocking_[{n.id, core_id}] = blocking;
      if (!cache_.count(key)) {
        cache_[key] = NodeCost{};
        std::string note;
        if (options_.shared && options_.shared->Find(key, &cache_[key], &note))
          shared_notes.emplace_back(key, note);
        else
          todo.emplace_back(key, n.id, core_id, blocking);
      }
    }
  std::vector<NodeCost> results(todo.size());
  std::vector<std::string> notes(todo.size());
  std::atomic<size_t> next{0};
  RunOnThreads(options_.threads, [&](int) {
    for (size_t i = next++; i < todo.size(); i = next++) {
      ThrowIfStopped(options_.mapper_options.stop);
      auto [key, node, core, blocking] = todo[i];
      results[i] = Compute(node, core, blocking);
      if (!results[i].constrained)
        notes[i] = "layer '" + workload_.layer(graph_.nodes[node].layer).name + "' on core " +
                   std::to_string(core) +
                   ": the dataflow cannot be honoured for this shape; "
                   "the spatial mapping was left free";
    }
  });
  // Warnings in first-use order, whichever table computed the cost.
  std::map<std::string, std::string> note_of;
  for (auto& [key, note] : shared_notes) note_of[key] = note;
  for (size_t i = 0; i < todo.size(); ++i) {
    cache_[std::get<0>(todo[i])] = results[i];
    note_of[std::get<0>(todo[i])] = notes[i];
    if (options_.shared) options_.shared->Put(std::get<0>(todo[i]), results[i], notes[i]);
  }
  for (const CompNode& n : graph_.nodes)
    for (int core_id : graph_.layers[n.layer].allowed) {
      auto it = note_of.find(key_of_.at({n.id, core_id}));
      if (it == note_of.end()) continue;
      if (!it->second.empty() && warnings) warnings->push_back(it->second);
      note_of.erase(it);
    }
}

}  // namespace tessel

namespace tessel {
namespace {

const Core* OffchipCore(const System& system) {
  return system.offchip_core >= 0 ? &system.core(system.offchip_core) : nullptr;
}

double OuterBits(const System& system, int core_id, bool blocking) {
  if (!blocking || system.offchip_core < 0) return 1e18;  // delivered data: no limit
  return system.RouteBandwidth(system.Route(system.offchip_core, core_id));
}

// A node without MACs (pooling, element-wise, activation, ...) on any core with an array:
//   ops    = max(input, output elements) (one operation per element of the larger side)
//   cycles = max(ceil(ops / lanes), ceil(input bits / top read width),
//                ceil(output bits / top write width)[, ceil(DRAM bits / route width)])
//   energy = ops x unit_energy + input accesses x r_cost + output accesses x w_cost at the top
//            memory holding I1 (O) [+ the same at the off-chip memory when streaming].
NodeCost NoMacCost(const CompNode& n, const Core& core, const Core* offchip, double outer_bits,
                   bool blocking) {
  NodeCost cost;
  const std::int64_t ops = std::max(n.input_elements, n.output_elements);
  const std::int64_t in_bits = n.input_elements * kElementBits;
  const std::int64_t out_bits = n.output_bits();
  auto ceil_div = [](double a, double b) { return static_cast<std::int64_t>(std::ceil(a / b)); };
  std::int64_t cycles = ceil_div(double(ops), double(std::max<std::int64_t>(1, core.Lanes())));
  const CoreMemory* in_mem = nullptr;
  const CoreMemory* out_mem = nullptr;
  for (const CoreMemory& m : core.memories) {
    if (m.Holds("I1")) in_mem = &m;
    if (m.Holds("O")) out_mem = &m;
  }
  cost.core_pJ = double(ops) * core.mac_pJ;
  if (in_mem && in_mem->read_bits > 0) {
    cycles = std::max(cycles, ceil_div(double(in_bits), double(in_mem->read_bits)));
    cost.core_pJ += in_mem->read_pJ * std::ceil(double(in_bits) / in_mem->read_bits);
  }
  if (out_mem && out_mem->write_bits > 0) {
    cycles = std::max(cycles, ceil_div(double(out_bits), double(out_mem->write_bits)));
    cost.core_pJ += out_mem->write_pJ * std::ceil(double(out_bits) / out_mem->write_bits);
  }
  cost.top_bits = in_bits + out_bits;
  if (blocking && offchip != nullptr) {
    // Streaming: the data passes through the core's memory a port width at a time (double
    // buffered), it is never held whole.
    cost.top_bits = 2 * ((in_mem ? in_mem->read_bits : 0) + (out_mem ? out_mem->write_bits : 0));
    const CoreMemory& dram = offchip->memories[offchip->TopMemories().back()];
    cycles = std::max(cycles, ceil_div(double(in_bits + out_bits), outer_bits));
    const double width = double(std::max<std::int64_t>(1, dram.read_bits));
    cost.offchip_pJ =
        dram.read_pJ * std::ceil(in_bits / width) + dram.write_pJ * std::ceil(out_bits / width);
    cost.offchip_read_bits = in_bits;
    cost.offchip_write_bits = out_bits;
  }
  cost.cycles = std::max<std::int64_t>(1, cycles);
  return cost;
}

NodeCost FromEvaluation(const Core& core, const CoreArch& ca, const Cost& c, std::int64_t repeat,
                        bool blocking) {
  NodeCost cost;
  const LevelStats& outer = c.levels.back();
  cost.cycles = std::max<std::int64_t>(1, c.cycles) * repeat;
  cost.core_pJ = (c.energy_pJ - outer.energy_pJ) * double(repeat);
  if (blocking) {
    cost.offchip_pJ = outer.energy_pJ * double(repeat);
    for (const TensorStats& t : outer.tensors) {
      cost.offchip_read_bits += t.reads * ca.arch.storage.back().word_bits * repeat;
      cost.offchip_write_bits += t.updates * ca.arch.storage.back().word_bits * repeat;
    }
  }
  for (int m : core.TopMemories()) {
    int s = ca.arch.StorageIndex(core.memories[m].name);
    if (s < 0) continue;
    for (const TensorStats& t : c.levels[s].tensors)
      cost.top_bits += t.utilized_capacity * kElementBits;
  }
  return cost;
}

}  // namespace

// The one place a node meets the single-core mapper (switching to another mapspace form is a
// change here only).
NodeCost CostNodeOnCore(const CompNode& n, const Core& core, const System& system, bool blocking,
                        const std::vector<DataflowEntry>& dataflow,
                        const NodeCostOptions& options) {
  const double outer_bits = OuterBits(system, core.id, blocking);
  if (n.macs == 0) return NoMacCost(n, core, OffchipCore(system), outer_bits, blocking);
  CoreArch ca = MakeCoreArch(core, blocking, outer_bits, OffchipCore(system));
  MapperOptions mo = options.mapper_options;
  mo.threads = 1;
  std::unique_ptr<Mapper> mapper = MakeMapper(options.mapper);
  MapSpace space = MakeMapSpace(n.problem, ca.arch, DataflowConstraints(n.problem, ca, dataflow));
  MapperResult result = mapper->Map(space, mo);
  bool constrained = !dataflow.empty();
  if (result.status == MapperStatus::kNoMapping && !dataflow.empty()) {
    constrained = false;
    space = MakeMapSpace(n.problem, ca.arch, DataflowConstraints(n.problem, ca, {}));
    result = mapper->Map(space, mo);
  }
  if (result.status == MapperStatus::kNoMapping)
    throw UserError("no valid mapping of a tile of shape " + ShapeKey(n.problem) + " on core " +
                    std::to_string(core.id) + " ('" + core.name + "'): " + result.message);
  if (options.polish_evaluations > 0) {
    SearchLimits limits;
    limits.max_evaluations = options.polish_evaluations;
    SearchResult better =
        ImproveTiling(space, TilingFromMapping(space, result.mapping), mo.objective, limits);
    if (better.evaluation.ok()) result.evaluation = better.evaluation;
  }
  NodeCost cost = FromEvaluation(core, ca, result.evaluation.cost, n.repeat, blocking);
  cost.constrained = constrained || dataflow.empty();
  return cost;
}

NodeCost NodeCostTable::Compute(int node, int core_id, bool blocking) const {
  const CompNode& n = graph_.nodes[node];
  const Core& core = system_.core(core_id);
  const LayerMappingEntry* entry = graph_.layers[n.layer].entry;
  const std::vector<DataflowEntry>& dataflow =
      entry->spatial_mapping.empty() ? core.dataflows : entry->spatial_mapping;
  // Compulsory streams: a MAC node's held mapping (the simulator adds the DRAM traffic); a node
  // without MACs streams by its throughput model already (each bit once).
  const bool held_mapping = options_.compulsory_streams && n.macs > 0;
  return CostNodeOnCore(n, core, system_, blocking && !held_mapping, dataflow, options_);
}

}  // namespace tessel
