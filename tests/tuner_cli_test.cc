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
  EXPECT_EQ(keys,
            (std::vector<std::string>{"workload", "model", "arch", "objective", "seed", "trials",
                                      "layers", "total", "bottleneck", "system", "greedy"}));
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
  const RunResult timeloop = RunTessel("tune " + kVgg8 + " --model timeloop --chips 2");
  EXPECT_EQ(timeloop.exit_code, 2);
  EXPECT_EQ(timeloop.err,
            "tessel: error: --chips applies to the CIM models (cim-refined, cim-formula), not to "
            "--model timeloop\n");
  const RunResult chips = RunTessel("tune " + kVgg8 + " --chips 0");
  EXPECT_EQ(chips.exit_code, 2);
  EXPECT_EQ(chips.err, "tessel: error: --chips must be 'auto' or a positive integer, got '0'\n");
  // A chip without a write: section cannot reprogram: VGG-16's fc1 is then too large.
  std::string text = ReadFile("examples/cim/isaac_like.yaml");
  text = text.substr(0, text.find("  write:"));
  WriteFile(dir / "noreprogram.yaml", text);
  const RunResult big = RunTessel("tune --workload vgg16 --arch '" + dir / "noreprogram.yaml" +
                                  "' --json '" + dir / "t.json" + "'");
  EXPECT_EQ(big.exit_code, 2);
  EXPECT_EQ(big.err.rfind("tessel: error: layer 'fc1' does not fit on chip 'isaac-like'", 0), 0u)
      << big.err;
  EXPECT_FALSE(fs::exists(dir / "t.json"));
}

// VGG-16 (138 M weights, fc1 alone 50176 arrays) on the bundled chip (16128 arrays): by default
// its two largest layers, fc1 and fc2, are reprogrammed every inference (docs/tune.md: the
// others must leave min(largest reprogrammed, 16128 / 4 = 4032) arrays; fc2 8192 + fc3 2016 +
// the convs' 7192 = 17400 leave none, fc3 + convs = 9208 leave 6920); with --chips auto, five chips
// (80640 arrays) hold every layer: ceil(67576 / 16128) = 5, where 67576 = 7192 + 50176 + 8192 +
// 2016.
TEST(TunerCliTest, Vgg16RunsReprogrammedOrOnFiveChips) {
  TempDir dir;
  const RunResult one =
      RunTessel("tune --workload vgg16 --trials 8 --json '" + dir / "a.json" + "'");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const nlohmann::json a = nlohmann::json::parse(ReadFile(dir / "a.json"));
  EXPECT_EQ(a["system"]["chips"], 1);
  EXPECT_EQ(a["system"]["reprogrammed_layers"], 2);
  // Cells written: (25088 x 4096 + 4096 x 4096) weights x 8 slices.
  EXPECT_EQ(a["system"]["cells_written"], (25088LL * 4096 + 4096LL * 4096) * 8);
  for (const auto& layer : a["layers"])
    EXPECT_EQ(layer["resident"], layer["name"] != "fc1" && layer["name"] != "fc2") << layer;
  EXPECT_NE(one.out.find("reprogrammed: 2 layers"), std::string::npos) << one.out;
  const RunResult five =
      RunTessel("tune --workload vgg16 --trials 8 --chips auto --json '" + dir / "b.json" + "'");
  ASSERT_EQ(five.exit_code, 0) << five.err;
  const nlohmann::json b = nlohmann::json::parse(ReadFile(dir / "b.json"));
  EXPECT_EQ(b["system"]["chips"], 5);
  EXPECT_EQ(b["system"]["reprogrammed_layers"], 0);
  EXPECT_EQ(b["total"]["arrays_available"], 5 * 16128);
  EXPECT_GT(b["system"]["link_bytes"].get<long long>(), 0);
}

TEST(TunerCliTest, EmitCWritesAHeaderADriverAndAFilePerLayer) {
  TempDir dir;
  const RunResult r = RunTessel("tune " + kVgg8 + " --trials 8 --emit-c '" + dir / "c" + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* f : {"tessel_cim.h", "driver.c", "l00_conv1.c", "l07_fc2.c"})
    EXPECT_TRUE(fs::exists(fs::path(dir / "c") / f)) << f;
  const RunResult bad =
      RunTessel("tune " + kVgg8 + " --model cim-magic --emit-c '" + dir / "d" + "'");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_FALSE(fs::exists(fs::path(dir / "d")));
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
