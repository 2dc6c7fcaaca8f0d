// One tile block (a layer's share on one tile, one sample) mapped on the tile's Timeloop
// architecture and costed by the exact model. The level above the global buffer stands for what
// the NoC delivers (free here: the RA-tree evaluation costs the NoC and DRAM).
//
// `mapper` is any single-layer mapper (cosa, random, exhaustive); with `polish` > 0 its answer is
// then improved by hill climbing with the exact model for at most that many evaluations
// (mapper/local_search.h): "random" with a few hundred samples plus a polish of a few thousand
// evaluations is the fast setting the search uses by default (docs/ratree.md).
#pragma once
#include <cstdint>

#include "tessel/schedule/node_cost.h"

namespace tessel {

struct TileBlockCost {
  std::int64_t cycles = 0;
  double pJ = 0;                  // MACs and the tile's memories
  std::int64_t buffer_bytes = 0;  // what the block keeps in the global buffer
};

// Throws UserError when the block has no valid mapping on the tile.
TileBlockCost MapTileBlock(const Problem& block, const Core& tile, const NodeCostOptions& options,
                           std::int64_t polish);

}  // namespace tessel
