// The `options:` of a sweep file, per command: what `tessel map --workload`, `tessel schedule`
// and `tessel tune` take on their command lines, under the same names (docs/sweep.md).
#pragma once

#include <cstdint>
#include <string>

#include "tessel/io/yaml_util.h"

namespace tessel::io {

// `command: map`.
struct SweepMapOptions {
  std::string mapper = "cosa";
  std::string objective = "latency";
  std::int64_t samples = 5;
  std::uint64_t seed = 1;
  double time_limit_s = 60;
  std::string solver = "cbc";
};

// `command: schedule`: Stream's searches (fixed | ga | milp) on a multi-core system, or SET's
// RA-tree search (ratree) on a tiled mesh. Defaults as `tessel schedule`'s, except that the
// ratree mapper's effort (samples, polish) and rounds default lower: a sweep runs many points.
struct SweepScheduleOptions {
  std::string search = "fixed";  // fixed | ga | milp | ratree
  std::string mode = "fused";    // fixed | ga | milp: fused | layer-by-layer
  std::int64_t generations = 4;  // ga
  std::int64_t population = 16;  // ga
  std::uint64_t seed = 0;
  std::string mapper;          // per-core mapper; "" = the command's default (cosa; ratree: random)
  std::string objective;       // "" = the command's default (edp)
  std::int64_t batch = 64;     // ratree
  std::int64_t rounds = 100;   // ratree: annealing rounds x layers per chain
  std::int64_t samples = 100;  // ratree with the random mapper: mappings per tile block
  std::int64_t polish = 2000;  // ratree: hill-climbing evaluations per tile block
  bool ratree() const { return search == "ratree"; }
};

// `command: tune`: the CIM auto-scheduler (cim-refined | cim-formula) or Timeloop-model tuning.
struct SweepTuneOptions {
  std::string model = "cim-refined";
  std::int64_t trials = 64;
  std::uint64_t seed = 1;
  std::string objective = "bottleneck";  // cim-*: bottleneck | total
  std::string chips;                     // cim-*: "" (the chip file's), "auto" or N
  bool cim() const { return model != "timeloop"; }
};

// Each reads `node` (absent or null: the defaults), checking keys and values; UserError at the
// offending key otherwise.
SweepMapOptions ReadSweepMapOptions(const YNode& node);
SweepScheduleOptions ReadSweepScheduleOptions(const YNode& node);
SweepTuneOptions ReadSweepTuneOptions(const YNode& node);

}  // namespace tessel::io
