// The cost of an RA tree on a tiled system, by SET's formulas (the search's estimate).
//
// Per segment (a child of the root, owning the whole mesh, run at the root's batch P):
//   * tiles: an S cut splits its group among its children with AllocateTiles on their work
//     (MACs, and element operations x MACs per vector operation for layers without MACs),
//     contiguous in tile-number order; invalid when its utilisation, mean share / slowest share,
//     is below 0.75 or it has more children than tiles. A T cut's children share its group.
//   * time: a cut with batch b under a pass of P samples runs n = P / b passes; an S cut takes
//     slowest child x (n + stages - 1) (a pipeline: child j's stage is 1 + the largest stage of
//     the earlier siblings it reads from, 1 when none), a T cut n x the sum of its children. A
//     leaf is the layer at batch b on its tiles (tile_layer_cost.h).
//   * data: a producer -> consumer edge goes on chip when their lowest common ancestor is an S cut
//     and the consumer's stage is at most one after the producer's, or a T cut and they are in
//     adjacent children; else (root, other segments, farther stages) through DRAM. Network inputs,
//     weights (every pass) and outputs read by a later segment or by no layer move through DRAM.
//     Each tile of a leaf holds one block: tile j of its group takes output-channel part j mod K
//     and sample/row/column part j / K, or (when that crosses fewer links) part j mod S and
//     channel part j / S (S = B x H x W). Weights are multicast from the nearest DRAM port to the
//     tiles of one channel part, inputs to the K tiles of one sample/row/column part (from the
//     nearest port, or from a producer tile), outputs go from every tile to its nearest port; the
//     bytes on each link are summed over the multicast tree's links (XY routes).
//   * the segment's time is at least its busiest link's bytes / link bandwidth and its DRAM bytes
//     / DRAM bandwidth; energy = tiles + NoC bytes x hops x pJ + DRAM bytes x pJ.
//   * every tile's global buffer must hold its block, its on-chip inputs and its on-chip output.
// The tree's time is N / P x the sum of its segments' (N: the whole batch), its energy likewise.
#pragma once
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "tessel/mapper/mapper.h"
#include "tessel/schedule/ratree.h"
#include "tessel/schedule/tile_layer_cost.h"
#include "tessel/schedule/tiled_system.h"

namespace tessel {

struct RaCost {
  bool valid = true;
  std::string why;  // the reason when invalid
  double latency_cycles = 0;
  double tile_pJ = 0, noc_pJ = 0, dram_pJ = 0;
  double dram_bytes = 0;
  double energy_pJ() const { return tile_pJ + noc_pJ + dram_pJ; }
};

// Lower is better; invalid trees are +infinity.
double RaObjective(const RaCost& cost, Objective objective);

// Where each leaf runs in a tree (for reports and the simulator): its tiles (tile numbers) and
// the batch it runs at, by layer index.
struct LeafPlacement {
  std::vector<int> tiles;
  std::int64_t batch = 1;
  std::int64_t passes = 1;  // times it runs over the whole batch
  // No consumer reads its output on chip (every consumer is in another segment or too far, by
  // the rules above; a network output too): the output goes to DRAM.
  bool output_offchip = false;
};

class RaEvaluator {
 public:
  RaEvaluator(const TiledSystem& system, const Workload& workload, std::int64_t batch,
              TileCostTable& costs);
  // Thread-safe; segment costs are memoised by their notation and pass size, so a move that
  // changes one segment re-evaluates only that segment.
  RaCost Evaluate(const RaNode& root);
  std::vector<LeafPlacement> Placements(const RaNode& root);
  // One segment (a child of the root) run at `pass` samples per pass (memoised).
  RaCost Segment(const RaNode& segment, std::int64_t pass);
  std::int64_t batch() const { return batch_; }

 private:
  RaCost CostSegment(const RaNode& segment, std::int64_t pass);

  const TiledSystem& system_;
  const Workload& workload_;
  std::int64_t batch_;
  TileCostTable& costs_;
  std::mutex mutex_;
  std::map<std::string, RaCost> memo_;
};

}  // namespace tessel
