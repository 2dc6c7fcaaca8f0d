#include "tessel/mapping/mapspace.h"

#include <algorithm>

#include "fmt/format.h"
#include "tessel/common/checked_int.h"
#include "tessel/common/error.h"
#include "tessel/arch/fanout.h"

namespace tessel {

namespace {

// timeloopfe's containers become dummy_storage levels (one 1-bit word): they hold no temporal
// loop and keep nothing unless a constraint says otherwise (the rules timeloopfe writes into
// every processed input).
void AddImpliedRules(const Arch& arch, MapConstraints& constraints) {
  for (size_t s = 0; s < arch.storage.size(); ++s) {
    if (arch.storage[s].klass != "dummy_storage") continue;
    LevelConstraints& level = constraints.levels[s];
    for (FactorLimit& limit : level.temporal)
      if (limit.IsFree()) limit.exact = 1;
    for (std::optional<bool>& keep : level.keep)
      if (!keep) keep = false;
  }
}

// The starting keep choice and which entries stay free (see MapSpace::keep).
void ResolveKeep(const Problem& problem, const Arch& arch, MapSpace& space) {
  const size_t tensors = problem.data_spaces.size();
  for (size_t s = 0; s < arch.storage.size(); ++s) {
    const LevelConstraints& level = space.constraints.levels[s];
    const bool outermost = s + 1 == arch.storage.size();
    std::vector<bool> keep(tensors, true), free(tensors, false);
    for (size_t ds = 0; ds < tensors; ++ds) {
      if (level.keep[ds]) {
        keep[ds] = *level.keep[ds];
      } else {
        free[ds] = !outermost;
      }
    }
    // A level too small for one word of each tensor bypasses free ones, last data space first.
    std::optional<std::int64_t> capacity = arch.storage[s].EffectiveSizeWords();
    for (size_t i = tensors; capacity && i-- > 0;) {
      if (std::count(keep.begin(), keep.end(), true) <= *capacity) break;
      if (free[i]) keep[i] = false;
    }
    space.keep.push_back(std::move(keep));
    space.keep_free.push_back(std::move(free));
  }
}

void CheckKeep(const Problem& problem, const Arch& arch, const MapSpace& space) {
  for (size_t ds = 0; ds < problem.data_spaces.size(); ++ds) {
    bool kept = false;
    for (size_t s = 0; s < arch.storage.size(); ++s)
      kept = kept || space.keep[s][ds] || space.keep_free[s][ds];
    if (!kept)
      throw UserError(
          fmt::format("data space {} is kept by no storage level", problem.data_spaces[ds].name));
  }
  // Timeloop's convention: every tensor lives in the outermost level to begin with.
  for (size_t ds = 0; ds < problem.data_spaces.size(); ++ds) {
    if (!space.keep.back()[ds])
      throw UserError(space.constraints.levels.back().keep_where[ds],
                      fmt::format("level {} is the outermost level and must keep {}",
                                  arch.storage.back().name, problem.data_spaces[ds].name));
  }
  // Every kept tensor needs at least one word (the tile of a single operation).
  for (size_t s = 0; s < arch.storage.size(); ++s) {
    std::optional<std::int64_t> capacity = arch.storage[s].EffectiveSizeWords();
    if (!capacity) continue;
    std::int64_t needed = std::count(space.keep[s].begin(), space.keep[s].end(), true);
    if (needed > *capacity)
      throw UserError(
          fmt::format("level {} cannot hold one word of each tensor it keeps (capacity {} words)",
                      arch.storage[s].name, *capacity));
  }
}

// A spatial factor fixed or bounded below at a level that cannot fan out that far.
void CheckSpatialRoom(const MapSpace& space) {
  for (int l = 0; l < space.num_levels(); ++l) {
    const std::int64_t room = space.max_fanout_x[l] * space.max_fanout_y[l];
    for (size_t d = 0; d < space.problem.dims.size(); ++d) {
      const FactorLimit& limit = space.constraints.levels[l].spatial[d];
      const std::int64_t least = std::max(limit.exact, limit.min);
      if (least > room)
        throw UserError(
            limit.where,
            fmt::format("spatial factor {} of {} at level {} exceeds the level's "
                        "fan-out of {}",
                        least, space.problem.dims[d].name, space.arch.storage[l].name, room));
    }
  }
}

// Exact factors of one dimension over all levels must multiply to a divisor of its bound, and
// to the bound itself when no slot is left free.
void CheckFactorProducts(const MapSpace& space) {
  for (size_t d = 0; d < space.problem.dims.size(); ++d) {
    const Dimension& dim = space.problem.dims[d];
    std::int64_t product = 1;
    bool overflow = false;  // a product past 2^63-1 divides no bound
    bool open_slot = false;
    std::vector<std::string> where;
    for (int l = 0; l < space.num_levels(); ++l) {
      const LevelConstraints& level = space.constraints.levels[l];
      for (const FactorLimit* limit : {&level.temporal[d], &level.spatial[d]}) {
        const bool spatial = limit == &level.spatial[d];
        if (spatial && !space.CanFanOut(l)) continue;
        if (limit->exact == 0) {
          open_slot = open_slot || limit->max != 1;
          continue;
        }
        overflow = overflow || !MulInto(&product, limit->exact);
        where.push_back(limit->where.ToString());
      }
    }
    if (!overflow && dim.bound % product == 0 && (open_slot || product == dim.bound)) continue;
    std::vector<std::string> places;
    for (const std::string& w : where)
      if (!w.empty() && std::find(places.begin(), places.end(), w) == places.end())
        places.push_back(w);
    std::string list;
    for (const std::string& w : places) list += (list.empty() ? "" : ", ") + w;
    throw UserError(
        fmt::format("constraints on {} cannot multiply out: the fixed factors give {} "
                    "and {} for the bound {}{}{}",
                    dim.name, overflow ? std::string("more than 2^63-1") : std::to_string(product),
                    open_slot ? "do not divide it" : "no level is left free", dim.bound,
                    list.empty() ? "" : "; set at ", list));
  }
}

}  // namespace

bool MapSpace::HasFreeKeep() const {
  for (const std::vector<bool>& level : keep_free)
    for (bool free : level)
      if (free) return true;
  return false;
}

bool MapSpace::AllowsAxis(int level, int dim, SpatialAxis axis) const {
  std::optional<SpatialAxis> pinned =
      PinnedSpatialAxis(constraints.levels[level], static_cast<int>(problem.dims.size()), dim);
  return !pinned || *pinned == axis;
}

bool SatisfiesConstraints(const MapSpace& space, const Mapping& mapping) {
  return SatisfiesConstraints(space.constraints, space.problem, space.arch, mapping);
}

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

MapSpace MakeMapSpace(const Problem& problem, const Arch& arch) {
  return MakeMapSpace(problem, arch, NoConstraints(problem, arch));
}

MapSpace MakeMapSpace(const Problem& problem, const Arch& arch, const MapConstraints& constraints) {
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
  space.constraints = ResolveConstraints(constraints, problem, arch, &space.notes);
  AddImpliedRules(arch, space.constraints);
  ResolveKeep(problem, arch, space);
  CheckKeep(problem, arch, space);

  // Fan-out of level s reaches the instances of the next inner level (or the MACs).
  for (size_t s = 0; s < arch.storage.size(); ++s) {
    const Fanout fanout = FanoutOf(arch, static_cast<int>(s));
    space.max_fanout_x.push_back(fanout.x);
    space.max_fanout_y.push_back(fanout.y);
  }
  for (const Dimension& dim : problem.dims) space.prime_factors.push_back(PrimeFactors(dim.bound));
  CheckSpatialRoom(space);
  CheckFactorProducts(space);
  return space;
}

}  // namespace tessel
