#include "tessel/io/mapping_writer.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace tessel {
namespace {

struct LoopList {
  std::string factors;      // "C=1 M=4 ..." in Problem::dims order
  std::string permutation;  // innermost first, every dimension once
  int split = -1;           // number of X dimensions when Y loops exist, else -1 (omit)
};

// `loops` innermost first. For spatial loops, X dimensions are moved ahead of Y ones (stable, so
// the order within each axis is kept), as Timeloop's `split` needs.
LoopList DescribeLoops(const Problem& problem, std::vector<Loop> loops, bool spatial,
                       const std::string& level_name) {
  const size_t num_dims = problem.dims.size();
  std::vector<std::int64_t> factor(num_dims, 1);
  std::vector<bool> listed(num_dims, false);
  bool has_y = false;
  for (const Loop& loop : loops) {
    if (loop.dim < 0 || static_cast<size_t>(loop.dim) >= num_dims)
      throw std::invalid_argument("level " + level_name + ": loop over unknown dimension index " +
                                  std::to_string(loop.dim));
    if (listed[loop.dim])
      throw std::invalid_argument("level " + level_name + ": dimension " +
                                  problem.dims[loop.dim].name + " appears twice in its " +
                                  (spatial ? "spatial" : "temporal") + " loops");
    listed[loop.dim] = true;
    factor[loop.dim] = loop.factor;
    has_y = has_y || (spatial && loop.axis == SpatialAxis::kY);
  }
  LoopList out;
  if (has_y) {
    std::stable_partition(loops.begin(), loops.end(),
                          [](const Loop& loop) { return loop.axis == SpatialAxis::kX; });
    out.split = 0;
    for (const Loop& loop : loops) out.split += loop.axis == SpatialAxis::kX ? 1 : 0;
  }
  for (const Loop& loop : loops) out.permutation += problem.dims[loop.dim].name;
  // Unused dimensions go outermost (after the Y ones): with factor 1 their place is immaterial.
  for (size_t d = 0; d < num_dims; ++d)
    if (!listed[d]) out.permutation += problem.dims[d].name;
  for (size_t d = 0; d < num_dims; ++d) {
    if (d > 0) out.factors += ' ';
    out.factors += problem.dims[d].name + "=" + std::to_string(factor[d]);
  }
  return out;
}

void EmitLoops(YAML::Emitter& out, const std::string& target, const char* type,
               const LoopList& loops) {
  out << YAML::BeginMap;
  out << YAML::Key << "target" << YAML::Value << target;
  out << YAML::Key << "type" << YAML::Value << type;
  out << YAML::Key << "factors" << YAML::Value << loops.factors;
  out << YAML::Key << "permutation" << YAML::Value << loops.permutation;
  if (loops.split >= 0) out << YAML::Key << "split" << YAML::Value << loops.split;
  out << YAML::EndMap;
}

void EmitBypass(YAML::Emitter& out, const Problem& problem, const std::string& target,
                const std::vector<bool>& keep) {
  std::vector<std::string> kept, bypassed;
  for (size_t ds = 0; ds < problem.data_spaces.size(); ++ds) {
    // A keep vector shorter than the data spaces means "keep" (Timeloop's default).
    bool keeps = ds >= keep.size() || keep[ds];
    (keeps ? kept : bypassed).push_back(problem.data_spaces[ds].name);
  }
  out << YAML::BeginMap;
  out << YAML::Key << "target" << YAML::Value << target;
  out << YAML::Key << "type" << YAML::Value << "bypass";
  out << YAML::Key << "keep" << YAML::Value << YAML::Flow << kept;
  out << YAML::Key << "bypass" << YAML::Value << YAML::Flow << bypassed;
  out << YAML::EndMap;
}

}  // namespace

std::string WriteTimeloopMappingYaml(const Problem& problem, const Arch& arch,
                                     const Mapping& mapping) {
  if (mapping.levels.size() != arch.storage.size())
    throw std::invalid_argument("mapping has " + std::to_string(mapping.levels.size()) +
                                " levels but the architecture has " +
                                std::to_string(arch.storage.size()) + " storage levels");
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "mapping" << YAML::Value << YAML::BeginSeq;
  for (int level = static_cast<int>(arch.storage.size()) - 1; level >= 0; --level) {
    const std::string& name = arch.storage[level].name;
    const LevelMapping& lm = mapping.levels[level];
    EmitLoops(out, name, "temporal", DescribeLoops(problem, lm.temporal, false, name));
    if (!lm.spatial.empty())
      EmitLoops(out, name, "spatial", DescribeLoops(problem, lm.spatial, true, name));
    EmitBypass(out, problem, name, lm.keep);
  }
  out << YAML::EndSeq << YAML::EndMap;
  if (!out.good()) throw std::logic_error("YAML emitter: " + out.GetLastError());
  return std::string(out.c_str()) + "\n";
}

}  // namespace tessel
