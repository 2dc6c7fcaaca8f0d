// Whether a problem's sizes fit the model's 64-bit counts: the operation count (the product of
// every bound) and each data space's size (Problem::DataSpaceSize, with its coefficients). Every
// count the model derives from a valid mapping (tiles, iterations, fan-outs, instances) is at
// most one of these, so the readers check them once and the model never multiplies past them.
#pragma once

#include <string>

#include "tessel/workload/problem.h"

namespace tessel {

// "" when the sizes fit; otherwise what overflows, e.g. "the operation count (the product of the
// bounds R=3 x ... ) exceeds 2^63-1".
std::string ProblemSizeOverflow(const Problem& problem);

}  // namespace tessel
