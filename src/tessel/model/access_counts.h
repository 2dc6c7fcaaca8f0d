// Per level and data space: tile, partition, reads, fills and updates, per instance, following
// timeloop-model's collapse of the loop nest into storage levels (tiling.cpp): parent access
// share, bypass (masking) that forwards a skipped level's traffic to the next kept ancestor,
// first-read elision for read-modify-write data, and zero fills at the backing store.
#pragma once

#include <string>
#include <vector>

#include "tessel/mapping/mapping.h"
#include "tessel/model/cost.h"
#include "tessel/model/nest.h"
#include "tessel/workload/problem.h"

namespace tessel {

// Fills stats[*].tensors[space] for one data space (bypassed levels get kept = false and zero
// counts); energy is left at 0. Returns "" or why the counts cannot be given (a count over
// 2^63-1, a fan-out too large to enumerate): the stats are then meaningless and the caller
// reports the mapping invalid rather than a wrapped number.
std::string CountAccesses(const Problem& problem, const Mapping& mapping, const Nest& nest,
                          int space, std::vector<LevelStats>& stats);

}  // namespace tessel
