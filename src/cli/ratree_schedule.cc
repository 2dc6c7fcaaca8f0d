#include "cli/ratree_schedule.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/command.h"
#include "cli/files.h"
#include "fmt/format.h"
#include "tessel/common/error.h"
#include "tessel/io/bundled.h"
#include "tessel/io/tiled/mesh_yaml.h"
#include "tessel/io/workload_source.h"
#include "tessel/report/json_report.h"
#include "tessel/report/ratree_html.h"
#include "tessel/report/ratree_json.h"
#include "tessel/report/schedule_json.h"
#include "tessel/schedule/ratree_replay.h"
#include "tessel/schedule/ratree_run.h"

namespace tessel::cli {
namespace {

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw UserError(SourceLocation{path}, "cannot read the tree file");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void PrintSummary(const TiledSystem& system, const RaTreeResult& r, const RaTreeOptions& o) {
  std::cout << fmt::format("{} on {} ({}x{} tiles), batch {}: {} layers after fusing activations\n",
                           r.workload.name(), system.name, system.mesh_x, system.mesh_y, o.batch,
                           r.workload.size());
  std::cout << fmt::format("{:<7} {:>14} {:>14} {:>12}\n", "method", "latency(cyc)", "energy(pJ)",
                           "EDP");
  for (const RaMethod& m : r.methods) {
    if (!m.cost.valid) {
      std::cout << fmt::format("{:<7} invalid: {}\n", m.name, m.cost.why);
      continue;
    }
    std::cout << fmt::format("{:<7} {:>14.0f} {:>14.4g} {:>12.4g}\n", m.name, m.cost.latency_cycles,
                             m.cost.energy_pJ(), m.cost.latency_cycles * m.cost.energy_pJ());
  }
  std::cout << "RA tree: " << PrintRaTree(r.best().tree, r.workload) << "\n";
  std::cout << fmt::format("Space: s2({}) = {} tree structures x {}{} topological orders\n",
                           r.space.leaves, r.space.trees.ToString(),
                           r.space.orders.exact ? "" : "at most ", r.space.orders.count.ToString());
  std::cout << fmt::format("{} trees evaluated, {} tile blocks mapped\n", r.evaluations,
                           r.mapped_blocks);
}

}  // namespace

int RunRaTreeSchedule(const RaTreeArgs& args) {
  if (args.threads < 1) throw UserError("--threads must be at least 1");
  if (args.rounds < 0) throw UserError("--rounds must not be negative");
  if (args.batch < 1) throw UserError("--batch must be at least 1");
  RaTreeOptions options;
  options.batch = args.batch;
  options.threads = args.threads;
  options.anneal.objective = ParseObjective(args.objective);
  options.anneal.rounds = args.rounds;
  options.anneal.seed = args.seed;
  options.cost.mapper = args.mapper;
  options.cost.mapper_options.objective = Objective::kEdp;
  options.cost.mapper_options.samples = args.samples;
  options.polish = args.polish;
  // With --mapper cosa: one weight set, without CoSA's utilisation term (the fastest solve, ~10x
  // faster than the three sets `tessel map` tries): the search maps hundreds of tile blocks.
  CosaWeights weights = DefaultCosaWeights(Objective::kEdp);
  weights.utilization = 0;
  options.cost.mapper_options.cosa_weights = weights;
  options.cost.mapper_options.time_limit_s = 60;
  if (!args.tree.empty()) options.tree_text = ReadText(args.tree), options.tree_file = args.tree;
  const std::string arch = args.arch.empty() ? BundledExamplesDir() + "/mesh/mesh.yaml" : args.arch;
  TiledSystem system = io::LoadTiledSystem(arch);
  Workload network = io::LoadWorkload(args.workload.empty() ? "resnet50" : args.workload);
  RaTreeResult result = RunRaTree(system, network, options);
  PrintSummary(system, result, options);
  nlohmann::ordered_json json = RaTreeToJson(system, result, options);
  if (args.simulate) {
    // The simulator's schedule; its totals replace the formulas' (kept under "estimate").
    RaReplay replay;
    NodeCostOptions cost = options.cost;
    cost.polish_evaluations = options.polish;
    ReplayRaTree(system, result, options.batch, cost, options.threads, &replay);
    const Schedule& s = replay.result.schedule;
    std::cout << fmt::format("Simulated: {} cycles, {:.6g} pJ, {} nodes, {} transfers\n",
                             s.latency_cycles, s.energy_pJ(), replay.result.graph.nodes.size(),
                             s.transfers.size());
    nlohmann::ordered_json sim = ScheduleToJson(replay.system, result.workload, replay.result);
    json["estimate"] = {{"latency_cycles", json["latency_cycles"]},
                        {"energy_pJ", json["energy_pJ"]},
                        {"edp", json["edp"]}};
    for (auto it = sim.begin(); it != sim.end(); ++it)
      if (it.key() != "search" && it.key() != "mode") json[it.key()] = it.value();
    json["edp"] = double(s.latency_cycles) * s.energy_pJ();
  }
  if (!args.json.empty()) WriteFileAtomically(args.json, DumpJson(json));
  if (!args.html.empty()) WriteFileAtomically(args.html, RaTreeReportHtml(json));
  for (const std::string& path : {args.json, args.html})
    if (!path.empty()) std::cout << "Wrote " << path << "\n";
  std::cout.flush();
  return std::cout ? kExitOk : kExitInternal;
}

}  // namespace tessel::cli
