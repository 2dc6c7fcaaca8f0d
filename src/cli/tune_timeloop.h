// `tessel tune --model timeloop`: every MAC layer's mapping tuned by the
// evolutionary search against the Timeloop-exact model (tune_timeloop.cc).
#pragma once

#include <cstdint>
#include <stop_token>
#include <string>
#include <vector>

#include "tessel/tuner/timeloop_network.h"
#include "tessel/workload/workload.h"

namespace tessel::cli {

// The per-layer table and the total of a Timeloop tuning run, as `tessel tune` prints them.
std::string FormatTimeloopTune(const Workload& workload, const TimeloopNetworkResult& result);

}  // namespace tessel::cli
