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
            std::string name = "e_" + std::to_string(l) + "_" + space_.problem.dims[d].name +
                               "_" + std::to_string(p) + "_" + "TXY"[k];
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

void AddCapacityRows(const MapSpace& space, const Builder& b, CosaFormulation& f) {
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
      if (!terms.empty())
        f.model.AddConstraint("capacity", std::move(terms), -kInfinity,
                              std::log(std::max(1.0, share)) + kSlack);
    }
  }
}

// ln(words the kept level `child` receives) up to a constant, and the extra ln(distinct tiles)
// its parent reads, for data space v.
void AppendReceived(const Builder& b, int v, int child, std::vector<MipTerm>& terms, double w) {
  b.Append(terms, -w, [&](const Exp& e) {
    return e.level > child && e.kind != kTemporal && b.Relevant(v, e.dim);
  });
  b.Append(terms, w, [&](const Exp& e) {
    return e.level > child + 1 && e.kind == kTemporal && !b.Relevant(v, e.dim);
  });
}

void AppendParentReads(const Builder& b, int v, int child, int parent,
                       std::vector<MipTerm>& terms, double w) {
  AppendReceived(b, v, child, terms, w);
  b.Append(terms, w, [&](const Exp& e) {
    return e.level > child && e.level <= parent && e.kind != kTemporal && b.Relevant(v, e.dim);
  });
}

std::vector<int> KeptLevels(const MapSpace& space, int v) {
  std::vector<int> levels;
  for (int l = 0; l < space.num_levels(); ++l)
    if (space.keep[l][v]) levels.push_back(l);
  return levels;
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
      const StorageLevel& parent = space.arch.storage[kept[i + 1]];
      std::optional<double> bw = parent.read_bandwidth ? parent.read_bandwidth
                                                       : parent.shared_bandwidth;
      if (!bw || *bw <= 0) continue;
      // z - ln(reads) >= ln(kept tensors) - ln(bandwidth): the tensors share the bandwidth.
      std::vector<MipTerm> terms{{z, 1}};
      AppendParentReads(b, static_cast<int>(v), kept[i], kept[i + 1], terms, -1);
      double rhs = tensor + std::log(std::max(1, KeptCount(space, kept[i + 1]))) - std::log(*bw);
      f.model.AddConstraint("bandwidth", std::move(terms), rhs, kInfinity);
    }
  }
}

void AddTrafficObjective(const MapSpace& space, const Builder& b, double weight,
                         std::vector<MipTerm>& objective) {
  for (size_t v = 0; v < space.problem.data_spaces.size(); ++v) {
    std::vector<int> kept = KeptLevels(space, static_cast<int>(v));
    for (size_t i = 0; i + 1 < kept.size(); ++i)
      AppendParentReads(b, static_cast<int>(v), kept[i], kept[i + 1], objective, weight);
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

CosaFormulation BuildCosaFormulation(const MapSpace& space, Objective objective,
                                     const CosaWeights& weights) {
  CosaFormulation f;
  Builder b(space, f);
  b.AddExponents();
  AddFactorRows(space, f);
  AddFanoutRows(space, b, f);
  AddCapacityRows(space, b, f);
  int z = f.model.AddVariable("z_latency", -kInfinity, kInfinity, false);
  AddLatencyRows(space, b, f, z);

  std::vector<MipTerm> obj;
  double latency_weight = objective == Objective::kEnergy ? 0.1 : 1.0;
  double traffic_weight = weights.traffic * (objective == Objective::kLatency ? 0.05 : 0.5);
  obj.push_back({z, latency_weight * weights.compute});
  AddTrafficObjective(space, b, traffic_weight, obj);
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
  // Order: dimensions irrelevant to more tensors go inside (their loops keep tiles stationary).
  int dims = static_cast<int>(space.problem.dims.size());
  std::vector<int> irrelevance(dims, 0);
  for (int d = 0; d < dims; ++d)
    for (size_t v = 0; v < space.problem.data_spaces.size(); ++v)
      if (!space.problem.IsRelevant(static_cast<int>(v), d)) ++irrelevance[d];
  for (auto& order : t.order) {
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return irrelevance[a] > irrelevance[b]; });
  }
  return t;
}

}  // namespace tessel
