// An RA tree replayed through the shared event-driven simulator (simulator.h): what tessel reports
// for a tiled mesh is the simulator's schedule, checkable from the JSON alone like every
// multi-core schedule (the search ranks trees by SET's formulas, ratree_eval.h).
//
// The mesh becomes the engine's System: one core per tile (id = tile number, the tile's Timeloop
// architecture; all tiles share one name, so a node shape is mapped once for the whole mesh), one
// link per pair of neighbouring routers (NoC bandwidth and energy), an off-chip memory core (id =
// tiles) joined to every DRAM-port router, and its port link (the total DRAM bandwidth).
//
// Nodes: every run of a leaf (a sub-batch pass: b samples, b the batch its parent cut hands it;
// N / b runs over the whole batch N) becomes one node per tile its split uses. Tile j of the
// leaf's group takes channel part j mod K and sample/row/column part j / K of the run, with exact
// part sizes (parts differ by at most one, so MACs are conserved); the node's samples are its
// `repeat`. In the engine's terms tile j is the layer's group j and the run its intra-core tile
// index. A node depends on exactly the producer nodes whose samples, rows (one halo row on each
// side of the proportional window) and columns overlap what it reads (a layer without MACs: its
// channels), so run i of a consumer waits for run i of its producer when both run at one batch.
//
// Order: the simulator picks ready nodes in the tree's execution order (NodeGraph::priority): the
// root's passes in turn, in each the segments in turn; a T cut runs its passes in turn and in each
// its children in turn; an S cut's passes likewise in pass-major order, but its children sit on
// disjoint tiles, so run i of a child starts as soon as its inputs and tiles are ready: the
// sub-batch pipeline. Data: an output every consumer reads through DRAM by the tree's rules
// (LeafPlacement::output_offchip) is written to DRAM after its node and dropped from the tile;
// other outputs stay on their tiles for their consumers (the simulator spills them when a tile's
// buffer is full). The tiles of one channel part share its weights (CompNode::shared_weights:
// read from DRAM once and multicast), which stay on a tile while later runs there need them. A
// node too large for its tile streams by SET's tile model (NodeCostOptions::compulsory_streams:
// its held mapping's cycles, each bit once, inputs from the tiles that keep them on chip).
#pragma once
#include <cstdint>
#include <deque>
#include <stop_token>
#include <vector>

#include "tessel/schedule/ratree.h"
#include "tessel/schedule/ratree_eval.h"
#include "tessel/schedule/schedule_run.h"
#include "tessel/schedule/tiled_system.h"

namespace tessel {

struct RaReplay {
  System system;
  ScheduleResult result;  // graph, allocation, schedule (the simulator's), cost entries
  std::deque<LayerMappingEntry> entries;  // one per layer (the graph points at them)
};

// Replays `tree` (valid for `workload` at `batch`) with the leaves placed as `placement` says and
// split as `splits` says (both by layer, from the evaluator). Node costs: `cost`'s mapper once per
// distinct node shape. Throws Interrupted on `stop`.
void ReplayRaTree(const TiledSystem& tiled, const Workload& workload, const RaNode& tree,
                  const std::vector<LeafPlacement>& placement,
                  const std::vector<TileSplit>& splits, std::int64_t batch,
                  const NodeCostOptions& cost, int threads, RaReplay* out,
                  std::stop_token stop = {});

// The engine's System for a mesh (see above).
System MeshToSystem(const TiledSystem& tiled);

}  // namespace tessel
