// The searched RA tree replayed through the shared event-driven simulator (simulator.h), so that
// what tessel reports for a tiled mesh is checkable from the schedule JSON alone, like every
// multi-core schedule.
//
// The mesh becomes the engine's System: one core per tile (id = tile number, the tile's Timeloop
// architecture), one link per pair of neighbouring routers (NoC bandwidth and energy), an
// off-chip memory core (id = tiles) joined to every DRAM-port router, and its port link (the total
// DRAM bandwidth). Every layer becomes one node per tile its split uses: tile j of the group takes
// channel part j mod K and sample/row/column part j / K, with exact part sizes (parts differ by at
// most one, so MACs are conserved), the node's samples as its `repeat`. A node depends on exactly
// the producer nodes whose output block overlaps the samples, rows (one halo row on each side of
// the proportional window) and columns it reads, and, for a layer without MACs, its channels.
// Nodes hold their data on their tile (fused mode); the simulator orders them, moves every
// tensor over the routes it finds and spills to DRAM when a tile's buffer is full. Sub-batch
// pipelining inside S cuts is not replayed: a node runs all of its samples at once.
#pragma once
#include <deque>
#include <string>
#include <vector>

#include "tessel/schedule/ratree_run.h"
#include "tessel/schedule/schedule_run.h"

namespace tessel {

struct RaReplay {
  System system;
  ScheduleResult result;  // graph, allocation, schedule (the simulator's), cost entries
  std::deque<LayerMappingEntry> entries;  // one per layer (the graph points at them)
};

// `workload` is the fused one of `tree`; node costs use `cost` (mapper per distinct node shape).
void ReplayRaTree(const TiledSystem& tiled, const RaTreeResult& tree, std::int64_t batch,
                  const NodeCostOptions& cost, int threads, RaReplay* out);

// The engine's System for a mesh (see above).
System MeshToSystem(const TiledSystem& tiled);

}  // namespace tessel
