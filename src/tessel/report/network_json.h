// A mapped network as JSON: what `tessel map --workload` writes and `tessel report` reads.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "tessel/network/network_map.h"
#include "tessel/workload/workload.h"

namespace tessel {

// Labels recorded in the JSON beside the result.
struct NetworkJsonInfo {
  std::string mapper;     // "cosa", ...
  std::string objective;  // "latency", ...
};

// {"workload": str, "arch": {"name", "mac_instances", "levels": [str, innermost first]},
//  "mapper": str, "objective": str, "energy_is_estimate": bool,
//  "layers": [{"name", "op", "kind", "method": "mapped"|"memory-traffic", "cycles",
//              "energy_pJ", "utilization", "compute_bound_cycles", "macs", "repeat",
//              "shape": int|null, "dims": {dim: bound}, "input_elements", "output_elements",
//              "energy_by_level_pJ": {"MAC": float, "<level>": float, ... innermost first},
//              "mapper_status": str|null, "mapping": [...]|null, "loop_nest": str|null}],
//  "shapes": int (distinct problems mapped),
//  "total": {"cycles", "energy_pJ", "macs", "compute_bound_cycles", "utilization", "layers",
//            "mac_layers"}}
// Layers in workload order. Cycles and counts are integers; floats go through
// ReproducibleDouble. Nothing depends on timing or thread count: the same inputs give
// byte-identical DumpJson output.
nlohmann::ordered_json NetworkToJson(const Workload& workload, const NetworkTarget& target,
                                     const NetworkMapResult& result, const NetworkJsonInfo& info);

}  // namespace tessel
