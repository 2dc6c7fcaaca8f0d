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
#include "tessel/common/error.h"
#include "tessel/io/bundled.h"
#include "tessel/io/inputs.h"
#include "tessel/mapping/constraints.h"
#include "tessel/model/evaluate.h"
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
    if (!inputs.mapping)
      throw UserError("no mapping: none of the given files has a `mapping:` key");
    const Mapping& mapping = *inputs.mapping;

    // Structure first: the nest analysis assumes factors that multiply to the bounds.
    std::string invalid = CheckMappingStructure(inputs.problem, inputs.arch, mapping);
    Evaluation evaluation;
    if (invalid.empty()) {
      evaluation = Evaluate(inputs.problem, inputs.arch, mapping);
      invalid = evaluation.invalid_reason;
    }
    if (!invalid.empty()) throw UserError("invalid mapping: " + invalid);

    const Cost& cost = evaluation.cost;
    // Constraints among the inputs: say which directives the mapping breaks (timeloop-model
    // evaluates such mappings too, so the cost is still reported).
    const bool constrained = !inputs.constraints.empty();
    std::vector<ConstraintViolation> violations;
    if (constrained) {
      std::vector<std::string> notes;
      const MapConstraints resolved =
          ResolveConstraints(inputs.constraints, inputs.problem, inputs.arch, &notes);
      for (const std::string& note : notes) std::cerr << "tessel: warning: " << note << "\n";
      violations = CheckConstraints(resolved, inputs.problem, inputs.arch, mapping);
    }
    std::string json;
    if (!json_path_.empty()) {
      nlohmann::ordered_json out = CostToJson(inputs.problem, inputs.arch, cost);
      if (constrained) out["constraint_violations"] = ViolationsToJson(violations);
      json = DumpJson(out);
    }
    std::cout << FormatLoopNest(inputs.problem, inputs.arch, mapping, &cost) << "\n"
              << FormatLevelTable(inputs.problem, inputs.arch, cost) << "\n"
              << FormatCostSummary(cost);
    if (constrained) std::cout << FormatViolations(violations);
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
