// A standalone HTML page for `tessel schedule --search ratree`: the baselines beside the searched
// tree, the tree drawn as nested boxes (S cuts side by side, T cuts stacked), and one bar per layer
// (its tiles out of the mesh, its time per pass) in tree order.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace tessel {

std::string RaTreeReportHtml(const nlohmann::ordered_json& json);

}  // namespace tessel
