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

std::string ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

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
  const Allocation& a = r.tuned_allocation;
  const Allocation& b = r.greedy_allocation;
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

// --chips: "" = the chip file's (-1), "auto" = 0, else a positive integer.
std::int64_t ParseChips(const std::string& text) {
  if (text.empty()) return -1;
  if (text == "auto") return 0;
  std::size_t used = 0;
  std::int64_t n = 0;
  try {
    n = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || n < 1)
    throw UserError("--chips must be 'auto' or a positive integer, got '" + text + "'");
  return n;
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
    if (threads_ < 1) throw UserError("--threads must be at least 1");
    if (trials_ < 1) throw UserError("--trials must be at least 1");
    std::unique_ptr<TimingModel> model = MakeTimingModel(model_);
    if (!model) {
      std::string names;
      for (const std::string& n : TimingModelNames()) names += (names.empty() ? "" : ", ") + n;
      throw UserError("unknown model '" + model_ + "'; the models are: " + names);
    }
    const NetworkObjective objective = ParseNetworkObjective(objective_);
    EvaluationCache cache;
    if (!log_.empty()) {
      for (TuningRecord& r : io::ReadTuningLog(log_)) cache.AddReplayed(std::move(r));
      // Each record is appended and flushed as it is made: Ctrl-C loses none of them. The file is
      // opened at the first record, so a run stopped by bad input creates none.
      cache.SetSink([path = log_, log = std::shared_ptr<io::TuningLogAppender>()](
                        const TuningRecord& r) mutable {
        if (!log) log = std::make_shared<io::TuningLogAppender>(path);
        log->Append(r);
      });
    }
    if (model_ == "timeloop") {
      if (!chips_.empty() || !emit_c_.empty())
        throw UserError(std::string(chips_.empty() ? "--emit-c" : "--chips") +
                        " applies to the CIM models (cim-refined, cim-formula), not to --model "
                        "timeloop");
      TimeloopTuneRequest request{arch_, workload_, trials_, seed_, threads_, log_, json_, stop};
      return RunTimeloopTune(request, *model, cache);
    }
    return RunCim(*model, objective, cache, stop);
  }

 private:
  int RunCim(const TimingModel& model, NetworkObjective objective, EvaluationCache& cache,
             std::stop_token stop) {
    if (arch_.size() > 1)
      throw UserError("--model " + model_ + " takes one chip file with --arch, not " +
                      std::to_string(arch_.size()));
    const std::string arch_path = arch_.empty() ? io::BundledCimArchPath() : arch_.front();
    const CimArch arch = io::LoadCimArchFile(arch_path);
    const Workload workload = io::LoadWorkload(workload_);
    CimNetworkOptions options;
    options.objective = objective;
    options.evolution.trials = trials_;
    options.evolution.seed = seed_;
    options.evolution.threads = threads_;
    options.chips = ParseChips(chips_);
    options.evolution.stop = stop;
    if (::isatty(STDERR_FILENO))
      options.progress = [](int done, int total, const std::string& layer) {
        std::cerr << fmt::format("\rtuning layer {}/{} {:<30}", done, total, layer)
                  << (done == total ? "\n" : "") << std::flush;
      };
    const CimNetworkResult result =
        TuneCimNetwork(workload, model, arch, Fingerprint(ReadWhole(arch_path)), cache, options);
    const std::int64_t fresh = cache.fresh_evaluations();
    std::string json;
    if (!json_.empty())
      json = DumpJson(CimTuneToJson(
          workload, result,
          {std::string(model.Name()), arch.name, ToString(objective), seed_, trials_}));
    std::vector<EmittedFile> code;
    if (!emit_c_.empty()) code = EmitCimC(CimCLayersOf(workload, result, model_), arch);
    std::cout << FormatCimStages(workload, result) << CimSystemText(result)
              << fmt::format("{} schedules evaluated ({} records replayed from the log)\n", fresh,
                             cache.replayed());
    if (!json_.empty()) WriteFileAtomically(json_, json);
    if (!emit_c_.empty()) {
      std::filesystem::create_directories(emit_c_);
      for (const EmittedFile& f : code) WriteFileAtomically(emit_c_ + "/" + f.name, f.text);
    }
    std::cout.flush();
    return std::cout ? kExitOk : kExitInternal;
  }

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
