// A mapping is data: per storage level, which loops run there and which tensors it keeps.
//
// Loop order convention (Timeloop's): everything is listed INNERMOST FIRST. At one storage level the
// temporal loops enclose the spatial loops; both enclose every loop of the inner levels. A level's
// spatial loops fan out from that level to the instances of the next inner level (or the MACs).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tessel/workload/problem.h"

namespace tessel {

enum class SpatialAxis { kX, kY };

struct Loop {
  int dim = 0;  // index into Problem::dims
  std::int64_t factor = 1;
  SpatialAxis axis = SpatialAxis::kX;  // only meaningful for spatial loops
};

struct LevelMapping {
  std::vector<Loop> temporal;  // innermost first
  std::vector<Loop> spatial;   // innermost first
  std::vector<bool> keep;      // per data space: true = this level holds it, false = bypass
};

struct Mapping {
  std::vector<LevelMapping> levels;  // parallel to Arch::storage, [0] innermost

  // Product of this level's spatial factors along one axis.
  std::int64_t SpatialFanout(int level, SpatialAxis axis) const;
};

// A mapping with every dimension's whole bound as a temporal loop at the outermost level, every
// level keeping every tensor. Handy as a starting point and in tests.
Mapping MakeOutermostMapping(const Problem& problem, int num_levels);

}  // namespace tessel
