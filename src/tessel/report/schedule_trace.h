// A schedule as a Chrome / Perfetto trace (chrome://tracing, ui.perfetto.dev): one process for the
// cores and one for the links, one track per core and per link; nodes and transfers are complete
// ("X") events with one cycle shown as one microsecond.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace tessel {

// `schedule` is ScheduleToJson's output.
std::string ScheduleTraceJson(const nlohmann::ordered_json& schedule);

}  // namespace tessel
