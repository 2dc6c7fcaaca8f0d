#include "tessel/model/cim_activity.h"

#include <algorithm>
#include <cstdint>

namespace tessel {

CimActivity LayerActivity(const CimLayer& layer, const CimTiling& tiling,
                          std::int64_t input_words_delivered, std::int64_t extra_partial_sums,
                          const CimArch& arch) {
  const std::int64_t vectors = layer.OutputVectors();
  const std::int64_t steps = arch.InputSteps();
  const std::int64_t rows = tiling.DrivenRows(layer);
  const std::int64_t filters = layer.TotalFilters();
  CimActivity a;
  a.array_reads = vectors * tiling.arrays_per_copy * steps;
  a.dac_conversions = vectors * rows * steps;
  a.adc_conversions = vectors * tiling.row_tiles * filters * arch.WeightSlices() * steps;
  a.shift_adds = a.adc_conversions + vectors * filters * (tiling.row_tiles - 1);
  a.cu_input_reads = vectors * rows;
  a.cu_output_writes = vectors * filters * tiling.row_tiles;
  // Into the PE buffers, out to the CUs, and the outputs back; plus partial sums between PEs.
  a.pe_buffer_accesses =
      input_words_delivered + a.cu_input_reads + vectors * filters + extra_partial_sums;
  return a;
}

std::string CheckCimScheduleRanges(const CimSchedule& s, const CimLayer& layer,
                                   const CimArch& arch) {
  const struct {
    const char* name;
    std::int64_t value, max;
  } fields[] = {{"rows_used", s.rows_used, std::min(arch.array_rows, layer.WeightRows())},
                {"filters_per_array", s.filters_per_array, arch.MaxFiltersPerArray()},
                {"copies", s.copies, INT64_MAX},
                {"pes", s.pes, arch.pes},
                {"cus", s.cus, arch.cus_per_pe},
                {"pixel_tiles", s.pixel_tiles, INT64_MAX},
                {"groups_per_array", s.groups_per_array, MaxGroupsPerArray(layer, arch)}};
  for (const auto& f : fields)
    if (f.value < 1 || f.value > f.max)
      return "layer '" + layer.name + "': " + f.name + "=" + std::to_string(f.value) +
             " is outside [1, " + (f.max == INT64_MAX ? "..." : std::to_string(f.max)) + "]";
  return "";
}

void AddActivity(const CimActivity& a, const CimArch& arch, TimingResult* result) {
  result->counts.insert(result->counts.end(), {{"array_reads", a.array_reads},
                                               {"dac_conversions", a.dac_conversions},
                                               {"adc_conversions", a.adc_conversions},
                                               {"shift_adds", a.shift_adds},
                                               {"cu_input_buffer_reads", a.cu_input_reads},
                                               {"cu_output_buffer_writes", a.cu_output_writes},
                                               {"pe_buffer_accesses", a.pe_buffer_accesses}});
  const CimEnergy& e = arch.energy;
  result->energy_breakdown_pJ = {
      {"arrays", static_cast<double>(a.array_reads) * e.array_read_pJ},
      {"dacs", static_cast<double>(a.dac_conversions) * e.dac_pJ},
      {"adcs", static_cast<double>(a.adc_conversions) * e.adc_pJ},
      {"shift_add", static_cast<double>(a.shift_adds) * e.shift_add_pJ},
      {"cu_input_buffer", static_cast<double>(a.cu_input_reads) * e.cu_input_buffer_pJ},
      {"cu_output_buffer", static_cast<double>(a.cu_output_writes) * e.cu_output_buffer_pJ},
      {"pe_buffer", static_cast<double>(a.pe_buffer_accesses) * e.pe_buffer_pJ},
  };
  result->energy_pJ = 0;
  for (const auto& [name, pJ] : result->energy_breakdown_pJ) result->energy_pJ += pJ;
}

}  // namespace tessel
