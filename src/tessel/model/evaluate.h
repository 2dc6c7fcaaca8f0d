// The Timeloop-exact analytical cost model: problem + arch + mapping -> Cost.
#pragma once

#include <string>

#include "tessel/arch/arch.h"
#include "tessel/mapping/mapping.h"
#include "tessel/model/cost.h"
#include "tessel/workload/problem.h"

namespace tessel {

struct Evaluation {
  Cost cost;
  // Empty when the mapping is valid; else why not, naming the level and the limit broken, e.g.
  // "level GlobalBuffer: tile of 70000 words exceeds its capacity of 65536 words".
  std::string invalid_reason;
  bool ok() const { return invalid_reason.empty(); }
};

// Structural checks that need no nest analysis: factor products equal the bounds, spatial
// fan-out fits each level's mesh, keep vectors sized, the outermost level keeps everything.
// Returns "" when they hold.
std::string CheckMappingStructure(const Problem& problem, const Arch& arch, const Mapping& mapping);

// Full evaluation, including the capacity check. Pure and thread-safe.
Evaluation Evaluate(const Problem& problem, const Arch& arch, const Mapping& mapping);

}  // namespace tessel
