// A network larger than one chip, two ways (docs/tune.md, "Larger than a chip"):
//   several chips   `chips` identical chips seen by the models as one system of chips x pes PEs;
//                   stages placed on chips in workload order, an activation that crosses a chip
//                   boundary costed on the link (bytes / link bytes per cycle, pJ per byte);
//   reprogramming   layers that do not stay resident are written into a region of the arrays
//                   before they run (write cycles per row, parallel arrays, pJ per cell), in
//                   passes when the layer is larger than the region.
// Pure functions; the network tuner (cim_network.h) decides which to use.
#pragma once

#include <cstdint>
#include <vector>

#include "tessel/arch/cim_arch.h"
#include "tessel/model/cim_layer.h"
#include "tessel/model/cim_model.h"

namespace tessel {

// `chip` repeated `chips` times: pes = chips x chip.pes, chips = chips; everything else equal.
CimArch SystemArch(const CimArch& chip, std::int64_t chips);

// The fewest chips whose arrays hold `arrays` (at least 1).
std::int64_t ChipsToHold(std::int64_t arrays, const CimArch& chip);

// Writing one weight copy of `layer` laid out as `tiling`: every array of the copy writes its
// used rows (tiling.rows_per_array, the densest array's) one row per write_cycles_per_row,
// write_parallel_arrays arrays at once; every cell holding a weight slice costs
// write_energy_pJ_per_cell.
struct WriteCost {
  std::int64_t cycles = 0;
  std::int64_t cells = 0;  // G*K * k*k*C * weight slices
  double energy_pJ = 0;
};
WriteCost WeightWriteCost(const CimLayer& layer, const CimTiling& tiling, const CimArch& chip);

// An activation crossing chips: `words` of input_bits each over the link.
struct LinkCost {
  std::int64_t bytes = 0;
  std::int64_t cycles = 0;  // ceil(bytes / link_bytes_per_cycle)
  double energy_pJ = 0;
};
LinkCost LinkTransfer(std::int64_t words, const CimArch& chip);

// Stages (workload order), stage i occupying the system's arrays [start[i], start[i] +
// arrays[i]), chip after chip: first/last chip of each stage, and its link words: its input
// when its first chip is not the previous stage's last chip, plus, for a stage spanning s > 1
// chips, (s - 1) x (its input + its outputs) (inputs broadcast to, outputs gathered from, every
// further chip).
struct ChipSpan {
  std::int64_t first_chip = 0, last_chip = 0;
  std::int64_t link_words = 0;
};
std::vector<ChipSpan> PlaceOnChips(const std::vector<CimLayer>& layers,
                                   const std::vector<std::int64_t>& start,
                                   const std::vector<std::int64_t>& arrays, const CimArch& chip);

}  // namespace tessel
