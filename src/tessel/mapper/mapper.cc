#include "tessel/mapper/mapper.h"

#include "tessel/common/error.h"
#include "tessel/mapper/cosa_mapper.h"
#include "tessel/mapper/exhaustive_mapper.h"
#include "tessel/mapper/random_mapper.h"

namespace tessel {

Objective ParseObjective(const std::string& name) {
  if (name == "latency") return Objective::kLatency;
  if (name == "energy") return Objective::kEnergy;
  if (name == "edp") return Objective::kEdp;
  throw UserError("unknown objective '" + name + "'; choose latency, energy or edp");
}

const char* ToString(Objective objective) {
  switch (objective) {
    case Objective::kLatency:
      return "latency";
    case Objective::kEnergy:
      return "energy";
    case Objective::kEdp:
      return "edp";
  }
  return "unknown";
}

double ObjectiveValue(const Cost& cost, Objective objective) {
  switch (objective) {
    case Objective::kLatency:
      return static_cast<double>(cost.cycles);
    case Objective::kEnergy:
      return cost.energy_pJ;
    case Objective::kEdp:
      return static_cast<double>(cost.cycles) * cost.energy_pJ;
  }
  return 0;
}

const char* ToString(MapperStatus status) {
  switch (status) {
    case MapperStatus::kOptimal:
      return "optimal";
    case MapperStatus::kComplete:
      return "complete";
    case MapperStatus::kTimeOut:
      return "timeout";
    case MapperStatus::kNoMapping:
      return "no mapping";
  }
  return "unknown";
}

std::unique_ptr<Mapper> MakeMapper(const std::string& name) {
  if (name == "cosa") return MakeCosaMapper();
  if (name == "random") return MakeRandomMapper();
  if (name == "exhaustive") return MakeExhaustiveMapper();
  throw UserError("unknown mapper '" + name + "'; choose cosa, random or exhaustive");
}

}  // namespace tessel
