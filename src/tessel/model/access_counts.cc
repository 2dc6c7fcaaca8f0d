#include "tessel/model/access_counts.h"

#include <cmath>
#include <cstdint>

#include "tessel/model/spatial_reuse.h"
#include "tessel/model/temporal_reuse.h"

namespace tessel {

namespace {

// A count computed in double, or false when it does not fit in int64_t (llround would not say).
bool ToCount(double value, std::int64_t* count) {
  if (!(std::fabs(value) < 0x1p63)) return false;
  *count = std::llround(value);
  return true;
}

// Distinct words each instance of every level holds over the run, outermost in: a fan-out
// splits the parent's partition among the children (Timeloop's ComputePartitionSizes).
// False when a partition exceeds 2^63-1.
bool FillPartitions(const Problem& problem, const Nest& nest, int space,
                    std::vector<LevelStats>& stats) {
  const DataSpace& ds = problem.data_spaces[space];
  int top = nest.num_levels - 1;
  std::int64_t partition = ProjectedBoxSize(ds, nest.Extent(top));
  stats[top].tensors[space].partition_size = partition;
  for (int s = top - 1; s >= 0; --s) {
    std::int64_t size = ProjectedBoxSize(ds, nest.Extent(s));
    std::int64_t denominator =
        nest.fanout[s + 1] > 1 ? ProjectedBoxSize(ds, nest.FanoutExtent(s + 1)) : size;
    const __int128 exact = static_cast<__int128>(partition) * size / denominator;
    if (exact > INT64_MAX) return false;
    partition = static_cast<std::int64_t>(exact);
    stats[s].tensors[space].partition_size = partition;
  }
  return true;
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
std::string CountAccesses(const Problem& problem, const Mapping& mapping, const Nest& nest,
                          int space, std::vector<LevelStats>& stats) {
  const DataSpace& ds = problem.data_spaces[space];
  int outermost_kept = -1;
  for (int s = 0; s < nest.num_levels; ++s) {
    stats[s].tensors[space] = TensorStats{};
    if (mapping.levels[s].keep[space]) outermost_kept = s;
  }
  const std::string overflow = "the access counts of " + ds.name + " exceed 2^63-1";
  if (!FillPartitions(problem, nest, space, stats)) return overflow;

  // Words one instance of the next kept level below receives; the MACs take one word per
  // operation of their instance.
  TemporalDeltas deltas(problem, space, nest);
  double words_below = static_cast<double>(nest.temporal_iterations);
  double distinct_product = 1;
  for (int s = 0; s < nest.num_levels; ++s) {
    const std::int64_t distinct = DistinctSpatialTiles(problem, space, nest, s);
    if (distinct < 0)
      return "the distinct " + ds.name + " tiles of a spatial fan-out over more than " +
             std::to_string(kMaxEnumeratedOffsets) + " window offsets are not counted";
    distinct_product *= static_cast<double>(distinct);
    if (!mapping.levels[s].keep[space]) continue;
    TensorStats& out = stats[s].tensors[space];
    double content = distinct_product * words_below;
    const std::int64_t delta_words = s == outermost_kept ? 0 : deltas.Words(s);
    if (delta_words == INT64_MAX) return overflow;  // TemporalDeltas saturates there
    double received = static_cast<double>(delta_words);
    double partition = static_cast<double>(out.partition_size);
    out.kept = true;
    out.utilized_capacity = ProjectedBoxSize(ds, nest.Extent(s));
    out.utilized_instances = nest.replication[s];
    if (ds.read_write) {
      // The first write of each word needs no read; the first fill is a zero, not fetched.
      if (!ToCount(content, &out.updates) || !ToCount(content - partition, &out.reads) ||
          !ToCount(s == outermost_kept ? received : received - partition, &out.fills))
        return overflow;
    } else {
      if (!ToCount(content, &out.reads) || !ToCount(received, &out.fills)) return overflow;
    }
    words_below = received;
    distinct_product = 1;
  }
  return "";
}

}  // namespace tessel
