// The Timeloop-exact cost model (model/evaluate.h) behind the TimingModel interface.
//
// Its schedule is a loop-nest Mapping (Schedule::mapping) and it has no knobs: its search space
// is the mapspace, which the mappers (mapper/) explore. Any layer Timeloop can describe is
// supported, on a Timeloop Arch.
#pragma once

#include "tessel/model/timing_model.h"

namespace tessel {

class TimeloopTimingModel final : public TimingModel {
 public:
  std::string_view Name() const override { return "timeloop"; }
  std::string_view Description() const override {
    return "Timeloop-exact nest analysis of a loop-nest mapping";
  }
  std::string Supports(const Problem& layer, ArchRef arch) const override;
  std::vector<Knob> Knobs(const Problem&, ArchRef) const override { return {}; }
  // counts: compute_cycles, computes, utilized_macs, then every storage level's cycles
  // ("<level>_cycles"); energy: "MAC" and every storage level by name, innermost first.
  TimingResult Evaluate(const Problem& layer, const Schedule& schedule,
                        ArchRef arch) const override;
};

}  // namespace tessel
