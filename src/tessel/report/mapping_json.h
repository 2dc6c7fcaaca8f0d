// A mapping as JSON, for results that carry the mapping they found.
#pragma once

#include <nlohmann/json.hpp>

#include "tessel/arch/arch.h"
#include "tessel/mapping/mapping.h"
#include "tessel/workload/problem.h"

namespace tessel {

//   [{"level": str, "temporal": [{"dim": str, "factor": int}], "spatial": [{"dim": str,
//     "factor": int, "axis": "X"|"Y"}], "keep": [str], "bypass": [str]}]
// Levels INNERMOST FIRST (Arch::storage order); loops innermost first, as in Timeloop's
// permutations. Only loops with a factor above 1 are listed.
nlohmann::ordered_json MappingToJson(const Problem& problem, const Arch& arch,
                                     const Mapping& mapping);

}  // namespace tessel
