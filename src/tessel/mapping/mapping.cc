#include "tessel/mapping/mapping.h"

namespace tessel {

std::int64_t Mapping::SpatialFanout(int level, SpatialAxis axis) const {
  std::int64_t fanout = 1;
  for (const Loop& loop : levels[level].spatial)
    if (loop.axis == axis) fanout *= loop.factor;
  return fanout;
}

Mapping MakeOutermostMapping(const Problem& problem, int num_levels) {
  Mapping mapping;
  mapping.levels.resize(num_levels);
  for (LevelMapping& level : mapping.levels) level.keep.assign(problem.data_spaces.size(), true);
  for (size_t d = 0; d < problem.dims.size(); ++d)
    mapping.levels.back().temporal.push_back({static_cast<int>(d), problem.dims[d].bound});
  return mapping;
}

}  // namespace tessel
