// The space every mapper searches: for each dimension, how its prime factors are spread over the
// storage levels, temporal or spatial (X/Y), the loop order at each level, and which tensors each
// level keeps. Bypass is fixed per mapspace (from a CoSA mapspace file or Timeloop constraints;
// unconstrained levels keep everything); the rest is free.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tessel/arch/arch.h"
#include "tessel/mapping/mapping.h"
#include "tessel/workload/problem.h"

namespace tessel {

struct MapSpace {
  Problem problem;
  Arch arch;
  std::vector<std::vector<bool>> keep;  // [level][data space]
  // Spatial fan-out limits from level s to the instances of level s-1 (or the MACs), per axis:
  // child mesh / parent mesh. A level with both limits 1 holds no spatial loop.
  std::vector<std::int64_t> max_fanout_x;
  std::vector<std::int64_t> max_fanout_y;
  // Per dimension, its prime factors in ascending order with multiplicity (empty for bound 1).
  std::vector<std::vector<std::int64_t>> prime_factors;

  int num_levels() const { return static_cast<int>(arch.storage.size()); }
  bool CanFanOut(int level) const { return max_fanout_x[level] * max_fanout_y[level] > 1; }
};

// Builds the mapspace. `keep_constraints` is [level][data space] (nullopt = free, taken as keep,
// except that timeloopfe's "dummy_storage" levels keep nothing unless told to, as in Timeloop);
// an empty vector means no constraints. Throws UserError when no mapping can exist: a dimension
// bound below 1, a data space no level keeps, the outermost level bypassing something, or a
// level that cannot hold even one word of each tensor it keeps.
MapSpace MakeMapSpace(const Problem& problem, const Arch& arch,
                      const std::vector<std::vector<std::optional<bool>>>& keep_constraints);

// Prime factors of n (n >= 1) in ascending order with multiplicity.
std::vector<std::int64_t> PrimeFactors(std::int64_t n);

}  // namespace tessel
