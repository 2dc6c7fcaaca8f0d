// The search space of the auto-scheduler: how schedules are drawn, mutated and
// crossed, and the canonical key that identifies a schedule (in the tuning log
// and in the set of schedules already evaluated). A space is immutable after
// construction; every operation is a pure function of its arguments and the
// generator, so a search is reproducible from its seed.
//
// Spaces today:
//   KnobSpace     a model's knobs (TimingModel::Knobs): draw from `suggested`,
//   mutate one knob,
//                 uniform crossover. Some knobs can be pinned (e.g. copies, set
//                 by the network allocation rather than by the search).
//   MappingSpace  a Timeloop mapspace (tuner/mapping_space.h): prime-factor
//   placement and loop
//                 order, for the timeloop model.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "tessel/model/timing_model.h"

namespace tessel {

class ScheduleSpace {
 public:
  virtual ~ScheduleSpace() = default;
  // Schedules a search starts from before drawing at random (e.g. the model's
  // default).
  virtual std::vector<Schedule> Seeds() const = 0;
  // A uniformly random point ("random annotation" of the sketch).
  virtual Schedule Random(std::mt19937_64& rng) const = 0;
  // A neighbour of `parent`: one knob, one factor or one loop changed.
  virtual Schedule Mutate(const Schedule& parent, std::mt19937_64& rng) const = 0;
  // A child mixing two parents (each knob / each dimension's placement from one
  // of them).
  virtual Schedule Crossover(const Schedule& a, const Schedule& b, std::mt19937_64& rng) const = 0;
};

// The canonical text of a schedule: knobs sorted by name as "name=value" joined
// by ';', then, when there is a mapping, '|' and every level's loops ("T"
// temporal / "X" / "Y" spatial, dim index and factor, innermost first) and keep
// bits. Equal keys <=> equal schedules.
std::string ScheduleKey(const Schedule& schedule);

// The knobs of one model for one layer. Knobs named in `pinned` keep the pinned
// value in every schedule the space produces; the others are searched within
// [min, max].
class KnobSpace final : public ScheduleSpace {
 public:
  KnobSpace(std::vector<Knob> knobs, Schedule pinned);
  std::vector<Schedule> Seeds() const override;
  Schedule Random(std::mt19937_64& rng) const override;
  Schedule Mutate(const Schedule& parent, std::mt19937_64& rng) const override;
  Schedule Crossover(const Schedule& a, const Schedule& b, std::mt19937_64& rng) const override;

 private:
  // A value for knob `k` drawn from its suggested values (or anywhere in range,
  // 1 time in 4).
  std::int64_t Draw(const Knob& k, std::mt19937_64& rng) const;
  Schedule WithPinned(Schedule schedule) const;

  std::vector<Knob> knobs_;  // in the model's order
  std::vector<int> free_;    // indices of the knobs the search changes
  Schedule pinned_;
};

}  // namespace tessel
