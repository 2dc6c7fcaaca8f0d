#include "tessel/tuner/schedule_space.h"

#include <algorithm>
#include <utility>

#include "tessel/common/rng.h"

namespace tessel {
namespace {

char AxisLetter(SpatialAxis axis) { return axis == SpatialAxis::kX ? 'X' : 'Y'; }

}  // namespace

std::string ScheduleKey(const Schedule& schedule) {
  std::vector<std::pair<std::string, std::int64_t>> knobs = schedule.knobs;
  std::sort(knobs.begin(), knobs.end());
  std::string key;
  for (const auto& [name, value] : knobs)
    key += (key.empty() ? "" : ";") + name + "=" + std::to_string(value);
  if (!schedule.mapping) return key;
  key += "|";
  for (const LevelMapping& level : schedule.mapping->levels) {
    for (const Loop& loop : level.temporal)
      key += "T" + std::to_string(loop.dim) + "*" + std::to_string(loop.factor);
    for (const Loop& loop : level.spatial)
      key += AxisLetter(loop.axis) + std::to_string(loop.dim) + "*" + std::to_string(loop.factor);
    key += "k";
    for (bool keep : level.keep) key += keep ? '1' : '0';
    key += "/";
  }
  return key;
}

KnobSpace::KnobSpace(std::vector<Knob> knobs, Schedule pinned)
    : knobs_(std::move(knobs)), pinned_(std::move(pinned)) {
  for (int i = 0; i < static_cast<int>(knobs_.size()); ++i)
    if (!pinned_.Get(knobs_[i].name)) free_.push_back(i);
}

Schedule KnobSpace::WithPinned(Schedule schedule) const {
  for (const auto& [name, value] : pinned_.knobs) schedule.Set(name, value);
  return schedule;
}

std::vector<Schedule> KnobSpace::Seeds() const {
  Schedule s;
  for (const Knob& k : knobs_) s.Set(k.name, k.default_value);
  return {WithPinned(std::move(s))};
}

std::int64_t KnobSpace::Draw(const Knob& k, std::mt19937_64& rng) const {
  if (!k.suggested.empty() && UniformBelow(rng, 4) != 0)
    return k.suggested[UniformBelow(rng, k.suggested.size())];
  return k.min + static_cast<std::int64_t>(UniformBelow(rng, k.max - k.min + 1));
}

Schedule KnobSpace::Random(std::mt19937_64& rng) const {
  Schedule s;
  for (const Knob& k : knobs_) s.Set(k.name, pinned_.Get(k.name) ? k.default_value : Draw(k, rng));
  return WithPinned(std::move(s));
}

Schedule KnobSpace::Mutate(const Schedule& parent, std::mt19937_64& rng) const {
  Schedule child = parent;
  if (free_.empty()) return child;
  const Knob& k = knobs_[free_[UniformBelow(rng, free_.size())]];
  const std::int64_t old = parent.Get(k.name).value_or(k.default_value);
  std::int64_t value = old;
  switch (UniformBelow(rng, 4)) {
    case 0:  // a step: +-1
      value = UniformBelow(rng, 2) == 0 ? old - 1 : old + 1;
      break;
    case 1:  // a scale: x2 or /2
      value = UniformBelow(rng, 2) == 0 ? old / 2 : old * 2;
      break;
    default:  // a fresh draw
      value = Draw(k, rng);
  }
  child.Set(k.name, std::clamp(value, k.min, k.max));
  return child;
}

Schedule KnobSpace::Crossover(const Schedule& a, const Schedule& b, std::mt19937_64& rng) const {
  Schedule child = a;
  for (int i : free_) {
    const Knob& k = knobs_[i];
    if (UniformBelow(rng, 2) == 1) child.Set(k.name, b.Get(k.name).value_or(k.default_value));
  }
  return child;
}

}  // namespace tessel
