// Drawing random points of a mapspace the way Timeloop's random search does: each dimension's
// factorisation is uniform over all ordered factorisations of its bound into the slots (every
// level's temporal slot, plus one spatial slot where the level can fan out), the spatial factors
// are split between the X and Y axes at random, and each level's temporal loops get a uniformly
// random order. Constraints narrow this: fixed factors are placed first and only the rest is
// drawn; draws breaking a min/max factor are redrawn like fan-out overflows; axes follow the
// split; orders are made to fit the permutation; free keep/bypass entries are drawn 50/50. Timeloop counts a draw whose fan-out exceeds the mesh as invalid and draws again;
// here the factorisation is redrawn, which gives the same distribution over the draws that fit.
//
// Uniform over factorisations is not uniform per prime factor: for 2^10 over 8 slots, (2^10, 1,
// ..., 1) is as likely as (2, 2, 4, 2, 4, 1, 1, 1), so random mappings are often lopsided, which is
// why CoSA's random-5 baseline is weak.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "tessel/mapper/search_common.h"

namespace tessel {

class RandomMappingDrawer {
 public:
  explicit RandomMappingDrawer(const MapSpace& space);

  // The mapping drawn from a generator seeded with `seed`: a pure function of (space, seed). It
  // always has the right factor products and fan-outs; capacities are not checked. The reference
  // stays valid until the next call.
  const Mapping& Draw(std::uint64_t seed);

 private:
  struct PrimePower {
    int dim;
    std::int64_t prime;
    int remaining;  // multiplicity left once the constraints' fixed factors are taken out
  };
  struct Slot {
    int level;
    bool spatial;
  };
  // Places every prime power; false when a level's fan-out ends up over its mesh or a factor
  // breaks a min/max constraint.
  bool DrawFactors(std::mt19937_64& rng);
  // The factors the constraints fix, on the axis they allow.
  bool PlaceFixedFactors();
  bool FactorsAllowed() const;
  // Free keep/bypass entries: keep or bypass with equal odds, as Timeloop's random search draws.
  void DrawKeep(std::mt19937_64& rng);
  // Fallback after many rejected draws: whatever does not fit a mesh goes temporal.
  void DemoteOverflowingSpatial();

  const MapSpace& space_;
  std::vector<PrimePower> powers_;  // canonical order: by dimension, then prime
  std::vector<std::vector<Slot>> slots_;  // [dim]
  std::vector<int> counts_;  // scratch: one composition
  FactorTable table_;
  std::vector<std::int64_t> fanout_x_, fanout_y_;  // spatial products per level
  std::vector<std::vector<int>> orders_;
  Mapping mapping_;
};

}  // namespace tessel
