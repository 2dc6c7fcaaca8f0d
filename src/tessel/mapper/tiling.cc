#include "tessel/mapper/tiling.h"

#include <algorithm>

namespace tessel {

std::int64_t Tiling::SpatialProduct(int level, LoopKind axis) const {
  std::int64_t product = 1;
  for (const auto& per_kind : factor[level]) product *= per_kind[axis];
  return product;
}

namespace {

Tiling UnitTiling(const MapSpace& space) {
  Tiling t;
  int dims = static_cast<int>(space.problem.dims.size());
  t.factor.assign(space.num_levels(),
                  std::vector<std::array<std::int64_t, kNumLoopKinds>>(dims, {1, 1, 1}));
  t.order.assign(space.num_levels(), {});
  for (auto& order : t.order)
    for (int d = 0; d < dims; ++d) order.push_back(d);
  return t;
}

}  // namespace

Tiling OutermostTiling(const MapSpace& space) {
  Tiling t = UnitTiling(space);
  for (size_t d = 0; d < space.problem.dims.size(); ++d)
    t.factor.back()[d][kTemporal] = space.problem.dims[d].bound;
  return t;
}

Tiling TilingFromMapping(const MapSpace& space, const Mapping& mapping) {
  Tiling t = UnitTiling(space);
  for (int l = 0; l < space.num_levels(); ++l) {
    const LevelMapping& lm = mapping.levels[l];
    std::vector<int> order;
    for (const Loop& loop : lm.temporal) {
      t.factor[l][loop.dim][kTemporal] *= loop.factor;
      order.push_back(loop.dim);
    }
    for (const Loop& loop : lm.spatial)
      t.factor[l][loop.dim][loop.axis == SpatialAxis::kX ? kSpatialX : kSpatialY] *= loop.factor;
    // Dimensions without a temporal loop here go outermost, in dimension order.
    for (int d = 0; d < static_cast<int>(space.problem.dims.size()); ++d)
      if (std::find(order.begin(), order.end(), d) == order.end()) order.push_back(d);
    t.order[l] = order;
  }
  return t;
}

Mapping MappingFromTiling(const MapSpace& space, const Tiling& tiling) {
  Mapping mapping;
  mapping.levels.resize(space.num_levels());
  for (int l = 0; l < space.num_levels(); ++l) {
    LevelMapping& lm = mapping.levels[l];
    lm.keep = space.keep[l];
    for (int d : tiling.order[l])
      if (tiling.factor[l][d][kTemporal] > 1)
        lm.temporal.push_back({d, tiling.factor[l][d][kTemporal]});
    for (int kind : {kSpatialX, kSpatialY}) {
      SpatialAxis axis = kind == kSpatialX ? SpatialAxis::kX : SpatialAxis::kY;
      for (size_t d = 0; d < tiling.factor[l].size(); ++d)
        if (tiling.factor[l][d][kind] > 1)
          lm.spatial.push_back({static_cast<int>(d), tiling.factor[l][d][kind], axis});
    }
  }
  return mapping;
}

}  // namespace tessel
