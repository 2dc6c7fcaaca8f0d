// The HTML report of a multi-core schedule: a Gantt chart of cores and links (one row each; nodes
// coloured by layer, transfers by kind), memory occupancy per core over time against its capacity,
// and the latency / energy breakdown (cores, links, off-chip). Inline SVG, no script.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace tessel {

// `schedule` is ScheduleToJson's output.
std::string ScheduleReportHtml(const nlohmann::ordered_json& schedule);

}  // namespace tessel
