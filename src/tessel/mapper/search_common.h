// Pieces shared by the search mappers (random, exhaustive): how candidates are ranked, the
// factor table a search fills in, and writing it out as a Mapping without reallocating.
#pragma once

#include <chrono>
#include <cstdint>
#include <limits>
#include <vector>

#include "tessel/mapper/mapper.h"

namespace tessel {

// Lower is better: the objective, then the other metric (energy for latency, cycles otherwise)
// so that a latency search still prefers the cheaper of two equally fast mappings.
struct SearchScore {
  double primary = std::numeric_limits<double>::infinity();
  double secondary = std::numeric_limits<double>::infinity();
};
SearchScore ScoreOfCost(const Cost& cost, Objective objective);

// A candidate's rank: its score, then its position in the search's deterministic order, so
// that the best candidate does not depend on which thread found it first.
struct RankKey {
  SearchScore score;
  std::int64_t major = std::numeric_limits<std::int64_t>::max();  // e.g. work item or draw
  std::int64_t minor = 0;                                         // e.g. order within the item
  bool operator<(const RankKey& other) const;
};

// The factor of every (level, dimension, kind); kinds are temporal, spatial X, spatial Y.
// The product over levels and kinds of a dimension's factors is its bound once a search has
// placed every prime factor.
class FactorTable {
 public:
  static constexpr int kTemporal = 0, kSpatialX = 1, kSpatialY = 2, kKinds = 3;

  FactorTable(int levels, int dims) : dims_(dims), factor_(levels * dims * kKinds, 1) {}
  std::int64_t& at(int level, int dim, int kind) {
    return factor_[(level * dims_ + dim) * kKinds + kind];
  }
  std::int64_t at(int level, int dim, int kind) const {
    return factor_[(level * dims_ + dim) * kKinds + kind];
  }
  void Reset() { factor_.assign(factor_.size(), 1); }

 private:
  int dims_;
  std::vector<std::int64_t> factor_;
};

// A mapping with the space's levels and keep vectors and no loops.
Mapping EmptyMapping(const MapSpace& space);

// Writes the loops of `table` into `mapping` (shaped by EmptyMapping): level l's temporal loops
// in the order `orders[l]` (innermost first, listing exactly the dimensions with a temporal
// factor > 1 there), then its spatial loops, X before Y, by dimension. Reuses vector storage.
void WriteLoops(const MapSpace& space, const FactorTable& table,
                const std::vector<std::vector<int>>& orders, Mapping& mapping);

// Rewrites only level `level`'s temporal loops (same dimensions, new order).
void WriteTemporalLoops(const FactorTable& table, int level, const std::vector<int>& order,
                        Mapping& mapping);

// The wall-clock point where a search of `seconds` started at `start` must stop.
std::chrono::steady_clock::time_point DeadlineAfter(std::chrono::steady_clock::time_point start,
                                                    double seconds);

}  // namespace tessel
