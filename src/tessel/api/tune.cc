#include "tessel/api/tune.h"

#include <fstream>
#include <memory>
#include <sstream>

#include "tessel/api/map.h"
#include "tessel/common/error.h"
#include "tessel/io/arch_inputs.h"
#include "tessel/io/cim_arch_yaml.h"
#include "tessel/io/input_paths.h"
#include "tessel/io/tuning_log.h"
#include "tessel/io/workload_source.h"
#include "tessel/report/tune_json.h"

namespace tessel::api {
namespace {

std::string ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The arch files' contents, concatenated with their sizes: what identifies the arch in the log.
std::string ArchKey(const std::vector<std::string>& files) {
  std::string all;
  for (const std::string& path : files) {
    const std::string text = ReadWhole(path);
    all += std::to_string(text.size()) + ":" + text;
  }
  return Fingerprint(all);
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

void TuneCim(const TuneRequest& request, const TimingModel& model, NetworkObjective objective,
             EvaluationCache& cache, std::stop_token stop, TuneRun& run) {
  if (request.arch.size() > 1)
    throw UserError("--model " + request.model + " takes one chip file with --arch, not " +
                    std::to_string(request.arch.size()));
  const std::string arch_path =
      request.arch.empty() ? io::BundledCimArchPath() : request.arch.front();
  run.cim_arch = io::LoadCimArchFile(arch_path);
  run.workload = io::LoadWorkload(request.workload);
  CimNetworkOptions options;
  options.objective = objective;
  options.evolution.trials = request.trials;
  options.evolution.seed = request.seed;
  options.evolution.threads = request.threads;
  options.chips = ParseChips(request.chips);
  options.evolution.stop = stop;
  options.progress = request.progress;
  run.cim = TuneCimNetwork(run.workload, model, *run.cim_arch, Fingerprint(ReadWhole(arch_path)),
                           cache, options);
  run.json = CimTuneToJson(
      run.workload, *run.cim,
      {run.model, run.cim_arch->name, ToString(objective), request.seed, request.trials});
}

void TuneTimeloop(const TuneRequest& request, EvaluationCache& cache, std::stop_token stop,
                  TuneRun& run) {
  if (!request.chips.empty())
    throw UserError(
        "--chips applies to the CIM models (cim-refined, cim-formula), not to --model timeloop");
  const std::vector<std::string> files =
      request.arch.empty() ? BundledSimbaFiles() : io::ExpandInputPaths(request.arch);
  const io::ArchInputs arch = io::LoadArchInputs(files);
  run.workload = io::LoadWorkload(request.workload);
  TimeloopTuneOptions options;
  options.evolution.trials = request.trials;
  options.evolution.seed = request.seed;
  options.evolution.threads = request.threads;
  options.evolution.stop = stop;
  options.progress = request.progress;
  run.timeloop = TuneTimeloopNetwork(run.workload, arch.target, ArchKey(files), cache, options);
  run.json = TimeloopTuneToJson(
      run.workload, arch.target, *run.timeloop,
      {run.model, arch.target.arch.name, "latency", request.seed, request.trials});
}

}  // namespace

TuneRun Tune(const TuneRequest& request, std::stop_token stop) {
  if (request.threads < 1) throw UserError("--threads must be at least 1");
  if (request.trials < 1) throw UserError("--trials must be at least 1");
  std::unique_ptr<TimingModel> model = MakeTimingModel(request.model);
  if (!model) {
    std::string names;
    for (const std::string& n : TimingModelNames()) names += (names.empty() ? "" : ", ") + n;
    throw UserError("unknown model '" + request.model + "'; the models are: " + names);
  }
  const NetworkObjective objective = ParseNetworkObjective(request.objective);
  EvaluationCache cache;
  if (!request.log.empty()) {
    for (TuningRecord& r : io::ReadTuningLog(request.log)) cache.AddReplayed(std::move(r));
    // Each record is appended and flushed as it is made: a stop loses none of them. The file is
    // opened at the first record, so a run stopped by bad input creates none.
    cache.SetSink([path = request.log,
                   log = std::shared_ptr<io::TuningLogAppender>()](const TuningRecord& r) mutable {
      if (!log) log = std::make_shared<io::TuningLogAppender>(path);
      log->Append(r);
    });
  }
  TuneRun run;
  run.model = std::string(model->Name());
  if (request.model == "timeloop")
    TuneTimeloop(request, cache, stop, run);
  else
    TuneCim(request, *model, objective, cache, stop, run);
  run.fresh_evaluations = cache.fresh_evaluations();
  run.replayed = cache.replayed();
  return run;
}

}  // namespace tessel::api
