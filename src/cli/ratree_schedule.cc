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
  std::cout << fmt::format("{:<7} {:>14} {:>14} {:>12}   {:>12}\n", "method", "latency(cyc)",
                           "energy(pJ)", "EDP", "estimate EDP");
  for (const RaMethod& m : r.methods) {
    const RaSimulated& s = m.simulated;
    std::cout << fmt::format(
        "{:<7} {:>14} {:>14.4g} {:>12.4g}   {:>12.4g}\n", m.name, s.latency_cycles, s.energy_pJ(),
        double(s.latency_cycles) * s.energy_pJ(), m.cost.latency_cycles * m.cost.energy_pJ());
  }
  std::cout << "RA tree: " << PrintRaTree(r.best().tree, r.workload) << "\n";
  std::cout << fmt::format("Space: s2({}) = {} tree structures x {}{} topological orders\n",
                           r.space.leaves, r.space.trees.ToString(),
                           r.space.orders.exact ? "" : "at most ", r.space.orders.count.ToString());
  std::cout << fmt::format(
      "{} trees estimated, {} tile blocks mapped, {} trees simulated; the answer's schedule: {} "
      "nodes, {} transfers\n",
      r.evaluations, r.mapped_blocks, r.replayed, r.best().simulated.nodes,
      r.best().simulated.transfers);
}

}  // namespace

int RunRaTreeSchedule(const RaTreeArgs& args, std::stop_token stop) {
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
  RaTreeResult result = RunRaTree(system, network, options, stop);
  PrintSummary(system, result, options);
  nlohmann::ordered_json json = RaTreeToJson(system, result, options);
  if (!args.json.empty()) WriteFileAtomically(args.json, DumpJson(json));
  if (!args.html.empty()) WriteFileAtomically(args.html, RaTreeReportHtml(json));
  for (const std::string& path : {args.json, args.html})
    if (!path.empty()) std::cout << "Wrote " << path << "\n";
  std::cout.flush();
  return std::cout ? kExitOk : kExitInternal;
}

}  // namespace tessel::cli
