#include "tessel/mapper/cosa_formulation.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace tessel {

namespace {

constexpr double kSlack = 1e-7;  // absorbs rounding of ln() sums at the bounds

// Builds linear expressions over the exponent variables.
class Builder {
 public:
  Builder(const MapSpace& space, CosaFormulation& f) : space_(space), f_(f) {}

  void AddExponents() {
    for (int l = 0; l < space_.num_levels(); ++l) {
      for (size_t d = 0; d < space_.problem.dims.size(); ++d) {
        std::map<std::int64_t, int> multiplicity;
        for (std::int64_t p : space_.prime_factors[d]) ++multiplicity[p];
        for (const auto& [p, m] : multiplicity) {
          for (LoopKind k : {kTemporal, kSpatialX, kSpatialY}) {
            if (k == kSpatialX && space_.max_fanout_x[l] < p) continue;
            if (k == kSpatialY && space_.max_fanout_y[l] < p) continue;
            if (k == kSpatialX && !space_.AllowsAxis(l, static_cast<int>(d), SpatialAxis::kX))
              continue;
            if (k == kSpatialY && !space_.AllowsAxis(l, static_cast<int>(d), SpatialAxis::kY))
              continue;
            std::string name = "e_" + std::to_string(l) + "_" + space_.problem.dims[d].name + "_" +
                               std::to_string(p) + "_" + "TXY"[k];
            int var = f_.model.AddVariable(name, 0, m, true);
            f_.exponents.push_back({var, l, static_cast<int>(d), p, k});
          }
        }
      }
    }
  }

  // sum of ln(p) e over exponents accepted by `pick`, scaled by `scale`.
  template <typename Pick>
  void Append(std::vector<MipTerm>& terms, double scale, Pick pick) const {
    for (const auto& e : f_.exponents)
      if (pick(e)) terms.push_back({e.var, scale * std::log(static_cast<double>(e.prime))});
  }

  bool Relevant(int space, int dim) const { return space_.problem.IsRelevant(space, dim); }

 private:
  const MapSpace& space_;
  CosaFormulation& f_;
};

using Exp = CosaFormulation::Exponent;

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
void AddConstraintRows(const MapSpace& space, const Builder& b, CosaFormulation& f) {
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
        const double lower = limit.min > 1 ? std::log(static_cast<double>(limit.min)) - kSlack
                                           : -kInfinity;
        const double upper = limit.max > 0 ? std::log(static_cast<double>(limit.max)) + kSlack
                                           : kInfinity;
        f.model.AddConstraint("factor_bound", std::move(terms), lower, upper);
      }
    }
  }
}

void AddFanoutRows(const MapSpace& space, const Builder& b, CosaFormulation& f) {
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

int KeptCount(const MapSpace& space, int level) {
  return static_cast<int>(std::count(space.keep[level].begin(), space.keep[level].end(), true));
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

void AddCapacityRows(const MapSpace& space, const Builder& b, WindowBound window,
                     CosaFormulation& f) {
  for (int l = 0; l < space.num_levels(); ++l) {
    std::optional<std::int64_t> capacity = space.arch.storage[l].EffectiveSizeWords();
    if (!capacity) continue;
    double share = static_cast<double>(*capacity) / std::max(1, KeptCount(space, l));
    for (size_t v = 0; v < space.problem.data_spaces.size(); ++v) {
      if (!space.keep[l][v]) continue;
      std::vector<MipTerm> terms;
      b.Append(terms, 1, [&](const Exp& e) {
        return e.level <= l && b.Relevant(static_cast<int>(v), e.dim);
      });
      double slack =
          window == WindowBound::kSafe ? WindowSlack(space.problem, static_cast<int>(v)) : 0.0;
      if (!terms.empty())
        f.model.AddConstraint("capacity", std::move(terms), -kInfinity,
                              std::max(0.0, std::log(std::max(1.0, share)) - slack) + kSlack);
    }
  }
}

// Stationarity and refetch variables per (level, data space), with
//   refetch >= ln(temporal factors at the level irrelevant to v) - M x
//   stationary,
// M the largest value that sum can take, and at most one stationary tensor per level.
void AddOrderVariables(const MapSpace& space, const Builder& b, CosaFormulation& f) {
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
      f.refetch[l][v] = f.model.AddVariable("refetch_" + tag, 0, kInfinity, false);
      row.push_back({f.refetch[l][v], 1});
      row.push_back({f.stationary[l][v], big_m});
      f.model.AddConstraint("order", std::move(row), 0, kInfinity);
      one_stationary.push_back({f.stationary[l][v], 1});
    }
    if (one_stationary.size() > 1)
      f.model.AddConstraint("one_stationary", std::move(one_stationary), -kInfinity, 1);
  }
}

// ln(words the parent of kept pair (child, parent) serves to v per parent instance), up to the
// constant ln(tensor v): minus the relevant spatial factors above the parent (one instance's
// share), plus refetches: the order-dependent ones (strict: at the level above the child, and every
// irrelevant temporal factor further up; else at every level up to the parent), and every
// irrelevant temporal factor above the parent.
void AppendParentReads(const Builder& b, const CosaFormulation& f, int v, int child, int parent,
                       std::vector<MipTerm>& terms, double w, bool strict) {
  b.Append(terms, -w, [&](const Exp& e) {
    return e.level > parent && e.kind != kTemporal && b.Relevant(v, e.dim);
  });
  b.Append(terms, w, [&](const Exp& e) {
    return e.level > parent && e.kind == kTemporal && !b.Relevant(v, e.dim);
  });
  if (!strict) {
    for (int l = child + 1; l <= parent; ++l)
      if (f.refetch[l][v] >= 0) terms.push_back({f.refetch[l][v], w});
    return;
  }
  // Strictly, only the level right above the child can keep v stationary by its order: irrelevant
  // loops further up sit outside that level's loops, which refetch v if any is relevant to it.
  if (f.refetch[child + 1][v] >= 0) terms.push_back({f.refetch[child + 1][v], w});
  b.Append(terms, w, [&](const Exp& e) {
    return e.level > child + 1 && e.level <= parent && e.kind == kTemporal && !b.Relevant(v, e.dim);
  });
}

std::vector<int> KeptLevels(const MapSpace& space, int v) {
  std::vector<int> levels;
  for (int l = 0; l < space.num_levels(); ++l)
    if (space.keep[l][v]) levels.push_back(l);
  return levels;
}

// The bandwidth a parent spends on tensor v, and the tensors that share it. Timeloop limits a
// level's reads by its read bandwidth and its fills and updates by its write bandwidth (or both by
// a shared one): a parent reads the tiles of read-only tensors down to its child, and receives
// updates of read-write tensors (outputs) from it.
struct Port {
  std::optional<double> bandwidth;
  double share = 1;  // 1 + (other tensors on the port) / (tensor v), sizes in words
};

// The sum over tensors of a level's words is not linear in log space; this takes the other tensors'
// traffic at their size (their fewest possible accesses), so z >= ln(words of v) + ln(share) -
// ln(bandwidth). Each tensor's own row carries its refetches.
Port ParentPort(const MapSpace& space, int v, int parent) {
  const StorageLevel& level = space.arch.storage[parent];
  const Problem& problem = space.problem;
  bool writes = problem.data_spaces[v].read_write;
  Port port;
  port.bandwidth = writes ? level.write_bandwidth : level.read_bandwidth;
  bool shared = !port.bandwidth;
  if (shared) port.bandwidth = level.shared_bandwidth;
  double others = 0;
  for (size_t u = 0; u < problem.data_spaces.size(); ++u) {
    bool same_port = shared || problem.data_spaces[u].read_write == writes;
    if (static_cast<int>(u) != v && space.keep[parent][u] && same_port)
      others += static_cast<double>(problem.DataSpaceSize(static_cast<int>(u)));
  }
  port.share = 1 + others / static_cast<double>(problem.DataSpaceSize(v));
  return port;
}

// z >= ln(compute cycles) and z >= ln(words a bandwidth-limited level serves / bandwidth).
void AddLatencyRows(const MapSpace& space, const Builder& b, CosaFormulation& f, int z) {
  double macs = static_cast<double>(space.problem.TotalOperations());
  std::vector<MipTerm> compute{{z, 1}};
  b.Append(compute, 1, [](const Exp& e) { return e.kind != kTemporal; });
  f.model.AddConstraint("compute", std::move(compute), std::log(macs), kInfinity);
  for (size_t v = 0; v < space.problem.data_spaces.size(); ++v) {
    std::vector<int> kept = KeptLevels(space, static_cast<int>(v));
    double tensor = std::log(static_cast<double>(space.problem.DataSpaceSize(static_cast<int>(v))));
    for (size_t i = 0; i + 1 < kept.size(); ++i) {
      Port port = ParentPort(space, static_cast<int>(v), kept[i + 1]);
      if (!port.bandwidth || *port.bandwidth <= 0) continue;
      std::vector<MipTerm> terms{{z, 1}};
      AppendParentReads(b, f, static_cast<int>(v), kept[i], kept[i + 1], terms, -1, false);
      double rhs = tensor + std::log(port.share) - std::log(*port.bandwidth);
      f.model.AddConstraint("bandwidth", std::move(terms), rhs, kInfinity);
    }
  }
}

void AddTrafficObjective(const MapSpace& space, const Builder& b, const CosaFormulation& f,
                         double weight, std::vector<MipTerm>& objective) {
  for (size_t v = 0; v < space.problem.data_spaces.size(); ++v) {
    std::vector<int> kept = KeptLevels(space, static_cast<int>(v));
    for (size_t i = 0; i + 1 < kept.size(); ++i)
      AppendParentReads(b, f, static_cast<int>(v), kept[i], kept[i + 1], objective, weight, true);
  }
}

void AddUtilizationObjective(const MapSpace& space, const Builder& b, double weight,
                             std::vector<MipTerm>& objective) {
  for (int l = 0; l + 1 < space.num_levels(); ++l)
    for (size_t v = 0; v < space.problem.data_spaces.size(); ++v)
      if (space.keep[l][v])
        b.Append(objective, -weight, [&](const Exp& e) {
          return e.level <= l && b.Relevant(static_cast<int>(v), e.dim);
        });
}

}  // namespace

bool HasStridedRanks(const Problem& problem) {
  for (size_t v = 0; v < problem.data_spaces.size(); ++v)
    if (WindowSlack(problem, static_cast<int>(v)) > 0) return true;
  return false;
}

CosaFormulation BuildCosaFormulation(const MapSpace& space, const CosaWeights& weights,
                                     WindowBound window) {
  CosaFormulation f;
  Builder b(space, f);
  b.AddExponents();
  AddFactorRows(space, f);
  AddFanoutRows(space, b, f);
  AddConstraintRows(space, b, f);
  AddCapacityRows(space, b, window, f);
  AddOrderVariables(space, b, f);
  int z = f.model.AddVariable("z_latency", -kInfinity, kInfinity, false);
  AddLatencyRows(space, b, f, z);

  std::vector<MipTerm> obj;
  obj.push_back({z, weights.latency});
  // CoSA's compute term, ln(temporal iterations) = ln(MACs) - ln(spatial factors), up to a
  // constant: where a bandwidth row pins z, it still prefers the mapping with more parallelism.
  b.Append(obj, -weights.compute, [](const Exp& e) { return e.kind != kTemporal; });
  if (weights.traffic != 0) AddTrafficObjective(space, b, f, weights.traffic, obj);
  AddUtilizationObjective(space, b, weights.utilization, obj);
  f.model.SetObjective(std::move(obj));
  return f;
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
