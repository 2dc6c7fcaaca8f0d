#include "tessel/report/json_report.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

namespace tessel {

double ReproducibleDouble(double value) {
  if (!std::isfinite(value) || value == 0) return value;
  return std::strtod(fmt::format("{:.12g}", value).c_str(), nullptr);
}

nlohmann::ordered_json CostToJson(const Problem& problem, const Arch& arch, const Cost& cost) {
  using nlohmann::ordered_json;
  ordered_json levels = ordered_json::array();
  for (size_t l = 0; l < cost.levels.size(); ++l) {
    const LevelStats& stats = cost.levels[l];
    ordered_json tensors = ordered_json::object();
    for (size_t ds = 0; ds < stats.tensors.size() && ds < problem.data_spaces.size(); ++ds) {
      const TensorStats& t = stats.tensors[ds];
      if (!t.kept) continue;
      ordered_json tensor;
      tensor["reads"] = t.reads;
      tensor["fills"] = t.fills;
      tensor["updates"] = t.updates;
      tensor["utilized_capacity"] = t.utilized_capacity;
      tensors[problem.data_spaces[ds].name] = std::move(tensor);
    }
    ordered_json level;
    level["name"] = l < arch.storage.size() ? arch.storage[l].name : stats.name;
    level["instances"] = l < arch.storage.size() ? arch.storage[l].instances : stats.instances;
    level["tensors"] = std::move(tensors);
    levels.push_back(std::move(level));
  }
  ordered_json out;
  out["cycles"] = cost.cycles;
  out["energy_pJ"] = ReproducibleDouble(cost.energy_pJ);
  out["utilization"] = ReproducibleDouble(cost.utilization);
  out["computes"] = cost.computes;
  out["levels"] = std::move(levels);
  out["energy_is_estimate"] = cost.energy_is_estimate;
  return out;
}

// Names from ONNX protobufs are not checked for UTF-8 (YAML text is, io/yaml_util.cc): a stray
// byte is written as U+FFFD instead of throwing.
std::string DumpJson(const nlohmann::ordered_json& json) {
  return json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

nlohmann::ordered_json ViolationsToJson(const std::vector<ConstraintViolation>& violations) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const ConstraintViolation& v : violations)
    out.push_back({{"where", v.where.ToString()}, {"message", v.message}});
  return out;
}

}  // namespace tessel
