// A mapping in the form mappers edit: the factor of every (level, dimension, kind), the temporal
// loop order per level and the keep choice. Converts to and from Mapping; MappingFromTiling puts
// each level's loops in an order its permutation constraint allows.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "tessel/mapping/mapping.h"
#include "tessel/mapping/mapspace.h"

namespace tessel {

enum LoopKind { kTemporal = 0, kSpatialX = 1, kSpatialY = 2, kNumLoopKinds = 3 };

struct Tiling {
  // factor[level][dim][kind]; the product over levels and kinds of a dimension is its bound.
  std::vector<std::vector<std::array<std::int64_t, kNumLoopKinds>>> factor;
  // Temporal loop order per level, innermost first; lists every dimension once.
  std::vector<std::vector<int>> order;
  // keep[level][data space]: which tensors each level holds (the mapspace's free entries are the
  // mapper's choice; the others are as the constraints fix them).
  std::vector<std::vector<bool>> keep;

  std::int64_t SpatialProduct(int level, LoopKind axis) const;
};

// All factors 1 except each dimension's whole bound temporal at the outermost level.
Tiling OutermostTiling(const MapSpace& space);
// A tiling that satisfies every factor constraint that fixes a value: the fixed factors where they
// are (spatial ones on an axis the split allows), the rest of each dimension temporal at the
// outermost level whose temporal factor is not fixed. Loop orders are left to MappingFromTiling.
Tiling ConstrainedStartTiling(const MapSpace& space);
Tiling TilingFromMapping(const MapSpace& space, const Mapping& mapping);
Mapping MappingFromTiling(const MapSpace& space, const Tiling& tiling);

}  // namespace tessel
