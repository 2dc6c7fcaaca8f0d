// `tessel tune`'s result as JSON, in the network shape of `tessel map
// --workload`:
//
//   {"workload": str, "model": str, "arch": str, "objective":
//   "bottleneck"|"total",
//    "seed": int, "trials": int (per layer),
//    "layers": [{"name", "op", "cycles", "energy_pJ", "arrays", "schedule":
//    {knob: int}}], "total": {"cycles", "energy_pJ", "arrays_used",
//    "arrays_available"}, "bottleneck": {"layer": str, "cycles": int},
//    "greedy": {"bottleneck": {"layer", "cycles"}, "total": {"cycles",
//    "energy_pJ", "arrays_used"},
//               "layers": [{"name", "cycles", "arrays", "<resource knob>":
//               int}]}}
//
// For a CIM model `layers` are the MAC layers (the pipeline's stages) in
// workload order; "total.cycles" is the sum of the stages (one input through
// the pipeline), "bottleneck" the slowest stage (the pipeline's interval). No
// timing, thread count or evaluation counts appear, so the same inputs and seed
// give byte-identical JSON whether or not a log was replayed.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "tessel/network/network_map.h"
#include "tessel/tuner/cim_network.h"
#include "tessel/tuner/timeloop_network.h"
#include "tessel/workload/workload.h"

namespace tessel {

struct TuneJsonInfo {
  std::string model;
  std::string arch;
  std::string objective;
  std::uint64_t seed = 1;
  std::int64_t trials = 0;
};

// --model timeloop: the same header, then
//   "layers": [{"name", "op", "cycles", "energy_pJ", "utilization", "repeat",
//               "schedule": {"mapping": MappingToJson (report/mapping_json.h)}}],
//   "total": {"cycles", "energy_pJ"}, "bottleneck": {"layer", "cycles"}
// (cycles and energy over all `repeat` instances of a layer; layers run one after another).
nlohmann::ordered_json TimeloopTuneToJson(const Workload& workload, const NetworkTarget& target,
                                          const TimeloopNetworkResult& result,
                                          const TuneJsonInfo& info);

nlohmann::ordered_json CimTuneToJson(const Workload& workload, const CimNetworkResult& result,
                                     const TuneJsonInfo& info);

// One line per fact of the system beyond one chip (chips and links, reprogramming), for stdout;
// "" when the network runs resident on one chip.
std::string CimSystemText(const CimNetworkResult& result);

}  // namespace tessel
