#include "tessel/tuner/cim_system.h"

#include <algorithm>
#include <cmath>

namespace tessel {

CimArch SystemArch(const CimArch& chip, std::int64_t chips) {
  CimArch system = chip;
  system.pes = chip.pes * chips;
  system.chips = chips;
  return system;
}

std::int64_t ChipsToHold(std::int64_t arrays, const CimArch& chip) {
  const std::int64_t per_chip = chip.TotalArrays();
  return std::max<std::int64_t>(1, (arrays + per_chip - 1) / per_chip);
}

WriteCost WeightWriteCost(const CimLayer& layer, const CimTiling& tiling, const CimArch& chip) {
  WriteCost w;
  const std::int64_t rounds =
      (tiling.arrays_per_copy + chip.write_parallel_arrays - 1) / chip.write_parallel_arrays;
  w.cycles = rounds * tiling.rows_per_array * chip.write_cycles_per_row;
  w.cells = layer.TotalFilters() * layer.WeightRows() * chip.WeightSlices();
  w.energy_pJ = static_cast<double>(w.cells) * chip.write_energy_pJ_per_cell;
  return w;
}

LinkCost LinkTransfer(std::int64_t words, const CimArch& chip) {
  LinkCost c;
  c.bytes = (words * chip.input_bits + 7) / 8;
  if (c.bytes > 0 && chip.link_bytes_per_cycle > 0)
    c.cycles = static_cast<std::int64_t>(
        std::ceil(static_cast<double>(c.bytes) / chip.link_bytes_per_cycle));
  c.energy_pJ = static_cast<double>(c.bytes) * chip.link_energy_pJ_per_byte;
  return c;
}

std::vector<ChipSpan> PlaceOnChips(const std::vector<CimLayer>& layers,
                                   const std::vector<std::int64_t>& start,
                                   const std::vector<std::int64_t>& arrays, const CimArch& chip) {
  const std::int64_t per_chip = chip.TotalArrays();
  std::vector<ChipSpan> spans;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    ChipSpan s;
    s.first_chip = start[i] / per_chip;
    s.last_chip = (start[i] + std::max<std::int64_t>(arrays[i], 1) - 1) / per_chip;
    const CimLayer& l = layers[i];
    const std::int64_t outputs = l.OutputVectors() * l.TotalFilters();
    if (i > 0 && s.first_chip != spans.back().last_chip) s.link_words += l.InputWords();
    s.link_words += (s.last_chip - s.first_chip) * (l.InputWords() + outputs);
    spans.push_back(s);
  }
  return spans;
}

}  // namespace tessel
