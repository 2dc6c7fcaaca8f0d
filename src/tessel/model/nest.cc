#include "tessel/model/nest.h"

namespace tessel {

namespace {

void AppendLoops(const std::vector<Loop>& loops, bool spatial, int level, Nest& nest) {
  for (const Loop& loop : loops) {
    if (loop.factor <= 1) continue;
    nest.loops.push_back({loop.dim, loop.factor, spatial, level, 1});
  }
}

}  // namespace

Nest BuildNest(const Problem& problem, const Mapping& mapping) {
  Nest nest;
  nest.num_levels = static_cast<int>(mapping.levels.size());
  nest.num_dims = static_cast<int>(problem.dims.size());
  nest.fanout.assign(nest.num_levels, 1);
  nest.replication.assign(nest.num_levels, 1);

  std::vector<std::int64_t> extent(nest.num_dims, 1);
  for (int level = 0; level < nest.num_levels; ++level) {
    size_t first = nest.loops.size();
    AppendLoops(mapping.levels[level].spatial, true, level, nest);
    size_t first_temporal = nest.loops.size();
    AppendLoops(mapping.levels[level].temporal, false, level, nest);
    for (size_t i = first; i < nest.loops.size(); ++i) {
      if (i == first_temporal) nest.fanout_extent.push_back(extent);
      NestLoop& loop = nest.loops[i];
      loop.stride = extent[loop.dim];
      extent[loop.dim] *= loop.factor;
      (loop.spatial ? nest.fanout[level] : nest.temporal_iterations) *= loop.factor;
    }
    if (first_temporal == nest.loops.size()) nest.fanout_extent.push_back(extent);
    nest.tile_extent.push_back(extent);
    nest.spatial_instances *= nest.fanout[level];
  }
  for (int level = nest.num_levels - 2; level >= 0; --level)
    nest.replication[level] = nest.replication[level + 1] * nest.fanout[level + 1];
  return nest;
}

std::int64_t ProjectedBoxSize(const DataSpace& space, const std::int64_t* extent) {
  std::int64_t size = 1;
  for (const Rank& rank : space.ranks) {
    std::int64_t span = 1;
    for (const ProjectionTerm& term : rank.terms) span += term.coefficient * (extent[term.dim] - 1);
    size *= span;
  }
  return size;
}

}  // namespace tessel
