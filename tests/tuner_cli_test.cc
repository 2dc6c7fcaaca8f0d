// `tessel tune`: the built binary end to end: exit codes, messages word for word, the JSON, the
// log replayed without a single evaluation, and nothing written when an input is wrong.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_run.h"

namespace tessel {
namespace {

namespace fs = std::filesystem;
using testing::ReadFile;
using testing::RunResult;
using testing::RunTessel;
using testing::TempDir;
using testing::WriteFile;

const std::string kVgg8 = "--workload examples/cim/vgg8_cifar10.yaml";

TEST(TunerCliTest, Vgg8OnTheBundledChipWritesTheNetworkJson) {
  TempDir dir;
  const RunResult r = RunTessel("tune " + kVgg8 + " --trials 8 --json '" + dir / "t.json" + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");  // no progress when stderr is not a terminal
  const nlohmann::ordered_json j = nlohmann::ordered_json::parse(ReadFile(dir / "t.json"));
  std::vector<std::string> keys;
  for (const auto& [key, value] : j.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"workload", "model", "arch", "objective", "seed",
                                            "trials", "layers", "total", "bottleneck", "greedy"}));
  EXPECT_EQ(j["model"], "cim-refined");
  EXPECT_EQ(j["arch"], "isaac-like");
  ASSERT_EQ(j["layers"].size(), 8u);
  EXPECT_EQ(j["layers"][0]["name"], "conv1");
  EXPECT_TRUE(j["layers"][0]["schedule"].contains("copies"));
  // See tuner_network_test.cc: conv4's 9 copies of 288 arrays, 29 batches: 472 cycles.
  EXPECT_EQ(j["bottleneck"]["cycles"], 472);
  EXPECT_EQ(j["greedy"]["bottleneck"]["cycles"], 472);
  EXPECT_LT(j["total"]["cycles"].get<int>(), j["greedy"]["total"]["cycles"].get<int>());
  EXPECT_LE(j["total"]["arrays_used"].get<int>(), 16128);
  EXPECT_EQ(j["total"]["arrays_available"], 16128);
}

TEST(TunerCliTest, ALogIsReplayedWithoutEvaluatingAgain) {
  TempDir dir;
  const std::string log = " --log '" + dir / "runs.jsonl" + "'";
  const RunResult first =
      RunTessel("tune " + kVgg8 + " --trials 8" + log + " --json '" + dir / "a.json" + "'");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("schedules evaluated (0 records replayed from the log)"),
            std::string::npos);
  const RunResult again = RunTessel("tune " + kVgg8 + " --trials 8 --threads 2" + log +
                                    " --json '" + dir / "b.json" + "'");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("\n0 schedules evaluated ("), std::string::npos) << again.out;
  EXPECT_EQ(ReadFile(dir / "a.json"), ReadFile(dir / "b.json"));
}

TEST(TunerCliTest, ABadLogLineExitsTwoAndWritesNothing) {
  TempDir dir;
  WriteFile(dir / "runs.jsonl", "\n{\"layer\": \"x\"}\n");
  const RunResult r = RunTessel("tune " + kVgg8 + " --log '" + dir / "runs.jsonl" + "' --json '" +
                                dir / "t.json" + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "tessel: error: " + dir / "runs.jsonl" + ":2: missing \"schedule\"\n");
  EXPECT_FALSE(fs::exists(dir / "t.json"));
}

TEST(TunerCliTest, BadChipModelAndObjectiveExitTwo) {
  TempDir dir;
  WriteFile(dir / "chip.yaml",
            "cim_architecture:\n  pes: 0\n  cus_per_pe: 2\n  arrays_per_cu: 4\n"
            "  array: {rows: 128, columns: 128, cell_bits: 2}\n  weight_bits: 16\n"
            "  input_bits: 16\n  dac_bits: 1\n"
            "  adc: {bits: 8, columns_per_adc: 128, samples_per_cycle: 128}\n"
            "  buffers: {cu_input_bytes: 2048, cu_output_bytes: 256, pe_bytes: 65536}\n"
            "  energy_pJ: {array_read: 30, dac: 0.39, adc: 1.5625, shift_add: 0.02,\n"
            "              cu_input_buffer: 1.9, cu_output_buffer: 2.9, pe_buffer: 2.7}\n");
  const RunResult chip = RunTessel("tune " + kVgg8 + " --arch '" + dir / "chip.yaml" +
                                   "' --json '" + dir / "t.json" + "'");
  EXPECT_EQ(chip.exit_code, 2);
  EXPECT_EQ(chip.err.rfind("tessel: error: " + dir / "chip.yaml" + ":2:", 0), 0u) << chip.err;
  EXPECT_FALSE(fs::exists(dir / "t.json"));
  const RunResult model = RunTessel("tune " + kVgg8 + " --model cim-magic");
  EXPECT_EQ(model.exit_code, 2);
  EXPECT_EQ(model.err,
            "tessel: error: unknown model 'cim-magic'; the models are: timeloop, cim-formula, "
            "cim-refined\n");
  const RunResult objective = RunTessel("tune " + kVgg8 + " --objective fastest");
  EXPECT_EQ(objective.exit_code, 2);
  EXPECT_EQ(objective.err,
            "tessel: error: unknown objective 'fastest'; the objectives are: bottleneck, total\n");
  const RunResult big = RunTessel("tune --workload vgg16");
  EXPECT_EQ(big.exit_code, 2);
  EXPECT_EQ(big.err.rfind("tessel: error: layer 'fc1' does not fit on chip 'isaac-like'", 0), 0u)
      << big.err;
}

TEST(TunerCliTest, TimeloopModelTunesMappingsOnSimba) {
  TempDir dir;
  const std::string cosa = std::string(TESSEL_TEST_DATA_DIR) + "/cosa";
  const RunResult r =
      RunTessel("tune --model timeloop --workload cosa:resnet18_batch16 --arch '" + cosa +
                "/arch/simba.yaml' '" + cosa + "/mapspace/mapspace.yaml' --trials 24 --json '" +
                dir / "t.json" + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(ReadFile(dir / "t.json"));
  ASSERT_FALSE(j["layers"].empty());
  long sum = 0;
  for (const auto& layer : j["layers"]) {
    EXPECT_GT(layer["utilization"].get<double>(), 0);
    EXPECT_LE(layer["utilization"].get<double>(), 1);
    EXPECT_TRUE(layer["schedule"]["mapping"].is_array());
    sum += layer["cycles"].get<long>();
  }
  EXPECT_EQ(j["total"]["cycles"].get<long>(), sum);
}

}  // namespace
}  // namespace tessel
