#include "tessel/model/access_counts.h"

#include <cmath>

#include "tessel/model/spatial_reuse.h"
#include "tessel/model/temporal_reuse.h"

namespace tessel {

namespace {

// Distinct words each instance of every level holds over the run, outermost in: a fan-out
// splits the parent's partition among the children (Timeloop's ComputePartitionSizes).
void FillPartitions(const Problem& problem, const Nest& nest, int space,
                    std::vector<LevelStats>& stats) {
  const DataSpace& ds = problem.data_spaces[space];
  int top = nest.num_levels - 1;
  std::int64_t partition = ProjectedBoxSize(ds, nest.Extent(top));
  stats[top].tensors[space].partition_size = partition;
  for (int s = top - 1; s >= 0; --s) {
    std::int64_t size = ProjectedBoxSize(ds, nest.Extent(s));
    std::int64_t denominator =
        nest.fanout[s + 1] > 1 ? ProjectedBoxSize(ds, nest.FanoutExtent(s + 1)) : size;
    partition = partition * size / denominator;
    stats[s].tensors[space].partition_size = partition;
  }
}

}  // namespace

// Timeloop's collapse, in closed form. A level s serves its children
//   content_s = (distinct tiles among its fan-out) x (words one child receives),
// and when a child level is bypassed, the words it would have received are replaced by the
// content it would have served, so through a chain of bypassed levels
//   content_s = (product of distinct-tile counts of s and the bypassed levels below it)
//               x (words received by the next kept level below, or MAC operations).
// A kept level receives (its parent share) the words of its own temporal delta walk; the
// outermost kept level (the backing store) receives nothing.
void CountAccesses(const Problem& problem, const Mapping& mapping, const Nest& nest, int space,
                   std::vector<LevelStats>& stats) {
  const DataSpace& ds = problem.data_spaces[space];
  int outermost_kept = -1;
  for (int s = 0; s < nest.num_levels; ++s) {
    stats[s].tensors[space] = TensorStats{};
    if (mapping.levels[s].keep[space]) outermost_kept = s;
  }
  FillPartitions(problem, nest, space, stats);

  // Words one instance of the next kept level below receives; the MACs take one word per
  // operation of their instance.
  TemporalDeltas deltas(problem, space, nest);
  double words_below = static_cast<double>(nest.temporal_iterations);
  double distinct_product = 1;
  for (int s = 0; s < nest.num_levels; ++s) {
    distinct_product *= static_cast<double>(DistinctSpatialTiles(problem, space, nest, s));
    if (!mapping.levels[s].keep[space]) continue;
    TensorStats& out = stats[s].tensors[space];
    double content = distinct_product * words_below;
    double received = s == outermost_kept
                          ? 0
                          : static_cast<double>(deltas.Words(s));
    double partition = static_cast<double>(out.partition_size);
    out.kept = true;
    out.utilized_capacity = ProjectedBoxSize(ds, nest.Extent(s));
    out.utilized_instances = nest.replication[s];
    if (ds.read_write) {
      // The first write of each word needs no read; the first fill is a zero, not fetched.
      out.updates = std::llround(content);
      out.reads = std::llround(content - partition);
      out.fills = std::llround(s == outermost_kept ? received : received - partition);
    } else {
      out.reads = std::llround(content);
      out.fills = std::llround(received);
    }
    words_below = received;
    distinct_product = 1;
  }
}

}  // namespace tessel
