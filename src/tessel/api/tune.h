// `tessel tune` as one library call, shared by the CLI (cli/tune_command.cc, tune_timeloop.cc)
// and the Python module (src/python): the chip (or Timeloop arch) and the workload read, the
// tuning log replayed, the network tuned, the JSON built.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "tessel/arch/cim_arch.h"
#include "tessel/tuner/cim_network.h"
#include "tessel/tuner/timeloop_network.h"
#include "tessel/workload/workload.h"

namespace tessel::api {

// Named as on the command line.
struct TuneRequest {
  std::string workload;  // zoo name, .onnx, .yaml, CoSA dir (required)
  std::vector<std::string>
      arch;  // cim-*: one chip file (none: the bundled ISAAC-like chip);
             // timeloop: arch (+ constraints, ERT) files (none: examples/simba)
  std::string model = "cim-refined";  // cim-refined | cim-formula | timeloop
  std::int64_t trials = 64;
  std::uint64_t seed = 1;
  int threads = 1;
  std::string log;  // tuning log: replayed when it exists; every new record appended as made
  std::string objective = "bottleneck";  // cim-*: bottleneck | total
  std::string chips;                     // cim-*: "" (the chip file's), "auto" or N
  // Called as each layer (cim-*) or shape (timeloop) is tuned: done, total, layer name.
  std::function<void(int done, int total, const std::string& layer)> progress;
};

struct TuneRun {
  Workload workload;
  std::string model;                              // the timing model's name
  std::optional<CimArch> cim_arch;                // cim-*
  std::optional<CimNetworkResult> cim;            // cim-*
  std::optional<TimeloopNetworkResult> timeloop;  // --model timeloop
  std::int64_t fresh_evaluations = 0;             // schedules evaluated in this run
  std::int64_t replayed = 0;                      // records replayed from the log
  nlohmann::ordered_json json;                    // what `tessel tune --json` writes
};

// Throws UserError on bad input (options first, then the files); Interrupted when `stop` is
// requested (records already appended to the log stay, each complete).
TuneRun Tune(const TuneRequest& request, std::stop_token stop = {});

}  // namespace tessel::api
