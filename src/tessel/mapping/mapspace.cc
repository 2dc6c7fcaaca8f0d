#include "tessel/mapping/mapspace.h"

#include <algorithm>

#include "fmt/format.h"
#include "tessel/common/error.h"

namespace tessel {

namespace {

// Resolves the constraints to a full [level][data space] table: a level or data space the
// constraints do not mention keeps the tensor, except on timeloopfe's dummy_storage levels
// (spatial fan-out points of one 1-bit word), which hold nothing unless told to, as in Timeloop.
std::vector<std::vector<bool>> ResolveKeep(
    const Problem& problem, const Arch& arch,
    const std::vector<std::vector<std::optional<bool>>>& keep_constraints) {
  std::vector<std::vector<bool>> keep;
  for (size_t s = 0; s < arch.storage.size(); ++s) {
    bool by_default = arch.storage[s].klass != "dummy_storage";
    keep.emplace_back(problem.data_spaces.size(), by_default);
    for (size_t ds = 0; s < keep_constraints.size() && ds < keep_constraints[s].size(); ++ds)
      keep[s][ds] = keep_constraints[s][ds].value_or(by_default);
  }
  return keep;
}

void CheckKeep(const Problem& problem, const Arch& arch,
               const std::vector<std::vector<bool>>& keep) {
  for (size_t ds = 0; ds < problem.data_spaces.size(); ++ds) {
    bool kept = false;
    for (const std::vector<bool>& level : keep) kept = kept || level[ds];
    if (!kept)
      throw UserError(
          fmt::format("data space {} is kept by no storage level", problem.data_spaces[ds].name));
  }
  // Timeloop's convention: every tensor lives in the outermost level to begin with.
  for (size_t ds = 0; ds < problem.data_spaces.size(); ++ds) {
    if (!keep.back()[ds])
      throw UserError(fmt::format("level {} is the outermost level and must keep {}",
                                  arch.storage.back().name, problem.data_spaces[ds].name));
  }
  // Every kept tensor needs at least one word (the tile of a single operation).
  for (size_t s = 0; s < arch.storage.size(); ++s) {
    std::optional<std::int64_t> capacity = arch.storage[s].EffectiveSizeWords();
    if (!capacity) continue;
    std::int64_t needed = std::count(keep[s].begin(), keep[s].end(), true);
    if (needed > *capacity)
      throw UserError(
          fmt::format("level {} cannot hold one word of each tensor it keeps (capacity {} words)",
                      arch.storage[s].name, *capacity));
  }
}

}  // namespace

std::vector<std::int64_t> PrimeFactors(std::int64_t n) {
  std::vector<std::int64_t> factors;
  for (std::int64_t p = 2; p * p <= n; ++p) {
    while (n % p == 0) {
      factors.push_back(p);
      n /= p;
    }
  }
  if (n > 1) factors.push_back(n);
  return factors;
}

MapSpace MakeMapSpace(const Problem& problem, const Arch& arch,
                      const std::vector<std::vector<std::optional<bool>>>& keep_constraints) {
  for (const Dimension& dim : problem.dims) {
    if (dim.bound < 1)
      throw UserError(
          fmt::format("dimension {} has bound {}; bounds must be at least 1", dim.name, dim.bound));
  }
  if (arch.storage.empty())
    throw UserError("the architecture has no storage level; a mapping needs at least one");

  MapSpace space;
  space.problem = problem;
  space.arch = arch;
  space.keep = ResolveKeep(problem, arch, keep_constraints);
  CheckKeep(problem, arch, space.keep);

  // Fan-out of level s reaches the instances of the next inner level (or the MACs): per axis,
  // how many child instances sit under one instance of s. Same rule as the model's check.
  for (size_t s = 0; s < arch.storage.size(); ++s) {
    const StorageLevel& parent = arch.storage[s];
    std::int64_t child_x = s == 0 ? arch.arithmetic.mesh_x : arch.storage[s - 1].mesh_x;
    std::int64_t child_y = s == 0 ? arch.arithmetic.mesh_y : arch.storage[s - 1].mesh_y;
    space.max_fanout_x.push_back(
        std::max<std::int64_t>(1, child_x / std::max<std::int64_t>(1, parent.mesh_x)));
    space.max_fanout_y.push_back(
        std::max<std::int64_t>(1, child_y / std::max<std::int64_t>(1, parent.mesh_y)));
  }
  for (const Dimension& dim : problem.dims) space.prime_factors.push_back(PrimeFactors(dim.bound));
  return space;
}

}  // namespace tessel
