// The loop nest of a mapping, flattened innermost first, with the per-level tile extents the
// analyses need. Factor-1 loops are dropped: they change no tile and no access count.
#pragma once

#include <cstdint>
#include <vector>

#include "tessel/mapping/mapping.h"
#include "tessel/workload/problem.h"

namespace tessel {

struct NestLoop {
  int dim = 0;
  std::int64_t factor = 1;  // > 1
  bool spatial = false;
  int level = 0;            // storage level the loop belongs to
  std::int64_t stride = 1;  // operation-space step of one iteration: product of the factors of
                            // the same dimension in every loop inside this one
};

struct Nest {
  std::vector<NestLoop> loops;  // innermost first; a level's spatial loops precede its temporal
  int num_levels = 0;
  int num_dims = 0;
  // Per level s, per dimension: operation-space extent of level s's tile (all loops at levels <= s,
  // s's spatial loops included), and of the box one level-s instance hands to all its children
  // (levels < s plus s's spatial loops).
  std::vector<std::vector<std::int64_t>> tile_extent;
  std::vector<std::vector<std::int64_t>> fanout_extent;
  std::vector<std::int64_t> fanout;       // product of level s's spatial factors
  std::vector<std::int64_t> replication;  // product of the spatial factors of levels above s
  std::int64_t temporal_iterations = 1;   // product of every temporal factor
  std::int64_t spatial_instances = 1;     // product of every spatial factor (MACs in use)

  const std::int64_t* Extent(int level) const { return tile_extent[level].data(); }
  const std::int64_t* FanoutExtent(int level) const { return fanout_extent[level].data(); }
};

Nest BuildNest(const Problem& problem, const Mapping& mapping);

// Words of data space `space` touched by the operation-space box with these extents (one per
// dimension). Each rank spans [min, max] of its index expression, as Timeloop projects boxes.
std::int64_t ProjectedBoxSize(const DataSpace& space, const std::int64_t* extent);

}  // namespace tessel
