#include "tessel/mapper/cosa_formulation.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "tessel/mapper/cosa_rows.h"

namespace tessel {

namespace {

constexpr double kSlack = 1e-7;  // absorbs rounding of ln() sums at the bounds

using Exp = CosaFormulation::Exponent;

void AddExponents(const MapSpace& space, CosaFormulation& f) {
  for (int l = 0; l < space.num_levels(); ++l) {
    for (size_t d = 0; d < space.problem.dims.size(); ++d) {
      std::map<std::int64_t, int> multiplicity;
      for (std::int64_t p : space.prime_factors[d]) ++multiplicity[p];
      for (const auto& [p, m] : multiplicity) {
        for (LoopKind k : {kTemporal, kSpatialX, kSpatialY}) {
          if (k == kSpatialX && space.max_fanout_x[l] < p) continue;
          if (k == kSpatialY && space.max_fanout_y[l] < p) continue;
          if (k == kSpatialX && !space.AllowsAxis(l, static_cast<int>(d), SpatialAxis::kX))
            continue;
          if (k == kSpatialY && !space.AllowsAxis(l, static_cast<int>(d), SpatialAxis::kY))
            continue;
          std::string name = "e_" + std::to_string(l) + "_" + space.problem.dims[d].name + "_" +
                             std::to_string(p) + "_" + "TXY"[k];
          int var = f.model.AddVariable(name, 0, m, true);
          f.exponents.push_back({var, l, static_cast<int>(d), p, k});
        }
      }
    }
  }
}

// A binary per keep entry the mapspace leaves free (1 = keep), when the keep is the MIP's to
// choose.
void AddKeepVariables(const MapSpace& space, bool free_keep, CosaFormulation& f) {
  const int tensors = static_cast<int>(space.problem.data_spaces.size());
  f.keep.assign(space.num_levels(), std::vector<int>(tensors, -1));
  for (int l = 0; l < space.num_levels() && free_keep; ++l)
    for (int v = 0; v < tensors; ++v)
      if (space.keep_free[l][v])
        f.keep[l][v] = f.model.AddBinary("keep_" + std::to_string(l) + "_" +
                                         space.problem.data_spaces[v].name);
}

void AddFactorRows(const MapSpace& space, CosaFormulation& f) {
  std::map<std::pair<int, std::int64_t>, std::vector<MipTerm>> rows;
  for (const Exp& e : f.exponents) rows[{e.dim, e.prime}].push_back({e.var, 1});
  for (auto& [key, terms] : rows) {
    double m = static_cast<double>(std::count(space.prime_factors[key.first].begin(),
                                              space.prime_factors[key.first].end(), key.second));
    f.model.AddConstraint("factor", std::move(terms), m, m);
  }
}

// The constraints' factor bounds per (level, dimension, temporal | spatial): an exact factor fixes
// each prime's exponent sum; min and max bound ln(factor) = sum ln(p) e.
void AddConstraintRows(const MapSpace& space, const CosaBuilder& b, CosaFormulation& f) {
  for (int l = 0; l < space.num_levels(); ++l) {
    const LevelConstraints& level = space.constraints.levels[l];
    for (int d = 0; d < static_cast<int>(space.problem.dims.size()); ++d) {
      for (bool spatial : {false, true}) {
        const FactorLimit& limit = spatial ? level.spatial[d] : level.temporal[d];
        if (limit.IsFree()) continue;
        auto pick = [&](const Exp& e) {
          return e.level == l && e.dim == d && (e.kind != kTemporal) == spatial;
        };
        if (limit.exact > 0) {
          std::map<std::int64_t, int> wanted;
          for (std::int64_t p : PrimeFactors(limit.exact)) ++wanted[p];
          std::map<std::int64_t, std::vector<MipTerm>> rows;
          for (const Exp& e : f.exponents)
            if (pick(e)) rows[e.prime].push_back({e.var, 1});
          for (auto& [p, terms] : rows)
            f.model.AddConstraint("fixed_factor", std::move(terms), wanted[p], wanted[p]);
          continue;
        }
        std::vector<MipTerm> terms;
        b.Append(terms, 1, pick);
        if (terms.empty()) continue;
        const double lower =
            limit.min > 1 ? std::log(static_cast<double>(limit.min)) - kSlack : -kInfinity;
        const double upper =
            limit.max > 0 ? std::log(static_cast<double>(limit.max)) + kSlack : kInfinity;
        f.model.AddConstraint("factor_bound", std::move(terms), lower, upper);
      }
    }
  }
}

void AddFanoutRows(const MapSpace& space, const CosaBuilder& b, CosaFormulation& f) {
  for (int l = 0; l < space.num_levels(); ++l) {
    for (LoopKind k : {kSpatialX, kSpatialY}) {
      std::int64_t limit = k == kSpatialX ? space.max_fanout_x[l] : space.max_fanout_y[l];
      if (limit <= 1) continue;
      std::vector<MipTerm> terms;
      b.Append(terms, 1, [&](const Exp& e) { return e.level == l && e.kind == k; });
      if (!terms.empty())
        f.model.AddConstraint("fanout", std::move(terms), -kInfinity,
                              std::log(static_cast<double>(limit)) + kSlack);
    }
  }
}

// ln of the factor kSafe adds to data space v's tile: its ranks' largest coefficients.
double WindowSlack(const Problem& problem, int v) {
  double slack = 0;
  for (const Rank& rank : problem.data_spaces[v].ranks) {
    std::int64_t largest = 1;
    for (const ProjectionTerm& term : rank.terms) largest = std::max(largest, term.coefficient);
    slack += std::log(static_cast<double>(largest));
  }
  return slack;
}

// ln(tile of v at level l) as terms.
std::vector<MipTerm> TileTerms(const CosaBuilder& b, int l, int v) {
  std::vector<MipTerm> terms;
  b.Append(terms, 1, [&](const Exp& e) { return e.level <= l && b.Relevant(v, e.dim); });
  return terms;
}

// Each tensor kept at a level gets the capacity over the number of tensors kept there:
//   ln(tile v) <= ln(capacity) - ln(1 + others kept)   when v is kept.
// ln(1 + others) is taken exactly for the fixed ones and along its chord for the free ones (exact
// when none or all of them are kept). A level too small for one word of v (the right side below
// 0) cannot keep it.
void AddCapacityRows(const MapSpace& space, const CosaBuilder& b, WindowBound window) {
  const int tensors = static_cast<int>(space.problem.data_spaces.size());
  for (int l = 0; l < space.num_levels(); ++l) {
    std::optional<std::int64_t> capacity = space.arch.storage[l].EffectiveSizeWords();
    if (!capacity) continue;
    for (int v = 0; v < tensors; ++v) {
      if (!b.MayKeep(l, v)) continue;
      int fixed_others = 0;
      std::vector<int> free_others;
      for (int u = 0; u < tensors; ++u) {
        if (u == v) continue;
        if (b.MustKeep(l, u)) ++fixed_others;
        if (b.KeepVar(l, u) >= 0) free_others.push_back(b.KeepVar(l, u));
      }
      const double slack = window == WindowBound::kSafe ? WindowSlack(space.problem, v) : 0.0;
      double base = std::log(static_cast<double>(*capacity)) - std::log(1.0 + fixed_others) - slack;
      if (b.MustKeep(l, v)) base = std::max(0.0, base);
      std::vector<MipTerm> terms = TileTerms(b, l, v);
      if (!free_others.empty()) {
        const double n = static_cast<double>(free_others.size());
        const double chord = (std::log(1.0 + fixed_others + n) - std::log(1.0 + fixed_others)) / n;
        for (int k : free_others) terms.push_back({k, chord});
      }
      // As sum(-terms) >= -base, enforced when v is kept.
      for (MipTerm& t : terms) t.coef = -t.coef;
      KeepCondition when;
      if (b.KeepVar(l, v) >= 0) when.kept.push_back(b.KeepVar(l, v));
      b.AddRowWhen("capacity", std::move(terms), -base - kSlack, when);
    }
  }
}

// Stationarity and refetch variables per (level, data space), with
//   refetch >= ln(temporal factors at the level irrelevant to v) - M x stationary,
// M the largest value that sum can take (also refetch's upper bound), and at most one stationary
// tensor per level.
void AddOrderVariables(const MapSpace& space, const CosaBuilder& b, CosaFormulation& f) {
  const int levels = space.num_levels();
  const int tensors = static_cast<int>(space.problem.data_spaces.size());
  f.stationary.assign(levels, std::vector<int>(tensors, -1));
  f.refetch.assign(levels, std::vector<int>(tensors, -1));
  for (int l = 0; l < levels; ++l) {
    std::vector<MipTerm> one_stationary;
    for (int v = 0; v < tensors; ++v) {
      std::vector<MipTerm> row;
      b.Append(row, -1, [&](const Exp& e) {
        return e.level == l && e.kind == kTemporal && !b.Relevant(v, e.dim);
      });
      if (row.empty()) continue;
      double big_m = 0;
      for (const MipTerm& t : row) big_m -= t.coef * f.model.variables()[t.var].upper;
      std::string tag = std::to_string(l) + "_" + space.problem.data_spaces[v].name;
      f.stationary[l][v] = f.model.AddBinary("stationary_" + tag);
      f.refetch[l][v] = f.model.AddVariable("refetch_" + tag, 0, big_m, false);
      row.push_back({f.refetch[l][v], 1});
      row.push_back({f.stationary[l][v], big_m});
      f.model.AddConstraint("order", std::move(row), 0, kInfinity);
      one_stationary.push_back({f.stationary[l][v], 1});
    }
    if (one_stationary.size() > 1)
      f.model.AddConstraint("one_stationary", std::move(one_stationary), -kInfinity, 1);
  }
}

// z >= ln(compute cycles) = ln(MACs) - ln(spatial factors); the bandwidth rows are in
// cosa_bandwidth.cc.
void AddComputeRow(const MapSpace& space, const CosaBuilder& b, CosaFormulation& f, int z) {
  double macs = static_cast<double>(space.problem.TotalOperations());
  std::vector<MipTerm> compute{{z, 1}};
  b.Append(compute, 1, [](const Exp& e) { return e.kind != kTemporal; });
  f.model.AddConstraint("compute", std::move(compute), std::log(macs), kInfinity);
}

// -weight x ln(tile) for every tensor a level below the outermost keeps (CoSA's utilisation
// term); for a free keep entry through u <= ln(tile), u <= M x keep.
void AddUtilizationObjective(const MapSpace& space, const CosaBuilder& b, double weight,
                             std::vector<MipTerm>& objective) {
  if (weight == 0) return;
  for (int l = 0; l + 1 < space.num_levels(); ++l) {
    for (int v = 0; v < static_cast<int>(space.problem.data_spaces.size()); ++v) {
      if (!b.MayKeep(l, v)) continue;
      std::vector<MipTerm> tile = TileTerms(b, l, v);
      if (b.KeepVar(l, v) < 0) {
        for (const MipTerm& t : tile) objective.push_back({t.var, -weight * t.coef});
        continue;
      }
      const double most = b.MaxOf(tile);
      const int u = b.model().AddVariable("tile", 0, most, false);
      tile.push_back({u, -1});
      b.model().AddConstraint("tile", std::move(tile), 0, kInfinity);
      b.model().AddConstraint("tile_kept", {{u, -1}, {b.KeepVar(l, v), most}}, 0, kInfinity);
      objective.push_back({u, -weight});
    }
  }
}

}  // namespace

bool HasStridedRanks(const Problem& problem) {
  for (size_t v = 0; v < problem.data_spaces.size(); ++v)
    if (WindowSlack(problem, static_cast<int>(v)) > 0) return true;
  return false;
}

CosaFormulation BuildCosaFormulation(const MapSpace& space, const CosaWeights& weights,
                                     WindowBound window, bool free_keep) {
  CosaFormulation f;
  CosaBuilder b(space, f);
  AddExponents(space, f);
  AddKeepVariables(space, free_keep, f);
  AddFactorRows(space, f);
  AddFanoutRows(space, b, f);
  AddConstraintRows(space, b, f);
  AddCapacityRows(space, b, window);
  AddOrderVariables(space, b, f);
  // z = ln(cycles) >= 0.
  int z = f.model.AddVariable("z_latency", 0, kInfinity, false);
  AddComputeRow(space, b, f, z);
  AddBandwidthRows(b, z);

  std::vector<MipTerm> obj;
  obj.push_back({z, weights.latency});
  // CoSA's compute term, ln(temporal iterations) = ln(MACs) - ln(spatial factors), up to a
  // constant: where a bandwidth row pins z, it still prefers the mapping with more parallelism.
  b.Append(obj, -weights.compute, [](const Exp& e) { return e.kind != kTemporal; });
  if (weights.traffic != 0) AddTrafficObjective(b, weights.traffic, obj);
  AddUtilizationObjective(space, b, weights.utilization, obj);
  f.model.SetObjective(std::move(obj));
  return f;
}

void ForbidSpatial(CosaFormulation& f, int level, int dim) {
  std::vector<MipTerm> terms;
  for (const Exp& e : f.exponents)
    if (e.level == level && e.dim == dim && e.kind != kTemporal) terms.push_back({e.var, 1});
  if (!terms.empty()) f.model.AddConstraint("forbid_spatial", std::move(terms), 0, 0);
}

Tiling DecodeCosaSolution(const MapSpace& space, const CosaFormulation& formulation,
                          const std::vector<double>& values) {
  Tiling t = OutermostTiling(space);
  for (auto& level : t.factor)
    for (auto& dim : level) dim = {1, 1, 1};
  for (const Exp& e : formulation.exponents) {
    long long exponent = std::llround(values[e.var]);
    for (long long i = 0; i < exponent; ++i) t.factor[e.level][e.dim][e.kind] *= e.prime;
  }
  for (int l = 0; l < space.num_levels(); ++l)
    for (size_t v = 0; v < t.keep[l].size(); ++v)
      if (formulation.keep[l][v] >= 0)
        t.keep[l][v] = std::llround(values[formulation.keep[l][v]]) == 1;
  // Order: the stationary tensor's irrelevant dimensions innermost; without one, dimensions
  // irrelevant to more tensors go inside.
  const int dims = static_cast<int>(space.problem.dims.size());
  const int tensors = static_cast<int>(space.problem.data_spaces.size());
  for (int l = 0; l < space.num_levels(); ++l) {
    std::vector<int> rank(dims, 0);  // higher goes innermost
    for (int d = 0; d < dims; ++d)
      for (int v = 0; v < tensors; ++v)
        if (!space.problem.IsRelevant(v, d)) ++rank[d];
    for (int v = 0; v < tensors; ++v) {
      int var = formulation.stationary[l][v];
      if (var < 0 || std::llround(values[var]) != 1) continue;
      for (int d = 0; d < dims; ++d)
        if (!space.problem.IsRelevant(v, d)) rank[d] += tensors + 1;
    }
    std::stable_sort(t.order[l].begin(), t.order[l].end(),
                     [&](int a, int b) { return rank[a] > rank[b]; });
  }
  return t;
}

}  // namespace tessel
