// Mapspace constraints, as data: what an architect allows a mapper to choose, with Timeloop's
// semantics (Timeloop's src/mapping/constraints.cpp and src/mapspaces/uber.cpp; docs/mapping.md
// states every rule with an example). The readers in io/ fill it in; the mapspace, every mapper
// and `tessel eval` (violations) read it. No I/O here.
//
// Conventions: levels are parallel to Arch::storage ([0] innermost); loop orders are listed
// INNERMOST FIRST, as Timeloop's permutations are written. Every directive keeps the location of
// the YAML node it came from, so a violation or a contradiction names file:line:col.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tessel/arch/arch.h"
#include "tessel/common/error.h"
#include "tessel/mapping/mapping.h"
#include "tessel/workload/problem.h"

namespace tessel {

// The factor of one dimension at one level and loop kind (temporal, or spatial = the product of
// the X and Y factors). exact == 0 means free, kWholeBound the dimension's whole bound (Timeloop's
// `D=0`); max == 0 means unbounded. Timeloop's `D=n` is exact, `D<=n` max, `D>=n` min.
struct FactorLimit {
  static constexpr std::int64_t kWholeBound = -1;
  std::int64_t exact = 0;
  std::int64_t min = 1;
  std::int64_t max = 0;
  SourceLocation where;  // the directive that set the last of these

  bool IsFree() const { return exact == 0 && min <= 1 && max == 0; }
  bool Allows(std::int64_t factor) const {
    return (exact == 0 || factor == exact) && factor >= min && (max == 0 || factor <= max);
  }
};

// A (partial) loop permutation, Timeloop's meaning: `inner` dims are the innermost loops of the
// level in this order, `outer` dims the outermost (both innermost first); the dims named in
// neither go between them in any order. A full permutation is all `inner`. Dims whose factor is
// 1 at the level may sit anywhere (a loop of one iteration has no order).
struct LoopOrder {
  std::vector<int> inner;
  std::vector<int> outer;
  SourceLocation where;

  bool empty() const { return inner.empty() && outer.empty(); }
};

struct LevelConstraints {
  std::vector<FactorLimit> temporal;  // [dim]
  std::vector<FactorLimit> spatial;   // [dim]
  LoopOrder temporal_order;
  // Spatial: the loops in `spatial_order` order (innermost first); the first `split` of them are
  // Spatial-X, the rest Spatial-Y (Timeloop's split; no split = any assignment that fits).
  LoopOrder spatial_order;
  std::optional<int> split;
  SourceLocation split_where;
  std::vector<std::optional<bool>> keep;  // [data space]: true keep, false bypass, nullopt free
  std::vector<SourceLocation> keep_where;
};

struct MapConstraints {
  // The names the indices refer to, so that constraints read against one problem apply to every
  // layer with the same dimension and data-space names (ResolveConstraints).
  std::vector<std::string> dims;
  std::vector<std::string> data_spaces;
  std::vector<LevelConstraints> levels;  // parallel to Arch::storage
  // Minimum cumulative spatial utilisation: the product over levels of used / available fan-out
  // (Timeloop's `utilization`/`parallelism` `min`, targeted at the innermost storage level).
  double min_parallelism = 0;
  SourceLocation min_parallelism_where;

  bool empty() const;
};

// Constraints that say nothing, sized for the problem and arch.
MapConstraints NoConstraints(const Problem& problem, const Arch& arch);

// `constraints` re-indexed for `problem` by dimension and data-space name, with kWholeBound
// resolved to the bound. An exact factor above the bound is dropped, as Timeloop drops it, and a
// line saying so is appended to `notes` (may be null). Throws UserError (at the directive) when a
// constrained dimension or data space does not exist in `problem`, or an exact factor does not
// divide the bound.
MapConstraints ResolveConstraints(const MapConstraints& constraints, const Problem& problem,
                                  const Arch& arch, std::vector<std::string>* notes);

// The fixed axis of dimension `dim` at `level` when the order and split pin it (nullopt = either
// axis, subject to the X/Y budget below).
std::optional<SpatialAxis> PinnedSpatialAxis(const LevelConstraints& level, int num_dims, int dim);

// For the dims not pinned by the spatial order: how many of them may take a factor > 1 on X and on
// Y at this level (Timeloop counts unit-factor dims as positions too, so this is an upper bound).
// Both are num_dims when no split is given.
struct SpatialSlots {
  int x = 0;
  int y = 0;
};
SpatialSlots FreeSpatialSlots(const LevelConstraints& level, int num_dims);

// Reorders `order` (one level's temporal loops, innermost first, any subset of dims) so that it
// satisfies `constraint`: the `inner` dims first in their order, the `outer` dims last, every
// other dim in its present relative order. Idempotent.
void ApplyLoopOrder(const LoopOrder& constraint, std::vector<int>& order);

struct ConstraintViolation {
  SourceLocation where;  // the directive broken
  std::string message;   // "level X: temporal factor of C is 3, the constraint requires 1"
};

// Every directive `mapping` breaks, in level order (innermost first), then min parallelism.
// Checks factors, loop orders, spatial split, keep/bypass and min parallelism exactly as stated
// above; a mapping that satisfies them all gives an empty list.
std::vector<ConstraintViolation> CheckConstraints(const MapConstraints& constraints,
                                                  const Problem& problem, const Arch& arch,
                                                  const Mapping& mapping);

// CheckConstraints(...).empty(), without building messages: stops at the first violation.
bool SatisfiesConstraints(const MapConstraints& constraints, const Problem& problem,
                          const Arch& arch, const Mapping& mapping);

}  // namespace tessel
