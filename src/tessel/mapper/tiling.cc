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
  t.keep = space.keep;
  return t;
}

}  // namespace

Tiling OutermostTiling(const MapSpace& space) {
  Tiling t = UnitTiling(space);
  for (size_t d = 0; d < space.problem.dims.size(); ++d)
    t.factor.back()[d][kTemporal] = space.problem.dims[d].bound;
  return t;
}

Tiling ConstrainedStartTiling(const MapSpace& space) {
  Tiling t = UnitTiling(space);
  const int dims = static_cast<int>(space.problem.dims.size());
  for (int d = 0; d < dims; ++d) {
    std::int64_t left = space.problem.dims[d].bound;
    for (int l = 0; l < space.num_levels(); ++l) {
      const LevelConstraints& level = space.constraints.levels[l];
      if (level.temporal[d].exact > 1) t.factor[l][d][kTemporal] = level.temporal[d].exact;
      const std::int64_t spatial = level.spatial[d].exact;
      if (spatial > 1) {
        const bool x = space.max_fanout_x[l] > 1 && space.AllowsAxis(l, d, SpatialAxis::kX);
        t.factor[l][d][x ? kSpatialX : kSpatialY] = spatial;
      }
      left /=
          std::max<std::int64_t>(1, level.temporal[d].exact) * std::max<std::int64_t>(1, spatial);
    }
    for (int l = space.num_levels() - 1; l >= 0 && left > 1; --l) {
      if (space.constraints.levels[l].temporal[d].exact != 0) continue;
      t.factor[l][d][kTemporal] *= left;
      left = 1;
    }
  }
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
    t.keep[l] = lm.keep;
  }
  return t;
}

Mapping MappingFromTiling(const MapSpace& space, const Tiling& tiling) {
  Mapping mapping;
  mapping.levels.resize(space.num_levels());
  for (int l = 0; l < space.num_levels(); ++l) {
    LevelMapping& lm = mapping.levels[l];
    lm.keep = tiling.keep[l];
    std::vector<int> order = tiling.order[l];
    ApplyLoopOrder(space.constraints.levels[l].temporal_order, order);
    for (int d : order)
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
