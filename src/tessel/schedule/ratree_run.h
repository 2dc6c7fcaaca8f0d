// `tessel schedule --search ratree` as one library call: fuse the network's activations into their
// producers (tile_workload.h), cost layers on tile groups (tile_layer_cost.h), build SET's
// baselines, anneal (annealing.h) or evaluate a given tree, and count the space (ratree_count.h).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "tessel/schedule/annealing.h"
#include "tessel/schedule/node_cost.h"
#include "tessel/schedule/ratree_count.h"
#include "tessel/schedule/tiled_system.h"

namespace tessel {

struct RaTreeOptions {
  std::int64_t batch = 64;
  AnnealOptions anneal;     // objective, rounds, chains, seed; threads from `threads`
  NodeCostOptions cost;     // the intra-tile mapper
  std::int64_t polish = 0;  // hill-climbing evaluations after the mapper (tile_block_mapper.h)
  int threads = 1;
  std::optional<std::string> tree_text;  // evaluate this tree instead of searching
  std::string tree_file;                 // its name in errors
};

struct RaSpace {
  int leaves = 0;
  BigUint trees;
  OrderCount orders;
};

struct RaTreeResult {
  Workload workload;                      // the fused layers the tree schedules
  std::vector<RaMethod> methods;          // init, lp, ls, then ratree (the searched or given tree)
  std::vector<LeafPlacement> placement;   // of the ratree method, by layer
  std::vector<LayerOnTiles> layer_costs;  // of the ratree method, by layer
  // Of the ratree method: each segment's cost for one pass of the root's batch, and the segment
  // (root child index) of every layer.
  std::vector<RaCost> segments;
  std::vector<int> segment_of;
  RaSpace space;
  std::int64_t evaluations = 0;
  int mapped_blocks = 0;
  const RaMethod& best() const { return methods.back(); }
};

// Throws UserError on a tree that does not parse, does not match the network or is invalid
// (with the reason), a batch < 1, a layer no tile can hold.
RaTreeResult RunRaTree(const TiledSystem& system, const Workload& network,
                       const RaTreeOptions& options);

}  // namespace tessel
