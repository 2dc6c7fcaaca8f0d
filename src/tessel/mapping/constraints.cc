#include "tessel/mapping/constraints.h"
#include "tessel/arch/fanout.h"

#include <algorithm>

#include "fmt/format.h"

namespace tessel {
namespace {

// Product of a level's factors of `dim` over the loops of one kind (spatial: both axes).
std::int64_t FactorOf(const std::vector<Loop>& loops, int dim) {
  std::int64_t product = 1;
  for (const Loop& loop : loops)
    if (loop.dim == dim) product *= loop.factor;
  return product;
}

std::string DescribeLimit(const FactorLimit& limit, std::int64_t bound) {
  if (limit.exact != 0) return fmt::format("{}", limit.exact);
  std::string text;
  if (limit.min > 1) text = fmt::format(">= {}", limit.min);
  if (limit.max != 0)
    text += fmt::format("{}<= {}", text.empty() ? "" : " and ", std::min(limit.max, bound));
  return text;
}

// Violations go to `out`; with out == nullptr the check stops at the first one and formats
// nothing (the mappers' fast path). Each function returns false when it found a violation.
using Sink = std::vector<ConstraintViolation>*;

bool CheckFactors(const std::vector<FactorLimit>& limits, const std::vector<Loop>& loops,
                  const char* kind, const std::string& level, const Problem& problem, Sink out) {
  bool ok = true;
  for (size_t d = 0; d < limits.size() && d < problem.dims.size(); ++d) {
    const std::int64_t factor = FactorOf(loops, static_cast<int>(d));
    if (limits[d].Allows(factor)) continue;
    ok = false;
    if (out == nullptr) return false;
    out->push_back(
        {limits[d].where, fmt::format("level {}: {} factor of {} is {}, the constraint requires {}",
                                      level, kind, problem.dims[d].name, factor,
                                      DescribeLimit(limits[d], problem.dims[d].bound))});
  }
  return ok;
}

// The dims of `loops` with a factor > 1, innermost first, each once.
std::vector<int> NonUnitDims(const std::vector<Loop>& loops) {
  std::vector<int> dims;
  for (const Loop& loop : loops)
    if (loop.factor > 1 && std::find(dims.begin(), dims.end(), loop.dim) == dims.end())
      dims.push_back(loop.dim);
  return dims;
}

std::string DimNames(const Problem& problem, const std::vector<int>& dims) {
  std::string text;
  for (int d : dims) text += problem.dims[d].name;
  return text;
}

// Whether the non-unit temporal loop order `dims` (innermost first) fits the partial permutation.
bool OrderFits(const LoopOrder& order, const std::vector<int>& dims) {
  std::vector<int> fixed = dims;
  ApplyLoopOrder(order, fixed);
  return fixed == dims;
}

bool CheckSpatialAxes(const LevelConstraints& level, const LevelMapping& mapping,
                      const std::string& name, const Problem& problem, Sink out) {
  if (!level.split) return true;
  bool ok = true;
  const int num_dims = static_cast<int>(problem.dims.size());
  int free_x = 0, free_y = 0;
  for (const Loop& loop : mapping.spatial) {
    if (loop.factor <= 1) continue;
    std::optional<SpatialAxis> pinned = PinnedSpatialAxis(level, num_dims, loop.dim);
    if (!pinned) {
      (loop.axis == SpatialAxis::kX ? free_x : free_y) += 1;
      continue;
    }
    if (*pinned == loop.axis) continue;
    ok = false;
    if (out == nullptr) return false;
    out->push_back(
        {level.split ? level.split_where : level.spatial_order.where,
         fmt::format("level {}: spatial {} is on {}, the permutation and split put it on {}", name,
                     problem.dims[loop.dim].name, loop.axis == SpatialAxis::kX ? "X" : "Y",
                     *pinned == SpatialAxis::kX ? "X" : "Y")});
  }
  const SpatialSlots slots = FreeSpatialSlots(level, num_dims);
  if (free_x <= slots.x && free_y <= slots.y) return ok;
  if (out != nullptr)
    out->push_back({level.split ? level.split_where : level.spatial_order.where,
                    fmt::format("level {}: {} spatial dimensions on X and {} on Y, the permutation "
                                "and split leave room for {} and {}",
                                name, free_x, free_y, slots.x, slots.y)});
  return false;
}

bool CheckLevel(const LevelConstraints& level, const LevelMapping& mapping, const std::string& name,
                const Problem& problem, Sink out) {
  bool ok = CheckFactors(level.temporal, mapping.temporal, "temporal", name, problem, out);
  if (!ok && out == nullptr) return false;
  ok = CheckFactors(level.spatial, mapping.spatial, "spatial", name, problem, out) && ok;
  if (!ok && out == nullptr) return false;
  const std::vector<int> order = NonUnitDims(mapping.temporal);
  if (!level.temporal_order.empty() && !OrderFits(level.temporal_order, order)) {
    if (out == nullptr) return false;
    ok = false;
    std::vector<int> wanted = order;
    ApplyLoopOrder(level.temporal_order, wanted);
    out->push_back({level.temporal_order.where,
                    fmt::format("level {}: temporal loop order {} (innermost first) breaks the "
                                "permutation; it would be {}",
                                name, DimNames(problem, order), DimNames(problem, wanted))});
  }
  ok = CheckSpatialAxes(level, mapping, name, problem, out) && ok;
  if (!ok && out == nullptr) return false;
  for (size_t ds = 0; ds < level.keep.size() && ds < mapping.keep.size(); ++ds) {
    if (!level.keep[ds] || *level.keep[ds] == mapping.keep[ds]) continue;
    ok = false;
    if (out == nullptr) return false;
    out->push_back({level.keep_where[ds], fmt::format("level {}: {} is {}, the constraint says {}",
                                                      name, problem.data_spaces[ds].name,
                                                      mapping.keep[ds] ? "kept" : "bypassed",
                                                      *level.keep[ds] ? "keep" : "bypass")});
  }
  return ok;
}

// Timeloop's cumulative fan-out utilisation: product over levels of used / available fan-out.
double Parallelism(const Arch& arch, const Mapping& mapping) {
  double utilization = 1;
  for (size_t s = 0; s < arch.storage.size() && s < mapping.levels.size(); ++s) {
    const int level = static_cast<int>(s);
    const std::int64_t available = FanoutOf(arch, level).total();
    utilization *= static_cast<double>(mapping.SpatialFanout(level, SpatialAxis::kX) *
                                       mapping.SpatialFanout(level, SpatialAxis::kY)) /
                   static_cast<double>(available);
  }
  return utilization;
}

}  // namespace

bool MapConstraints::empty() const {
  if (min_parallelism > 0) return false;
  for (const LevelConstraints& level : levels) {
    if (!level.temporal_order.empty() || !level.spatial_order.empty() || level.split) return false;
    for (const FactorLimit& limit : level.temporal)
      if (!limit.IsFree()) return false;
    for (const FactorLimit& limit : level.spatial)
      if (!limit.IsFree()) return false;
    for (const std::optional<bool>& keep : level.keep)
      if (keep) return false;
  }
  return true;
}

MapConstraints NoConstraints(const Problem& problem, const Arch& arch) {
  MapConstraints constraints;
  for (const Dimension& dim : problem.dims) constraints.dims.push_back(dim.name);
  for (const DataSpace& space : problem.data_spaces) constraints.data_spaces.push_back(space.name);
  LevelConstraints level;
  level.temporal.resize(problem.dims.size());
  level.spatial.resize(problem.dims.size());
  level.keep.resize(problem.data_spaces.size());
  level.keep_where.resize(problem.data_spaces.size());
  constraints.levels.assign(arch.storage.size(), level);
  return constraints;
}

namespace {

// Index of `name` in `names`, or -1.
int IndexOf(const std::vector<std::string>& names, const std::string& name) {
  auto it = std::find(names.begin(), names.end(), name);
  return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

bool OrderIsUsed(const LoopOrder& order) { return !order.empty(); }

// Re-indexes a loop order's dims from `from` names to `problem`'s.
LoopOrder RemapOrder(const LoopOrder& order, const std::vector<std::string>& from,
                     const Problem& problem) {
  LoopOrder out;
  out.where = order.where;
  // A dimension the problem lacks has bound 1 there: its place in the order does not matter.
  auto remap = [&](const std::vector<int>& dims, std::vector<int>& to) {
    for (int d : dims) {
      const int index = problem.DimIndex(from[d]);
      if (index >= 0) to.push_back(index);
    }
  };
  remap(order.inner, out.inner);
  remap(order.outer, out.outer);
  return out;
}

void ResolveLimit(FactorLimit limit, const Dimension& dim, const std::string& level,
                  const char* kind, FactorLimit& out, std::vector<std::string>* notes) {
  if (limit.exact == FactorLimit::kWholeBound) limit.exact = dim.bound;
  if (limit.exact > dim.bound) {
    if (notes != nullptr)
      notes->push_back(fmt::format(
          "{}{}constraint {}={} at level {} ({}) exceeds the bound {} of {}; ignored, as "
          "Timeloop ignores it",
          limit.where.ToString(), limit.where.ToString().empty() ? "" : ": ", dim.name, limit.exact,
          level, kind, dim.bound, dim.name));
    limit.exact = 0;
  } else if (limit.exact > 0 && dim.bound % limit.exact != 0) {
    throw UserError(limit.where,
                    fmt::format("constraint {}={} at level {} ({}) does not divide the bound {} "
                                "of {}",
                                dim.name, limit.exact, level, kind, dim.bound, dim.name));
  }
  out = limit;
}

}  // namespace

MapConstraints ResolveConstraints(const MapConstraints& constraints, const Problem& problem,
                                  const Arch& arch, std::vector<std::string>* notes) {
  MapConstraints out = NoConstraints(problem, arch);
  out.min_parallelism = constraints.min_parallelism;
  out.min_parallelism_where = constraints.min_parallelism_where;
  for (size_t l = 0; l < constraints.levels.size() && l < out.levels.size(); ++l) {
    const LevelConstraints& from = constraints.levels[l];
    LevelConstraints& to = out.levels[l];
    const std::string& level = arch.storage[l].name;
    for (size_t d = 0; d < constraints.dims.size(); ++d) {
      const bool used = (d < from.temporal.size() && !from.temporal[d].IsFree()) ||
                        (d < from.spatial.size() && !from.spatial[d].IsFree());
      if (!used) continue;
      const int index = problem.DimIndex(constraints.dims[d]);
      if (index < 0) {
        // A dimension the problem lacks has bound 1: fine unless a factor above 1 is required.
        for (const FactorLimit* limit : {&from.temporal[d], &from.spatial[d]})
          if (limit->exact > 1 || limit->min > 1)
            throw UserError(limit->where,
                            fmt::format("the constraint requires a factor above 1 of dimension "
                                        "{}, which problem {} does not have",
                                        constraints.dims[d], problem.name));
        continue;
      }
      const Dimension& dim = problem.dims[index];
      ResolveLimit(from.temporal[d], dim, level, "temporal", to.temporal[index], notes);
      ResolveLimit(from.spatial[d], dim, level, "spatial", to.spatial[index], notes);
    }
    if (OrderIsUsed(from.temporal_order))
      to.temporal_order = RemapOrder(from.temporal_order, constraints.dims, problem);
    if (OrderIsUsed(from.spatial_order))
      to.spatial_order = RemapOrder(from.spatial_order, constraints.dims, problem);
    to.split = from.split;
    to.split_where = from.split_where;
    for (size_t v = 0; v < constraints.data_spaces.size() && v < from.keep.size(); ++v) {
      if (!from.keep[v]) continue;
      const int index = problem.DataSpaceIndex(constraints.data_spaces[v]);
      if (index < 0) continue;  // a tensor this layer does not have needs no place
      to.keep[index] = from.keep[v];
      to.keep_where[index] = from.keep_where[v];
    }
  }
  return out;
}

std::optional<SpatialAxis> PinnedSpatialAxis(const LevelConstraints& level, int num_dims, int dim) {
  if (!level.split) return std::nullopt;
  const LoopOrder& order = level.spatial_order;
  auto inner = std::find(order.inner.begin(), order.inner.end(), dim);
  int position = -1;
  if (inner != order.inner.end()) {
    position = static_cast<int>(inner - order.inner.begin());
  } else {
    auto outer = std::find(order.outer.begin(), order.outer.end(), dim);
    if (outer == order.outer.end()) {
      // Free dims sit between inner and outer: pinned only when that whole range is on one side.
      const int first = static_cast<int>(order.inner.size());
      const int last = num_dims - static_cast<int>(order.outer.size()) - 1;
      if (last < first) return std::nullopt;
      if (last < *level.split) return SpatialAxis::kX;
      if (first >= *level.split) return SpatialAxis::kY;
      return std::nullopt;
    }
    position = num_dims - static_cast<int>(order.outer.size()) +
               static_cast<int>(outer - order.outer.begin());
  }
  return position < *level.split ? SpatialAxis::kX : SpatialAxis::kY;
}

SpatialSlots FreeSpatialSlots(const LevelConstraints& level, int num_dims) {
  if (!level.split) return {num_dims, num_dims};
  const int first = static_cast<int>(level.spatial_order.inner.size());
  const int middle =
      std::max(0, num_dims - first - static_cast<int>(level.spatial_order.outer.size()));
  const int x = std::clamp(*level.split - first, 0, middle);
  return {x, middle - x};
}

void ApplyLoopOrder(const LoopOrder& constraint, std::vector<int>& order) {
  if (constraint.empty()) return;
  auto named = [&](int dim) {
    return std::find(constraint.inner.begin(), constraint.inner.end(), dim) !=
               constraint.inner.end() ||
           std::find(constraint.outer.begin(), constraint.outer.end(), dim) !=
               constraint.outer.end();
  };
  auto present = [&](int dim) { return std::find(order.begin(), order.end(), dim) != order.end(); };
  std::vector<int> result;
  result.reserve(order.size());
  for (int dim : constraint.inner)
    if (present(dim)) result.push_back(dim);
  for (int dim : order)
    if (!named(dim)) result.push_back(dim);
  for (int dim : constraint.outer)
    if (present(dim)) result.push_back(dim);
  order = std::move(result);
}

namespace {

bool Check(const MapConstraints& constraints, const Problem& problem, const Arch& arch,
           const Mapping& mapping, Sink out) {
  bool ok = true;
  for (size_t s = 0; s < constraints.levels.size() && s < mapping.levels.size(); ++s) {
    ok = CheckLevel(constraints.levels[s], mapping.levels[s], arch.storage[s].name, problem, out) &&
         ok;
    if (!ok && out == nullptr) return false;
  }
  if (constraints.min_parallelism > 0) {
    const double parallelism = Parallelism(arch, mapping);
    if (parallelism >= constraints.min_parallelism) return ok;
    if (out != nullptr)
      out->push_back({constraints.min_parallelism_where,
                      fmt::format("spatial utilization {:.4g} is below the minimum {:.4g}",
                                  parallelism, constraints.min_parallelism)});
    return false;
  }
  return ok;
}

}  // namespace

std::vector<ConstraintViolation> CheckConstraints(const MapConstraints& constraints,
                                                  const Problem& problem, const Arch& arch,
                                                  const Mapping& mapping) {
  std::vector<ConstraintViolation> out;
  Check(constraints, problem, arch, mapping, &out);
  return out;
}

bool SatisfiesConstraints(const MapConstraints& constraints, const Problem& problem,
                          const Arch& arch, const Mapping& mapping) {
  return Check(constraints, problem, arch, mapping, nullptr);
}

}  // namespace tessel
