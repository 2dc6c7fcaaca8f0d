// Tuning a whole network for a compute-in-memory chip: every MAC layer is one
// stage of a layer pipeline and all stages' weight copies share the chip's
// arrays (sum over layers of copies x arrays per copy <= the chip's arrays,
// model/cim_model.h).
//
// Pipeline (TuneCimNetwork):
//   1. stages: every MAC layer, checked by the model (a layer too large for the
//   chip is an error
//      naming it); each stage's *resource* knob is `copies` (cim-refined: whole
//      weight copies) or `pes` (cim-formula: whole PEs, the formula's CUs = pes
//      x cus); its other knobs are its *layout*;
//   2. ladders: for the stage's start layout (the model's default unless that is invalid,
//   tuner/cim_layout.h), every resource value that fits,
//   evaluated;
//   3. baseline: GreedyDuplication over those ladders (one more copy to the
//   slowest stage while
//      it fits, tuner/allocation.h);
//   4. a first exact allocation (MinimiseBottleneck or MinimiseTotal) gives
//   every stage an array
//      share;
//   5. per stage, the evolutionary search (tuner/evolution.h) tunes the layout
//   knobs, each
//      candidate scored at its stage's share with as many copies as fit;
//   6. the final exact allocation over the default and the best tuned layouts'
//   ladders, so the
//      result is never worse than step 4's.
// Every evaluation goes through the EvaluationCache: a resumed run (records
// replayed from a log) evaluates nothing twice and, for the same seed, finds
// the same result.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tessel/arch/cim_arch.h"
#include "tessel/model/timing_model.h"
#include "tessel/tuner/allocation.h"
#include "tessel/tuner/evaluation_cache.h"
#include "tessel/tuner/evolution.h"
#include "tessel/workload/workload.h"

namespace tessel {

enum class NetworkObjective { kBottleneck, kTotal };
// "bottleneck" | "total"; throws UserError otherwise.
NetworkObjective ParseNetworkObjective(const std::string& name);
const char* ToString(NetworkObjective objective);

struct CimNetworkOptions {
  NetworkObjective objective = NetworkObjective::kBottleneck;
  // Per stage: trials of the layout search (1 = keep the default layout), seed,
  // threads.
  EvolutionOptions evolution;
  // Called once per stage as its layout search ends: stages done, stages in
  // all, layer name.
  std::function<void(int done, int total, const std::string& layer)> progress;
  // Chips of the system: -1 = the chip file's `chips`, 0 = auto (the fewest whose arrays hold
  // one copy of every layer at its start layout, tuner/cim_layout.h), N = N chips.
  std::int64_t chips = -1;
};

// One stage of a network allocation.
struct CimStage {
  int layer = 0;      // index into Workload::layers()
  Schedule schedule;  // complete: layout and resource knob
  std::int64_t arrays = 0;
  std::int64_t cycles = 0;  // with link_cycles (and, when not resident, write_cycles)
  double energy_pJ = 0;     // with link and write energy
  bool resident = true;     // false: written into the reprogrammed region before it runs
  std::int64_t passes = 0;  // not resident: region-sized parts written and run one by one
  std::int64_t write_cycles = 0;
  double write_energy_pJ = 0;
  std::int64_t first_chip = 0, last_chip = 0;
  std::int64_t link_bytes = 0, link_cycles = 0;
  double link_energy_pJ = 0;
};

// The whole system's figures: resident stages as allocated, plus the reprogrammed region (one
// pipeline stage: its layers one after another, each written then run) and the links.
struct CimSystemSummary {
  std::int64_t chips = 1;
  std::int64_t arrays_available = 0;  // chips x arrays per chip
  std::int64_t region_arrays = 0;     // arrays reserved for reprogrammed layers
  std::int64_t region_cycles = 0;     // sum of the reprogrammed layers' cycles
  std::int64_t reprogrammed_layers = 0;
  std::int64_t write_cycles = 0;  // sum over reprogrammed layers, per inference
  double write_energy_pJ = 0;
  std::int64_t cells_written = 0;
  std::int64_t link_bytes = 0, link_cycles = 0;
  double link_energy_pJ = 0;
  std::int64_t bottleneck_cycles = 0;  // max(slowest resident stage, region_cycles)
  std::string bottleneck_layer;        // its layer, or "reprogrammed region"
  std::int64_t total_cycles = 0;
  double energy_pJ = 0;
  std::int64_t arrays_used = 0;
};

struct CimNetworkResult {
  std::string resource_knob;       // "copies" or "pes"
  std::vector<CimStage> tuned;     // one per resident MAC layer, workload order
  std::vector<CimStage> streamed;  // the reprogrammed layers, workload order
  CimSystemSummary system;
  std::vector<CimStage> greedy;  // the baseline, same order
  std::vector<CimStage> first;   // step 4: the exact allocation with default layouts
  ArrayAllocation tuned_allocation, greedy_allocation, first_allocation;
  std::int64_t arrays_available = 0;
  std::int64_t layout_trials = 0;  // candidates scored by the layout searches
};

// `model` must be cim-formula or cim-refined; `arch_key` identifies the chip in
// the cache (Fingerprint of its file). Throws UserError when a layer is not
// supported (naming it) or when one copy of every layer does not fit on the
// chip.
CimNetworkResult TuneCimNetwork(const Workload& workload, const TimingModel& model,
                                const CimArch& arch, const std::string& arch_key,
                                EvaluationCache& cache, const CimNetworkOptions& options);

}  // namespace tessel
