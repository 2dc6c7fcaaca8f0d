// TimingModel: one interface over every cost model, so a tuner can search schedules for any
// device, including one that has no simulator yet.
//
// A schedule is data (Halide's lesson): named integer knobs, plus a loop-nest Mapping for models
// whose schedule is one. A model lists the knobs it understands for a layer on an arch (name,
// valid range, suggested values, default), and evaluates (layer, schedule, arch) to cycles,
// energy and a breakdown. Evaluate is pure and thread-safe: models hold no mutable state.
//
// Models today (MakeTimingModel names):
//   timeloop     Timeloop-exact nest analysis (model/evaluate.h); schedule = a Mapping, no knobs.
//   cim-formula  the published crossbar timing formula (model/cim_model.h).
//   cim-refined  whole weight copies, per-level ceilings, ADC sharing, per-component energy.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "tessel/arch/arch.h"
#include "tessel/arch/cim_arch.h"
#include "tessel/mapping/mapping.h"
#include "tessel/workload/problem.h"

namespace tessel {

// The hardware a model evaluates on: one of the arch descriptions tessel knows. Non-owning; the
// pointee outlives the call.
using ArchRef = std::variant<const Arch*, const CimArch*>;

// One schedule knob of a model for one layer on one arch. Every integer in [min, max] is a valid
// value on its own; combinations may still be invalid (Evaluate says why). `suggested` are the
// values worth sampling first (ascending, within the range, including the default), e.g. divisors
// and powers of two: a tuner draws from them and mutates within the range.
struct Knob {
  std::string name;
  std::string help;  // one line: what the knob means, with units
  std::int64_t min = 1;
  std::int64_t max = 1;
  std::int64_t default_value = 1;
  std::vector<std::int64_t> suggested;
};

// A schedule: knob values by name (a knob left out takes its default) and, for models whose
// schedule is a loop nest, the Mapping.
struct Schedule {
  std::vector<std::pair<std::string, std::int64_t>> knobs;  // in the model's Knobs() order
  std::optional<Mapping> mapping;

  // The value of knob `name`, or nullopt when the schedule does not set it.
  std::optional<std::int64_t> Get(std::string_view name) const;
  // Sets (or adds, at the end) knob `name`.
  void Set(std::string_view name, std::int64_t value);
};

// What a model says about one (layer, schedule, arch).
struct TimingResult {
  std::int64_t cycles = 0;
  double energy_pJ = 0;
  // Named integer quantities behind `cycles` (batches, cycles per batch, arrays per copy, ...),
  // in the model's order; the unit is in the name unless it is a count.
  std::vector<std::pair<std::string, std::int64_t>> counts;
  // Energy per component, in pJ; sums to energy_pJ.
  std::vector<std::pair<std::string, double>> energy_breakdown_pJ;
  // Empty when the schedule is valid; else why not (naming the layer, the knob and the limit).
  // "No valid schedule" is a result, not an exception.
  std::string invalid_reason;
  bool ok() const { return invalid_reason.empty(); }
};

class TimingModel {
 public:
  virtual ~TimingModel() = default;

  virtual std::string_view Name() const = 0;
  // One line for `--help` and reports.
  virtual std::string_view Description() const = 0;
  // "" when this model can evaluate `layer` on `arch`; else why not (wrong kind of arch, an
  // operation the model does not know, a layer that cannot fit on the chip).
  virtual std::string Supports(const Problem& layer, ArchRef arch) const = 0;
  // The knobs for this layer on this arch. Precondition: Supports(layer, arch) is "".
  virtual std::vector<Knob> Knobs(const Problem& layer, ArchRef arch) const = 0;
  // Pure and thread-safe. Unsupported layers and invalid schedules give invalid_reason.
  virtual TimingResult Evaluate(const Problem& layer, const Schedule& schedule,
                                ArchRef arch) const = 0;

  // Every knob at its default, in Knobs() order (no mapping).
  Schedule DefaultSchedule(const Problem& layer, ArchRef arch) const;
};

// The model named `name` ("timeloop", "cim-formula", "cim-refined"), or nullptr when there is none.
std::unique_ptr<TimingModel> MakeTimingModel(std::string_view name);

// The names MakeTimingModel accepts, in the order `--help` lists them.
std::vector<std::string> TimingModelNames();

// "" when every knob `schedule` sets is one of `knobs` and within its range; else a message
// naming the first that is not (and the valid names or range). Shared by the models.
std::string CheckKnobs(const std::vector<Knob>& knobs, const Schedule& schedule);

}  // namespace tessel
