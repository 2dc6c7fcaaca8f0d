// Reader for the `problem:` section: Timeloop's {shape: {dimensions, coefficients, data_spaces},
// instance: {...}} form, and the flat `{shape: cnn-layer, R: 3, ...}` form (CoSA, old Timeloop).
#pragma once

#include "tessel/io/yaml_util.h"
#include "tessel/workload/problem.h"

namespace tessel::io {

Problem ParseProblem(const YNode& problem);

}  // namespace tessel::io
