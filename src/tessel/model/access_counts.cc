#include "tessel/model/access_counts.h"

#include <cmath>

#include "tessel/model/spatial_reuse.h"
#include "tessel/model/temporal_reuse.h"

namespace tessel {

namespace {

// One level's view of one data space while the nest is collapsed. Counts are per instance.
struct CollapsedTile {
  std::int64_t size = 0;       // words of the tile; 0 once masked (bypassed)
  std::int64_t partition = 0;  // distinct words one instance holds over the run
  double content = 0;          // accesses this level serves to its children (after multicast)
  double weighted = 0;         // the same counted once per receiving child
  double parent_share = 0;     // words this level receives from its parent
  std::int64_t fanout = 1;
};

std::vector<CollapsedTile> CollapseTiles(const Problem& problem, const Nest& nest, int space) {
  const DataSpace& ds = problem.data_spaces[space];
  int levels = nest.num_levels;
  std::vector<CollapsedTile> tiles(levels);
  for (int s = 0; s < levels; ++s) {
    CollapsedTile& tile = tiles[s];
    tile.size = ProjectedBoxSize(ds, nest.Extent(s));
    tile.fanout = nest.fanout[s];
    // What each child receives: the MACs take one word per temporal iteration.
    double child_words = s == 0 ? static_cast<double>(nest.temporal_iterations)
                                : static_cast<double>(TemporalDeltaWords(problem, space, nest, s - 1));
    double distinct = static_cast<double>(DistinctSpatialTiles(problem, space, nest, s));
    tile.content = distinct * child_words;
    tile.weighted = static_cast<double>(tile.fanout) * child_words;
    if (s > 0) tiles[s - 1].parent_share = child_words;
  }
  // Partition sizes, outermost in: a fan-out splits the parent's partition among the children.
  tiles[levels - 1].partition = tiles[levels - 1].size;
  for (int s = levels - 2; s >= 0; --s) {
    std::int64_t denominator =
        nest.fanout[s + 1] > 1 ? ProjectedBoxSize(ds, nest.FanoutExtent(s + 1)) : tiles[s].size;
    tiles[s].partition = tiles[s + 1].partition * tiles[s].size / denominator;
  }
  return tiles;
}

// A bypassed level hands its children's demand to the next kept ancestor, keeping the
// ancestor's multicast pattern (Timeloop's MaskTiles and ProcessOuterMaskedLevels).
void MaskBypassedLevels(const Mapping& mapping, int space, std::vector<CollapsedTile>& tiles) {
  int levels = static_cast<int>(tiles.size());
  for (int s = 0; s < levels; ++s) {
    if (mapping.levels[s].keep[space] || tiles[s].size == 0) continue;
    if (s + 1 < levels) {
      CollapsedTile& outer = tiles[s + 1];
      double factor = tiles[s].content * static_cast<double>(outer.fanout) / outer.weighted;
      outer.content *= factor;
      outer.weighted *= factor;
    }
    tiles[s] = CollapsedTile{};
  }
  for (int s = levels - 1; s >= 0; --s) {
    if (tiles[s].size == 0) continue;
    tiles[s].parent_share = 0;  // the backing store is filled from nowhere
    break;
  }
}

}  // namespace

void CountAccesses(const Problem& problem, const Mapping& mapping, const Nest& nest, int space,
                   std::vector<LevelStats>& stats) {
  std::vector<CollapsedTile> tiles = CollapseTiles(problem, nest, space);
  MaskBypassedLevels(mapping, space, tiles);
  bool read_write = problem.data_spaces[space].read_write;
  int outermost_kept = -1;
  for (int s = 0; s < static_cast<int>(tiles.size()); ++s)
    if (tiles[s].size > 0) outermost_kept = s;

  for (int s = 0; s < static_cast<int>(tiles.size()); ++s) {
    TensorStats& out = stats[s].tensors[space];
    out = TensorStats{};
    const CollapsedTile& tile = tiles[s];
    if (tile.size == 0) continue;
    out.kept = true;
    out.utilized_capacity = tile.size;
    out.partition_size = tile.partition;
    out.utilized_instances = nest.replication[s];
    if (read_write) {
      // The first write of each word needs no read; the first fill is a zero, not fetched.
      out.updates = std::llround(tile.content);
      out.reads = std::llround(tile.content - static_cast<double>(tile.partition));
      out.fills = s == outermost_kept
                      ? std::llround(tile.parent_share)
                      : std::llround(tile.parent_share - static_cast<double>(tile.partition));
    } else {
      out.reads = std::llround(tile.content);
      out.fills = std::llround(tile.parent_share);
    }
  }
}

}  // namespace tessel
