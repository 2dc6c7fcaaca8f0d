// Hill climbing over a tiling with the exact cost model: move one prime factor between (level,
// kind) slots, flip a free keep/bypass choice, or change a level's loop order; where none of
// those helps, swap two factors between slots; where that does not help either, replace a level's
// whole spatial assignment on one axis (or exchange X and Y). Take the first neighbour that
// improves the score, continue the scan from there, stop at a local optimum or the budget.
// Deterministic: the neighbour order is fixed and the budget is counted in evaluations; the
// deadline is only a safety stop (reported when it fires).
#pragma once

#include <chrono>
#include <cstdint>

#include "tessel/mapper/mapper.h"
#include "tessel/mapper/tiling.h"

namespace tessel {

// Lower is better: the objective first, then the other metric to break ties (so a latency search
// still prefers the cheaper of two equally fast mappings).
struct MappingScore {
  double primary = 0;
  double secondary = 0;
  bool operator<(const MappingScore& other) const {
    return primary < other.primary || (primary == other.primary && secondary < other.secondary);
  }
};
MappingScore ScoreOf(const Cost& cost, Objective objective);

struct SearchLimits {
  std::int64_t max_evaluations = 20000;
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

struct SearchResult {
  Tiling tiling;
  Evaluation evaluation;  // of `tiling`; ok() when the start was valid
  std::int64_t evaluations = 0;
  bool hit_deadline = false;
};

// Evaluates a tiling with the exact model; a tiling that breaks the mapspace's constraints is
// invalid (ok() false) like one that overflows a buffer.
Evaluation EvaluateTiling(const MapSpace& space, const Tiling& tiling);

// Words by which the tiles kept at each level exceed its capacity, summed over levels (0 when every
// tile fits). A tile's extent along a rank is sum c_i (F_i
// - 1) + 1 with F_i the product of dimension i's factors at and below the
// level, as Timeloop counts it.
double CapacityOverflow(const MapSpace& space, const Tiling& tiling);

// Makes a tiling whose tiles overflow some level fit: repeatedly moves the one prime factor, one
// level outward (temporal there), that lowers the overflow most; stops when the exact model accepts
// the tiling or no move helps. The result may still be invalid (check it).
Tiling RepairCapacity(const MapSpace& space, Tiling tiling);

// Improves a valid starting tiling. An invalid start is returned unchanged (evaluation not ok).
SearchResult ImproveTiling(const MapSpace& space, const Tiling& start, Objective objective,
                           const SearchLimits& limits);

// Best order of each level's non-trivial temporal loops, level by level from the outermost: every
// permutation when there are at most `max_exhaustive` loops, else adjacent swaps.
SearchResult OptimiseLoopOrders(const MapSpace& space, const Tiling& start, Objective objective,
                                const SearchLimits& limits, int max_exhaustive = 5);

}  // namespace tessel
