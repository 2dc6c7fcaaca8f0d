// Reading what users bring: Timeloop / Accelergy YAML (v0.4 tree arch, flat v0.2/v0.3 arch,
// problem shape+instance or CoSA's flat form, mapping list, ERT) and CoSA's arch + mapspace.
// Any number of files; a later file's top-level key replaces an earlier one's.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tessel/arch/arch.h"
#include "tessel/mapping/constraints.h"
#include "tessel/mapping/mapping.h"
#include "tessel/workload/problem.h"

namespace tessel {

struct Inputs {
  Problem problem;
  Arch arch;
  std::optional<Mapping> mapping;  // from `mapping:`; nullopt when no file has one
  // Mapspace constraints from every place Timeloop (or CoSA's mapspace) puts them
  // (io/constraints.h); NoConstraints when none was given.
  MapConstraints constraints;
  bool has_ert = false;
};

// Throws UserError with `file:line:col: message` on malformed YAML or invalid content.
Inputs LoadInputs(const std::vector<std::string>& paths);

// Same, from in-memory documents; `names` label them in error messages.
Inputs LoadInputsFromStrings(const std::vector<std::string>& texts,
                             const std::vector<std::string>& names);

}  // namespace tessel
