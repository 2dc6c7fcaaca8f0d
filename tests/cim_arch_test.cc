// Compute-in-memory chip descriptions: the bundled ISAAC-like chip reads as documented, and bad
// inputs are reported as `file:line:col: message`, checked word for word.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "tessel/common/error.h"
#include "tessel/io/cim_arch_yaml.h"

namespace tessel {
namespace {

// A valid chip, one key per line so that a test can name the line it breaks.
const char* const kChip =
    "cim_architecture:\n"                                                            // 1
    "  name: test-chip\n"                                                            // 2
    "  pes: 2\n"                                                                     // 3
    "  cus_per_pe: 2\n"                                                              // 4
    "  arrays_per_cu: 4\n"                                                           // 5
    "  array: {rows: 128, columns: 128, cell_bits: 2}\n"                             // 6
    "  weight_bits: 16\n"                                                            // 7
    "  input_bits: 16\n"                                                             // 8
    "  dac_bits: 1\n"                                                                // 9
    "  adc: {bits: 8, columns_per_adc: 128, samples_per_cycle: 128}\n"               // 10
    "  buffers: {cu_input_bytes: 2048, cu_output_bytes: 256, pe_bytes: 65536}\n"     // 11
    "  energy_pJ: {array_read: 30, dac: 0.39, adc: 1.5625, shift_add: 0.02,\n"       // 12
    "              cu_input_buffer: 1.9, cu_output_buffer: 2.9, pe_buffer: 2.7}\n";  // 13

// kChip with the first occurrence of `from` replaced by `to`.
std::string Chip(const std::string& from, const std::string& to) {
  std::string text = kChip;
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// The UserError message parsing `text` as chip.yaml, or "" when it parses.
std::string ErrorOf(const std::string& text) {
  try {
    io::ParseCimArchString(text, "chip.yaml");
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

TEST(CimArchYamlTest, ValidChipReads) {
  CimArch a = io::ParseCimArchString(kChip, "chip.yaml");
  EXPECT_EQ(a.name, "test-chip");
  EXPECT_EQ(a.TotalArrays(), 16);
  EXPECT_EQ(a.MaxFiltersPerArray(), 16);
  EXPECT_EQ(a.pipeline_cycles, 6);  // the formula's constant by default
  EXPECT_EQ(a.inter_pe_cycles, 1);
  EXPECT_DOUBLE_EQ(a.energy.pe_buffer_pJ, 2.7);
}

TEST(CimArchYamlTest, BundledIsaacLikeChip) {
  // ISAAC (Shafiee et al., ISCA 2016): 168 tiles x 12 IMAs x 8 crossbars of 128x128 2-bit
  // cells, 16-bit weights and inputs, 1-bit DACs, one 8-bit ADC per crossbar (128 columns).
  CimArch a = io::LoadCimArchFile(io::BundledCimArchPath());
  EXPECT_EQ(a.name, "isaac-like");
  EXPECT_EQ(a.pes, 168);
  EXPECT_EQ(a.cus_per_pe, 12);
  EXPECT_EQ(a.arrays_per_cu, 8);
  EXPECT_EQ(a.array_rows, 128);
  EXPECT_EQ(a.array_cols, 128);
  EXPECT_EQ(a.cell_bits, 2);
  EXPECT_EQ(a.weight_bits, 16);
  EXPECT_EQ(a.input_bits, 16);
  EXPECT_EQ(a.dac_bits, 1);
  EXPECT_EQ(a.adc_bits, 8);
  EXPECT_EQ(a.columns_per_adc, 128);
  EXPECT_EQ(a.TotalArrays(), 16128);
  EXPECT_EQ(a.InputSteps(), 16);
}

TEST(CimArchYamlTest, AdcsPerArrayIsTheOtherWayToShareAdcs) {
  CimArch a = io::ParseCimArchString(Chip("columns_per_adc: 128", "adcs_per_array: 16"), "c.yaml");
  EXPECT_EQ(a.columns_per_adc, 8);
  EXPECT_EQ(a.AdcsPerArray(), 16);
}

TEST(CimArchYamlTest, ZeroArrays) {
  EXPECT_EQ(ErrorOf(Chip("arrays_per_cu: 4", "arrays_per_cu: 0")),
            "chip.yaml:5:18: arrays_per_cu must be a positive integer, got 0");
}

TEST(CimArchYamlTest, WeightBitsBelowCellBits) {
  EXPECT_EQ(ErrorOf(Chip("weight_bits: 16", "weight_bits: 1")),
            "chip.yaml:7:16: weight_bits (1) must be at least array.cell_bits (2): a weight "
            "fills at least one cell");
}

TEST(CimArchYamlTest, DacBitsAboveInputBits) {
  EXPECT_EQ(ErrorOf(Chip("dac_bits: 1", "dac_bits: 32")),
            "chip.yaml:9:13: dac_bits (32) must not exceed input_bits (16): a DAC applies at "
            "most one whole input per step");
}

// Columns are 1-based: line 6 is `  array: {rows: 128, columns: 128, cell_bits: 2}`, so `rows`
// starts at column 11, its value at 17, `columns` at 22, `cell_bits` at 36. Line 10 is
// `  adc: {bits: 8, columns_per_adc: 128, ...}`: the columns_per_adc value is at 35. Line 12's
// `adc` value is at 47 (after `  energy_pJ: {array_read: 30, dac: 0.39, adc: `).
TEST(CimArchYamlTest, UnknownKeyListsTheValidOnes) {
  EXPECT_EQ(ErrorOf(Chip("columns: 128", "colums: 128")),
            "chip.yaml:6:22: unknown key 'colums' in array; the valid keys are: rows, columns, "
            "cell_bits");
  EXPECT_EQ(ErrorOf(Chip("  pes: 2\n", "  pes: 2\n  tiles: 4\n")),
            "chip.yaml:4:3: unknown key 'tiles' in cim_architecture; the valid keys are: name, "
            "pes, cus_per_pe, arrays_per_cu, array, weight_bits, input_bits, dac_bits, adc, "
            "pipeline_cycles, inter_pe_cycles, buffers, energy_pJ, chips, link, write");
}

// Beyond one chip: chips, link and write (docs/cim.md). Line 3 is `pes: 2`; `chips` inserted
// after it is line 4, its value at column 10.
TEST(CimArchYamlTest, ChipsLinkAndWrite) {
  const CimArch one = io::ParseCimArchString(kChip, "chip.yaml");
  EXPECT_EQ(one.chips, 1);
  EXPECT_EQ(one.write_cycles_per_row, 0);  // no write: section, no reprogramming
  const CimArch two = io::ParseCimArchString(
      Chip("  pes: 2\n",
           "  pes: 2\n  chips: 2\n  link: {bytes_per_cycle: 640, energy_pJ_per_byte: 406.25}\n"
           "  write: {cycles_per_row: 1, parallel_arrays: 4, energy_pJ_per_cell: 30.55}\n"),
      "chip.yaml");
  EXPECT_EQ(two.chips, 2);
  EXPECT_EQ(two.link_bytes_per_cycle, 640);
  EXPECT_EQ(two.link_energy_pJ_per_byte, 406.25);
  EXPECT_EQ(two.write_cycles_per_row, 1);
  EXPECT_EQ(two.write_parallel_arrays, 4);
  EXPECT_EQ(two.write_energy_pJ_per_cell, 30.55);
  EXPECT_EQ(ErrorOf(Chip("  pes: 2\n", "  pes: 2\n  chips: 2\n")),
            "chip.yaml:4:10: chips (2) > 1 needs a 'link:' section with bytes_per_cycle > 0");
  EXPECT_EQ(ErrorOf(Chip("  pes: 2\n", "  pes: 2\n  write: {cycles_per_row: 1}\n")),
            "chip.yaml:4:10: write has no 'parallel_arrays'; add 'parallel_arrays: <positive "
            "integer>'");
  EXPECT_EQ(ErrorOf(Chip("  pes: 2\n", "  pes: 2\n  link: {bytes: 1}\n")),
            "chip.yaml:4:10: unknown key 'bytes' in link; the valid keys are: bytes_per_cycle, "
            "energy_pJ_per_byte");
}

TEST(CimArchYamlTest, NonIntegerCount) {
  EXPECT_EQ(ErrorOf(Chip("pes: 2", "pes: 2.5")),
            "chip.yaml:3:8: pes must be an integer, got '2.5'");
  EXPECT_EQ(ErrorOf(Chip("rows: 128", "rows: many")),
            "chip.yaml:6:17: array.rows must be an integer, got 'many'");
}

TEST(CimArchYamlTest, MissingKey) {
  EXPECT_EQ(ErrorOf(Chip("  dac_bits: 1\n", "")),
            "chip.yaml:2:3: cim_architecture has no 'dac_bits'; add 'dac_bits: <positive "
            "integer>'");
  EXPECT_EQ(ErrorOf(Chip("cell_bits: 2", "cells: 2")),
            "chip.yaml:6:36: unknown key 'cells' in array; the valid keys are: rows, columns, "
            "cell_bits");
}

TEST(CimArchYamlTest, BothWaysOfSharingAdcs) {
  EXPECT_EQ(ErrorOf(Chip("columns_per_adc: 128", "columns_per_adc: 128, adcs_per_array: 1")),
            "chip.yaml:10:56: adc gives both columns_per_adc and adcs_per_array; give one of "
            "them");
}

TEST(CimArchYamlTest, MoreColumnsPerAdcThanColumns) {
  EXPECT_EQ(ErrorOf(Chip("columns_per_adc: 128", "columns_per_adc: 256")),
            "chip.yaml:10:35: adc.columns_per_adc (256) must not exceed array.columns (128)");
}

TEST(CimArchYamlTest, NegativeEnergy) {
  EXPECT_EQ(ErrorOf(Chip("adc: 1.5625", "adc: -1.5")),
            "chip.yaml:12:47: energy_pJ.adc must not be negative, got -1.5");
}

TEST(CimArchYamlTest, TimeloopArchIsNotACimChip) {
  EXPECT_EQ(ErrorOf("architecture:\n  version: 0.4\n"),
            "chip.yaml:1:1: this is a Timeloop architecture, not a compute-in-memory chip; a "
            "compute-in-memory chip is a top-level 'cim_architecture:' map (see "
            "examples/cim/isaac_like.yaml)");
}

TEST(CimArchYamlTest, MissingFile) {
  EXPECT_THROW(io::LoadCimArchFile("/nonexistent/chip.yaml"), UserError);
}

}  // namespace
}  // namespace tessel
