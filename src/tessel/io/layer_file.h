// Reading one layer for the timing models: only the `problem:` section of the given files
// (Timeloop's shape/instance form or CoSA's flat cnn-layer form); any other section is ignored,
// so a Timeloop input set can be pointed at as it is.
#pragma once

#include <string>
#include <vector>

#include "tessel/workload/problem.h"

namespace tessel::io {

// The one `problem:` section among `paths`, named after the stem of the file that gives it
// ("Conv2d-1" for .../Conv2d-1.yaml), which is how CoSA's workload directories name layers.
// Throws UserError when no file or more than one file has a problem (a directory of layers is
// a network, not a layer).
Problem LoadLayerProblem(const std::vector<std::string>& paths);

}  // namespace tessel::io
