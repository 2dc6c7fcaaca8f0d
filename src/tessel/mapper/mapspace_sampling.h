// Drawing random points of a mapspace, Timeloop's random-search way: every prime factor of every
// dimension goes to a uniformly random storage level; where that level can fan out, it becomes a
// spatial factor with probability 1/2 (on a uniformly chosen axis that still has room, else it
// stays temporal); each level's temporal loops get a uniformly random order.
#pragma once

#include <cstdint>
#include <vector>

#include "tessel/mapper/search_common.h"

namespace tessel {

class RandomMappingDrawer {
 public:
  explicit RandomMappingDrawer(const MapSpace& space);

  // The mapping drawn from a generator seeded with `seed`: a pure function of (space, seed).
  // It always has the right factor products and fan-outs; capacities are not checked. The
  // reference stays valid until the next call.
  const Mapping& Draw(std::uint64_t seed);

 private:
  const MapSpace& space_;
  std::vector<std::pair<int, std::int64_t>> primes_;  // (dimension, prime), canonical order
  std::vector<std::pair<int, std::int64_t>> shuffled_;
  FactorTable table_;
  std::vector<std::int64_t> fanout_x_, fanout_y_;  // spatial products per level so far
  std::vector<std::vector<int>> orders_;
  Mapping mapping_;
};

}  // namespace tessel
