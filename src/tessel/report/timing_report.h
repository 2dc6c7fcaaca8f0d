// Any TimingModel's result as JSON (`DumpJson(TimingResultToJson(...))`, byte-identical for the
// same inputs):
//
//   {"cycles": int, "energy_pJ": float, "model": str,
//    "breakdown": {"counts": {"<name>": int, ...}, "energy_pJ": {"<component>": float, ...}},
//    "schedule": {"<knob>": int, ...}}
//
// "counts" and "energy_pJ" keep the model's order (TimingResult::counts, energy_breakdown_pJ);
// "schedule" holds every knob of the evaluated schedule, in the model's Knobs() order.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "tessel/model/timing_model.h"

namespace tessel {

nlohmann::ordered_json TimingResultToJson(std::string_view model, const TimingResult& result,
                                          const Schedule& schedule);

// Plain text for a terminal: totals, the schedule, counts and energy per component.
std::string FormatTimingResult(std::string_view model, std::string_view layer,
                               std::string_view arch, const TimingResult& result,
                               const Schedule& schedule);

}  // namespace tessel
