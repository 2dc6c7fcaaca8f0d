#include "tessel/schedule/allocation_search.h"

#include <algorithm>
#include <atomic>
#include <limits>
#include <map>
#include <random>

#include "tessel/common/cancel.h"
#include "tessel/common/parallel.h"
#include "tessel/common/rng.h"
#include "tessel/solver/mip.h"

namespace tessel {

std::vector<Gene> FreeGenes(const NodeGraph& graph) {
  std::vector<Gene> genes;
  for (size_t l = 0; l < graph.layers.size(); ++l) {
    const LayerSplit& s = graph.layers[l];
    if (s.fixed) continue;
    for (int g = 0; g < s.groups; ++g) genes.push_back({int(l), g, s.allowed});
  }
  return genes;
}

Allocation MakeAllocation(const NodeGraph& graph, const std::vector<Gene>& genes,
                          const std::vector<int>& pick) {
  Allocation a;
  for (const LayerSplit& s : graph.layers) {
    std::vector<int> cores(s.groups, s.allowed.front());
    if (s.fixed) cores = s.allowed;
    a.cores.push_back(cores);
  }
  for (size_t i = 0; i < genes.size(); ++i)
    a.cores[genes[i].layer][genes[i].group] = genes[i].choices[pick[i]];
  return a;
}

std::vector<int> FirstChoices(const std::vector<Gene>& genes) {
  return std::vector<int>(genes.size(), 0);
}

namespace {

bool Dominates(const Score& a, const Score& b) {
  return a.latency_cycles <= b.latency_cycles && a.energy_pJ <= b.energy_pJ &&
         (a.latency_cycles < b.latency_cycles || a.energy_pJ < b.energy_pJ);
}

bool Better(const Score& a, const Score& b) {
  return a.latency_cycles != b.latency_cycles ? a.latency_cycles < b.latency_cycles
                                              : a.energy_pJ < b.energy_pJ;
}

// Non-dominated fronts (indices into `scores`), first front first; then crowding per index.
std::vector<std::vector<int>> Fronts(const std::vector<Score>& scores) {
  const int n = static_cast<int>(scores.size());
  std::vector<int> dominated_by(n, 0);
  std::vector<std::vector<int>> dominates(n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      if (i != j && Dominates(scores[i], scores[j])) dominates[i].push_back(j), ++dominated_by[j];
  std::vector<std::vector<int>> fronts;
  std::vector<int> current;
  for (int i = 0; i < n; ++i)
    if (dominated_by[i] == 0) current.push_back(i);
  while (!current.empty()) {
    fronts.push_back(current);
    std::vector<int> next;
    for (int i : current)
      for (int j : dominates[i])
        if (--dominated_by[j] == 0) next.push_back(j);
    std::sort(next.begin(), next.end());
    current = next;
  }
  return fronts;
}

std::vector<double> Crowding(const std::vector<Score>& scores, const std::vector<int>& front) {
  std::vector<double> crowd(scores.size(), 0);
  for (int objective = 0; objective < 2; ++objective) {
    auto value = [&](int i) {
      return objective == 0 ? double(scores[i].latency_cycles) : scores[i].energy_pJ;
    };
    std::vector<int> order = front;
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return value(a) < value(b); });
    const double span = value(order.back()) - value(order.front());
    crowd[order.front()] = crowd[order.back()] = std::numeric_limits<double>::infinity();
    for (size_t k = 1; k + 1 < order.size(); ++k)
      if (span > 0) crowd[order[k]] += (value(order[k + 1]) - value(order[k - 1])) / span;
  }
  return crowd;
}

class Ga {
 public:
  Ga(const NodeGraph& graph, const std::vector<Gene>& genes, const Scorer& score,
     const GaOptions& options)
      : graph_(graph),
        genes_(genes),
        score_(score),
        options_(options),
        rng_(TaskSeed(options.seed, 0)) {}

  SearchOutcome Run();

 private:
  // Scores every individual not scored yet, in parallel; results by index.
  void ScoreAll(const std::vector<std::vector<int>>& individuals);
  std::vector<std::vector<int>> Seeds();
  std::vector<int> Child(const std::vector<std::vector<int>>& pop, const std::vector<int>& front_of,
                         const std::vector<double>& crowd);

  const NodeGraph& graph_;
  const std::vector<Gene>& genes_;
  const Scorer& score_;
  GaOptions options_;
  std::mt19937_64 rng_;
  std::map<std::vector<int>, Score> scored_;
};

void Ga::ScoreAll(const std::vector<std::vector<int>>& individuals) {
  std::vector<std::vector<int>> todo;
  for (const auto& ind : individuals)
    if (!scored_.count(ind) && std::find(todo.begin(), todo.end(), ind) == todo.end())
      todo.push_back(ind);
  std::vector<Score> results(todo.size());
  std::atomic<size_t> next{0};
  RunOnThreads(options_.threads, [&](int) {
    for (size_t i = next++; i < todo.size(); i = next++) {
      ThrowIfStopped(options_.stop);
      results[i] = score_(MakeAllocation(graph_, genes_, todo[i]));
    }
  });
  for (size_t i = 0; i < todo.size(); ++i) scored_[todo[i]] = results[i];
}

// The fixed allocation, every single-core allocation the genes allow, round-robin, then random.
std::vector<std::vector<int>> Ga::Seeds() {
  std::vector<std::vector<int>> seeds = {FirstChoices(genes_)};
  std::vector<int> cores;
  for (const Gene& g : genes_)
    for (int c : g.choices)
      if (std::find(cores.begin(), cores.end(), c) == cores.end()) cores.push_back(c);
  std::sort(cores.begin(), cores.end());
  for (int c : cores) {
    std::vector<int> pick(genes_.size(), 0);
    for (size_t i = 0; i < genes_.size(); ++i) {
      auto at = std::find(genes_[i].choices.begin(), genes_[i].choices.end(), c);
      pick[i] = at == genes_[i].choices.end() ? 0 : int(at - genes_[i].choices.begin());
    }
    seeds.push_back(pick);
  }
  std::vector<int> round_robin(genes_.size());
  for (size_t i = 0; i < genes_.size(); ++i) round_robin[i] = int(i % genes_[i].choices.size());
  seeds.push_back(round_robin);
  while (static_cast<int>(seeds.size()) < options_.population) {
    std::vector<int> pick(genes_.size());
    for (size_t i = 0; i < genes_.size(); ++i)
      pick[i] = int(UniformBelow(rng_, genes_[i].choices.size()));
    seeds.push_back(pick);
  }
  return seeds;
}

std::vector<int> Ga::Child(const std::vector<std::vector<int>>& pop,
                           const std::vector<int>& front_of, const std::vector<double>& crowd) {
  auto tournament = [&]() {
    int a = int(UniformBelow(rng_, pop.size())), b = int(UniformBelow(rng_, pop.size()));
    if (front_of[a] != front_of[b]) return front_of[a] < front_of[b] ? a : b;
    return crowd[a] >= crowd[b] ? a : b;
  };
  const std::vector<int>& p1 = pop[tournament()];
  const std::vector<int>& p2 = pop[tournament()];
  std::vector<int> child(genes_.size());
  for (size_t i = 0; i < genes_.size(); ++i) {
    child[i] = UniformBelow(rng_, 2) ? p1[i] : p2[i];
    if (UniformBelow(rng_, genes_.size()) == 0)
      child[i] = int(UniformBelow(rng_, genes_[i].choices.size()));
  }
  return child;
}

SearchOutcome Ga::Run() {
  std::vector<std::vector<int>> pop = Seeds();
  ScoreAll(pop);
  for (int gen = 0; gen < options_.generations; ++gen) {
    std::vector<Score> scores;
    for (const auto& ind : pop) scores.push_back(scored_.at(ind));
    std::vector<std::vector<int>> fronts = Fronts(scores);
    std::vector<int> front_of(pop.size());
    std::vector<double> crowd(pop.size());
    for (size_t f = 0; f < fronts.size(); ++f) {
      std::vector<double> c = Crowding(scores, fronts[f]);
      for (int i : fronts[f]) front_of[i] = int(f), crowd[i] = c[i];
    }
    std::vector<std::vector<int>> merged = pop;
    for (int k = 0; k < options_.population; ++k) merged.push_back(Child(pop, front_of, crowd));
    ScoreAll(merged);
    // Distinct individuals only, then the best fronts, the last one cut by crowding.
    std::sort(merged.begin(), merged.end());
    merged.erase(std::unique(merged.begin(), merged.end()), merged.end());
    scores.clear();
    for (const auto& ind : merged) scores.push_back(scored_.at(ind));
    std::vector<std::vector<int>> next;
    for (const std::vector<int>& front : Fronts(scores)) {
      std::vector<double> c = Crowding(scores, front);
      std::vector<int> order = front;
      std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return c[a] > c[b]; });
      for (int i : order)
        if (static_cast<int>(next.size()) < options_.population) next.push_back(merged[i]);
    }
    pop = next;
    if (options_.progress) {
      Score best = scored_.begin()->second;
      for (const auto& [ind, s] : scored_)
        if (Better(s, best)) best = s;
      options_.progress(gen + 1, options_.generations, best);
    }
  }
  SearchOutcome out;
  std::vector<std::vector<int>> all;
  std::vector<Score> scores;
  for (const auto& [ind, s] : scored_) all.push_back(ind), scores.push_back(s);
  out.evaluations = static_cast<int>(all.size());
  std::vector<int> front = Fronts(scores).front();
  std::sort(front.begin(), front.end(), [&](int a, int b) { return Better(scores[a], scores[b]); });
  for (int i : front)  // one allocation per distinct score
    if (out.pareto.empty() || Better(out.pareto.back().second, scores[i]))
      out.pareto.emplace_back(all[i], scores[i]);
  out.best = out.pareto.front().first;
  out.best_score = out.pareto.front().second;
  return out;
}

}  // namespace

SearchOutcome GeneticSearch(const NodeGraph& graph, const std::vector<Gene>& genes,
                            const Scorer& score, const GaOptions& options) {
  if (genes.empty()) {
    SearchOutcome out;
    out.best_score = score(MakeAllocation(graph, genes, {}));
    out.pareto.emplace_back(std::vector<int>{}, out.best_score);
    out.evaluations = 1;
    return out;
  }
  return Ga(graph, genes, score, options).Run();
}

SearchOutcome MilpSearch(const NodeGraph& graph, const std::vector<Gene>& genes,
                         const std::function<Score(int node, int core)>& cost, const Scorer& score,
                         int threads) {
  (void)threads;
  std::vector<int> core_ids;
  for (const LayerSplit& s : graph.layers)
    for (int c : s.allowed)
      if (std::find(core_ids.begin(), core_ids.end(), c) == core_ids.end()) core_ids.push_back(c);
  std::sort(core_ids.begin(), core_ids.end());
  auto group_cost = [&](int layer, int group, int core) {
    Score total;
    for (int node : graph.layers[layer].nodes[group]) {
      Score s = cost(node, core);
      total.latency_cycles += s.latency_cycles;
      total.energy_pJ += s.energy_pJ;
    }
    return total;
  };
  MipModel model;
  const int makespan = model.AddVariable("T", 0, kInfinity, false);
  std::map<int, std::vector<MipTerm>> load;  // core -> terms
  std::map<int, double> fixed_load;
  std::vector<MipTerm> objective = {{makespan, 1.0}};
  for (size_t l = 0; l < graph.layers.size(); ++l) {
    const LayerSplit& s = graph.layers[l];
    if (!s.fixed) continue;
    for (int g = 0; g < s.groups; ++g)
      fixed_load[s.allowed[g]] += double(group_cost(int(l), g, s.allowed[g]).latency_cycles);
  }
  std::vector<std::vector<int>> x(genes.size());
  for (size_t i = 0; i < genes.size(); ++i) {
    std::vector<MipTerm> one;
    for (int c : genes[i].choices) {
      int v = model.AddBinary("x_" + std::to_string(i) + "_" + std::to_string(c));
      x[i].push_back(v);
      one.push_back({v, 1.0});
      Score s = group_cost(genes[i].layer, genes[i].group, c);
      load[c].push_back({v, double(s.latency_cycles)});
      objective.push_back({v, 1e-9 * s.energy_pJ});
    }
    model.AddConstraint("one_" + std::to_string(i), one, 1, 1);
  }
  for (int c : core_ids) {
    std::vector<MipTerm> terms = load[c];
    terms.push_back({makespan, -1.0});
    model.AddConstraint("load_" + std::to_string(c), terms, -kInfinity, -fixed_load[c]);
  }
  model.SetObjective(objective);
  MipOptions mo;
  mo.time_limit_s = 60;
  mo.max_nodes = 20000;
  MipResult r = MakeMipSolver("cbc")->Solve(model, mo);
  if (!r.has_solution)
    throw UserError("milp: the allocation model has no solution (" +
                    std::string(ToString(r.status)) + ")");
  std::vector<int> pick(genes.size(), 0);
  for (size_t i = 0; i < genes.size(); ++i)
    for (size_t k = 0; k < x[i].size(); ++k)
      if (r.values[x[i][k]] > 0.5) pick[i] = int(k);
  SearchOutcome out;
  out.best = pick;
  out.best_score = score(MakeAllocation(graph, genes, pick));
  out.pareto.emplace_back(pick, out.best_score);
  out.evaluations = 1;
  return out;
}

}  // namespace tessel
