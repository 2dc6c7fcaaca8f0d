// `tessel schedule --search ratree ...`: SET's RA-tree search on a tiled mesh (docs/ratree.md).
#pragma once
#include <cstdint>
#include <stop_token>
#include <string>

namespace tessel::cli {

struct RaTreeArgs {
  std::string arch;      // mesh YAML; empty: the bundled 8x8 mesh
  std::string workload;  // zoo name, ONNX or YAML; empty: ResNet-50
  std::int64_t batch = 64;
  std::string objective = "edp";
  int rounds = 100;
  std::uint64_t seed = 0;
  int threads = 1;
  std::string mapper = "random";
  std::int64_t samples = 100;  // random mapper: valid mappings drawn per tile block
  std::int64_t polish = 2000;  // hill-climbing evaluations after the mapper
  std::string tree;            // a tree file to evaluate
  bool simulate =
      false;  // --simulate: accepted, no effect (the simulator's figures are the default)
  std::string json, html;
};

// Throws Interrupted when `stop` is requested (nothing written then).
int RunRaTreeSchedule(const RaTreeArgs& args, std::stop_token stop = {});

}  // namespace tessel::cli
