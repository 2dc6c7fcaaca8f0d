// `tessel schedule` (Stream's inputs: fixed, ga, milp) as library calls, shared by the CLI
// (cli/schedule_command.cc) and the Python module (src/python).
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <stop_token>
#include <string>

#include "tessel/schedule/layer_mapping.h"
#include "tessel/schedule/schedule_run.h"
#include "tessel/schedule/system.h"
#include "tessel/workload/workload.h"

namespace tessel::api {

// Named as on the command line.
struct ScheduleRequest {
  std::string arch;              // Stream hardware YAML
  std::string workload;          // ONNX model, tessel layer YAML or a bundled network
  std::string mapping;           // Stream mapping YAML
  std::string search = "fixed";  // fixed | ga | milp
  std::string mode = "fused";    // fused | layer-by-layer
  int generations = 4;
  int population = 16;
  std::uint64_t seed = 0;
  int threads = 1;  // >= 1
  std::string mapper = "cosa";
  std::string objective = "edp";
  std::function<void(int generation, int generations, const Score& best)> ga_progress;
};

// True when arch, workload and mapping are all empty: the bundled example.
bool IsBundledSchedule(const ScheduleRequest& request);

// The bundled example (examples/multicore: ResNet-18 on a TPU-like quad core) filled in when
// IsBundledSchedule; `fixed` then becomes `ga`, since that mapping leaves the cores open.
ScheduleRequest WithScheduleDefaults(ScheduleRequest request);

struct ScheduleRun {
  System system;
  Workload workload;
  LayerMapping mapping;
  ScheduleResult result;
  nlohmann::ordered_json json;  // ScheduleToJson: what `tessel schedule --json` writes
};

// Checks the options, fills the defaults, reads the three inputs, schedules and builds the JSON.
// Throws UserError on bad input (options first, then the files in the order arch, workload,
// mapping). A stop request ends the node mappings early; the caller checks `stop` afterwards.
ScheduleRun RunScheduleRequest(const ScheduleRequest& request, std::stop_token stop = {});

}  // namespace tessel::api
