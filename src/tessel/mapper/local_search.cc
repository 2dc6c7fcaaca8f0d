#include "tessel/mapper/local_search.h"

#include <algorithm>
#include <functional>
#include <numeric>
#include <optional>

namespace tessel {

MappingScore ScoreOf(const Cost& cost, Objective objective) {
  switch (objective) {
    case Objective::kLatency:
      return {static_cast<double>(cost.cycles), cost.energy_pJ};
    case Objective::kEnergy:
      return {cost.energy_pJ, static_cast<double>(cost.cycles)};
    case Objective::kEdp:
      return {static_cast<double>(cost.cycles) * cost.energy_pJ, static_cast<double>(cost.cycles)};
  }
  return {};
}

Evaluation EvaluateTiling(const MapSpace& space, const Tiling& tiling) {
  const Mapping mapping = MappingFromTiling(space, tiling);
  if (!SatisfiesConstraints(space, mapping)) {
    Evaluation invalid;
    invalid.invalid_reason = "the mapping breaks a mapspace constraint";
    return invalid;
  }
  return Evaluate(space.problem, space.arch, mapping);
}

double CapacityOverflow(const MapSpace& space, const Tiling& tiling) {
  const Problem& problem = space.problem;
  const int dims = static_cast<int>(problem.dims.size());
  std::vector<std::int64_t> below(dims, 1);  // product of factors at levels <= l
  double overflow = 0;
  for (int l = 0; l < space.num_levels(); ++l) {
    for (int d = 0; d < dims; ++d)
      for (std::int64_t f : tiling.factor[l][d]) below[d] *= f;
    std::optional<std::int64_t> capacity = space.arch.storage[l].EffectiveSizeWords();
    if (!capacity) continue;
    double words = 0;
    for (size_t v = 0; v < problem.data_spaces.size(); ++v) {
      if (!tiling.keep[l][v]) continue;
      double tile = 1;
      for (const Rank& rank : problem.data_spaces[v].ranks) {
        std::int64_t extent = 1;
        for (const ProjectionTerm& term : rank.terms)
          extent += term.coefficient * (below[term.dim] - 1);
        tile *= static_cast<double>(extent);
      }
      words += tile;
    }
    overflow += std::max(0.0, words - static_cast<double>(*capacity));
  }
  return overflow;
}

Tiling RepairCapacity(const MapSpace& space, Tiling tiling) {
  const int dims = static_cast<int>(space.problem.dims.size());
  double overflow = CapacityOverflow(space, tiling);
  while (!EvaluateTiling(space, tiling).ok()) {
    Tiling best = tiling;
    double best_overflow = overflow;
    for (int l = 0; l + 1 < space.num_levels(); ++l) {
      for (int d = 0; d < dims; ++d) {
        for (int k = 0; k < kNumLoopKinds; ++k) {
          std::int64_t f = tiling.factor[l][d][k];
          if (f == 1) continue;
          std::int64_t p = PrimeFactors(f).front();
          // Outward to the first level whose temporal factor of d may grow.
          int to = l + 1;
          while (to + 1 < space.num_levels() &&
                 !space.AllowsTemporal(to, d, tiling.factor[to][d][kTemporal] * p))
            ++to;
          Tiling moved = tiling;
          moved.factor[l][d][k] /= p;
          moved.factor[to][d][kTemporal] *= p;
          double o = CapacityOverflow(space, moved);
          if (o < best_overflow) {
            best_overflow = o;
            best = std::move(moved);
          }
        }
      }
    }
    if (!(best_overflow < overflow)) break;  // no move helps: the caller sees it is invalid
    tiling = std::move(best);
    overflow = best_overflow;
  }
  return tiling;
}

namespace {

// The distinct primes of n >= 1, ascending.
std::vector<std::int64_t> UniquePrimes(std::int64_t n) {
  std::vector<std::int64_t> primes = PrimeFactors(n);
  primes.erase(std::unique(primes.begin(), primes.end()), primes.end());
  return primes;
}

// Shared bookkeeping of one search: the incumbent and the budget.
class Climber {
 public:
  Climber(const MapSpace& space, const Tiling& start, Objective objective,
          const SearchLimits& limits)
      : space_(space), objective_(objective), limits_(limits) {
    result_.tiling = start;
    result_.evaluation = EvaluateTiling(space, start);
    result_.evaluations = 1;
    if (result_.evaluation.ok()) best_ = ScoreOf(result_.evaluation.cost, objective);
  }

  bool OutOfBudget() {
    if (result_.evaluations >= limits_.max_evaluations) return true;
    if (std::chrono::steady_clock::now() >= limits_.deadline) {
      result_.hit_deadline = true;
      return true;
    }
    return false;
  }

  // Evaluates a candidate; adopts it when it is valid and better. Returns true if adopted.
  bool Try(const Tiling& candidate) {
    Evaluation eval = EvaluateTiling(space_, candidate);
    ++result_.evaluations;
    if (!eval.ok()) return false;
    MappingScore score = ScoreOf(eval.cost, objective_);
    if (!(score < best_)) return false;
    best_ = score;
    result_.tiling = candidate;
    result_.evaluation = std::move(eval);
    return true;
  }

  const Tiling& current() const { return result_.tiling; }
  bool valid() const { return result_.evaluation.ok(); }
  SearchResult Take() { return std::move(result_); }

 private:
  const MapSpace& space_;
  Objective objective_;
  SearchLimits limits_;
  SearchResult result_;
  MappingScore best_;
};

// The neighbours of a tiling, in a fixed order: every single-prime move between slots, every
// flip of a free keep/bypass choice, then every move of one loop to another position in its
// level's order. Neighbours that break a constraint are rejected when evaluated.
std::vector<Tiling> Neighbours(const MapSpace& space, const Tiling& t) {
  std::vector<Tiling> out;
  int levels = space.num_levels();
  int dims = static_cast<int>(space.problem.dims.size());
  for (int d = 0; d < dims; ++d) {
    std::vector<std::int64_t> primes = space.prime_factors[d];
    primes.erase(std::unique(primes.begin(), primes.end()), primes.end());
    for (std::int64_t p : primes) {
      for (int from = 0; from < levels * kNumLoopKinds; ++from) {
        int fl = from / kNumLoopKinds, fk = from % kNumLoopKinds;
        if (t.factor[fl][d][fk] % p != 0) continue;
        for (int to = 0; to < levels * kNumLoopKinds; ++to) {
          int tl = to / kNumLoopKinds, tk = to % kNumLoopKinds;
          if (to == from) continue;
          if (tk == kSpatialX && t.SpatialProduct(tl, kSpatialX) * p > space.max_fanout_x[tl])
            continue;
          if (tk == kSpatialY && t.SpatialProduct(tl, kSpatialY) * p > space.max_fanout_y[tl])
            continue;
          Tiling n = t;
          n.factor[fl][d][fk] /= p;
          n.factor[tl][d][tk] *= p;
          out.push_back(std::move(n));
        }
      }
    }
  }
  // Keep or bypass one tensor at one level, where the mapspace leaves it to the mapper.
  for (int l = 0; l < levels; ++l) {
    for (size_t v = 0; v < t.keep[l].size(); ++v) {
      if (!space.keep_free[l][v]) continue;
      Tiling n = t;
      n.keep[l][v] = !n.keep[l][v];
      out.push_back(std::move(n));
    }
  }
  for (int l = 0; l < levels; ++l) {
    std::vector<int> loops;  // positions of non-trivial temporal loops in the order
    for (int i = 0; i < dims; ++i)
      if (t.factor[l][t.order[l][i]][kTemporal] > 1) loops.push_back(i);
    for (size_t a = 0; a < loops.size(); ++a) {
      for (size_t b = 0; b < loops.size(); ++b) {
        if (a == b) continue;
        Tiling n = t;
        std::vector<int>& order = n.order[l];
        int dim = order[loops[a]];
        order.erase(order.begin() + loops[a]);
        order.insert(order.begin() + loops[b], dim);
        out.push_back(std::move(n));
      }
    }
  }
  return out;
}

// Moves that trade one prime factor of slot A for one of slot B (different dimensions): the
// capacity-neutral exchanges single moves cannot make when every slot is full, e.g. a factor of C
// down to the global buffer for a factor of P up to DRAM.
std::vector<Tiling> SwapNeighbours(const MapSpace& space, const Tiling& t) {
  std::vector<Tiling> out;
  const int levels = space.num_levels();
  const int dims = static_cast<int>(space.problem.dims.size());
  const int slots = levels * kNumLoopKinds;
  auto fits = [&](const Tiling& n, int slot) {
    int l = slot / kNumLoopKinds, k = slot % kNumLoopKinds;
    if (k == kSpatialX) return n.SpatialProduct(l, kSpatialX) <= space.max_fanout_x[l];
    if (k == kSpatialY) return n.SpatialProduct(l, kSpatialY) <= space.max_fanout_y[l];
    return true;
  };
  for (int a = 0; a < slots; ++a) {
    const int al = a / kNumLoopKinds, ak = a % kNumLoopKinds;
    for (int b = a + 1; b < slots; ++b) {
      const int bl = b / kNumLoopKinds, bk = b % kNumLoopKinds;
      for (int da = 0; da < dims; ++da) {
        if (t.factor[al][da][ak] == 1) continue;
        for (std::int64_t p : UniquePrimes(t.factor[al][da][ak])) {
          for (int db = 0; db < dims; ++db) {
            if (db == da || t.factor[bl][db][bk] == 1) continue;
            for (std::int64_t q : UniquePrimes(t.factor[bl][db][bk])) {
              Tiling n = t;
              n.factor[al][da][ak] /= p;
              n.factor[bl][da][bk] *= p;
              n.factor[bl][db][bk] /= q;
              n.factor[al][db][ak] *= q;
              if (fits(n, a) && fits(n, b)) out.push_back(std::move(n));
            }
          }
        }
      }
    }
  }
  return out;
}

// Every maximal way to fill axis `kind` of level l: a factor per dimension that divides its bound
// (1 where the axis may not carry it), the product within the fan-out and no prime left that would
// still fit. At most `cap` of them, in a fixed order.
std::vector<std::vector<std::int64_t>> SpatialAssignments(const MapSpace& space, int l,
                                                          LoopKind kind, std::size_t cap) {
  const int dims = static_cast<int>(space.problem.dims.size());
  const std::int64_t room = kind == kSpatialX ? space.max_fanout_x[l] : space.max_fanout_y[l];
  const SpatialAxis axis = kind == kSpatialX ? SpatialAxis::kX : SpatialAxis::kY;
  std::vector<std::vector<std::int64_t>> out;
  std::vector<std::int64_t> current(dims, 1);
  std::function<void(int, std::int64_t)> visit = [&](int d, std::int64_t product) {
    if (out.size() >= cap) return;
    if (d == dims) {
      for (int e = 0; e < dims; ++e) {
        if (!space.AllowsAxis(l, e, axis)) continue;
        const std::int64_t bound = space.problem.dims[e].bound;
        for (std::int64_t p : UniquePrimes(bound))
          if (bound % (current[e] * p) == 0 && product * p <= room) return;  // not maximal
      }
      out.push_back(current);
      return;
    }
    const std::int64_t bound = space.problem.dims[d].bound;
    const bool allowed = space.AllowsAxis(l, d, axis);
    for (std::int64_t f = 1; f <= bound && product * f <= room; ++f) {
      if (bound % f != 0 || (f > 1 && !allowed)) continue;
      current[d] = f;
      visit(d + 1, product * f);
    }
    current[d] = 1;
  };
  visit(0, 1);
  return out;
}

// `t` with axis `kind` of level l holding `assignment` instead: the factors it held go to the
// temporal slot of their dimension at l or the first level outward whose constraints allow it;
// the new ones are taken from the dimension's temporal slots, outermost first, then from its other
// spatial slots. Nullopt when a dimension has not enough left to give.
std::optional<Tiling> Reassigned(const MapSpace& space, const Tiling& t, int l, LoopKind kind,
                                 const std::vector<std::int64_t>& assignment) {
  const int levels = space.num_levels();
  Tiling n = t;
  for (std::size_t d = 0; d < assignment.size(); ++d) {
    std::int64_t f = n.factor[l][d][kind];
    if (f == 1) continue;
    n.factor[l][d][kind] = 1;
    int to = l;
    while (to + 1 < levels &&
           !space.AllowsTemporal(to, static_cast<int>(d), n.factor[to][d][kTemporal] * f))
      ++to;
    n.factor[to][d][kTemporal] *= f;
  }
  for (std::size_t d = 0; d < assignment.size(); ++d) {
    std::int64_t need = assignment[d];
    for (int k : {kTemporal, kSpatialX, kSpatialY}) {
      for (int from = levels - 1; from >= 0 && need > 1; --from) {
        if (from == l && k == kind) continue;
        std::int64_t g = std::gcd(need, n.factor[from][d][k]);
        n.factor[from][d][k] /= g;
        need /= g;
      }
    }
    if (need > 1) return std::nullopt;
    n.factor[l][d][kind] = assignment[d];
  }
  return n;
}

// Moves that replace a level's whole spatial assignment on one axis (which dimensions are spread
// over its instances, and by how much), or exchange its X and Y assignments: the changes single
// factor moves cannot make, since every intermediate step leaves PEs idle.
std::vector<Tiling> SpatialNeighbours(const MapSpace& space, const Tiling& t) {
  constexpr std::size_t kMaxAssignments = 256;
  std::vector<Tiling> out;
  for (int l = 0; l < space.num_levels(); ++l) {
    if (!space.CanFanOut(l)) continue;
    for (LoopKind kind : {kSpatialX, kSpatialY}) {
      if ((kind == kSpatialX ? space.max_fanout_x[l] : space.max_fanout_y[l]) <= 1) continue;
      for (const auto& assignment : SpatialAssignments(space, l, kind, kMaxAssignments)) {
        bool same = true;
        for (std::size_t d = 0; d < assignment.size(); ++d)
          same = same && assignment[d] == t.factor[l][d][kind];
        if (same) continue;
        std::optional<Tiling> n = Reassigned(space, t, l, kind, assignment);
        if (n) out.push_back(std::move(*n));
      }
    }
    Tiling swapped = t;
    for (auto& per_kind : swapped.factor[l]) std::swap(per_kind[kSpatialX], per_kind[kSpatialY]);
    if (swapped.SpatialProduct(l, kSpatialX) <= space.max_fanout_x[l] &&
        swapped.SpatialProduct(l, kSpatialY) <= space.max_fanout_y[l] && swapped.factor != t.factor)
      out.push_back(std::move(swapped));
  }
  return out;
}

}  // namespace

SearchResult ImproveTiling(const MapSpace& space, const Tiling& start, Objective objective,
                           const SearchLimits& limits) {
  Climber climber(space, start, objective, limits);
  if (!climber.valid()) return climber.Take();
  size_t resume = 0;  // continue the scan after the last improving neighbour
  // Single moves first; swaps of two factors where they are stuck; whole spatial assignments
  // where both are.
  int tier = 0;
  while (true) {
    std::vector<Tiling> neighbours = tier == 0   ? Neighbours(space, climber.current())
                                     : tier == 1 ? SwapNeighbours(space, climber.current())
                                                 : SpatialNeighbours(space, climber.current());
    bool improved = false;
    for (size_t i = 0; i < neighbours.size(); ++i) {
      if (climber.OutOfBudget()) return climber.Take();
      size_t index = (resume + i) % neighbours.size();
      if (climber.Try(neighbours[index])) {
        resume = tier == 0 ? index : 0;
        improved = true;
        break;
      }
    }
    if (improved) {
      tier = 0;
    } else if (tier < 2) {
      ++tier;
      resume = 0;
    } else {
      return climber.Take();
    }
  }
}

SearchResult OptimiseLoopOrders(const MapSpace& space, const Tiling& start, Objective objective,
                                const SearchLimits& limits, int max_exhaustive) {
  Climber climber(space, start, objective, limits);
  if (!climber.valid()) return climber.Take();
  for (int l = space.num_levels() - 1; l >= 0; --l) {
    const Tiling& t = climber.current();
    std::vector<int> loops, others;
    for (int dim : t.order[l]) (t.factor[l][dim][kTemporal] > 1 ? loops : others).push_back(dim);
    if (loops.size() < 2) continue;
    if (static_cast<int>(loops.size()) <= max_exhaustive) {
      std::sort(loops.begin(), loops.end());
      do {
        if (climber.OutOfBudget()) return climber.Take();
        Tiling n = climber.current();
        n.order[l] = loops;
        n.order[l].insert(n.order[l].end(), others.begin(), others.end());
        climber.Try(n);
      } while (std::next_permutation(loops.begin(), loops.end()));
    } else {
      for (size_t i = 0; i + 1 < loops.size(); ++i) {
        if (climber.OutOfBudget()) return climber.Take();
        Tiling n = climber.current();
        std::vector<int>& order = n.order[l];
        auto a = std::find(order.begin(), order.end(), loops[i]);
        auto b = std::find(order.begin(), order.end(), loops[i + 1]);
        std::iter_swap(a, b);
        climber.Try(n);
      }
    }
  }
  return climber.Take();
}

}  // namespace tessel
