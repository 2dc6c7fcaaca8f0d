#include "tessel/report/text_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace tessel {
namespace {

bool HasVisibleLoop(const LevelMapping& level) {
  for (const Loop& loop : level.temporal)
    if (loop.factor > 1) return true;
  for (const Loop& loop : level.spatial)
    if (loop.factor > 1) return true;
  return false;
}

// Whether the cost can describe this arch: an invalid or foreign Cost may have other levels.
bool CostMatches(const Problem& problem, const Arch& arch, const Cost* cost) {
  if (cost == nullptr || cost->levels.size() != arch.storage.size()) return false;
  for (const LevelStats& level : cost->levels)
    if (level.tensors.size() != problem.data_spaces.size()) return false;
  return true;
}

// "Name [ Weights:192 (192) Inputs:576 (576) ] " -- the trailing space is Timeloop's.
std::string LevelHeader(const Problem& problem, const Arch& arch, const Mapping& mapping,
                        const Cost* cost, int level) {
  std::string header = arch.storage[level].name + " [ ";
  const std::vector<bool>& keep = mapping.levels[level].keep;
  for (size_t ds = 0; ds < problem.data_spaces.size(); ++ds) {
    if (ds < keep.size() && !keep[ds]) continue;
    std::int64_t words = cost != nullptr ? cost->levels[level].tensors[ds].utilized_capacity
                                         : ProjectedTileWords(problem, mapping, level, ds);
    header += fmt::format("{}:{} ({}) ", problem.data_spaces[ds].name, words, words);
  }
  return header + "] ";
}

std::string LoopLine(const Problem& problem, const Loop& loop, int depth, const char* suffix) {
  return fmt::format("|{:{}}for {} in [0:{}){}\n", "", 1 + 2 * depth, problem.dims[loop.dim].name,
                     loop.factor, suffix);
}

}  // namespace

std::int64_t ProjectedTileWords(const Problem& problem, const Mapping& mapping, int level,
                                int space) {
  std::vector<std::int64_t> extent(problem.dims.size(), 1);
  for (int l = 0; l <= level; ++l) {
    for (const Loop& loop : mapping.levels[l].temporal) extent[loop.dim] *= loop.factor;
    for (const Loop& loop : mapping.levels[l].spatial) extent[loop.dim] *= loop.factor;
  }
  // Same convention as Problem::DataSpaceSize: a rank spans [min, max] of its index expression.
  std::int64_t words = 1;
  for (const Rank& rank : problem.data_spaces[space].ranks) {
    std::int64_t span = 1;
    for (const ProjectionTerm& term : rank.terms) span += term.coefficient * (extent[term.dim] - 1);
    words *= span;
  }
  return words;
}

std::string FormatLoopNest(const Problem& problem, const Arch& arch, const Mapping& mapping,
                           const Cost* cost) {
  if (!CostMatches(problem, arch, cost)) cost = nullptr;
  std::string out;
  int depth = 0;
  const int num_levels = static_cast<int>(std::min(arch.storage.size(), mapping.levels.size()));
  for (int level = num_levels - 1; level >= 0; --level) {
    const LevelMapping& lm = mapping.levels[level];
    std::string header = LevelHeader(problem, arch, mapping, cost, level);
    out += header + "\n";
    // Timeloop underlines a level only when loops follow, or when it is the innermost one.
    if (!HasVisibleLoop(lm) && level != 0) continue;
    out += std::string(header.size() - 1, '-') + "\n";
    // Temporal loops enclose spatial ones; both lists are innermost first.
    for (auto it = lm.temporal.rbegin(); it != lm.temporal.rend(); ++it)
      if (it->factor > 1) out += LoopLine(problem, *it, depth++, "");
    for (auto it = lm.spatial.rbegin(); it != lm.spatial.rend(); ++it) {
      const char* axis = it->axis == SpatialAxis::kX ? " (Spatial-X)" : " (Spatial-Y)";
      if (it->factor > 1) out += LoopLine(problem, *it, depth++, axis);
    }
    if (level != 0) out += "\n";
  }
  out += fmt::format("|{:{}}<< Compute >>\n", "", 1 + 2 * depth);
  return out;
}

std::string FormatLevelTable(const Problem& problem, const Arch& arch, const Cost& cost) {
  size_t name_width = 5;
  for (const StorageLevel& level : arch.storage)
    name_width = std::max(name_width, level.name.size());
  size_t space_width = 6;
  for (const DataSpace& ds : problem.data_spaces)
    space_width = std::max(space_width, ds.name.size());

  std::string out = fmt::format("{:<{}}  {:>9}  {:<{}}  {:>10}  {:>12}  {:>12}  {:>12}  {:>12}\n",
                                "Level", name_width, "Instances", "Tensor", space_width, "Capacity",
                                "Reads", "Fills", "Updates", "Energy (pJ)");
  const int num_levels = static_cast<int>(std::min(arch.storage.size(), cost.levels.size()));
  for (int level = num_levels - 1; level >= 0; --level) {
    const LevelStats& stats = cost.levels[level];
    // The level's name, instances and energy go on its first row only.
    std::string lead = fmt::format("{:<{}}  {:>9}", arch.storage[level].name, name_width,
                                   arch.storage[level].instances);
    std::string energy = fmt::format("{:.2f}", stats.energy_pJ);
    bool first = true;
    for (size_t ds = 0; ds < stats.tensors.size() && ds < problem.data_spaces.size(); ++ds) {
      const TensorStats& t = stats.tensors[ds];
      if (!t.kept) continue;
      out += fmt::format("{}  {:<{}}  {:>10}  {:>12}  {:>12}  {:>12}  {:>12}\n", lead,
                         problem.data_spaces[ds].name, space_width, t.utilized_capacity, t.reads,
                         t.fills, t.updates, first ? energy : "");
      lead = std::string(name_width + 11, ' ');
      first = false;
    }
    if (first)  // keeps nothing: a spatial fan-out point (Timeloop's dummy storage)
      out += fmt::format("{}  {:<{}}  {:>10}  {:>12}  {:>12}  {:>12}  {:>12}\n", lead, "-",
                         space_width, "", "", "", "", energy);
  }
  out += fmt::format("{:<{}}  {:>9}  {} computes, {:.2f} pJ\n", arch.arithmetic.name, name_width,
                     arch.arithmetic.instances, cost.computes, cost.mac_energy_pJ);
  return out;
}

std::string FormatCostSummary(const Cost& cost) {
  double per_mac = cost.computes > 0 ? cost.energy_pJ / static_cast<double>(cost.computes) : 0;
  std::string out;
  out += fmt::format("Cycles:      {}\n", cost.cycles);
  out += fmt::format("Energy:      {:.2f} pJ = {:.3f} uJ ({:.4f} pJ/MAC)\n", cost.energy_pJ,
                     cost.energy_pJ * 1e-6, per_mac);
  out += fmt::format("Utilization: {:.2f} %\n", 100.0 * cost.utilization);
  out +=
      fmt::format("Computes:    {} MACs on {} MAC instances\n", cost.computes, cost.utilized_macs);
  if (cost.energy_is_estimate)
    out +=
        "Note: energies are estimates: some components have no ERT entry, so tessel's default "
        "per-action energies were used.\n";
  return out;
}

std::string FormatViolations(const std::vector<ConstraintViolation>& violations) {
  if (violations.empty()) return "Constraints: satisfied\n";
  std::string out = fmt::format("Constraint violations: {}\n", violations.size());
  for (const ConstraintViolation& v : violations) {
    const std::string where = v.where.ToString();
    out += "  " + where + (where.empty() ? "" : ": ") + v.message + "\n";
  }
  return out;
}

}  // namespace tessel
