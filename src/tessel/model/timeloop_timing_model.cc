#include "tessel/model/timeloop_timing_model.h"

#include "tessel/model/evaluate.h"

namespace tessel {

std::string TimeloopTimingModel::Supports(const Problem&, ArchRef arch) const {
  if (!std::holds_alternative<const Arch*>(arch))
    return "model 'timeloop' needs a Timeloop architecture, not a compute-in-memory chip";
  return "";
}

TimingResult TimeloopTimingModel::Evaluate(const Problem& layer, const Schedule& schedule,
                                           ArchRef arch_ref) const {
  TimingResult result;
  result.invalid_reason = Supports(layer, arch_ref);
  if (result.ok() && !schedule.mapping)
    result.invalid_reason = "model 'timeloop' needs a mapping (its schedule is a loop nest)";
  if (result.ok()) result.invalid_reason = CheckKnobs({}, schedule);
  if (!result.ok()) return result;
  const Arch& arch = *std::get<const Arch*>(arch_ref);
  // Structure first: the nest analysis assumes factors that multiply to the bounds.
  result.invalid_reason = CheckMappingStructure(layer, arch, *schedule.mapping);
  if (!result.ok()) return result;
  const Evaluation evaluation = tessel::Evaluate(layer, arch, *schedule.mapping);
  result.invalid_reason = evaluation.invalid_reason;
  if (!result.ok()) return result;
  const Cost& cost = evaluation.cost;
  result.cycles = cost.cycles;
  result.energy_pJ = cost.energy_pJ;
  result.counts = {{"compute_cycles", cost.compute_cycles},
                   {"computes", cost.computes},
                   {"utilized_macs", cost.utilized_macs}};
  result.energy_breakdown_pJ = {{arch.arithmetic.name, cost.mac_energy_pJ}};
  for (const LevelStats& level : cost.levels) {
    result.counts.emplace_back(level.name + "_cycles", level.cycles);
    result.energy_breakdown_pJ.emplace_back(level.name, level.energy_pJ);
  }
  return result;
}

}  // namespace tessel
