#include "cli/tune_timeloop.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/command.h"
#include "cli/files.h"
#include "fmt/format.h"
#include "tessel/common/error.h"
#include "tessel/io/arch_inputs.h"
#include "tessel/io/bundled.h"
#include "tessel/io/tuning_log.h"
#include "tessel/io/workload_source.h"
#include "tessel/report/json_report.h"
#include "tessel/report/tune_json.h"
#include "tessel/tuner/timeloop_network.h"

namespace tessel::cli {
namespace {

namespace fs = std::filesystem;

// The Simba-like accelerator `tessel map --workload` uses by default (examples/simba).
std::vector<std::string> DefaultArchFiles() {
  const std::string dir = BundledExamplesDir();
  if (dir.empty())
    throw UserError("the bundled examples are missing (examples/simba); give --arch files");
  return {(fs::path(dir) / "simba" / "arch.yaml").string(),
          (fs::path(dir) / "simba" / "mapspace.yaml").string()};
}

// The arch files' contents, concatenated with their sizes: what identifies the arch in the log.
std::string ArchKey(const std::vector<std::string>& files) {
  std::string all;
  for (const std::string& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    all += std::to_string(text.str().size()) + ":" + text.str();
  }
  return Fingerprint(all);
}

std::string FormatLayers(const Workload& w, const TimeloopNetworkResult& r) {
  std::string out =
      fmt::format("{:<28} {:>12} {:>16} {:>6}\n", "layer", "cycles", "energy_pJ", "util");
  for (const TimeloopLayerTune& t : r.layers)
    out += fmt::format("{:<28} {:>12} {:>16.6g} {:>6.3f}\n", w.layer(t.layer).name, t.cycles,
                       t.energy_pJ, t.utilization);
  out += fmt::format("total: {} cycles, {:.6g} pJ; slowest layer {} ({} cycles)\n", r.total_cycles,
                     r.total_energy_pJ, w.layer(r.layers[r.bottleneck].layer).name,
                     r.layers[r.bottleneck].cycles);
  return out;
}

}  // namespace

int RunTimeloopTune(const TimeloopTuneRequest& request, const TimingModel& model,
                    EvaluationCache& cache) {
  const std::vector<std::string> files =
      request.arch_files.empty() ? DefaultArchFiles() : ExpandInputPaths(request.arch_files);
  const io::ArchInputs arch = io::LoadArchInputs(files);
  const Workload workload = io::LoadWorkload(request.workload);
  TimeloopTuneOptions options;
  options.evolution.trials = request.trials;
  options.evolution.seed = request.seed;
  options.evolution.threads = request.threads;
  options.evolution.stop = request.stop;
  if (::isatty(STDERR_FILENO))
    options.progress = [](int done, int total, const std::string& layer) {
      std::cerr << fmt::format("\rtuning shape {}/{} {:<30}", done, total, layer)
                << (done == total ? "\n" : "") << std::flush;
    };
  const TimeloopNetworkResult result =
      TuneTimeloopNetwork(workload, arch.target, ArchKey(files), cache, options);
  const std::int64_t fresh = cache.fresh_evaluations();
  std::string json;
  if (!request.json_path.empty())
    json = DumpJson(TimeloopTuneToJson(workload, arch.target, result,
                                       {std::string(model.Name()), arch.target.arch.name, "latency",
                                        request.seed, request.trials}));
  std::cout << FormatLayers(workload, result)
            << fmt::format("{} schedules evaluated ({} records replayed from the log)\n", fresh,
                           cache.replayed());
  if (!request.json_path.empty()) WriteFileAtomically(request.json_path, json);
  std::cout.flush();
  return std::cout ? kExitOk : kExitInternal;
}

}  // namespace tessel::cli
