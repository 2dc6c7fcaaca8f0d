// Tuning every MAC layer's loop-nest mapping of a network against the Timeloop-exact model: the
// evolutionary search of tuner/evolution.h over tuner/mapping_space.h, one search per distinct
// layer shape (DistinctShapes), layers running one after another on the accelerator.
//
// Score: (cycles, energy) lexicographically. Every evaluation goes through the EvaluationCache
// (resumable from a tuning log). Shapes are searched one after another, each search scoring a
// generation on `threads` threads, so the result does not depend on the thread count.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tessel/network/network_map.h"
#include "tessel/tuner/evaluation_cache.h"
#include "tessel/tuner/evolution.h"
#include "tessel/workload/workload.h"

namespace tessel {

struct TimeloopLayerTune {
  int layer = 0;            // index into Workload::layers()
  Schedule schedule;        // schedule.mapping: the best mapping of one instance
  std::int64_t cycles = 0;  // over all `repeat` instances
  double energy_pJ = 0;     // over all `repeat` instances
  double utilization = 0;   // MACs / (cycles x MAC instances), 0..1
};

struct TimeloopNetworkResult {
  std::vector<TimeloopLayerTune> layers;  // the MAC layers, workload order
  std::int64_t total_cycles = 0;          // layers one after another
  double total_energy_pJ = 0;
  int bottleneck = -1;      // index into `layers` of the slowest
  std::int64_t trials = 0;  // schedules scored, all shapes
};

struct TimeloopTuneOptions {
  EvolutionOptions evolution;  // per shape: trials, seed (mixed with the shape index), threads
  std::function<void(int done, int total, const std::string& layer)> progress;
};

// Throws UserError when the workload has no MAC layer, when a mapspace cannot exist (from
// MakeMapSpace), or when a shape's search finds no valid mapping (naming the layer, with the
// first reason the model gave).
TimeloopNetworkResult TuneTimeloopNetwork(const Workload& workload, const NetworkTarget& target,
                                          const std::string& arch_key, EvaluationCache& cache,
                                          const TimeloopTuneOptions& options);

// The best mapping of one layer's mapspace by the evolutionary search (used by the network
// tuner and the benchmark). `best.score.valid()` is false when nothing valid was found;
// `first_invalid` then holds a reason.
struct MappingTuneResult {
  EvolutionResult search;
  TimingResult best;  // the cost of search.best (cycles, energy)
  std::string first_invalid;
};
MappingTuneResult TuneMapping(const MapSpace& space, const std::string& layer_key,
                              EvaluationCache& cache, const EvolutionOptions& options);

}  // namespace tessel
