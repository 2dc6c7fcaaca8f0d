// `tessel eval --model cim-formula|cim-refined`: the built binary end to end: exit codes,
// messages word for word, the JSON schema, and no JSON at all when anything fails.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_run.h"

namespace tessel {
namespace {

namespace fs = std::filesystem;
using testing::ReadFile;
using testing::RunResult;
using testing::RunTessel;
using testing::TempDir;
using testing::WriteFile;

std::string Resnet18Layer(const std::string& name) {
  return (fs::path(TESSEL_TEST_DATA_DIR) / "cosa" / "workloads" / "resnet18_batch16_graph" /
          (name + ".yaml"))
      .string();
}

// A small valid chip: 2 PEs x 2 CUs x 4 arrays = 16 arrays of 128x128.
std::string TinyChip(const std::string& arrays_per_cu = "4") {
  return "cim_architecture:\n"
         "  name: tiny\n"
         "  pes: 2\n"
         "  cus_per_pe: 2\n"
         "  arrays_per_cu: " +
         arrays_per_cu +
         "\n"
         "  array: {rows: 128, columns: 128, cell_bits: 2}\n"
         "  weight_bits: 16\n"
         "  input_bits: 16\n"
         "  dac_bits: 1\n"
         "  adc: {bits: 8, columns_per_adc: 128, samples_per_cycle: 128}\n"
         "  buffers: {cu_input_bytes: 2048, cu_output_bytes: 256, pe_bytes: 65536}\n"
         "  energy_pJ: {array_read: 30, dac: 0.39, adc: 1.5625, shift_add: 0.02,\n"
         "              cu_input_buffer: 1.9, cu_output_buffer: 2.9, pe_buffer: 2.7}\n";
}

TEST(CimCliTest, FormulaOnAResNet18LayerWritesTheDocumentedJson) {
  TempDir dir;
  fs::path json_path = dir.path() / "out.json";
  RunResult r = RunTessel("eval --model cim-formula '" + Resnet18Layer("Conv2d-1") + "' --json '" +
                          json_path.string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find("Cycles: 934\n"), std::string::npos) << r.out;
  nlohmann::json j = nlohmann::json::parse(ReadFile(json_path));
  EXPECT_EQ(j.size(), 5u);
  // Conv2d-1 (3->64, 7x7, stride 2, 112x112 outputs, N=16) on the bundled ISAAC-like chip, by
  // hand: (147/128) * (64/16) * 200704 / (8 * 2016) = 57.17 -> 58 batches; 58*16 + 6 = 934.
  EXPECT_EQ(j.at("cycles").get<std::int64_t>(), 934);
  EXPECT_TRUE(j.at("cycles").is_number_integer());
  EXPECT_TRUE(j.at("energy_pJ").is_number_float());
  EXPECT_EQ(j.at("model"), "cim-formula");
  EXPECT_EQ(j.at("breakdown").at("counts").at("number_batch"), 58);
  EXPECT_EQ(j.at("breakdown").at("counts").at("cycle_batch"), 16);
  EXPECT_TRUE(j.at("breakdown").at("energy_pJ").at("adcs").is_number_float());
  EXPECT_EQ(j.at("schedule"),
            nlohmann::json::parse(
                R"({"rows_used": 128, "filters_per_array": 16, "pes": 168, "cus": 12})"));
  EXPECT_EQ(dir.Files().size(), 1u);  // no temporary left beside it
}

TEST(CimCliTest, RefinedReadsTimeloopProblemsToo) {
  // The bundled Timeloop problem (ResNet-50 conv2_x 3x3, 64->64, 56x56, N=1) with cim-formula:
  // 4.5 * 4 * 3136 / 16128 = 3.5 -> 4 batches; 4*16 + 6 = 70.
  fs::path problem = fs::path(TESSEL_TEST_DATA_DIR).parent_path().parent_path() / "examples" /
                     "default" / "problem.yaml";
  RunResult r = RunTessel("eval --model cim-formula '" + problem.string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Cycles: 70\n"), std::string::npos) << r.out;
  EXPECT_EQ(RunTessel("eval --model cim-refined '" + problem.string() + "'").exit_code, 0);
}

TEST(CimCliTest, BadArchExitsTwoAndWritesNothing) {
  TempDir dir;
  fs::path chip = dir.path() / "chip.yaml";
  WriteFile(chip, TinyChip("0"));
  fs::path json_path = dir.path() / "out.json";
  RunResult r = RunTessel("eval --model cim-formula --arch '" + chip.string() + "' '" +
                          Resnet18Layer("Conv2d-1") + "' --json '" + json_path.string() + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "tessel: error: " + chip.string() +
                       ":5:18: arrays_per_cu must be a positive integer, got 0\n");
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(dir.Files().size(), 1u);  // only chip.yaml: neither the JSON nor a temporary
}

TEST(CimCliTest, RefinedRejectsALayerTooLargeForTheChipByName) {
  TempDir dir;
  fs::path chip = dir.path() / "chip.yaml";
  WriteFile(chip, TinyChip());
  fs::path json_path = dir.path() / "out.json";
  // Conv2d-54: 3x3x512 = 4608 rows / 128 = 36 row tiles, 512 filters / 16 = 32 column tiles.
  RunResult r = RunTessel("eval --model cim-refined --arch '" + chip.string() + "' '" +
                          Resnet18Layer("Conv2d-54") + "' --json '" + json_path.string() + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "tessel: error: layer 'Conv2d-54' does not fit on chip 'tiny': one weight copy needs "
            "1152 arrays (36 row tiles of the 4608 weight rows x 32 column tiles of the 512 "
            "filters) but the chip has 16 (2 PEs x 2 CUs x 4 arrays)\n");
  EXPECT_FALSE(fs::exists(json_path));
}

TEST(CimCliTest, UnknownModelAndMisplacedArch) {
  RunResult r = RunTessel("eval --model cim '" + Resnet18Layer("Conv2d-1") + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "tessel: error: unknown model 'cim'; the models are: timeloop, cim-formula, "
            "cim-refined\n");
  r = RunTessel("eval --arch chip.yaml '" + Resnet18Layer("Conv2d-1") + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "tessel: error: --arch is for the compute-in-memory models (--model cim-formula or "
            "cim-refined); for --model timeloop give the architecture YAML among the input "
            "files\n");
  r = RunTessel("eval --model cim-formula '" + Resnet18Layer("Conv2d-1") + "' '" +
                Resnet18Layer("Conv2d-5") + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "tessel: error: 2 input files have a 'problem' section (" +
                       Resnet18Layer("Conv2d-1") + ", " + Resnet18Layer("Conv2d-5") +
                       "); a timing model evaluates one layer: give one\n");
  r = RunTessel("eval --model cim-formula");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "tessel: error: --model cim-formula needs a problem file: tessel eval --model "
            "cim-formula [--arch CIM.yaml] PROBLEM.yaml\n");
}

TEST(CimCliTest, SameInputsGiveByteIdenticalJson) {
  TempDir dir;
  fs::path a = dir.path() / "a.json", b = dir.path() / "b.json";
  const std::string layer = "'" + Resnet18Layer("Conv2d-19") + "'";
  ASSERT_EQ(
      RunTessel("eval --model cim-refined " + layer + " --json '" + a.string() + "'").exit_code, 0);
  ASSERT_EQ(
      RunTessel("eval --model cim-refined " + layer + " --json '" + b.string() + "'").exit_code, 0);
  EXPECT_EQ(ReadFile(a), ReadFile(b));
}

}  // namespace
}  // namespace tessel
