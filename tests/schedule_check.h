// Validity of a `tessel schedule` JSON, checked from the JSON alone (issue 9's "Must hold"):
// no core runs two nodes at once; a node starts after every node it depends on ended and after
// its prefetched inputs arrived (streamed data flows while it runs); no link carries more than its
// bandwidth at any time; no core's memory exceeds its capacity; the nodes of each layer carry the
// layer's MACs; every layer runs only on cores its mapping entry allows.
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace tessel::testing {

// Returns every violation found, as text ("" entries never appear); empty = valid.
// `layer_macs` maps layer name -> MACs the workload says it has.
std::vector<std::string> CheckScheduleJson(const nlohmann::json& s,
                                           const std::map<std::string, std::int64_t>& layer_macs);

}  // namespace tessel::testing
