#include "cli/ratree_schedule.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/command.h"
#include "cli/files.h"
#include "fmt/format.h"
#include "tessel/api/ratree.h"
#include "tessel/common/error.h"
#include "tessel/report/json_report.h"
#include "tessel/report/ratree_html.h"
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
  api::RaTreeRequest request = args.request;
  if (!args.tree.empty()) request.tree_text = ReadText(args.tree), request.tree_file = args.tree;
  const api::RaTreeRun run = api::RunRaTreeRequest(request, stop);
  PrintSummary(run.system, run.result, run.options);
  const nlohmann::ordered_json& json = run.json;
  if (!args.json.empty()) WriteFileAtomically(args.json, DumpJson(json));
  if (!args.html.empty()) WriteFileAtomically(args.html, RaTreeReportHtml(json));
  for (const std::string& path : {args.json, args.html})
    if (!path.empty()) std::cout << "Wrote " << path << "\n";
  std::cout.flush();
  return std::cout ? kExitOk : kExitInternal;
}

}  // namespace tessel::cli
