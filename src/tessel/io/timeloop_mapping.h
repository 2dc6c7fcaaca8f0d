// Reader for Timeloop's `mapping:` list: temporal / spatial / bypass directives per storage level.
//
// Semantics (Timeloop's mapping/parser.cpp, except where noted):
//   * factors: "C=1 K=1", "C1 K1", "C=1,K=1", a list of such strings, or a YAML map. Missing
//     dimensions have factor 1. 0 means the whole remaining bound: bound / (product of that
//     dimension's other factors) when that divides, else the bound (Timeloop: the bound).
//     "P=8,5" (imperfect factorisation) is rejected as not supported.
//   * permutation: innermost first, one letter per dimension (or whitespace/comma separated
//     names, or a YAML list). Missing dimensions are appended outermost in dimension order.
//   * spatial `split: k`: positions [0, k) of the padded permutation go to Spatial-X, the rest to
//     Spatial-Y; no split means all X.
//   * keep/bypass: default keep everything, except timeloopfe's dummy_storage levels, which
//     default to bypass everything (timeloopfe always bypasses them).
//   * a target may name a spatial container instead of its inter_<name>_spatial dummy level.
// Products of factors are NOT checked against bounds here; the model's validity check does that.
#pragma once

#include <string_view>
#include <vector>

#include "tessel/arch/arch.h"
#include "tessel/io/yaml_util.h"
#include "tessel/mapping/mapping.h"
#include "tessel/workload/problem.h"

namespace tessel::io {

Mapping ParseMapping(const YNode& mapping, const Problem& problem, const Arch& arch);

// The storage level a directive's `target` names. `what` prefixes the error ("mapping target").
int ResolveTarget(const YNode& target, const Arch& arch, std::string_view what);

// Data-space indices named by a keep/bypass list (`key` names the list in errors).
std::vector<int> ParseDataSpaceList(const YNode& list, const Problem& problem,
                                    std::string_view key);

}  // namespace tessel::io
