// `tessel eval FILE... [--json OUT]`: the cost of one given mapping.
//
// Pipeline: load the inputs -> check the mapping's structure -> evaluate -> print the loop nest,
// the per-level table and the totals -> write JSON. Any failure before the last step writes no
// JSON at all.
#include <iostream>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/files.h"
#include "cli/model_eval.h"
#include "tessel/api/eval.h"
#include "tessel/common/error.h"
#include "tessel/io/bundled.h"
#include "tessel/io/inputs.h"
#include "tessel/report/json_report.h"
#include "tessel/report/text_report.h"

namespace tessel::cli {
namespace {

class EvalCommand : public Command {
 public:
  void Configure(CLI::App& sub) override {
    sub.add_option("files", files_,
                   "YAML inputs or directories of them (default: bundled example)");
    sub.add_option("--json", json_path_, "Also write the cost as JSON to this file");
    sub.add_option("--model", model_,
                   "Timing model: timeloop (default; FILEs give arch, problem, mapping), "
                   "cim-formula or cim-refined (FILE gives the problem)");
    sub.add_option("--arch", arch_path_,
                   "Compute-in-memory chip YAML for the cim-* models (default: the bundled "
                   "ISAAC-like chip, examples/cim/isaac_like.yaml)");
    sub.footer(
        "Inputs are Timeloop v0.4 / Accelergy YAML: architecture, problem, mapping and optionally\n"
        "an ERT, in any number of files; a later file's top-level key replaces an earlier one's.\n"
        "A directory stands for its .yaml files in name order. Without files, the bundled default\n"
        "runs: a ResNet-50 3x3 layer on a Simba-like accelerator (examples/default).\n"
        "Exit codes: 0 ok, 2 bad input or invalid mapping (nothing written), 1 internal error.");
  }

  int Run(std::stop_token /*stop: fast, never interrupted*/) override {
    // Another model (or a CIM chip): one layer with the model's default schedule, model_eval.cc.
    if (model_ != "timeloop" || !arch_path_.empty())
      return RunModelEval(model_, arch_path_, files_, json_path_);
    std::vector<std::string> paths = files_.empty() ? DefaultEvalFiles() : ExpandInputPaths(files_);
    Inputs inputs = LoadInputs(paths);
    // Check, evaluate, check the constraints: api/eval.h (the Python module calls it too).
    const api::EvalResult result = api::EvaluateInputs(inputs);
    for (const std::string& note : result.warnings) std::cerr << "tessel: warning: " << note << "\n";
    const Cost& cost = result.evaluation.cost;
    const std::string json =
        json_path_.empty() ? "" : DumpJson(api::EvalJson(inputs.problem, inputs.arch, result));
    std::cout << FormatLoopNest(inputs.problem, inputs.arch, *inputs.mapping, &cost) << "\n"
              << FormatLevelTable(inputs.problem, inputs.arch, cost) << "\n"
              << FormatCostSummary(cost);
    if (result.constrained) std::cout << FormatViolations(result.violations);
    if (!json_path_.empty()) WriteFileAtomically(json_path_, json);
    std::cout.flush();
    return std::cout ? kExitOk : kExitInternal;
  }

 private:
  std::vector<std::string> files_;
  std::string json_path_;
  std::string model_ = "timeloop";
  std::string arch_path_;
};

}  // namespace

std::unique_ptr<Command> MakeEvalCommand() { return std::make_unique<EvalCommand>(); }

}  // namespace tessel::cli
