// The schedule space of the timeloop model: loop-nest mappings of one layer in a mapspace.
//
//   Random     a draw of the mapspace sampler (mapper/mapspace_sampling.h), seeded from the
//              search's generator;
//   Mutate     move one prime factor of one dimension to another (level, temporal / spatial X /
//              spatial Y) slot within the fan-out limits, or swap two temporal loops of a level;
//   Crossover  each dimension's factor placement from one parent or the other (the first parent
//              when the mix exceeds a fan-out), loop orders from the first parent.
// Every schedule it produces has the right factor products and fan-outs; capacities are left to
// the model (an over-full buffer is an invalid schedule, scored +inf).
//
// Not thread-safe (it reuses one sampler): Evolve calls the space from its own thread only.
#pragma once

#include <memory>

#include "tessel/mapper/mapspace_sampling.h"
#include "tessel/mapper/tiling.h"
#include "tessel/tuner/schedule_space.h"

namespace tessel {

class MappingSpace final : public ScheduleSpace {
 public:
  // `space` must outlive this object.
  explicit MappingSpace(const MapSpace& space);
  // The outermost mapping (every loop at the outermost level): valid whenever the mapspace is,
  // so the search always has a valid parent to mutate from.
  std::vector<Schedule> Seeds() const override;
  Schedule Random(std::mt19937_64& rng) const override;
  Schedule Mutate(const Schedule& parent, std::mt19937_64& rng) const override;
  Schedule Crossover(const Schedule& a, const Schedule& b, std::mt19937_64& rng) const override;

 private:
  Schedule FromTiling(const Tiling& tiling) const;
  // Moves one prime factor; false when the tiling has none that can move.
  bool MoveFactor(Tiling& t, std::mt19937_64& rng) const;
  // Swaps two non-trivial temporal loops of one level; false when no level has two.
  void FlipKeep(Tiling& t, std::mt19937_64& rng) const;
  bool SwapLoops(Tiling& t, std::mt19937_64& rng) const;
  bool FitsFanout(const Tiling& t) const;

  const MapSpace& space_;
  std::unique_ptr<RandomMappingDrawer> drawer_;  // mutable state behind const Random()
};

}  // namespace tessel
