// `tessel schedule --search ratree` as one library call: fuse the network's activations into their
// producers (tile_workload.h), cost layers on tile groups (tile_layer_cost.h), build SET's
// baselines, anneal (annealing.h) or evaluate a given tree, replay trees through the shared
// simulator (ratree_replay.h) and count the space (ratree_count.h).
//
// What is reported comes from the simulator (DESIGN.md 8): every baseline and the answer are
// replayed. The search ranks trees by SET's formulas; its `replays` best distinct trees (the
// start and the chains' bests, by estimate) are replayed too, and the answer is the one the
// simulator finds best among them and the baselines (lowest estimate rank on ties), so it is never
// worse than init, LP or LS on the simulator's figures either. A given tree (`tree_text`) is the
// answer as given.
#pragma once
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "tessel/schedule/annealing.h"
#include "tessel/schedule/node_cost.h"
#include "tessel/schedule/ratree_count.h"
#include "tessel/schedule/ratree_replay.h"
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
  int replays = 4;  // searched trees replayed through the simulator (besides the baselines)
};

struct RaSpace {
  int leaves = 0;
  BigUint trees;
  OrderCount orders;
};

struct RaTreeResult {
  Workload workload;  // the fused layers the tree schedules
  // init, lp, ls, then ratree (the searched or given tree), each with its simulated figures.
  std::vector<RaMethod> methods;
  std::unique_ptr<RaReplay> replay;       // the ratree method's schedule (the simulator's)
  int replayed = 0;                       // trees replayed through the simulator
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
// (with the reason), a batch < 1, a layer no tile can hold; Interrupted when `stop` is requested.
RaTreeResult RunRaTree(const TiledSystem& system, const Workload& network,
                       const RaTreeOptions& options, std::stop_token stop = {});

// The objective on simulated figures (lower is better).
double SimObjective(const RaSimulated& sim, Objective objective);

}  // namespace tessel
