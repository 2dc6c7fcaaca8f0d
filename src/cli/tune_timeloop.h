// `tessel tune --model timeloop`: every MAC layer's mapping tuned by the
// evolutionary search against the Timeloop-exact model (tune_timeloop.cc).
#pragma once

#include <cstdint>
#include <stop_token>
#include <string>
#include <vector>

#include "tessel/model/timing_model.h"
#include "tessel/tuner/evaluation_cache.h"

namespace tessel::cli {

struct TimeloopTuneRequest {
  std::vector<std::string> arch_files;
  std::string workload;
  std::int64_t trials = 64;
  std::uint64_t seed = 1;
  int threads = 1;
  std::string log_path;
  std::string json_path;
  std::stop_token stop;  // SIGINT/SIGTERM (signals.h)
};

int RunTimeloopTune(const TimeloopTuneRequest& request, const TimingModel& model,
                    EvaluationCache& cache);

}  // namespace tessel::cli
