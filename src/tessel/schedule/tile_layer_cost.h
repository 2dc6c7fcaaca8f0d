// A layer on k tiles of a tiled system (SET's per-layer cost), for the RA-tree search.
//
// The layer's work at a batch of b samples is split over k tiles along output channels (K), batch
// (B), output rows (H) and columns (W): every ordered factorisation K x B x H x W = k whose parts
// fit the layer is tried; its rounding efficiency is the product over the four dimensions of
// size / (parts x ceil(size / parts)). Among the factorisations with efficiency >= 0.75 (all of
// them when none reaches it) the one that moves the fewest bytes over the NoC wins (weights are
// replicated B x H x W times, inputs K times; ties: higher efficiency, then the first in
// K-major enumeration order). One tile's block, ceil(K/k_K) x ceil(H/k_H) x ceil(W/k_W) at one
// sample, is mapped by the intra-tile mapper on the tile's Timeloop architecture and costed by
// the exact model (the level above the global buffer delivers data for free: the NoC and DRAM are
// costed by the RA-tree evaluation); the block runs ceil(b / k_B) times.
// Layers without MACs run on the tiles' vector units: max(in, out) x b element operations spread
// over k tiles, `vector_ops` per cycle per tile, the arithmetic energy per operation.
#pragma once
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "tessel/schedule/node_cost.h"
#include "tessel/schedule/tile_block_mapper.h"
#include "tessel/schedule/tiled_system.h"
#include "tessel/workload/workload.h"

namespace tessel {

// The problem dimensions a layer is split along on tiles (-1: none): output channels (k), output
// rows (h) and columns (w). A convolution's are found by position (AsConvShape's
// order R S P Q C M|K N [G]: CoSA's layer lists name output channels K); a matrix product's
// (M x K times K x N, batched B) by name: columns N, rows M, batch B.
struct SplitDims {
  int k = -1, h = -1, w = -1;
};
SplitDims SplitDimsOf(const Layer& layer);

struct TileSplit {
  int k = 1, b = 1, h = 1, w = 1;  // parts along output channels, batch, rows, columns
  double efficiency = 1;
};

struct LayerOnTiles {
  TileSplit split;
  std::int64_t cycles = 0;        // the layer at batch b on its k tiles (all tiles in parallel)
  double tile_pJ = 0;             // all k tiles: MACs and on-tile memories
  std::int64_t buffer_bytes = 0;  // global-buffer bytes one tile's block occupies
  std::int64_t weight_bytes = 0;  // the layer's weights (8-bit), all of them
  std::int64_t input_bytes = 0;   // activations read at batch b
  std::int64_t output_bytes = 0;  // activations written at batch b
};

// Thread-safe cache of block costs; deterministic (the mapper is).
class TileCostTable {
 public:
  // `polish`: hill-climbing evaluations after the mapper (tile_block_mapper.h).
  TileCostTable(const TiledSystem& system, const Workload& workload, NodeCostOptions options,
                std::int64_t polish = 0);
  // Throws UserError when the layer has no valid mapping on a tile.
  LayerOnTiles Get(int layer, int tiles, std::int64_t batch);
  int mapped_blocks() const;

 private:
  TileBlockCost Block(const Problem& block);

  const TiledSystem& system_;
  const Workload& workload_;
  NodeCostOptions options_;
  std::int64_t polish_;
  mutable std::mutex mutex_;
  std::map<std::string, TileBlockCost> blocks_;
  std::map<std::tuple<int, int, std::int64_t>, LayerOnTiles> layers_;
};

// The best split of `layer` over `tiles` tiles at `batch` (see above).
TileSplit ChooseSplit(const Layer& layer, int tiles, std::int64_t batch);

}  // namespace tessel
