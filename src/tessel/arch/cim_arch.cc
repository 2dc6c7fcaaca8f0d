#include "tessel/arch/cim_arch.h"

#include <fmt/format.h>

namespace tessel {
namespace {

std::int64_t CeilDiv(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

void RequirePositive(std::vector<CimArchIssue>* issues, const std::string& field,
                     std::int64_t value) {
  if (value <= 0)
    issues->push_back({field, field + " must be a positive integer, got " + std::to_string(value)});
}

void RequireNonNegative(std::vector<CimArchIssue>* issues, const std::string& field, double value) {
  if (value < 0)
    issues->push_back({field, fmt::format("{} must not be negative, got {}", field, value)});
}

}  // namespace

std::int64_t CimArch::WeightSlices() const { return CeilDiv(weight_bits, cell_bits); }

std::int64_t CimArch::MaxFiltersPerArray() const { return array_cols / WeightSlices(); }

std::int64_t CimArch::AdcsPerArray() const { return CeilDiv(array_cols, columns_per_adc); }

std::int64_t CimArch::InputSteps() const { return CeilDiv(input_bits, dac_bits); }

std::vector<CimArchIssue> CheckCimArch(const CimArch& arch) {
  std::vector<CimArchIssue> issues;
  RequirePositive(&issues, "pes", arch.pes);
  RequirePositive(&issues, "cus_per_pe", arch.cus_per_pe);
  RequirePositive(&issues, "arrays_per_cu", arch.arrays_per_cu);
  RequirePositive(&issues, "array.rows", arch.array_rows);
  RequirePositive(&issues, "array.columns", arch.array_cols);
  RequirePositive(&issues, "array.cell_bits", arch.cell_bits);
  RequirePositive(&issues, "weight_bits", arch.weight_bits);
  RequirePositive(&issues, "input_bits", arch.input_bits);
  RequirePositive(&issues, "dac_bits", arch.dac_bits);
  RequirePositive(&issues, "adc.bits", arch.adc_bits);
  RequirePositive(&issues, "adc.columns_per_adc", arch.columns_per_adc);
  RequirePositive(&issues, "adc.samples_per_cycle", arch.adc_samples_per_cycle);
  if (arch.pipeline_cycles < 0)
    issues.push_back({"pipeline_cycles", "pipeline_cycles must not be negative, got " +
                                             std::to_string(arch.pipeline_cycles)});
  if (arch.inter_pe_cycles < 0)
    issues.push_back({"inter_pe_cycles", "inter_pe_cycles must not be negative, got " +
                                             std::to_string(arch.inter_pe_cycles)});
  RequirePositive(&issues, "buffers.cu_input_bytes", arch.cu_input_buffer_bytes);
  RequirePositive(&issues, "buffers.cu_output_bytes", arch.cu_output_buffer_bytes);
  RequirePositive(&issues, "buffers.pe_bytes", arch.pe_buffer_bytes);
  if (!issues.empty()) return issues;  // the relations below divide by these

  if (arch.weight_bits < arch.cell_bits)
    issues.push_back({"weight_bits", "weight_bits (" + std::to_string(arch.weight_bits) +
                                         ") must be at least array.cell_bits (" +
                                         std::to_string(arch.cell_bits) +
                                         "): a weight fills at least one cell"});
  if (arch.dac_bits > arch.input_bits)
    issues.push_back({"dac_bits", "dac_bits (" + std::to_string(arch.dac_bits) +
                                      ") must not exceed input_bits (" +
                                      std::to_string(arch.input_bits) +
                                      "): a DAC applies at most one whole input per step"});
  if (arch.array_cols < arch.WeightSlices())
    issues.push_back({"array.columns", "array.columns (" + std::to_string(arch.array_cols) +
                                           ") hold no whole weight: a " +
                                           std::to_string(arch.weight_bits) + "-bit weight in " +
                                           std::to_string(arch.cell_bits) + "-bit cells needs " +
                                           std::to_string(arch.WeightSlices()) + " columns"});
  if (arch.columns_per_adc > arch.array_cols)
    issues.push_back({"adc.columns_per_adc", "adc.columns_per_adc (" +
                                                 std::to_string(arch.columns_per_adc) +
                                                 ") must not exceed array.columns (" +
                                                 std::to_string(arch.array_cols) + ")"});
  const CimEnergy& e = arch.energy;
  RequireNonNegative(&issues, "energy_pJ.array_read", e.array_read_pJ);
  RequireNonNegative(&issues, "energy_pJ.dac", e.dac_pJ);
  RequireNonNegative(&issues, "energy_pJ.adc", e.adc_pJ);
  RequireNonNegative(&issues, "energy_pJ.shift_add", e.shift_add_pJ);
  RequireNonNegative(&issues, "energy_pJ.cu_input_buffer", e.cu_input_buffer_pJ);
  RequireNonNegative(&issues, "energy_pJ.cu_output_buffer", e.cu_output_buffer_pJ);
  RequireNonNegative(&issues, "energy_pJ.pe_buffer", e.pe_buffer_pJ);
  RequirePositive(&issues, "chips", arch.chips);
  RequireNonNegative(&issues, "link.bytes_per_cycle", arch.link_bytes_per_cycle);
  RequireNonNegative(&issues, "link.energy_pJ_per_byte", arch.link_energy_pJ_per_byte);
  if (arch.chips > 1 && arch.link_bytes_per_cycle <= 0)
    issues.push_back({"chips", "chips (" + std::to_string(arch.chips) +
                                   ") > 1 needs a 'link:' section with bytes_per_cycle > 0"});
  RequireNonNegative(&issues, "write.cycles_per_row",
                     static_cast<double>(arch.write_cycles_per_row));
  RequirePositive(&issues, "write.parallel_arrays", arch.write_parallel_arrays);
  RequireNonNegative(&issues, "write.energy_pJ_per_cell", arch.write_energy_pJ_per_cell);
  return issues;
}

}  // namespace tessel
