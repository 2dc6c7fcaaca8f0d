#include "tessel/schedule/schedule_run.h"

#include "tessel/schedule/simulator.h"

namespace tessel {

AllocationSearch ParseAllocationSearch(const std::string& name) {
  if (name == "fixed") return AllocationSearch::kFixed;
  if (name == "ga") return AllocationSearch::kGa;
  if (name == "milp") return AllocationSearch::kMilp;
  throw UserError("--search must be one of: fixed, ga, milp (got '" + name + "')");
}

const char* ToString(AllocationSearch search) {
  switch (search) {
    case AllocationSearch::kFixed:
      return "fixed";
    case AllocationSearch::kGa:
      return "ga";
    case AllocationSearch::kMilp:
      return "milp";
  }
  return "fixed";
}

ScheduleMode ParseScheduleMode(const std::string& name) {
  if (name == "fused") return ScheduleMode::kFused;
  if (name == "layer-by-layer" || name == "lbl") return ScheduleMode::kLayerByLayer;
  throw UserError("--mode must be one of: fused, layer-by-layer (got '" + name + "')");
}

ScheduleResult RunSchedule(const System& system, const Workload& workload,
                           const LayerMapping& mapping, const ScheduleOptions& options) {
  if (workload.size() == 0) throw UserError("workload '" + workload.name() + "' has no layer");
  CheckMappingAgainstSystem(mapping, system);
  ScheduleResult result;
  result.options = options;
  result.graph = BuildNodeGraph(workload, mapping, system, options.mode, &result.warnings);
  const NodeGraph& graph = result.graph;
  NodeCostOptions cost_options = options.cost;
  cost_options.threads = options.threads;
  cost_options.mapper_options.stop = options.stop;
  NodeCostTable costs(system, workload, graph, options.mode, cost_options);
  costs.Prepare(&result.warnings);
  result.cost_entries = costs.distinct_entries();

  const std::vector<Gene> genes = FreeGenes(graph);
  Scorer score = [&](const Allocation& a) {
    SystemSchedule s = Simulate(system, workload, graph, costs, a, options.mode);
    return Score{s.latency_cycles, s.energy_pJ()};
  };
  SearchOutcome outcome;
  if (options.search == AllocationSearch::kGa) {
    GaOptions ga = options.ga;
    ga.threads = options.threads;
    ga.stop = options.stop;
    outcome = GeneticSearch(graph, genes, score, ga);
  } else if (options.search == AllocationSearch::kMilp) {
    auto node_cost = [&](int node, int core) {
      const NodeCost& c = costs.Get(node, core);
      return Score{c.cycles, c.core_pJ + c.offchip_pJ};
    };
    outcome = MilpSearch(graph, genes, node_cost, score, options.threads);
  } else {
    outcome.best = FirstChoices(genes);
    outcome.best_score = score(MakeAllocation(graph, genes, outcome.best));
    outcome.pareto.emplace_back(outcome.best, outcome.best_score);
    outcome.evaluations = 1;
  }
  result.allocation = MakeAllocation(graph, genes, outcome.best);
  result.schedule = Simulate(system, workload, graph, costs, result.allocation, options.mode);
  for (const auto& [pick, s] : outcome.pareto)
    result.pareto.push_back({MakeAllocation(graph, genes, pick), s});
  result.evaluations = outcome.evaluations;
  return result;
}

LayerMapping FixAllocation(const LayerMapping& mapping, const Workload& workload,
                           const NodeGraph& graph, const Allocation& allocation) {
  LayerMapping fixed = mapping;
  for (int l = 0; l < workload.size(); ++l) {
    const LayerSplit& split = graph.layers[l];
    if (split.fixed) continue;
    LayerMappingEntry entry = *split.entry;
    entry.name = workload.layer(l).name;
    entry.core_allocation = allocation.cores[l];
    // The split must come out the same: spell out a wildcard as the number of groups.
    for (TilingFactor& f : entry.inter_core_tiling)
      if (f.parts == TilingFactor::kWildcard) f.parts = split.groups;
    bool replaced = false;
    for (LayerMappingEntry& e : fixed.entries)
      if (e.name == entry.name) e = entry, replaced = true;
    if (!replaced) fixed.entries.push_back(entry);
  }
  return fixed;
}

}  // namespace tessel
