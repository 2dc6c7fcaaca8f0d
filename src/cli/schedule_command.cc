// `tessel schedule [--arch SYSTEM.yaml] [--workload W] [--mapping M.yaml] [--search fixed|ga|milp]
// [--mode fused|layer-by-layer] ...`: a whole network on a multi-core accelerator, from Stream's
// inputs (docs/schedule.md).
//
// Pipeline: read the system (Stream hardware YAML + ZigZag core files), the workload (ONNX, zoo,
// tessel YAML) and the mapping file -> RunSchedule (nodes, node costs, allocation search, the
// final simulation) -> summary on stdout -> JSON, trace, HTML and the saved allocation, each
// written atomically and only after everything succeeded. With no argument: the bundled example
// (examples/multicore: ResNet-18 on a TPU-like quad core with pooling and SIMD cores).
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>

#include "cli/command.h"
#include "cli/files.h"
#include "cli/ratree_schedule.h"
#include "fmt/format.h"
#include "tessel/api/schedule.h"
#include "tessel/common/error.h"
#include "tessel/io/bundled.h"
#include "tessel/io/stream/stream_hardware.h"
#include "tessel/io/stream/stream_mapping.h"
#include "tessel/io/workload_source.h"
#include "tessel/mapper/mapper.h"
#include "tessel/report/json_report.h"
#include "tessel/report/schedule_html.h"
#include "tessel/report/schedule_json.h"
#include "tessel/report/schedule_trace.h"
#include "tessel/schedule/schedule_run.h"

namespace tessel::cli {
namespace {

class ScheduleCommand : public Command {
 public:
  void Configure(CLI::App& sub) override {
    sub.add_option("--arch", arch_, "Stream hardware YAML (cores, offchip_core_id, links)");
    sub.add_option("--workload", workload_, "ONNX model, tessel layer YAML or a bundled network");
    sub.add_option("--mapping", mapping_, "Stream mapping YAML (core_allocation, tilings)");
    sub.add_option("--search", search_,
                   "fixed | ga | milp | ratree (SET's RA trees, docs/ratree.md)")
        ->capture_default_str();
    sub.add_option("--batch", batch_, "ratree: batch size")->capture_default_str();
    sub.add_option("--rounds", rounds_, "ratree: annealing rounds x layers per chain")
        ->capture_default_str();
    sub.add_option("--samples", samples_, "ratree with --mapper random: mappings drawn per block")
        ->capture_default_str();
    sub.add_option("--polish", polish_, "ratree: hill-climbing evaluations per tile block")
        ->capture_default_str();
    sub.add_flag("--simulate", simulate_,
                 "ratree: accepted for older scripts; the simulator's replay is now the "
                 "default and only report");
    sub.add_option("--tree", tree_, "ratree: evaluate this RA tree file instead of searching");
    sub.add_option("--mode", mode_, "fused | layer-by-layer")->capture_default_str();
    sub.add_option("--generations", generations_, "ga: generations")->capture_default_str();
    sub.add_option("--population", population_, "ga: individuals")->capture_default_str();
    sub.add_option("--seed", seed_, "ga: random seed")->capture_default_str();
    sub.add_option("--threads", threads_,
                   "Worker threads for node costs and GA evaluations (default: all cores; the "
                   "result does not depend on it)");
    mapper_option_ =
        sub.add_option("--mapper", mapper_,
                       "Per-core mapper: cosa | random | exhaustive (ratree: random + polish)")
            ->capture_default_str();
    objective_option_ =
        sub.add_option("--objective", objective_,
                       "Per-core mapper objective (ratree: the tree's, default edp): latency | "
                       "energy | edp")
            ->capture_default_str();
    sub.add_option("--json", json_path_, "Write the schedule as JSON");
    sub.add_option("--trace", trace_path_,
                   "Write a Chrome/Perfetto trace (one track per core, link)");
    sub.add_option("--html", html_path_, "Write the HTML report (Gantt chart, memory, energy)");
    sub.add_option(
        "--save-allocation", save_path_,
        "Write the mapping file with every free choice fixed (reload with --search fixed)");
    sub.footer(
        "With no argument: ResNet-18 on the bundled TPU-like quad core (examples/multicore),\n"
        "fused, ga -> tessel_schedule.json and tessel_schedule.html in the current directory.\n"
        "Exit codes: 0 ok, 2 bad input (nothing written), 1 internal error.");
  }

  int Run(std::stop_token stop) override {
    if (threads_ == 0)
      threads_ = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    if (threads_ < 1) throw UserError("--threads must be at least 1");
    if (search_ == "ratree") return RunRaTree(stop);
    // Check, load, schedule and build the JSON: api/schedule.h (the Python module calls it too).
    api::ScheduleRequest request{arch_,    workload_,    mapping_,    search_,
                                 mode_,    generations_, population_, seed_,
                                 threads_, mapper_,      objective_,  {}};
    if (isatty(fileno(stderr)))
      request.ga_progress = [](int gen, int total, const Score& best) {
        std::cerr << fmt::format("\rga generation {}/{}: best {} cycles, {:.4g} pJ", gen, total,
                                 best.latency_cycles, best.energy_pJ)
                  << (gen == total ? "\n" : "") << std::flush;
      };
    if (api::IsBundledSchedule(request)) {
      if (json_path_.empty()) json_path_ = "tessel_schedule.json";
      if (html_path_.empty()) html_path_ = "tessel_schedule.html";
    }
    const api::ScheduleRun run = api::RunScheduleRequest(request, stop);
    const ScheduleResult& result = run.result;
    for (const std::string& w : result.warnings) std::cerr << "tessel: warning: " << w << "\n";
    PrintSummary(run.system, run.workload, result);
    const nlohmann::ordered_json& json = run.json;
    if (!json_path_.empty()) WriteFileAtomically(json_path_, DumpJson(json));
    if (!trace_path_.empty()) WriteFileAtomically(trace_path_, ScheduleTraceJson(json));
    if (!html_path_.empty()) WriteFileAtomically(html_path_, ScheduleReportHtml(json));
    if (!save_path_.empty())
      WriteFileAtomically(
          save_path_, io::WriteStreamMapping(FixAllocation(run.mapping, run.workload, result.graph,
                                                           result.allocation)));
    for (const std::string& path : {json_path_, trace_path_, html_path_, save_path_})
      if (!path.empty()) std::cout << "Wrote " << path << "\n";
    std::cout.flush();
    return std::cout ? kExitOk : kExitInternal;
  }

 private:
  int RunRaTree(std::stop_token stop) {
    RaTreeArgs args;
    api::RaTreeRequest& request = args.request;
    request.arch = arch_;
    request.workload = workload_;
    request.batch = batch_;
    request.objective = objective_option_->count() ? objective_ : "edp";
    request.rounds = rounds_;
    request.seed = seed_;
    request.threads = threads_;
    if (mapper_option_->count()) request.mapper = mapper_;
    request.samples = samples_;
    request.polish = polish_;
    args.tree = tree_;
    args.simulate = simulate_;
    args.json = json_path_;
    args.html = html_path_;
    return RunRaTreeSchedule(args, stop);
  }

  void PrintSummary(const System& system, const Workload& workload, const ScheduleResult& r) {
    const SystemSchedule& s = r.schedule;
    std::cout << fmt::format("{} on {}: {} layers, {} nodes, {} transfers ({}, {})\n",
                             workload.name(), system.name, workload.size(), r.graph.nodes.size(),
                             s.transfers.size(), ToString(r.options.mode),
                             ToString(r.options.search));
    std::cout << fmt::format("Latency: {} cycles\n", s.latency_cycles);
    std::cout << fmt::format("Energy:  {:.6g} pJ (cores {:.6g}, links {:.6g}, off-chip {:.6g})\n",
                             s.energy_pJ(), s.core_pJ, s.link_pJ, s.offchip_pJ);
    std::cout << fmt::format("{} distinct node costs mapped, {} allocations simulated\n",
                             r.cost_entries, r.evaluations);
    if (r.pareto.size() > 1) {
      std::cout << "Pareto front (latency cycles, energy pJ):";
      for (const ParetoPoint& p : r.pareto)
        std::cout << fmt::format(" ({}, {:.4g})", p.score.latency_cycles, p.score.energy_pJ);
      std::cout << "\n";
    }
  }

  std::string arch_, workload_, mapping_;
  std::string search_ = "fixed";
  std::string mode_ = "fused";
  int generations_ = 4;
  int population_ = 16;
  std::uint64_t seed_ = 0;
  int threads_ = 0;  // 0: all hardware threads
  std::string mapper_ = "cosa";
  std::string objective_ = "edp";
  std::string json_path_, trace_path_, html_path_, save_path_;
  std::int64_t batch_ = 64;     // ratree
  int rounds_ = 100;            // ratree (SET's default)
  std::int64_t samples_ = 100;  // ratree, random mapper
  std::int64_t polish_ = 2000;  // ratree
  std::string tree_;            // ratree
  CLI::Option* objective_option_ = nullptr;
  CLI::Option* mapper_option_ = nullptr;
  bool simulate_ = false;  // ratree
};

}  // namespace

std::unique_ptr<Command> MakeScheduleCommand() { return std::make_unique<ScheduleCommand>(); }

}  // namespace tessel::cli
