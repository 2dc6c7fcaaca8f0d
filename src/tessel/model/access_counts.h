// Per level and data space: tile, partition, reads, fills and updates, per instance, following
// timeloop-model's collapse of the loop nest into storage levels (tiling.cpp): parent access
// share, bypass (masking) that forwards a skipped level's traffic to the next kept ancestor,
// first-read elision for read-modify-write data, and zero fills at the backing store.
#pragma once

#include <vector>

#include "tessel/mapping/mapping.h"
#include "tessel/model/cost.h"
#include "tessel/model/nest.h"
#include "tessel/workload/problem.h"

namespace tessel {

// Fills stats[*].tensors[space] for one data space (bypassed levels get kept = false and zero
// counts); energy is left at 0.
void CountAccesses(const Problem& problem, const Mapping& mapping, const Nest& nest, int space,
                   std::vector<LevelStats>& stats);

}  // namespace tessel
