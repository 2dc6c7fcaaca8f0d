// Computation nodes: every layer split into tiles by its inter-core split (one group per core
// slot) and, in fused mode, its intra-core tiling, with exact dependencies between tiles.
//
// Geometry: every layer's output is a box of channels x rows x columns (conv: M x Q x P, as
// tessel's conv problem names them: Q = output rows = Stream's OY, P = columns = OX). A node
// produces a sub-box (a channel range and a row range) and reads, from each producer layer, the
// rows its window covers (stride, dilation, halo, padding clipped away) and the channels it needs
// (a conv: all of them; a layer without MACs: its own channel range). It depends on exactly the
// producer nodes whose output boxes overlap that window.
//
// Data sizes use 8 bits per element for inputs, weights and outputs (Stream's tutorial
// precisions: I and W 8 bits, final O 8 bits).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "tessel/schedule/layer_mapping.h"
#include "tessel/schedule/system.h"
#include "tessel/workload/workload.h"

namespace tessel {

inline constexpr std::int64_t kElementBits = 8;

enum class ScheduleMode { kLayerByLayer, kFused };
const char* ToString(ScheduleMode mode);  // "layer-by-layer", "fused"

// Channels x rows x columns of a layer's output tensor.
struct LayerGeometry {
  std::int64_t channels = 1, rows = 1, cols = 1;
};

struct CompNode {
  int id = 0;
  int layer = 0;  // index into the workload
  int group = 0;  // inter-core group: the allocation gene index within the layer
  int tile = 0;   // intra-core tile index within the group
  // The node's MAC iteration space (layers with MACs; one instance of `repeat`), or empty.
  Problem problem;
  std::int64_t repeat = 1;
  std::int64_t macs = 0;
  // Elements this node reads and writes: inputs (all producers, or the network input), outputs.
  std::int64_t input_elements = 0;
  std::int64_t output_elements = 0;
  std::int64_t weight_bits = 0;
  std::int64_t network_input_bits = 0;          // part of the input that comes from DRAM
  std::int64_t c0 = 0, c1 = 0, y0 = 0, y1 = 0;  // output box: channels [c0,c1), rows [y0,y1)
  std::vector<int> deps;                        // producer node ids, ascending
  // Set by the RA-tree replay where the tree sends this output through DRAM: it is written to
  // off-chip memory right after the node runs and dropped from its core, so every consumer reads
  // it from there. False: the simulator keeps it on the core for its consumers (spilling if full).
  bool output_offchip = false;
  // Set by the RA-tree replay: every node of this layer with the same channel range [c0, c1)
  // shares one weight tensor whatever its group (the tiles of one channel part hold the same
  // weights): it is read from DRAM once and multicast, a later tile joining the DRAM read in
  // flight or copying from the nearest tile that holds it. False: one weight tensor per group.
  bool shared_weights = false;
  std::int64_t output_bits() const { return output_elements * kElementBits; }
};

struct LayerSplit {
  int groups = 1;                       // inter-core groups (allocation genes)
  std::vector<int> allowed;             // core ids the entry allows, in the entry's order
  bool fixed = false;                   // allowed.size() == groups: group g runs on allowed[g]
  std::vector<std::vector<int>> nodes;  // [group] -> node ids in tile order
  const LayerMappingEntry* entry = nullptr;
};

struct NodeGraph {
  std::vector<CompNode> nodes;
  std::vector<LayerSplit> layers;       // parallel to the workload's layers
  std::vector<LayerGeometry> geometry;  // parallel to the workload's layers
  std::vector<int> order;               // layers in topological order
  std::vector<int> topo_position;       // [layer] -> position in `order`
  // Optional pick order of the simulator (node id -> rank, 0 first, a permutation of the ids);
  // empty: PriorityRanks' order. The RA-tree replay sets it to the tree's execution order.
  std::vector<int> priority;
};

// Splits every layer of `workload` into nodes. Layer-by-layer mode ignores intra-core tiling
// (one node per group, as Stream's `lbl` mode), and so does fused mode for a layer whose group
// weights exceed the memory of a core it may use (each tile would stream them again). A tiling
// over a dimension that is not split (see above) adds a warning.
NodeGraph BuildNodeGraph(const Workload& workload, const LayerMapping& mapping,
                         const System& system, ScheduleMode mode,
                         std::vector<std::string>* warnings);

}  // namespace tessel
