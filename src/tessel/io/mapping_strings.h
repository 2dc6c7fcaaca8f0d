// The small string languages inside mapping directives: factor lists and permutations.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tessel/io/yaml_util.h"
#include "tessel/workload/problem.h"

namespace tessel::io {

// factor[d] for every dimension d of the problem: -1 when not given, 0 for "whole remaining
// bound", else the factor.
std::vector<std::int64_t> ParseFactors(const YNode& factors, const Problem& problem);

// The tokens of a permutation: a YAML list's items, or the text (up to a '#') split at spaces and
// commas; `text` gets what was read, for messages. A token may be a name or a run of letters.
std::vector<std::string> PermutationTokens(const YNode& permutation, std::string* text);

// Dimension indices, innermost first, exactly as written (no padding).
std::vector<int> ParsePermutation(const YNode& permutation, const Problem& problem);

}  // namespace tessel::io
