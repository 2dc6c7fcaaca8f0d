// The space every mapper searches: for each dimension, how its prime factors are spread over the
// storage levels, temporal or spatial (X/Y), the loop order at each level, and which tensors each
// level keeps, narrowed by the architect's constraints (mapping/constraints.h): factors, loop
// orders, X/Y splits and keep/bypass they fix; everything they leave open, bypass included, is
// the mapper's to choose. The outermost level keeps everything (Timeloop's rule).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tessel/arch/arch.h"
#include "tessel/mapping/constraints.h"
#include "tessel/mapping/mapping.h"
#include "tessel/workload/problem.h"

namespace tessel {

struct MapSpace {
  Problem problem;
  Arch arch;
  // The constraints, sized [level][dim] / [level][data space], with the implied rules added:
  // timeloopfe's containers (dummy_storage levels) hold no temporal loop and keep nothing unless
  // told to.
  MapConstraints constraints;
  // A valid keep choice to start from: what the constraints fix, else keep, except that a level
  // too small to hold one word of each tensor bypasses the free ones, last data space first.
  std::vector<std::vector<bool>> keep;  // [level][data space]
  // Which keep entries a mapper may flip (not fixed by a constraint, not the outermost level).
  std::vector<std::vector<bool>> keep_free;  // [level][data space]
  // Spatial fan-out limits from level s to the instances of level s-1 (or the MACs), per axis:
  // child mesh / parent mesh. A level with both limits 1 holds no spatial loop.
  std::vector<std::int64_t> max_fanout_x;
  std::vector<std::int64_t> max_fanout_y;
  // What ResolveConstraints dropped (an exact factor above a bound), for the CLI to print.
  std::vector<std::string> notes;
  // Per dimension, its prime factors in ascending order with multiplicity (empty for bound 1).
  std::vector<std::vector<std::int64_t>> prime_factors;

  int num_levels() const { return static_cast<int>(arch.storage.size()); }
  bool CanFanOut(int level) const { return max_fanout_x[level] * max_fanout_y[level] > 1; }
  bool HasFreeKeep() const;
  // Whether `factor` may be the temporal (spatial: X times Y) factor of `dim` at `level`.
  bool AllowsTemporal(int level, int dim, std::int64_t factor) const {
    return constraints.levels[level].temporal[dim].Allows(factor);
  }
  bool AllowsSpatial(int level, int dim, std::int64_t factor) const {
    return constraints.levels[level].spatial[dim].Allows(factor);
  }
  // Whether a spatial factor > 1 of `dim` at `level` may sit on `axis` (the split's pinning).
  bool AllowsAxis(int level, int dim, SpatialAxis axis) const;
};

// Builds the mapspace. `constraints` may be empty (NoConstraints) or sized for another problem of
// the same dimension names (levels must match the arch). Throws UserError when no mapping can
// exist: a dimension bound below 1, a data space no level keeps, the outermost level bypassing
// something, or a level that cannot hold even one word of each tensor it must keep.
MapSpace MakeMapSpace(const Problem& problem, const Arch& arch, const MapConstraints& constraints);
MapSpace MakeMapSpace(const Problem& problem, const Arch& arch);

// Whether `mapping` satisfies the space's constraints (factors, orders, split, keep, min
// parallelism); fast, no messages.
bool SatisfiesConstraints(const MapSpace& space, const Mapping& mapping);

// Prime factors of n (n >= 1) in ascending order with multiplicity.
std::vector<std::int64_t> PrimeFactors(std::int64_t n);

}  // namespace tessel
