// Fuzz target: Timeloop / Accelergy / CoSA YAML inputs end to end, as `tessel eval` runs them:
// read every file (fuzz_files.h splits the input), check the mapping's structure, evaluate it,
// check the constraints among the inputs, and render the text and JSON reports.
// A UserError is the expected answer to bad input; any other exception, crash, leak or
// sanitizer report is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_files.h"
#include "tessel/common/error.h"
#include "tessel/io/inputs.h"
#include "tessel/mapping/constraints.h"
#include "tessel/model/evaluate.h"
#include "tessel/report/json_report.h"
#include "tessel/report/text_report.h"

namespace {

void EvaluateInputs(const std::vector<tessel::fuzz::FuzzFile>& files) {
  std::vector<std::string> texts;
  std::vector<std::string> names;
  for (const tessel::fuzz::FuzzFile& file : files) {
    texts.push_back(file.text);
    names.push_back(file.name);
  }
  const tessel::Inputs inputs = tessel::LoadInputsFromStrings(texts, names);
  if (!inputs.constraints.empty()) {
    std::vector<std::string> notes;
    const tessel::MapConstraints resolved =
        tessel::ResolveConstraints(inputs.constraints, inputs.problem, inputs.arch, &notes);
    if (inputs.mapping)
      tessel::CheckConstraints(resolved, inputs.problem, inputs.arch, *inputs.mapping);
  }
  if (!inputs.mapping) return;
  if (!tessel::CheckMappingStructure(inputs.problem, inputs.arch, *inputs.mapping).empty()) return;
  const tessel::Evaluation evaluation =
      tessel::Evaluate(inputs.problem, inputs.arch, *inputs.mapping);
  if (!evaluation.invalid_reason.empty()) return;
  tessel::FormatLoopNest(inputs.problem, inputs.arch, *inputs.mapping, &evaluation.cost);
  tessel::FormatLevelTable(inputs.problem, inputs.arch, evaluation.cost);
  tessel::FormatCostSummary(evaluation.cost);
  tessel::DumpJson(tessel::CostToJson(inputs.problem, inputs.arch, evaluation.cost));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    EvaluateInputs(tessel::fuzz::SplitFiles(data, size));
  } catch (const tessel::UserError&) {
  }
  return 0;
}
