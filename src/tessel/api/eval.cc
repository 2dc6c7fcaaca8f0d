#include "tessel/api/eval.h"

#include "tessel/common/error.h"
#include "tessel/report/json_report.h"

namespace tessel::api {

EvalResult EvaluateInputs(const Inputs& inputs) {
  return EvaluateMapping(inputs.problem, inputs.arch, inputs.mapping ? &*inputs.mapping : nullptr,
                         inputs.constraints);
}

EvalResult EvaluateMapping(const Problem& problem, const Arch& arch, const Mapping* mapping,
                           const MapConstraints& constraints) {
  if (!mapping) throw UserError("no mapping: none of the given files has a `mapping:` key");
  EvalResult result;
  // Structure first: the nest analysis assumes factors that multiply to the bounds.
  std::string invalid = CheckMappingStructure(problem, arch, *mapping);
  if (invalid.empty()) {
    result.evaluation = Evaluate(problem, arch, *mapping);
    invalid = result.evaluation.invalid_reason;
  }
  if (!invalid.empty()) throw UserError("invalid mapping: " + invalid);
  result.constrained = !constraints.empty();
  if (result.constrained) {
    const MapConstraints resolved =
        ResolveConstraints(constraints, problem, arch, &result.warnings);
    result.violations = CheckConstraints(resolved, problem, arch, *mapping);
  }
  return result;
}

nlohmann::ordered_json EvalJson(const Problem& problem, const Arch& arch,
                                const EvalResult& result) {
  nlohmann::ordered_json out = CostToJson(problem, arch, result.evaluation.cost);
  if (result.constrained) out["constraint_violations"] = ViolationsToJson(result.violations);
  return out;
}

}  // namespace tessel::api
