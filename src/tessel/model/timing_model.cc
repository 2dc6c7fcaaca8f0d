#include "tessel/model/timing_model.h"

#include "tessel/model/cim_model.h"
#include "tessel/model/timeloop_timing_model.h"

namespace tessel {

std::optional<std::int64_t> Schedule::Get(std::string_view name) const {
  for (const auto& [knob, value] : knobs)
    if (knob == name) return value;
  return std::nullopt;
}

void Schedule::Set(std::string_view name, std::int64_t value) {
  for (auto& [knob, old] : knobs) {
    if (knob == name) {
      old = value;
      return;
    }
  }
  knobs.emplace_back(std::string(name), value);
}

Schedule TimingModel::DefaultSchedule(const Problem& layer, ArchRef arch) const {
  Schedule schedule;
  for (const Knob& knob : Knobs(layer, arch)) schedule.Set(knob.name, knob.default_value);
  return schedule;
}

std::unique_ptr<TimingModel> MakeTimingModel(std::string_view name) {
  if (name == "timeloop") return std::make_unique<TimeloopTimingModel>();
  if (name == "cim-formula") return std::make_unique<CimTimingModel>(CimMode::kFormula);
  if (name == "cim-refined") return std::make_unique<CimTimingModel>(CimMode::kRefined);
  return nullptr;
}

std::vector<std::string> TimingModelNames() { return {"timeloop", "cim-formula", "cim-refined"}; }

std::string CheckKnobs(const std::vector<Knob>& knobs, const Schedule& schedule) {
  for (const auto& [name, value] : schedule.knobs) {
    const Knob* knob = nullptr;
    for (const Knob& k : knobs)
      if (k.name == name) knob = &k;
    if (knob == nullptr) {
      std::string valid;
      for (const Knob& k : knobs) valid += (valid.empty() ? "" : ", ") + k.name;
      return "unknown knob '" + name + "'; " +
             (knobs.empty() ? std::string("this model has no knobs") : "the knobs are: " + valid);
    }
    if (value < knob->min || value > knob->max)
      return "knob " + name + "=" + std::to_string(value) + " is outside its range [" +
             std::to_string(knob->min) + ", " + std::to_string(knob->max) + "]";
  }
  return "";
}

}  // namespace tessel
