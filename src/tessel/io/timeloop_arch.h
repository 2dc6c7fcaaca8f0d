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

// The `constraints:` map written inside a node of the `nodes:` form, e.g. `{dataspace: {keep:
// [...]}, temporal: {factors: ..., permutation: ...}}`, and the storage level it applies to: the
// component's own, or a container's inter_<name>_spatial level (which may not exist when the
// container does not fan out; io/constraints.h reports that).
//
// timeloopfe's !Parallel rule comes along too: each branch of a !Parallel node bypasses every data
// space its own subtree does not keep (`branches`, one entry per enclosing !Parallel). A node with
// no `constraints:` of its own inside a branch is listed with an invalid `constraints`.
struct ParallelBranch {
  std::vector<std::string> keeps;  // data-space names kept somewhere in the branch ("*" = all)
  SourceLocation where;            // the branch's node
};
struct InlineConstraint {
  std::string level;
  YNode constraints;
  std::vector<ParallelBranch> branches;
};

// Arch::storage comes out innermost first. Energies are left at zero (see ert.h and
// default_energy.h). `inline_constraints` may be null.
Arch ParseArchitecture(const YNode& arch, std::vector<InlineConstraint>* inline_constraints);

// The dummy storage level that timeloopfe inserts for a spatial container `container`:
// "inter_<container>_spatial". A mapping may target it by the container's name.
std::string SpatialDummyName(const std::string& container);

}  // namespace tessel::io
