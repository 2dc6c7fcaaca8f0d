// Where the examples that ship with tessel live, so commands run without any input file.
#pragma once

#include <string>
#include <vector>

namespace tessel {

// The input files of the bundled default evaluation (examples/default: a ResNet-50 3x3 layer on a
// Simba-like accelerator, with a hand-written mapping): arch, problem, mapping and ERT YAML.
// Looks in the source tree the binary was built from, then beside the executable
// (<exe>/../share/tessel/examples, <exe>/../examples). Throws UserError when none is found.
std::vector<std::string> DefaultEvalFiles();

// The bundled examples directory found as above ("" when there is none).
std::string BundledExamplesDir();

}  // namespace tessel
