// Multicast and spatial reduction across the instances one level fans out to.
//
// Every child instance of a level follows the same temporal walk, so its delta is the same set
// shifted by the child's projected spatial offset. timeloop-model groups children whose deltas are
// equal sets and serves each group with one access (multicast for reads, one update per group for
// a spatially reduced output). Equal sets means equal projected offsets, so the parent's access
// count is (number of distinct projected offsets) x (words one child receives).
#pragma once

#include <cstdint>

#include "tessel/model/nest.h"
#include "tessel/workload/problem.h"

namespace tessel {

// Number of distinct tiles of data space `space` among the instances that level `level`'s spatial
// loops fan out to (1 when the level has no fan-out or the fanned-out dimensions are irrelevant).
// Loops of several dimensions sharing a rank (a sliding window fanned out over R and P) are
// counted by enumerating their offsets: -1 when that would take more than
// kMaxEnumeratedOffsets offsets (memory and time, not a count).
constexpr std::int64_t kMaxEnumeratedOffsets = std::int64_t{1} << 20;
std::int64_t DistinctSpatialTiles(const Problem& problem, int space, const Nest& nest, int level);

}  // namespace tessel
