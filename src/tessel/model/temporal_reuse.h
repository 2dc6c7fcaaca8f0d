// How many words a level must receive over the whole run to follow its tile as the loops above
// it advance: timeloop-model's temporal delta analysis, computed in closed form.
//
// timeloop-model walks the nest recursively. For each loop above a level it simulates iteration 0
// and one representative iteration 1 weighted by (factor - 1), so the tile visits the 2^m corners
// of the m non-trivial temporal loops above it, in counter order. At each visit the words fetched
// are the new tile minus the previous tile, except that a change of the tile's translation (an
// inner loop wrapping round) discards the previous tile ("reset on stride change") and a zero
// translation changes nothing (Timeloop's January 2025 input-window fix). Because tiles are
// equal boxes and translations depend only on which loop advanced, the walk collapses into a
// memoised recursion over (loop, kind of translation on record): O(m) instead of O(2^m) work.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "tessel/model/nest.h"
#include "tessel/workload/problem.h"

namespace tessel {

// Words of data space `space` delivered to ONE instance of storage level `level` over the run
// (its fills before read-modify-write adjustments): the sum over visits of |tile_t \ tile_t-1|.
// INT64_MAX when the sum exceeds 2^63-1 (it saturates; never a wrapped count).
std::int64_t TemporalDeltaWords(const Problem& problem, int space, const Nest& nest, int level);

// The same for many levels of one data space, sharing the nest scan.
class TemporalDeltas {
 public:
  TemporalDeltas(const Problem& problem, int space, const Nest& nest);
  ~TemporalDeltas();
  std::int64_t Words(int level) const;

 private:
  struct Loops;
  const DataSpace& space_;
  const Nest& nest_;
  std::unique_ptr<Loops> loops_;
};

}  // namespace tessel
