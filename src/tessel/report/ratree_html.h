// A standalone HTML page for `tessel schedule --search ratree`: the baselines beside the searched
// tree, the tree drawn as nested boxes (S cuts side by side, T cuts stacked), the simulator's
// schedule as tiles over time (from the JSON `nodes`, so the chart agrees with the reported
// figures), and one bar per layer (its tiles, its time per pass by the formulas) in tree order.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace tessel {

std::string RaTreeReportHtml(const nlohmann::ordered_json& json);

}  // namespace tessel
