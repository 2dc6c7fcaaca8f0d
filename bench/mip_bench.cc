// Wall time of one MIP solve on each compiled-in backend, for three ~200-variable integer models
// (fixed seeds, so every run solves the same instances):
//   knapsack200   one row, 200 binaries, values = weights +- 10 (weakly correlated)
//   assign10x20   generalised assignment: 20 jobs onto 10 agents with capacities, 200 binaries,
//                 20 equality rows and 10 capacity rows
//   factors40x5   CoSA-like: 40 prime factors, each split over 5 levels by general-integer
//                 exponents (200 variables, 40 equality rows), log-space capacity rows per level
//                 and a weighted log-traffic objective
//
//   cmake --build build --target mip_bench && build/bench/mip_bench
//   (with -DTESSEL_WITH_GLPK=ON the glpk rows appear; absent backends are skipped)
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "tessel/solver/mip.h"

namespace tessel {
namespace {

class Lcg {
 public:
  explicit Lcg(std::uint32_t seed) : state_(seed) {}
  int Uniform(int lo, int hi) {  // in [lo, hi]
    state_ = (state_ * 1103515245u + 12345u) & 0x7fffffffu;
    return lo + static_cast<int>((state_ >> 8) % static_cast<std::uint32_t>(hi - lo + 1));
  }

 private:
  std::uint32_t state_;
};

MipModel Knapsack200() {
  Lcg rng(7);
  MipModel model;
  std::vector<MipTerm> weight, value;
  int total = 0;
  for (int i = 0; i < 200; ++i) {
    int x = model.AddBinary("x" + std::to_string(i));
    int w = rng.Uniform(20, 80);
    total += w;
    weight.push_back({x, static_cast<double>(w)});
    value.push_back({x, -static_cast<double>(w + rng.Uniform(-10, 10))});
  }
  model.AddConstraint("capacity", weight, -kInfinity, total / 2);
  model.SetObjective(value);
  return model;
}

MipModel Assign10x20() {
  constexpr int kAgents = 10, kJobs = 20;
  Lcg rng(11);
  MipModel model;
  std::vector<std::vector<int>> x(kAgents, std::vector<int>(kJobs));
  std::vector<MipTerm> cost;
  std::vector<std::vector<MipTerm>> load(kAgents);
  for (int a = 0; a < kAgents; ++a) {
    for (int j = 0; j < kJobs; ++j) {
      x[a][j] = model.AddBinary("x" + std::to_string(a) + "_" + std::to_string(j));
      cost.push_back({x[a][j], static_cast<double>(rng.Uniform(10, 50))});
      load[a].push_back({x[a][j], static_cast<double>(rng.Uniform(5, 25))});
    }
  }
  for (int j = 0; j < kJobs; ++j) {
    std::vector<MipTerm> once;
    for (int a = 0; a < kAgents; ++a) once.push_back({x[a][j], 1});
    model.AddConstraint("job" + std::to_string(j), once, 1, 1);
  }
  // Capacity 0.8 x (mean load of 2 jobs at 15 each) = 24: tight enough to matter.
  for (int a = 0; a < kAgents; ++a)
    model.AddConstraint("agent" + std::to_string(a), load[a], -kInfinity, 36);
  model.SetObjective(cost);
  return model;
}

MipModel Factors40x5() {
  constexpr int kFactors = 40, kLevels = 5;
  const int primes[] = {2, 3, 5, 7};
  Lcg rng(13);
  MipModel model;
  std::vector<std::vector<int>> e(kFactors, std::vector<int>(kLevels));
  std::vector<double> log_p(kFactors);
  std::vector<MipTerm> traffic;
  for (int f = 0; f < kFactors; ++f) {
    int multiplicity = rng.Uniform(1, 4);
    log_p[f] = std::log(primes[rng.Uniform(0, 3)]);
    std::vector<MipTerm> split;
    for (int l = 0; l < kLevels; ++l) {
      e[f][l] = model.AddVariable("e" + std::to_string(f) + "_" + std::to_string(l), 0,
                                  multiplicity, true);
      split.push_back({e[f][l], 1});
      // Factors kept at outer levels cost more traffic; weights differ per factor.
      traffic.push_back({e[f][l], log_p[f] * (kLevels - l) * rng.Uniform(1, 5)});
    }
    model.AddConstraint("split" + std::to_string(f), split, multiplicity, multiplicity);
  }
  // Level l holds a tile of the factors at levels <= l over a random half of the factors.
  for (int l = 0; l + 1 < kLevels; ++l) {
    std::vector<MipTerm> tile;
    for (int f = 0; f < kFactors; ++f) {
      if (rng.Uniform(0, 1) == 0) continue;
      for (int k = 0; k <= l; ++k) tile.push_back({e[f][k], log_p[f]});
    }
    model.AddConstraint("capacity" + std::to_string(l), tile, -kInfinity, 3.0 * (l + 1));
  }
  model.SetObjective(traffic);
  return model;
}

void BM_Solve(benchmark::State& state, const std::string& backend, MipModel (*build)()) {
  std::vector<std::string> available = AvailableMipSolvers();
  if (std::find(available.begin(), available.end(), backend) == available.end()) {
    state.SkipWithError(("backend " + backend + " not built").c_str());
    return;
  }
  const MipModel model = build();
  std::unique_ptr<MipSolver> solver = MakeMipSolver(backend);
  MipOptions options;
  options.time_limit_s = 60;
  MipResult result;
  for (auto _ : state) {
    result = solver->Solve(model, options);
    benchmark::DoNotOptimize(result);
  }
  state.counters["objective"] = result.objective;
  state.counters["optimal"] = result.status == MipStatus::kOptimal;
}

BENCHMARK_CAPTURE(BM_Solve, cbc_knapsack200, "cbc", Knapsack200)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Solve, glpk_knapsack200, "glpk", Knapsack200)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Solve, cbc_assign10x20, "cbc", Assign10x20)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Solve, glpk_assign10x20, "glpk", Assign10x20)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Solve, cbc_factors40x5, "cbc", Factors40x5)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Solve, glpk_factors40x5, "glpk", Factors40x5)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tessel
