// A mapping in the form mappers edit: the factor of every (level, dimension, kind) and the temporal
// loop order per level. Converts to and from Mapping; the keep vectors come from the mapspace.
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

  std::int64_t SpatialProduct(int level, LoopKind axis) const;
};

// All factors 1 except each dimension's whole bound temporal at the outermost level.
Tiling OutermostTiling(const MapSpace& space);
Tiling TilingFromMapping(const MapSpace& space, const Mapping& mapping);
Mapping MappingFromTiling(const MapSpace& space, const Tiling& tiling);

}  // namespace tessel
