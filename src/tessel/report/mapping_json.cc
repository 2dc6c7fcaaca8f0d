#include "tessel/report/mapping_json.h"

namespace tessel {

namespace {

nlohmann::ordered_json LoopsToJson(const Problem& problem, const std::vector<Loop>& loops,
                                   bool spatial) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const Loop& loop : loops) {
    if (loop.factor <= 1) continue;
    nlohmann::ordered_json entry;
    entry["dim"] = problem.dims[loop.dim].name;
    entry["factor"] = loop.factor;
    if (spatial) entry["axis"] = loop.axis == SpatialAxis::kX ? "X" : "Y";
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace

nlohmann::ordered_json MappingToJson(const Problem& problem, const Arch& arch,
                                     const Mapping& mapping) {
  nlohmann::ordered_json levels = nlohmann::ordered_json::array();
  for (size_t s = 0; s < mapping.levels.size(); ++s) {
    const LevelMapping& lm = mapping.levels[s];
    nlohmann::ordered_json level;
    level["level"] = arch.storage[s].name;
    level["temporal"] = LoopsToJson(problem, lm.temporal, false);
    level["spatial"] = LoopsToJson(problem, lm.spatial, true);
    nlohmann::ordered_json keep = nlohmann::ordered_json::array();
    nlohmann::ordered_json bypass = nlohmann::ordered_json::array();
    for (size_t ds = 0; ds < problem.data_spaces.size(); ++ds)
      (lm.keep[ds] ? keep : bypass).push_back(problem.data_spaces[ds].name);
    level["keep"] = std::move(keep);
    level["bypass"] = std::move(bypass);
    levels.push_back(std::move(level));
  }
  return levels;
}

}  // namespace tessel
