// A compute-in-memory (ReRAM crossbar) chip: PEs, each with CUs, each with crossbar arrays.
//
// Hierarchy: chip -> `pes` PEs -> `cus_per_pe` CUs -> `arrays_per_cu` arrays of
// `array_rows` wordlines x `array_cols` bitlines. A weight of `weight_bits` bits is stored as
// ceil(weight_bits / cell_bits) bit slices in adjacent columns; an input of `input_bits` bits is
// applied `dac_bits` at a time, so one matrix-vector product takes ceil(input_bits / dac_bits)
// array reads ("steps"). One cycle is one array read (ISAAC: 100 ns).
//
// Value type only; the YAML reader lives in io/cim_arch_yaml.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tessel {

// Energy per action, in pJ.
struct CimEnergy {
  double array_read_pJ = 0;        // one array read: one step of one array, all its rows driven
  double dac_pJ = 0;               // one DAC conversion: one row, one step
  double adc_pJ = 0;               // one ADC conversion: one column, one step
  double shift_add_pJ = 0;         // one shift-and-add of one ADC result or one partial sum
  double cu_input_buffer_pJ = 0;   // one input word (input_bits) read from a CU's input buffer
  double cu_output_buffer_pJ = 0;  // one output/partial-sum word written to a CU's output buffer
  double pe_buffer_pJ = 0;         // one word written to or read from a PE's shared buffer
};

struct CimArch {
  std::string name;
  std::int64_t pes = 0;
  std::int64_t cus_per_pe = 0;
  std::int64_t arrays_per_cu = 0;
  std::int64_t array_rows = 0;  // wordlines per array
  std::int64_t array_cols = 0;  // bitlines per array
  std::int64_t cell_bits = 0;   // bits stored per cell
  std::int64_t weight_bits = 0;
  std::int64_t input_bits = 0;
  std::int64_t dac_bits = 0;  // input bits applied per step
  std::int64_t adc_bits = 0;  // resolution; descriptive (no accuracy model), checked to be positive
  // Columns of one array that time-share one ADC; the array has ceil(array_cols /
  // columns_per_adc) ADCs. ISAAC: 128 (one ADC per 128-column crossbar).
  std::int64_t columns_per_adc = 0;
  // Conversions one ADC completes within one cycle (one array read). ISAAC: 1.28 GS/s over a
  // 100 ns read = 128. When a step needs more conversions per ADC than this, steps serialize.
  std::int64_t adc_samples_per_cycle = 0;
  // The fixed pipeline fill/drain of the crossbar timing formula (cycles): its "+ 6".
  std::int64_t pipeline_cycles = 6;
  // Extra cycles per additional PE that one weight copy spans (partial sums cross PEs).
  std::int64_t inter_pe_cycles = 1;
  std::int64_t cu_input_buffer_bytes = 0;   // per CU: input vectors for its arrays
  std::int64_t cu_output_buffer_bytes = 0;  // per CU: partial sums
  std::int64_t pe_buffer_bytes = 0;         // per PE: shared buffer (ISAAC: eDRAM)
  CimEnergy energy;

  // Several chips: `chips` identical chips joined by links. Activations that cross from one chip
  // to another move at `link_bytes_per_cycle` and cost `link_energy_pJ_per_byte`.
  std::int64_t chips = 1;
  double link_bytes_per_cycle = 0;  // 0: no link (then chips must be 1)
  double link_energy_pJ_per_byte = 0;
  // Reprogramming: writing weights into a crossbar. A row (wordline) of one array is written in
  // `write_cycles_per_row` cycles; `write_parallel_arrays` arrays of the chip are written at
  // once; every cell written costs `write_energy_pJ_per_cell`. 0 cycles: not given (then a
  // network must fit the chips' arrays).
  std::int64_t write_cycles_per_row = 0;
  std::int64_t write_parallel_arrays = 1;
  double write_energy_pJ_per_cell = 0;

  std::int64_t TotalCus() const { return pes * cus_per_pe; }
  std::int64_t ArraysPerPe() const { return cus_per_pe * arrays_per_cu; }
  std::int64_t TotalArrays() const { return pes * ArraysPerPe(); }
  // Columns one weight occupies: ceil(weight_bits / cell_bits).
  std::int64_t WeightSlices() const;
  // Whole weights (filters) one array holds side by side: floor(array_cols / WeightSlices()).
  std::int64_t MaxFiltersPerArray() const;
  // ADCs per array: ceil(array_cols / columns_per_adc).
  std::int64_t AdcsPerArray() const;
  // Array reads per matrix-vector product: ceil(input_bits / dac_bits).
  std::int64_t InputSteps() const;
};

// One thing wrong with a CimArch: the field (as the YAML names it, e.g. "weight_bits" or
// "energy.adc") and the message, complete without a location.
struct CimArchIssue {
  std::string field;
  std::string message;
};

// Every violated invariant, in field order; empty when the arch is usable. Checks: counts and
// sizes positive, weight_bits >= cell_bits, dac_bits <= input_bits, at least one whole weight
// per array row (array_cols >= weight slices), columns_per_adc <= array_cols, energies >= 0,
// chips >= 1 and a link when chips > 1, write figures not negative.
std::vector<CimArchIssue> CheckCimArch(const CimArch& arch);

}  // namespace tessel
