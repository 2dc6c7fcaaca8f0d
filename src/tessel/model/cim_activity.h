// Per-component activity of a layer on a crossbar chip, and its energy: shared by cim-formula and
// cim-refined (model/cim_model.h). Internal to model/.
#pragma once

#include <cstdint>
#include <string>

#include "tessel/arch/cim_arch.h"
#include "tessel/model/cim_layer.h"
#include "tessel/model/cim_model.h"
#include "tessel/model/timing_model.h"

namespace tessel {

inline std::int64_t CeilDiv(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// Whole-layer action counts. A "word" is one input (input_bits) or one output/partial sum.
// G*K is the layer's filters (TotalFilters), rows driven the tiling's DrivenRows.
struct CimActivity {
  std::int64_t array_reads = 0;         // W*H*N * arrays per copy * steps
  std::int64_t dac_conversions = 0;     // W*H*N * rows driven * steps
  std::int64_t adc_conversions = 0;     // W*H*N * row tiles * G*K * weight slices * steps
  std::int64_t shift_adds = 0;          // one per ADC result + one per row-tile partial sum merged
  std::int64_t cu_input_reads = 0;      // W*H*N * rows driven (words into the DACs)
  std::int64_t cu_output_writes = 0;    // W*H*N * G*K * row tiles (partial sums)
  std::int64_t pe_buffer_accesses = 0;  // input words delivered + read out, outputs written
};

// The activity of `layer` laid out as `tiling`, with every input word delivered to the PE
// buffers `input_words_delivered` times in total and `extra_partial_sums` words of partial sums
// moved between PEs.
CimActivity LayerActivity(const CimLayer& layer, const CimTiling& tiling,
                          std::int64_t input_words_delivered, std::int64_t extra_partial_sums,
                          const CimArch& arch);

// "" when every field of `schedule` is in range for `layer` on `arch` (rows_used, filters, pes,
// cus within the chip; copies and pixel_tiles >= 1); else which is not. Guards the direct entry
// points EvaluateCimFormula / EvaluateCimRefined against divisions by zero.
std::string CheckCimScheduleRanges(const CimSchedule& schedule, const CimLayer& layer,
                                   const CimArch& arch);

// Appends the activity counts and the energy per component to `result`; sets its energy_pJ.
void AddActivity(const CimActivity& activity, const CimArch& arch, TimingResult* result);

}  // namespace tessel
