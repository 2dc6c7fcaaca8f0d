// `tessel schedule --search ratree ...`: SET's RA-tree search on a tiled mesh (docs/ratree.md).
#pragma once
#include <cstdint>
#include <stop_token>
#include <string>

#include "tessel/api/ratree.h"

namespace tessel::cli {

struct RaTreeArgs {
  api::RaTreeRequest request;  // mesh, workload and the search's options
  std::string tree;            // a tree file to evaluate
  bool simulate =
      false;  // --simulate: accepted, no effect (the simulator's figures are the default)
  std::string json, html;
};

// Throws Interrupted when `stop` is requested (nothing written then).
int RunRaTreeSchedule(const RaTreeArgs& args, std::stop_token stop = {});

}  // namespace tessel::cli
