// The event-driven list scheduler: one allocation + mode -> one Schedule.
//
// Nodes are taken one at a time from the ready set (all producers scheduled) in a fixed priority
// order: layer-by-layer mode by (layer's topological position, group, tile), fused mode by (the
// tile's end row as a fraction of its layer's rows, layer position, group, tile), so that fused
// tiles of consecutive layers interleave. Ties cannot happen (node ids break them).
//
// A node either
//   * holds its data on its core: its input tiles, weights and network input are moved in before
//     it starts (prefetch transfers over the route's links, each link held at the route's
//     bandwidth), its output is kept on the core until every consumer has been scheduled; or
//   * streams (layer-by-layer mode, or a node too large for its core): its off-chip traffic
//     flows over the route to the off-chip core while it runs, at the rate its cost implies, and
//     its output goes to off-chip memory. With NodeCostOptions::compulsory_streams (the RA-tree
//     replay) such a node moves each input, weight and output bit once instead, its inputs from
//     the cores that hold them, its output kept on its core when the tree keeps it on chip
//     (simulator_stream.cc).
// Weights are one tensor per group, or with CompNode::shared_weights one per channel range of a
// layer, read from off-chip memory once and multicast (later cores join the read in flight or
// copy from the nearest core that holds them).
// Memory: a core's top memories hold its tensors; when a new tensor does not fit, copies not
// needed by the node at hand are evicted, the one needed furthest in the future first, after a
// write-back to off-chip memory when off-chip memory has no copy. A bus is one resource; a
// transfer holds its bandwidth on every link of its route for its duration.
#pragma once
#include "tessel/schedule/node_cost.h"
#include "tessel/schedule/nodes.h"
#include "tessel/schedule/schedule.h"
#include "tessel/schedule/system.h"
#include "tessel/workload/workload.h"

namespace tessel {

SystemSchedule Simulate(const System& system, const Workload& workload, const NodeGraph& graph,
                  const NodeCostTable& costs, const Allocation& allocation, ScheduleMode mode);

// The priority rank of every node (0 first), as described above.
std::vector<int> PriorityRanks(const NodeGraph& graph, ScheduleMode mode);

}  // namespace tessel
