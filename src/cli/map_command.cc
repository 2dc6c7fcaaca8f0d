// `tessel map FILE... [--mapper cosa|random|exhaustive] [--objective latency|energy|edp] ...`:
// the best mapping of one layer.
//
// Pipeline: load the inputs (arch + problem + optional mapspace constraints) -> build the
// mapspace -> run the mapper -> print the loop nest and totals -> write JSON and the Timeloop
// mapping YAML. Nothing is written unless a valid mapping was found.
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/files.h"
#include "cli/map_network.h"
#include "fmt/format.h"
#include "tessel/api/map.h"
#include "tessel/common/cancel.h"
#include "tessel/common/error.h"
#include "tessel/io/inputs.h"
#include "tessel/io/mapping_writer.h"
#include "tessel/mapper/mapper.h"
#include "tessel/report/json_report.h"
#include "tessel/report/mapping_json.h"
#include "tessel/report/text_report.h"

namespace tessel::cli {
namespace {

class MapCommand : public Command {
 public:
  void Configure(CLI::App& sub) override {
    sub.add_option("files", files_,
                   "YAML inputs: architecture, problem, constraints/mapspace (none: network "
                   "mode, see --workload)");
    sub.add_option("--mapper", mapper_, "cosa | random | exhaustive")->capture_default_str();
    sub.add_option("--objective", objective_, "latency | energy | edp")->capture_default_str();
    sub.add_option("--time-limit", time_limit_s_, "Wall-time limit in seconds")
        ->capture_default_str();
    sub.add_option("--samples", samples_, "random: valid mappings to draw")->capture_default_str();
    sub.add_option("--seed", seed_, "Random seed")->capture_default_str();
    threads_option_ =
        sub.add_option("--threads", threads_, "Worker threads (network mode: default all cores)")
            ->capture_default_str();
    sub.add_option("--solver", solver_, "cosa: MIP backend (cbc, or glpk when built with it)")
        ->capture_default_str();
    sub.add_option("--cosa-weights", cosa_weights_,
                   "cosa: MIP objective weights, e.g. traffic=0.5,utilization=0 (names: latency, "
                   "compute, traffic, utilization; default: tuned per objective)");
    sub.add_option("--json", json_path_, "Write the result as JSON to this file");
    sub.add_option("--mapping-out", mapping_path_, "Write the mapping as Timeloop YAML");
    sub.add_flag("--no-timings", no_timings_,
                 "Leave mapper_seconds out of the JSON (byte-identical output across runs)");
    AddNetworkMapOptions(sub, &network_);
    sub.footer(
        "The inputs are what `tessel eval` reads, without a mapping: a Timeloop architecture and\n"
        "problem (+ constraints), or CoSA's arch + mapspace + problem files. Keep/bypass,\n"
        "factors, loop orders and X/Y splits come from the constraints (every Timeloop form:\n"
        "architecture_constraints, mapspace_constraints, constraints in v0.4 nodes); whatever\n"
        "they leave open, keep/bypass included, the mapper chooses (docs/mapping.md).\n"
        "Network mode (no FILE): --workload W --arch FILE... maps every layer of W; with no\n"
        "argument at all, ResNet-50 on the bundled Simba-like arch -> tessel_map.json and\n"
        "tessel_report.html in the current directory (docs/network.md).\n"
        "Exit codes: 0 ok, 2 bad input or no valid mapping (nothing written), 1 internal error.");
  }

  int Run(std::stop_token stop) override {
    if (threads_ < 1) throw UserError("--threads must be at least 1");
    if (time_limit_s_ <= 0) throw UserError("--time-limit must be positive");
    if (samples_ < 1) throw UserError("--samples must be at least 1");
    if ((!network_.workload.empty() || !network_.arch_files.empty()) && !files_.empty())
      throw UserError("give either layer FILEs or --workload/--arch, not both");
    if (files_.empty()) return RunNetworkMap(network_, NetworkArgs(stop));
    Inputs inputs = LoadInputs(ExpandInputPaths(files_));
    MapSpace space = MakeMapSpace(inputs.problem, inputs.arch, inputs.constraints);
    for (const std::string& note : space.notes) std::cerr << "tessel: warning: " << note << "\n";
    // Map and build the JSON: api/map.h (the Python module calls it too).
    const api::MapRequest request = Request(stop);
    const MapperResult result = api::MapLayer(space, request, stop);

    const Cost& cost = result.evaluation.cost;
    std::cout << FormatLoopNest(space.problem, space.arch, result.mapping, &cost) << "\n"
              << FormatCostSummary(cost)
              << fmt::format("mapper {} ({}): {:.3f} s, {} evaluations, status {}{}\n", mapper_,
                             ToString(ParseObjective(objective_)), result.seconds, result.evaluations,
                             ToString(result.status),
                             result.proven_optimal ? ", proven optimal" : "");
    if (!json_path_.empty())
      WriteFileAtomically(json_path_,
                          DumpJson(api::MapLayerJson(space, result, request, !no_timings_)));
    if (!mapping_path_.empty())
      WriteFileAtomically(mapping_path_,
                          WriteTimeloopMappingYaml(space.problem, space.arch, result.mapping));
    std::cout.flush();
    return std::cout ? kExitOk : kExitInternal;
  }

 private:
  NetworkMapperArgs NetworkArgs(std::stop_token stop) const {
    MapperOptions options;
    options.stop = stop;
    options.time_limit_s = time_limit_s_;
    options.samples = samples_;
    options.seed = seed_;
    options.solver = solver_;
    options.cosa_weights = CosaWeightsOption(ParseObjective(objective_));
    return {mapper_,    objective_,   options, threads_option_->count() > 0 ? threads_ : 0,
            json_path_, mapping_path_};
  }

  std::optional<CosaWeights> CosaWeightsOption(Objective objective) const {
    if (cosa_weights_.empty()) return std::nullopt;
    return ParseCosaWeights(cosa_weights_, DefaultCosaWeights(objective));
  }

  api::MapRequest Request(std::stop_token stop) const {
    api::MapRequest request;
    request.mapper = mapper_;
    request.objective = objective_;
    request.options.time_limit_s = time_limit_s_;
    request.options.samples = samples_;
    request.options.seed = seed_;
    request.options.threads = threads_;
    request.options.solver = solver_;
    request.options.stop = stop;
    request.cosa_weights = cosa_weights_;
    return request;
  }

  std::vector<std::string> files_;
  std::string mapper_ = "cosa";
  std::string objective_ = "latency";
  double time_limit_s_ = 60;
  std::int64_t samples_ = 5;
  std::uint64_t seed_ = 1;
  int threads_ = 1;
  std::string solver_ = "cbc";
  std::string cosa_weights_;
  std::string json_path_;
  std::string mapping_path_;
  bool no_timings_ = false;
  CLI::Option* threads_option_ = nullptr;
  NetworkMapArgs network_;
};

}  // namespace

std::unique_ptr<Command> MakeMapCommand() { return std::make_unique<MapCommand>(); }

}  // namespace tessel::cli
