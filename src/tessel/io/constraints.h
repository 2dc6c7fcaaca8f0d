// Keep/bypass constraints for the mapper, from any of:
//   * CoSA's `mapspace: {constraints: [{target, type: datatype, keep, bypass}]}`;
//   * Timeloop's `mapspace_constraints` / `architecture_constraints` / `constraints` sections,
//     either a list or `{targets: [...]}`;
//   * keep/bypass written inside `nodes:`-form components (timeloop_arch.h's InlineConstraint).
// Only directives of type datatype / bypass / dataspace are read; factor and permutation
// constraints are for the mapper's own readers. Later sources override earlier ones.
#pragma once

#include <optional>
#include <vector>

#include "tessel/arch/arch.h"
#include "tessel/io/timeloop_arch.h"
#include "tessel/io/yaml_util.h"
#include "tessel/workload/problem.h"

namespace tessel::io {

using KeepConstraints = std::vector<std::vector<std::optional<bool>>>;

// The directive list inside a constraints section (a list, or a map with `targets` or
// `constraints`); empty when there is none.
std::vector<YNode> ConstraintDirectives(const YNode& section);

// Result is [storage level][data space], or empty when no directive says keep or bypass.
KeepConstraints ParseKeepConstraints(const std::vector<InlineConstraint>& inline_constraints,
                                     const std::vector<YNode>& directives, const Problem& problem,
                                     const Arch& arch);

}  // namespace tessel::io
