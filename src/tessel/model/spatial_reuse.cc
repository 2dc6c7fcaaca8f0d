#include "tessel/model/spatial_reuse.h"

#include <algorithm>
#include <vector>

namespace tessel {

namespace {

// The fanned-out loops that move this data space, and the ranks they touch.
struct SpatialComponent {
  std::vector<const NestLoop*> loops;
  std::vector<int> ranks;
};

bool TouchesRank(const Rank& rank, int dim) {
  for (const ProjectionTerm& term : rank.terms)
    if (term.dim == dim) return true;
  return false;
}

// Distinct projected offset vectors over the component's loops, by enumeration.
std::int64_t CountDistinctOffsets(const DataSpace& space, const SpatialComponent& component,
                                  int num_dims) {
  std::vector<std::int64_t> op_offset(num_dims, 0);
  std::vector<std::vector<std::int64_t>> seen;
  std::vector<std::int64_t> index(component.loops.size(), 0);
  while (true) {
    std::fill(op_offset.begin(), op_offset.end(), 0);
    for (size_t i = 0; i < component.loops.size(); ++i)
      op_offset[component.loops[i]->dim] += index[i] * component.loops[i]->stride;
    std::vector<std::int64_t> projected;
    for (int r : component.ranks) {
      std::int64_t value = 0;
      for (const ProjectionTerm& term : space.ranks[r].terms)
        value += term.coefficient * op_offset[term.dim];
      projected.push_back(value);
    }
    seen.push_back(std::move(projected));
    size_t i = 0;
    for (; i < index.size(); ++i) {
      if (++index[i] < component.loops[i]->factor) break;
      index[i] = 0;
    }
    if (i == index.size()) break;
  }
  std::sort(seen.begin(), seen.end());
  return std::unique(seen.begin(), seen.end()) - seen.begin();
}

}  // namespace

std::int64_t DistinctSpatialTiles(const Problem& problem, int space, const Nest& nest, int level) {
  if (nest.fanout[level] == 1) return 1;
  const DataSpace& ds = problem.data_spaces[space];
  std::vector<const NestLoop*> relevant;
  for (const NestLoop& loop : nest.loops)
    if (loop.level == level && loop.spatial && problem.IsRelevant(space, loop.dim))
      relevant.push_back(&loop);
  if (relevant.empty()) return 1;
  if (relevant.size() == 1) return relevant[0]->factor;  // one loop never collides with itself

  // Loops are grouped into components that share ranks. A component moved by one dimension has
  // collision-free offsets (the product of its factors); one that mixes dimensions in a rank
  // (a sliding window fanned out over both R and P, say) is counted by enumeration.
  std::int64_t distinct = 1;
  std::vector<bool> done(relevant.size(), false);
  for (size_t i = 0; i < relevant.size(); ++i) {
    if (done[i]) continue;
    SpatialComponent component;
    component.loops.push_back(relevant[i]);
    done[i] = true;
    // Grow the component through shared ranks until closed.
    for (size_t grow = 0; grow < component.loops.size(); ++grow) {
      for (size_t r = 0; r < ds.ranks.size(); ++r) {
        if (!TouchesRank(ds.ranks[r], component.loops[grow]->dim)) continue;
        if (std::find(component.ranks.begin(), component.ranks.end(), r) == component.ranks.end())
          component.ranks.push_back(static_cast<int>(r));
        for (size_t j = 0; j < relevant.size(); ++j) {
          if (done[j] || !TouchesRank(ds.ranks[r], relevant[j]->dim)) continue;
          done[j] = true;
          component.loops.push_back(relevant[j]);
        }
      }
    }
    bool single_dim = true;
    for (const NestLoop* loop : component.loops)
      if (loop->dim != component.loops[0]->dim) single_dim = false;
    // One dimension alone (mixed-radix indices, non-zero coefficients) never collides.
    if (single_dim) {
      for (const NestLoop* loop : component.loops) distinct *= loop->factor;
    } else {
      std::int64_t offsets = 1;  // at most the level's fan-out, which fits
      for (const NestLoop* loop : component.loops) offsets *= loop->factor;
      if (offsets > kMaxEnumeratedOffsets) return -1;
      distinct *= CountDistinctOffsets(ds, component, nest.num_dims);
    }
  }
  return distinct;
}

}  // namespace tessel
