#include "tessel/tuner/timeloop_network.h"

#include <mutex>

#include "tessel/common/error.h"
#include "tessel/common/rng.h"
#include "tessel/model/timeloop_timing_model.h"
#include "tessel/tuner/mapping_space.h"

namespace tessel {

MappingTuneResult TuneMapping(const MapSpace& space, const std::string& layer_key,
                              EvaluationCache& cache, const EvolutionOptions& options) {
  const TimeloopTimingModel model;
  MappingSpace schedules(space);
  std::mutex mutex;  // guards first_invalid
  MappingTuneResult out;
  auto score = [&](const Schedule& s) {
    const TimingResult r = cache.Evaluate(layer_key, s, [&](const Schedule& x) {
      return model.Evaluate(space.problem, x, &space.arch);
    });
    if (r.ok()) return TuneScore{static_cast<double>(r.cycles), r.energy_pJ};
    std::lock_guard<std::mutex> lock(mutex);
    if (out.first_invalid.empty()) out.first_invalid = r.invalid_reason;
    return TuneScore{};
  };
  out.search = Evolve(schedules, score, options);
  if (out.search.best.score.valid()) {
    out.best.cycles = static_cast<std::int64_t>(out.search.best.score.primary);
    out.best.energy_pJ = out.search.best.score.secondary;
  }
  return out;
}

TimeloopNetworkResult TuneTimeloopNetwork(const Workload& workload, const NetworkTarget& target,
                                          const std::string& arch_key, EvaluationCache& cache,
                                          const TimeloopTuneOptions& options) {
  const std::vector<ShapeGroup> groups = DistinctShapes(workload);
  if (groups.empty())
    throw UserError("workload '" + workload.name() + "' has no conv or matmul layer to tune");
  std::vector<TimeloopLayerTune> by_layer(workload.size());
  TimeloopNetworkResult result;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const Layer& first = workload.layer(groups[g].layers.front());
    const MapSpace space =
        MakeMapSpace(first.problem, target.arch, target.constraints);
    EvolutionOptions evolution = options.evolution;
    evolution.seed = TaskSeed(options.evolution.seed, g);
    const MappingTuneResult tuned =
        TuneMapping(space, LayerKey("timeloop", arch_key, first.problem), cache, evolution);
    result.trials += tuned.search.trials;
    if (!tuned.search.best.score.valid())
      throw UserError("no valid mapping found for layer '" + first.name + "' in " +
                      std::to_string(tuned.search.trials) + " trials; e.g. " + tuned.first_invalid);
    for (int index : groups[g].layers) {
      const Layer& layer = workload.layer(index);
      TimeloopLayerTune& t = by_layer[index];
      t.layer = index;
      t.schedule = tuned.search.best.schedule;
      t.cycles = tuned.best.cycles * layer.repeat;
      t.energy_pJ = tuned.best.energy_pJ * static_cast<double>(layer.repeat);
      const double slots = static_cast<double>(tuned.best.cycles) *
                           static_cast<double>(target.arch.arithmetic.instances);
      t.utilization = slots > 0 ? static_cast<double>(first.problem.TotalOperations()) / slots : 0;
    }
    if (options.progress)
      options.progress(static_cast<int>(g) + 1, static_cast<int>(groups.size()), first.name);
  }
  for (int index : workload.MacLayers()) {
    result.layers.push_back(by_layer[index]);
    result.total_cycles += by_layer[index].cycles;
    result.total_energy_pJ += by_layer[index].energy_pJ;
    const int i = static_cast<int>(result.layers.size()) - 1;
    if (result.bottleneck < 0 || by_layer[index].cycles > result.layers[result.bottleneck].cycles)
      result.bottleneck = i;
  }
  return result;
}

}  // namespace tessel
