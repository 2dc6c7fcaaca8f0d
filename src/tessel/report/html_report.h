// The HTML report of a mapped network: one self-contained file (inline CSS and SVG, no script,
// no external resource) that a browser opens without network access.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace tessel {

// Renders the JSON that NetworkToJson builds (network_json.h): summary figures; latency per
// layer against its compute bound; energy per layer stacked by memory level; the network's
// energy by level; compute-bound efficiency per MAC layer; a per-layer table; each MAC layer's
// loop nest in a collapsible block. `source` names the JSON in error messages: a missing or
// mistyped field is a UserError "SOURCE: layers[3]: missing 'cycles'" (or similar).
std::string NetworkReportHtml(const nlohmann::ordered_json& result, const std::string& source);

}  // namespace tessel
