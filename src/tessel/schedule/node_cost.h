// The cost of one computation node on one core: cycles, energy, and for a node that streams its
// data through the core from off-chip memory (`blocking`), the off-chip traffic.
//
// MAC nodes: the cosa mapper and the exact cost model on the core's Arch (core_arch.h) under the
// core's dataflow as spatial factor constraints. Nodes without MACs: a throughput model (below).
// Costs are cached per (core file, blocking, outer bandwidth, node shape): cores read from the
// same file share entries, and every tile of a layer with the same shape is mapped once.
#pragma once
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "tessel/mapper/mapper.h"
#include "tessel/mapping/constraints.h"
#include "tessel/schedule/core_arch.h"
#include "tessel/schedule/nodes.h"
#include "tessel/schedule/system.h"

namespace tessel {

struct NodeCost {
  std::int64_t cycles = 0;
  double core_pJ = 0;                   // MACs and the core's memories
  double offchip_pJ = 0;                // DRAM accesses (blocking nodes only)
  std::int64_t offchip_read_bits = 0;   // blocking nodes: bits read from DRAM while running
  std::int64_t offchip_write_bits = 0;  // blocking nodes: bits written to DRAM while running
  std::int64_t top_bits = 0;            // bits the core's top memories hold while it runs
  bool constrained = true;  // false: the dataflow could not be honoured (the mapper was free)
};

// The core's dataflow (or the mapping entry's spatial_mapping, which replaces it) as spatial
// factor constraints on `space_arch` for `problem` (docs/schedule.md, "Dataflows"): each array
// dimension's unrolled layer dimension gets an exact spatial factor, the largest divisor of its
// bound not above the unrolling, at the level that fans out along that array dimension's axis
// (D1 -> X, the others -> Y); every other dimension gets spatial factor 1 there.
MapConstraints DataflowConstraints(const Problem& problem, const CoreArch& core_arch,
                                   const std::vector<DataflowEntry>& dataflow);

class NodeCostCache;

struct NodeCostOptions {
  std::string mapper = "cosa";
  // threads forced to 1 (parallelism is across entries); objective EDP by default (on lab3 it
  // gives the latency of the latency objective at less energy).
  MapperOptions mapper_options = [] {
    MapperOptions o;
    o.objective = Objective::kEdp;
    return o;
  }();
  // > 0: the mapper's answer is then improved by exact-model hill climbing for at most this many
  // evaluations (mapper/local_search.h); the RA-tree replay uses it with the random mapper.
  std::int64_t polish_evaluations = 0;
  // The RA-tree replay (SET's tile model: a block's mapping runs from the tile's global buffer,
  // the level above is free): a node too large to hold is costed by its held mapping (cycles and
  // core energy), and the simulator streams its compulsory data through DRAM, each input, weight
  // and output bit once, the node taking at least those bits / its DRAM route's bandwidth.
  // False: a streaming node is mapped with DRAM as its outer level (its re-reads included).
  bool compulsory_streams = false;
  int threads = 1;
  // Costs already computed by other tables of the same options (the RA-tree replays of one run),
  // looked up before mapping and filled after; null: none.
  NodeCostCache* shared = nullptr;
};

// Node costs by table key, with the warning computing each gave, shared by several tables;
// thread-safe. A cost is a function of its key and the options, so sharing changes no figure.
class NodeCostCache {
 public:
  bool Find(const std::string& key, NodeCost* cost, std::string* note) const;
  void Put(const std::string& key, const NodeCost& cost, const std::string& note);

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::pair<NodeCost, std::string>> map_;
};

// One node on one core, `dataflow` as spatial constraints (falls back to a free spatial mapping,
// with constrained = false, when the dataflow admits no valid mapping of this shape). Throws
// UserError when the node cannot be mapped at all.
NodeCost CostNodeOnCore(const CompNode& node, const Core& core, const System& system, bool blocking,
                        const std::vector<DataflowEntry>& dataflow, const NodeCostOptions& options);

// Costs nodes on cores, once per distinct key; thread-safe lookups after Prepare.
class NodeCostTable {
 public:
  NodeCostTable(const System& system, const Workload& workload, const NodeGraph& graph,
                ScheduleMode mode, NodeCostOptions options);
  // Costs every (node, allowed core) pair on the thread pool. Throws UserError when a MAC node
  // has no valid mapping on a core it may use.
  void Prepare(std::vector<std::string>* warnings);
  const NodeCost& Get(int node, int core_id) const;
  // Whether `node` streams from off-chip on `core_id` (lbl mode, or too large to hold).
  bool Blocking(int node, int core_id) const;
  int distinct_entries() const { return static_cast<int>(cache_.size()); }
  bool compulsory_streams() const { return options_.compulsory_streams; }

 private:
  std::string Key(int node, int core_id, bool blocking) const;
  NodeCost Compute(int node, int core_id, bool blocking) const;

  const System& system_;
  const Workload& workload_;
  const NodeGraph& graph_;
  ScheduleMode mode_;
  NodeCostOptions options_;
  std::map<std::string, NodeCost> cache_;
  std::map<std::pair<int, int>, std::string> key_of_;  // (node, core id) -> cache key
  std::map<std::pair<int, int>, bool> blocking_;
  mutable std::map<int, std::string> offchip_bandwidth_;  // core id -> its DRAM route's, in keys
};

// Bits a node needs on its core at once when it does not stream: its input tiles (from producer
// nodes, or its part of the network input), its weights and its output.
std::int64_t NodeFootprintBits(const NodeGraph& graph, int node);

}  // namespace tessel
