// `tessel tune --workload W [--arch A...] [--model
// cim-refined|cim-formula|timeloop] ...`: the auto-scheduler over a whole
// network.
//
// Pipeline: read the chip (or the Timeloop arch) and the workload -> replay the
// tuning log -> tune (tuner/cim_network.h or tuner/timeloop_network.h) ->
// append the new records to the log -> print the stages -> write the JSON.
// Nothing is written when an input is wrong.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/command.h"
#include "cli/files.h"
#include "cli/tune_timeloop.h"
#include "fmt/format.h"
#include "tessel/api/tune.h"
#include "tessel/codegen/cim_c.h"
#include "tessel/common/error.h"
#include "tessel/io/cim_arch_yaml.h"
#include "tessel/io/tuning_log.h"
#include "tessel/io/workload_source.h"
#include "tessel/report/json_report.h"
#include "tessel/report/tune_json.h"
#include "tessel/tuner/cim_network.h"

namespace tessel::cli {
namespace {

std::string FormatCimStages(const Workload& w, const CimNetworkResult& r) {
  std::string out =
      fmt::format("{:<24} {:>10} {:>8} {:>8} {:>16} | {:>10} {:>8}\n", "layer", "cycles", "arrays",
                  r.resource_knob, "energy_pJ", "greedy cyc", r.resource_knob);
  for (std::size_t i = 0; i < r.tuned.size(); ++i) {
    const CimStage& t = r.tuned[i];
    const CimStage& g = r.greedy[i];
    out +=
        fmt::format("{:<24} {:>10} {:>8} {:>8} {:>16.6g} | {:>10} {:>8}\n", w.layer(t.layer).name,
                    t.cycles, t.arrays, t.schedule.Get(r.resource_knob).value_or(0), t.energy_pJ,
                    g.cycles, g.schedule.Get(r.resource_knob).value_or(0));
  }
  const ArrayAllocation& a = r.tuned_allocation;
  const ArrayAllocation& b = r.greedy_allocation;
  out += fmt::format(
      "tuned:  slowest stage {} cycles ({}), total {} cycles, {:.6g} pJ, {} of "
      "{} arrays\n",
      a.bottleneck_cycles, w.layer(r.tuned[a.bottleneck_stage].layer).name, a.total_cycles,
      a.energy_pJ, a.arrays_used, r.arrays_available);
  out += fmt::format(
      "greedy: slowest stage {} cycles ({}), total {} cycles, {:.6g} pJ, {} of "
      "{} arrays\n",
      b.bottleneck_cycles, w.layer(r.greedy[b.bottleneck_stage].layer).name, b.total_cycles,
      b.energy_pJ, b.arrays_used, r.arrays_available);
  return out;
}

class TuneCommand : public Command {
 public:
  void Configure(CLI::App& sub) override {
    sub.add_option("--workload", workload_, "Network: zoo name, .onnx, .yaml layer list, CoSA dir")
        ->required();
    sub.add_option("--arch", arch_,
                   "cim-*: chip YAML (default: the bundled ISAAC-like chip); timeloop: "
                   "architecture (+ mapspace/constraints, ERT) files");
    sub.add_option("--model", model_, "cim-refined | cim-formula | timeloop")
        ->capture_default_str();
    sub.add_option("--trials", trials_, "Schedules scored per layer by the evolutionary search")
        ->capture_default_str();
    sub.add_option("--seed", seed_, "Random seed")->capture_default_str();
    sub.add_option("--threads", threads_, "Worker threads")->capture_default_str();
    sub.add_option("--log", log_, "Tuning log (JSON lines): replayed if it exists, appended to");
    sub.add_option("--json", json_, "Write the result as JSON to this file");
    sub.add_option("--objective", objective_, "cim-*: bottleneck (slowest stage) | total")
        ->capture_default_str();
    sub.add_option("--chips", chips_,
                   "cim-*: chips in the system, auto (the fewest that hold every layer once) or N "
                   "(default: the chip file's 'chips')");
    sub.add_option("--emit-c", emit_c_,
                   "cim-*: write C code executing the tuned schedules (a function per layer, "
                   "tessel_cim.h, driver.c) into this directory");
    sub.footer(
        "Same inputs, seed and trials give the same result, with or without a "
        "replayed log; a\n"
        "replayed schedule is never evaluated again. See docs/tune.md.\n"
        "Exit codes: 0 ok, 2 bad input (nothing written), 1 internal error.");
  }

  int Run(std::stop_token stop) override {
    if (model_ == "timeloop" && chips_.empty() && !emit_c_.empty())
      throw UserError(
          "--emit-c applies to the CIM models (cim-refined, cim-formula), not to --model "
          "timeloop");
    // Read, replay the log, tune and build the JSON: api/tune.h (the Python module calls it too).
    api::TuneRequest request{workload_, arch_,      model_, trials_, seed_, threads_,
                             log_,      objective_, chips_, {}};
    if (::isatty(STDERR_FILENO))
      request.progress = [what = model_ == "timeloop" ? "shape" : "layer"](
                             int done, int total, const std::string& layer) {
        std::cerr << fmt::format("\rtuning {} {}/{} {:<30}", what, done, total, layer)
                  << (done == total ? "\n" : "") << std::flush;
      };
    const api::TuneRun run = api::Tune(request, stop);
    std::vector<EmittedFile> code;
    if (run.cim && !emit_c_.empty())
      code = EmitCimC(CimCLayersOf(run.workload, *run.cim, model_), *run.cim_arch);
    std::cout << (run.cim ? FormatCimStages(run.workload, *run.cim) + CimSystemText(*run.cim)
                          : FormatTimeloopTune(run.workload, *run.timeloop))
              << fmt::format("{} schedules evaluated ({} records replayed from the log)\n",
                             run.fresh_evaluations, run.replayed);
    if (!json_.empty()) WriteFileAtomically(json_, DumpJson(run.json));
    if (!emit_c_.empty()) {
      std::filesystem::create_directories(emit_c_);
      for (const EmittedFile& f : code) WriteFileAtomically(emit_c_ + "/" + f.name, f.text);
    }
    std::cout.flush();
    return std::cout ? kExitOk : kExitInternal;
  }

 private:
  std::string workload_;
  std::vector<std::string> arch_;
  std::string model_ = "cim-refined";
  std::int64_t trials_ = 64;
  std::uint64_t seed_ = 1;
  int threads_ = 1;
  std::string log_;
  std::string json_;
  std::string objective_ = "bottleneck";
  std::string chips_;
  std::string emit_c_;
};

}  // namespace

std::unique_ptr<Command> MakeTuneCommand() { return std::make_unique<TuneCommand>(); }

}  // namespace tessel::cli
