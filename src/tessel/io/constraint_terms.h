// The string languages inside constraint directives: factor bounds and partial permutations
// (io/constraints.h gives the forms accepted).
#pragma once

#include <string>
#include <vector>

#include "tessel/io/yaml_util.h"
#include "tessel/mapping/constraints.h"
#include "tessel/workload/problem.h"

namespace tessel::io {

// Reads `factors`, `default_max_factor` and `default_min_factor` of one directive into `limits`
// ([dim]). A bound already set differently by another directive is an error naming both places.
void ParseFactorConstraints(const YNode& attributes, const Problem& problem,
                            const std::string& level, std::vector<FactorLimit>& limits);

// The factor list itself (a string, a list of strings or a map D: n) into `limits`.
void ParseFactorList(const YNode& factors, const Problem& problem, const std::string& level,
                     std::vector<FactorLimit>& limits);

// A permutation, innermost first: letters (`NCPRSQM`), names separated by spaces or commas, or a
// YAML list; `_` ends the innermost group, the dims after it are the outermost.
LoopOrder ParsePermutationConstraint(const YNode& permutation, const Problem& problem);

}  // namespace tessel::io
