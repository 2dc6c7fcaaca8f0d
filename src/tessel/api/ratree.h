// `tessel schedule --search ratree` (SET's RA-tree search on a tiled mesh, docs/ratree.md) as a
// library call: the options the command line gives turned into RaTreeOptions, the mesh and the
// workload read, the search run and its JSON built. Used by sweeps (src/cli/sweep_tasks.cc).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <stop_token>
#include <string>

#include "tessel/schedule/ratree_run.h"
#include "tessel/schedule/tiled_system.h"

namespace tessel::api {

// Named as on the command line (cli/ratree_schedule.h: RaTreeArgs).
struct RaTreeRequest {
  std::string arch;      // mesh YAML; empty: the bundled 8x8 mesh
  std::string workload;  // zoo name, ONNX or YAML; empty: ResNet-50
  std::int64_t batch = 64;
  std::string objective = "edp";
  int rounds = 100;
  std::uint64_t seed = 0;
  int threads = 1;
  std::string mapper = "random";
  std::int64_t samples = 100;            // random mapper: valid mappings drawn per tile block
  std::int64_t polish = 2000;            // hill-climbing evaluations after the mapper
  std::optional<std::string> tree_text;  // a tree to evaluate instead of searching (--tree's)
  std::string tree_file;                 // where tree_text came from, for error locations
};

// The RaTreeOptions `tessel schedule --search ratree` builds from those options. UserError on a
// bad option (threads, rounds or batch out of range, an unknown objective).
RaTreeOptions MakeRaTreeOptions(const RaTreeRequest& request);

struct RaTreeRun {
  TiledSystem system;
  RaTreeOptions options;
  RaTreeResult result;
  nlohmann::ordered_json json;  // RaTreeToJson: what `--json` writes
};

// Throws UserError on bad input (options, then the mesh, then the workload) and Interrupted
// when `stop` is requested.
RaTreeRun RunRaTreeRequest(const RaTreeRequest& request, std::stop_token stop = {});

}  // namespace tessel::api
