// `tessel eval` as library calls, shared by the CLI (cli/eval_command.cc) and the Python module
// (src/python): one given mapping of one layer, checked and evaluated, and its JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tessel/io/inputs.h"
#include "tessel/mapping/constraints.h"
#include "tessel/model/evaluate.h"

namespace tessel::api {

struct EvalResult {
  Evaluation evaluation;  // valid: EvaluateInputs throws on an invalid mapping
  // True when the inputs carry constraints; `violations` then lists the directives the mapping
  // breaks (the cost is reported either way, as timeloop-model does).
  bool constrained = false;
  std::vector<ConstraintViolation> violations;
  std::vector<std::string> warnings;  // ResolveConstraints' notes, for the caller to show
};

// Checks the mapping's structure, evaluates it and checks it against the inputs' constraints.
// Throws UserError "no mapping: ..." when `inputs` has none and "invalid mapping: <reason>" when
// the structure check or the model rejects it.
EvalResult EvaluateInputs(const Inputs& inputs);
// The same on the parts (`mapping` null: no mapping).
EvalResult EvaluateMapping(const Problem& problem, const Arch& arch, const Mapping* mapping,
                           const MapConstraints& constraints);

// What `tessel eval --json` writes: CostToJson, plus "constraint_violations" when constrained.
nlohmann::ordered_json EvalJson(const Problem& problem, const Arch& arch, const EvalResult& result);

}  // namespace tessel::api
