// Writes a Mapping back as the `mapping:` list timeloop-model reads, so any result tessel finds
// can be checked with Timeloop itself.
#pragma once

#include <string>

#include "tessel/arch/arch.h"
#include "tessel/mapping/mapping.h"
#include "tessel/workload/problem.h"

namespace tessel {

// A YAML document with one top-level key, `mapping:`. Per storage level, outermost first:
//   - type: temporal, factors for every dimension ("C=1 M=4 ..."), permutation innermost first
//     listing every dimension (the level's loops in order, then the unused dimensions);
//   - type: spatial when the level has spatial loops, likewise; when some loop is on the Y axis,
//     X loops come first in the permutation and `split` is their number;
//   - type: bypass with the kept and bypassed data spaces.
// Throws std::invalid_argument when the mapping cannot be said in Timeloop's form (a dimension
// twice in one level's temporal or spatial loops, or level counts that differ from the arch).
std::string WriteTimeloopMappingYaml(const Problem& problem, const Arch& arch,
                                     const Mapping& mapping);

}  // namespace tessel
