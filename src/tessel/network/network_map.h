// Mapping a whole network: every layer of a Workload on one accelerator.
//
// Pipeline (MapNetwork):
//   1. group the MAC layers by shape (DistinctShapes): each distinct problem is mapped once;
//   2. map the groups on a pool of threads, each group with the single-layer mapper on ONE
//      thread, so a group's result depends only on its mapspace and the options, never on the
//      thread count or on which worker took it;
//   3. cost every layer: a MAC layer is its group's cost times its `repeat`; a layer without
//      MACs is costed as memory traffic at the outermost storage level (NoMacCost);
//   4. sum the layers, which run one after another: total cycles and energy.
// Results are stored by index, never in completion order, so they are deterministic unless a
// mapper hits its wall-time limit (a timed-out search returns the best it found so far).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tessel/arch/arch.h"
#include "tessel/mapper/mapper.h"
#include "tessel/mapping/mapspace.h"
#include "tessel/workload/workload.h"

namespace tessel {

// The accelerator a network is mapped onto.
struct NetworkTarget {
  Arch arch;
  // Mapspace constraints, applied to every layer by dimension and data-space name
  // (ResolveConstraints); empty levels: none.
  MapConstraints constraints;
};

// How a layer's cost was obtained.
enum class CostMethod {
  kMapped,         // the mapper's best mapping, evaluated by the exact cost model
  kMemoryTraffic,  // no MACs: its activations read and written once at the outermost level
};
const char* ToString(CostMethod method);  // "mapped", "memory-traffic"

// One layer's cost over all of its `repeat` instances.
struct LayerCost {
  CostMethod method = CostMethod::kMapped;
  std::int64_t cycles = 0;
  double energy_pJ = 0;
  double mac_energy_pJ = 0;
  std::vector<double> level_energy_pJ;  // parallel to Arch::storage (innermost first)
  double utilization = 0;               // of the MAC array, 0..1; 0 without MACs
  std::int64_t macs = 0;
  // ceil(macs / MAC instances): the cycles at full utilisation; 0 without MACs.
  std::int64_t compute_bound_cycles = 0;
  // Words read and written at the outermost level (memory-traffic layers only).
  std::int64_t words_read = 0;
  std::int64_t words_written = 0;
};

// A layer without MACs as memory traffic only: its input_elements read from and output_elements
// written to the outermost storage level. Energy: vector accesses (block_size words each) times
// that level's read / update energy. Cycles: words over its bandwidth (read and write
// bandwidths apart, or the shared one; words per cycle per instance, times instances); a level
// without a bandwidth limit moves one vector per cycle per instance.
LayerCost NoMacCost(const Layer& layer, const Arch& arch);

// A MAC layer's cost from the evaluation of one instance of its problem.
LayerCost MappedCost(const Layer& layer, const Arch& arch, const Cost& one_instance);

// One distinct problem and the mapping found for it.
struct ShapeResult {
  std::string key;          // ShapeKey of the problem
  std::vector<int> layers;  // workload layer indices with this shape, in index order
  MapSpace space;           // built from the first layer's problem
  MapperResult result;      // mapped once, shared by every layer of the group
};

struct NetworkLayerResult {
  int layer = 0;   // index into Workload::layers()
  int shape = -1;  // index into NetworkMapResult::shapes; -1 for a layer without MACs
  LayerCost cost;
};

struct NetworkMapResult {
  std::vector<NetworkLayerResult> layers;  // one per workload layer, in index order
  std::vector<ShapeResult> shapes;         // distinct problems in order of first appearance
  std::int64_t total_cycles = 0;           // layers run one after another
  double total_energy_pJ = 0;
  std::int64_t total_macs = 0;
  std::int64_t total_compute_bound_cycles = 0;
  double seconds = 0;  // wall time of MapNetwork; not part of any deterministic output
};

struct NetworkMapOptions {
  // Per-group mapper settings; `threads` is forced to 1 (the parallelism is across groups).
  MapperOptions mapper;
  // Groups mapped at once; < 1 means std::thread::hardware_concurrency().
  int threads = 0;
  // Called after each group is mapped, with the number done, the total and the group's first
  // layer name. Calls are serialised (never concurrent) but come from worker threads.
  std::function<void(int done, int total, const std::string& layer)> progress;
};

// Maps every MAC layer of `workload` with `mapper` and costs every layer. Throws UserError when
// the workload has no layer, or when some group has no valid mapping (naming its layers and the
// mapper's reason); other exceptions from workers are rethrown after all threads stop.
NetworkMapResult MapNetwork(const Workload& workload, const NetworkTarget& target,
                            const Mapper& mapper, const NetworkMapOptions& options);

}  // namespace tessel
