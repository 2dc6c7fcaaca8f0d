// Reader for the `architecture:` (or `arch:`) section in its three Timeloop spellings:
//   * tree form (v0.3/v0.4 as dumped by timeloopfe): {version, subtree: [{name, local, subtree}]};
//   * v0.4 `nodes:` form with !Container / !Component / !Parallel tags;
//   * flat form (v0.2, CoSA): {arithmetic: {...}, storage: [innermost first]}.
#pragma once

#include <string>
#include <vector>

#include "tessel/arch/arch.h"
#include "tessel/io/yaml_util.h"

namespace tessel::io {

// A keep/bypass directive written inside a component (`constraints: {dataspace: {keep, bypass}}`
// in the `nodes:` form). `directive` is the map holding `keep` and/or `bypass`.
struct InlineConstraint {
  std::string level;
  YNode directive;
};

// Arch::storage comes out innermost first. Energies are left at zero (see ert.h and
// default_energy.h). `inline_constraints` may be null.
Arch ParseArchitecture(const YNode& arch, std::vector<InlineConstraint>* inline_constraints);

// The dummy storage level that timeloopfe inserts for a spatial container `container`:
// "inter_<container>_spatial". A mapping may target it by the container's name.
std::string SpatialDummyName(const std::string& container);

}  // namespace tessel::io
