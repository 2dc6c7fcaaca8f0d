// `tessel schedule` as one library call: nodes -> node costs -> allocation search -> the final
// simulation. Everything reported comes from the simulator.
#pragma once
#include <stop_token>
#include <string>
#include <vector>

#include "tessel/schedule/allocation_search.h"
#include "tessel/schedule/layer_mapping.h"
#include "tessel/schedule/node_cost.h"
#include "tessel/schedule/nodes.h"
#include "tessel/schedule/schedule.h"
#include "tessel/schedule/system.h"

namespace tessel {

enum class AllocationSearch { kFixed, kGa, kMilp };
// "fixed" | "ga" | "milp"; throws UserError naming the choices otherwise.
AllocationSearch ParseAllocationSearch(const std::string& name);
const char* ToString(AllocationSearch search);
// "fused" | "layer-by-layer" (also Stream's "lbl"); throws UserError otherwise.
ScheduleMode ParseScheduleMode(const std::string& name);

struct ScheduleOptions {
  ScheduleMode mode = ScheduleMode::kFused;
  AllocationSearch search = AllocationSearch::kFixed;
  GaOptions ga;  // generations, population, seed, progress; threads from `threads`
  NodeCostOptions cost;
  int threads = 1;
  std::stop_token stop;  // SIGINT/SIGTERM: node costing and the GA throw Interrupted
};

struct ParetoPoint {
  Allocation allocation;
  Score score;
};

struct ScheduleResult {
  NodeGraph graph;
  Allocation allocation;
  SystemSchedule schedule;
  std::vector<ParetoPoint> pareto;  // by latency; one point for fixed and milp
  int evaluations = 0;              // allocations simulated
  int cost_entries = 0;             // distinct (shape, core) mappings computed
  std::vector<std::string> warnings;
  ScheduleOptions options;
};

ScheduleResult RunSchedule(const System& system, const Workload& workload,
                           const LayerMapping& mapping, const ScheduleOptions& options);

// `mapping` with every free choice of `allocation` fixed: one entry per layer whose entry left a
// choice, named as the layer, allowing exactly the cores chosen for its groups. Loading it and
// scheduling with --search fixed gives the same schedule.
LayerMapping FixAllocation(const LayerMapping& mapping, const Workload& workload,
                           const NodeGraph& graph, const Allocation& allocation);

}  // namespace tessel
