// Fuzz target: the Timeloop mapping YAML against a fixed architecture and problem (the bundled
// example, examples/default), read, checked and evaluated as `tessel eval` does.
// A UserError is the expected answer to bad input; anything else is a finding.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "tessel/common/error.h"
#include "tessel/io/inputs.h"
#include "tessel/model/evaluate.h"
#include "tessel/report/text_report.h"

#ifndef TESSEL_EXAMPLES_DIR
#error "TESSEL_EXAMPLES_DIR must name the examples directory"
#endif

namespace {

std::string ReadExample(const std::string& name) {
  std::ifstream in(std::string(TESSEL_EXAMPLES_DIR) + "/default/" + name, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string arch = ReadExample("arch.yaml");
  static const std::string problem = ReadExample("problem.yaml");
  static const std::string ert = ReadExample("ERT.yaml");
  try {
    const tessel::Inputs inputs = tessel::LoadInputsFromStrings(
        {arch, problem, ert, std::string(reinterpret_cast<const char*>(data), size)},
        {"arch.yaml", "problem.yaml", "ERT.yaml", "mapping.yaml"});
    if (!inputs.mapping) return 0;
    if (!tessel::CheckMappingStructure(inputs.problem, inputs.arch, *inputs.mapping).empty())
      return 0;
    const tessel::Evaluation evaluation =
        tessel::Evaluate(inputs.problem, inputs.arch, *inputs.mapping);
    if (evaluation.invalid_reason.empty())
      tessel::FormatLoopNest(inputs.problem, inputs.arch, *inputs.mapping, &evaluation.cost);
  } catch (const tessel::UserError&) {
  }
  return 0;
}
