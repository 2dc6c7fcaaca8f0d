// Human-readable views of a mapping and its cost, for terminals and logs.
#pragma once

#include <cstdint>
#include <string>

#include "tessel/arch/arch.h"
#include "tessel/mapping/constraints.h"
#include "tessel/mapping/mapping.h"
#include "tessel/model/cost.h"
#include "tessel/workload/problem.h"

namespace tessel {

// The loop nest in timeloop-model's map.txt layout, outermost level first:
//
//   GlobalBuffer [ Weights:192 (192) Inputs:576 (576) Outputs:32 (32) ]
//   -------------------------------------------------------------------
//   |   for C in [0:32)
//   |     for K in [0:16) (Spatial-X)
//
// Each level's header lists the tensors it keeps with their utilized capacity in words; the
// number in parentheses is Timeloop's tile size, which equals the utilized capacity for dense
// tensors. With `cost` they come from the cost model; without it, from the projection of the
// mapping's loops (exact for the perfect factorisations a Mapping can hold). Loops of factor 1
// are not shown; a level with no loop shows only its header, as Timeloop does.
std::string FormatLoopNest(const Problem& problem, const Arch& arch, const Mapping& mapping,
                           const Cost* cost);

// Words of data space `space` one instance of storage level `level` holds: the projection of
// every loop at and below that level (temporal and spatial).
std::int64_t ProjectedTileWords(const Problem& problem, const Mapping& mapping, int level,
                                int space);

// Per storage level (outermost first) and kept tensor: utilized capacity, reads, fills and
// updates per instance, and the level's energy over all instances.
std::string FormatLevelTable(const Problem& problem, const Arch& arch, const Cost& cost);

// Cycles, energy, utilization, MACs; and a warning line when energies are estimates.
std::string FormatCostSummary(const Cost& cost);

// "Constraints: satisfied\n", or "Constraint violations: N\n" and a line per violation,
// "  file:line:col: message".
std::string FormatViolations(const std::vector<ConstraintViolation>& violations);

}  // namespace tessel
