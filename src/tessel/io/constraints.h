// Reader for mapspace constraints, everywhere Timeloop v0.4 accepts them:
//   * top-level `architecture_constraints` (`arch_constraints`), `mapspace_constraints`,
//     `mapspace: {constraints}` (also CoSA's mapspace file) and `constraints`, each a list of
//     directives or a map with `targets:` / `constraints:`;
//   * a directive may hold its own `constraints:` list (one target, several directives) and its
//     attributes inline or under `attributes:`;
//   * `constraints:` maps inside `nodes:`-form components and containers, keyed by type
//     (`{dataspace: {keep: [...]}, temporal: {factors: ..., permutation: ...}, spatial: {...}}`).
// Directive types: temporal, spatial, bypass (alias datatype, dataspace, bypassing),
// utilization (alias parallelism) and max_overbooked_proportion (0 only: tessel never
// overbooks). Keys: target (or name), type, factors (`D=n`, `Dn`, `D<=n`, `D>=n`, `D=0` = whole
// bound; a string, a list of such strings or a map D: n), permutation (innermost first; letters,
// names or a list; `_` separates the innermost group from the outermost), split, keep, bypass,
// default_max_factor, default_min_factor, min. Timeloop's modelling switches (no_reuse,
// no_multicast_no_reduction, no_link_transfer, no_temporal_reuse, rmw_first_update, no_coalesce)
// and `remainders` (imperfect factorisation) are not implemented: naming one is an error.
// A directive that sets what another set differently is an error naming both places.
// docs/mapping.md gives every rule with an example.
#pragma once

#include <vector>

#include "tessel/arch/arch.h"
#include "tessel/io/timeloop_arch.h"
#include "tessel/io/yaml_util.h"
#include "tessel/mapping/constraints.h"
#include "tessel/workload/problem.h"

namespace tessel::io {

// The directive list inside a constraints section (a list, or a map with `targets` or
// `constraints`); empty when there is none.
std::vector<YNode> ConstraintDirectives(const YNode& section);

// All constraints, indexed against `problem` (ResolveConstraints re-indexes them for another
// layer with the same dimension names). Throws UserError at the offending node.
MapConstraints ParseConstraints(const std::vector<InlineConstraint>& inline_constraints,
                                const std::vector<YNode>& directives, const Problem& problem,
                                const Arch& arch);

}  // namespace tessel::io
