// Machine-readable results. Key order is fixed and numbers are printed reproducibly, so the same
// inputs give byte-identical JSON (`Dump(CostToJson(...))`).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tessel/arch/arch.h"
#include "tessel/mapping/constraints.h"
#include "tessel/model/cost.h"
#include "tessel/workload/problem.h"

namespace tessel {

// The cost of one evaluated mapping:
//
//   {"cycles": int, "energy_pJ": float, "utilization": float, "computes": int,
//    "levels": [{"name": str, "instances": int,
//                "tensors": {"<data space>": {"reads": int, "fills": int, "updates": int,
//                                             "utilized_capacity": int}}}],
//    "energy_is_estimate": bool}
//
// "levels" lists every storage level of the arch, INNERMOST FIRST (Arch::storage order), including
// spatial fan-out points that keep nothing (their "tensors" is {}). "tensors" holds only the data
// spaces the level keeps, in Problem::data_spaces order. Access counts are per instance, in words.
nlohmann::ordered_json CostToJson(const Problem& problem, const Arch& arch, const Cost& cost);

// [{"where": "file:line:col", "message": str}] in the given order ("where" is "" when unknown).
nlohmann::ordered_json ViolationsToJson(const std::vector<ConstraintViolation>& violations);

// `value` rounded to 12 significant digits: floating-point sums done in another order (another
// compiler, another thread count) then print the same. Far below any model's accuracy.
double ReproducibleDouble(double value);

// Two-space indented text with a final newline.
std::string DumpJson(const nlohmann::ordered_json& json);

}  // namespace tessel
