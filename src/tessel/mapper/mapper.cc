#include "tessel/mapper/mapper.h"

#include <sstream>

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
      return "time-out";
    case MapperStatus::kNoMapping:
      return "no mapping";
  }
  return "unknown";
}

CosaWeights DefaultCosaWeights(Objective objective) {
  switch (objective) {
    case Objective::kLatency:
      return {1.0, 0.1, 0.0, 0.05};
    case Objective::kEnergy:
      return {0.1, 0.01, 1.0, 0.05};
    case Objective::kEdp:
      return {1.0, 0.1, 0.5, 0.05};
  }
  return {};
}

CosaWeights ParseCosaWeights(const std::string& text, CosaWeights base) {
  std::stringstream items(text);
  std::string item;
  while (std::getline(items, item, ',')) {
    std::size_t eq = item.find('=');
    std::string key = item.substr(0, eq);
    double* target = key == "latency"       ? &base.latency
                     : key == "compute"     ? &base.compute
                     : key == "traffic"     ? &base.traffic
                     : key == "utilization" ? &base.utilization
                                            : nullptr;
    if (target == nullptr || eq == std::string::npos)
      throw UserError("bad cosa weight '" + item +
                      "'; write NAME=VALUE with NAME latency, compute, traffic "
                      "or utilization");
    try {
      std::size_t used = 0;
      *target = std::stod(item.substr(eq + 1), &used);
      if (used != item.size() - eq - 1 || *target < 0) throw std::invalid_argument(item);
    } catch (const std::exception&) {
      throw UserError("bad cosa weight '" + item + "'; the value must be a number >= 0");
    }
  }
  return base;
}

std::unique_ptr<Mapper> MakeMapper(const std::string& name) {
  if (name == "cosa") return MakeCosaMapper();
  if (name == "random") return MakeRandomMapper();
  if (name == "exhaustive") return MakeExhaustiveMapper();
  throw UserError("unknown mapper '" + name + "'; choose cosa, random or exhaustive");
}

}  // namespace tessel
