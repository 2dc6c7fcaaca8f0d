#include "cli/model_eval.h"

#include <iostream>

#include "cli/command.h"
#include "cli/files.h"
#include "tessel/common/error.h"
#include "tessel/io/cim_arch_yaml.h"
#include "tessel/io/layer_file.h"
#include "tessel/model/timing_model.h"
#include "tessel/report/json_report.h"
#include "tessel/report/timing_report.h"

namespace tessel::cli {
namespace {

std::string JoinModelNames() {
  std::string out;
  for (const std::string& name : TimingModelNames()) out += (out.empty() ? "" : ", ") + name;
  return out;
}

}  // namespace

int RunModelEval(const std::string& model_name, const std::string& arch_path,
                 const std::vector<std::string>& files, const std::string& json_path) {
  std::unique_ptr<TimingModel> model = MakeTimingModel(model_name);
  if (!model)
    throw UserError("unknown model '" + model_name + "'; the models are: " + JoinModelNames());
  if (model_name == "timeloop")
    throw UserError(
        "--arch is for the compute-in-memory models (--model cim-formula or cim-refined); for "
        "--model timeloop give the architecture YAML among the input files");
  if (files.empty())
    throw UserError("--model " + model_name + " needs a problem file: tessel eval --model " +
                    model_name + " [--arch CIM.yaml] PROBLEM.yaml");
  const Problem layer = io::LoadLayerProblem(ExpandInputPaths(files));
  const CimArch arch =
      io::LoadCimArchFile(arch_path.empty() ? io::BundledCimArchPath() : arch_path);
  const ArchRef arch_ref = &arch;
  if (std::string why = model->Supports(layer, arch_ref); !why.empty()) throw UserError(why);

  const Schedule schedule = model->DefaultSchedule(layer, arch_ref);
  const TimingResult result = model->Evaluate(layer, schedule, arch_ref);
  if (!result.ok()) throw UserError("invalid schedule: " + result.invalid_reason);

  std::string json;
  if (!json_path.empty()) json = DumpJson(TimingResultToJson(model->Name(), result, schedule));
  std::cout << FormatTimingResult(model->Name(), layer.name, arch.name, result, schedule);
  if (!json_path.empty()) WriteFileAtomically(json_path, json);
  std::cout.flush();
  return std::cout ? kExitOk : kExitInternal;
}

}  // namespace tessel::cli
