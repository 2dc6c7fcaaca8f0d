#include "tessel/tuner/allocation.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace tessel {
namespace {

constexpr std::int64_t kInf = std::numeric_limits<std::int64_t>::max() / 4;

// (cycles, energy), compared lexicographically: the knapsack's value.
struct Value {
  std::int64_t cycles = kInf;
  double energy_pJ = 0;
  bool operator<(const Value& o) const {
    return cycles < o.cycles || (cycles == o.cycles && energy_pJ < o.energy_pJ);
  }
};

// Pareto options of every stage with their index in the caller's list,
// restricted to cycles <= `bound`.
struct Indexed {
  StageOption option;
  int index = 0;
};
std::vector<std::vector<Indexed>> Prune(const std::vector<std::vector<StageOption>>& stages,
                                        std::int64_t bound) {
  std::vector<std::vector<Indexed>> out(stages.size());
  for (std::size_t i = 0; i < stages.size(); ++i) {
    std::vector<StageOption> tagged = stages[i];
    for (std::size_t k = 0; k < tagged.size(); ++k) tagged[k].tag = static_cast<int>(k);
    for (const StageOption& o : ParetoOptions(std::move(tagged)))
      if (o.cycles <= bound) out[i].push_back({o, o.tag});
  }
  return out;
}

// The least sum of arrays over stages when each takes its cheapest option of <=
// bound cycles; kInf when some stage has none.
std::int64_t CheapestArrays(const std::vector<std::vector<Indexed>>& pareto, std::int64_t bound) {
  std::int64_t sum = 0;
  for (const auto& options : pareto) {
    // Arrays ascending, cycles descending: the first option with cycles <=
    // bound.
    auto it = std::partition_point(options.begin(), options.end(),
                                   [&](const Indexed& o) { return o.option.cycles > bound; });
    if (it == options.end()) return kInf;
    sum += it->option.arrays;
  }
  return sum;
}

// Multiple-choice knapsack: one option per stage, sum of arrays <= budget,
// least (cycles, energy). Arrays are counted in units of their gcd. Empty pick
// when infeasible.
ArrayAllocation Knapsack(const std::vector<std::vector<Indexed>>& pareto, std::int64_t budget) {
  std::int64_t unit = 0;
  for (const auto& options : pareto)
    for (const Indexed& o : options) unit = std::gcd(unit, o.option.arrays);
  unit = std::max<std::int64_t>(unit, 1);
  const std::int64_t cells = budget / unit;
  std::vector<Value> dp(cells + 1, Value{0, 0}), next(cells + 1);
  std::vector<std::vector<int>> choice(pareto.size(), std::vector<int>(cells + 1, -1));
  for (std::size_t i = 0; i < pareto.size(); ++i) {
    std::fill(next.begin(), next.end(), Value{});
    for (std::size_t k = 0; k < pareto[i].size(); ++k) {
      const StageOption& o = pareto[i][k].option;
      const std::int64_t a = o.arrays / unit;
      for (std::int64_t b = a; b <= cells; ++b) {
        if (dp[b - a].cycles >= kInf) continue;
        Value v{dp[b - a].cycles + o.cycles, dp[b - a].energy_pJ + o.energy_pJ};
        if (v < next[b]) {
          next[b] = v;
          choice[i][b] = static_cast<int>(k);
        }
      }
    }
    dp.swap(next);
  }
  ArrayAllocation a;
  if (pareto.empty() || dp[cells].cycles >= kInf) return a;
  a.pick.assign(pareto.size(), 0);
  for (std::int64_t i = static_cast<std::int64_t>(pareto.size()) - 1, b = cells; i >= 0; --i) {
    const Indexed& o = pareto[i][choice[i][b]];
    a.pick[i] = o.index;
    b -= o.option.arrays / unit;
  }
  return a;
}

}  // namespace

std::vector<StageOption> ParetoOptions(std::vector<StageOption> options) {
  std::stable_sort(options.begin(), options.end(), [](const StageOption& a, const StageOption& b) {
    if (a.arrays != b.arrays) return a.arrays < b.arrays;
    if (a.cycles != b.cycles) return a.cycles < b.cycles;
    return a.energy_pJ < b.energy_pJ;
  });
  std::vector<StageOption> out;
  for (const StageOption& o : options)
    if (out.empty() || o.cycles < out.back().cycles) out.push_back(o);
  return out;
}

void Summarise(const std::vector<std::vector<StageOption>>& stages, ArrayAllocation& a) {
  a.arrays_used = a.total_cycles = a.bottleneck_cycles = 0;
  a.energy_pJ = 0;
  a.bottleneck_stage = -1;
  for (std::size_t i = 0; i < a.pick.size(); ++i) {
    const StageOption& o = stages[i][a.pick[i]];
    a.arrays_used += o.arrays;
    a.total_cycles += o.cycles;
    a.energy_pJ += o.energy_pJ;
    if (a.bottleneck_stage < 0 || o.cycles > a.bottleneck_cycles) {
      a.bottleneck_cycles = o.cycles;
      a.bottleneck_stage = static_cast<int>(i);
    }
  }
}

ArrayAllocation MinimiseBottleneck(const std::vector<std::vector<StageOption>>& stages,
                              std::int64_t budget) {
  const auto pareto = Prune(stages, kInf);
  std::vector<std::int64_t> bounds;
  for (const auto& options : pareto)
    for (const Indexed& o : options) bounds.push_back(o.option.cycles);
  std::sort(bounds.begin(), bounds.end());
  bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
  // Feasibility is monotone in the bound: find the first feasible one.
  auto first = std::partition_point(bounds.begin(), bounds.end(), [&](std::int64_t t) {
    return CheapestArrays(pareto, t) > budget;
  });
  if (first == bounds.end()) return {};
  ArrayAllocation a = Knapsack(Prune(stages, *first), budget);
  Summarise(stages, a);
  return a;
}

ArrayAllocation MinimiseTotal(const std::vector<std::vector<StageOption>>& stages, std::int64_t budget) {
  ArrayAllocation a = Knapsack(Prune(stages, kInf), budget);
  Summarise(stages, a);
  return a;
}

ArrayAllocation GreedyDuplication(const std::vector<std::vector<StageOption>>& ladders,
                             std::int64_t budget) {
  ArrayAllocation a;
  std::int64_t used = 0;
  for (const auto& ladder : ladders) {
    if (ladder.empty()) return {};
    used += ladder.front().arrays;
  }
  if (used > budget) return {};
  a.pick.assign(ladders.size(), 0);
  while (true) {
    std::size_t slowest = 0;
    for (std::size_t i = 1; i < ladders.size(); ++i)
      if (ladders[i][a.pick[i]].cycles > ladders[slowest][a.pick[slowest]].cycles) slowest = i;
    const int next = a.pick[slowest] + 1;
    if (next >= static_cast<int>(ladders[slowest].size())) break;
    const std::int64_t extra =
        ladders[slowest][next].arrays - ladders[slowest][a.pick[slowest]].arrays;
    if (used + extra > budget) break;
    used += extra;
    a.pick[slowest] = next;
  }
  Summarise(ladders, a);
  return a;
}

}  // namespace tessel
