// `tessel map` on one layer, end to end: the JSON fields, the mapping written for timeloop-model
// evaluating to the same cost in `tessel eval`, byte-identical output, and bad input (message, exit
// code 2, nothing written).
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

const std::string kCosa = std::string(TESSEL_TEST_DATA_DIR) + "/cosa/";
const std::string kSimba = kCosa + "arch/simba.yaml " + kCosa + "mapspace/mapspace.yaml ";
const std::string kLayer = kCosa + "workloads/deepbench_graph/09_OCR.yaml";

TEST(MapCliTest, CosaJsonAndMappingThatEvalAgreesWith) {
  TempDir dir;
  fs::path json = dir.path() / "map.json", mapping = dir.path() / "map.yaml";
  RunResult r = RunTessel("map " + kSimba + kLayer + " --json " + json.string() +
                          " --mapping-out " + mapping.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(ReadFile(json));
  EXPECT_EQ(j["mapper"], "cosa");
  EXPECT_EQ(j["status"], "complete");
  EXPECT_EQ(j["proven_optimal"], false);
  EXPECT_TRUE(j.contains("mapper_seconds"));
  EXPECT_TRUE(j.contains("mapping"));
  ASSERT_TRUE(j["cycles"].is_number_integer());
  // The Timeloop mapping file alone (with the arch and the problem) reproduces the cost.
  fs::path eval_json = dir.path() / "eval.json";
  RunResult e = RunTessel("eval " + kCosa + "arch/simba.yaml " + kLayer + " " + mapping.string() +
                          " --json " + eval_json.string());
  ASSERT_EQ(e.exit_code, 0) << e.err;
  nlohmann::json k = nlohmann::json::parse(ReadFile(eval_json));
  EXPECT_EQ(k["cycles"], j["cycles"]);
  EXPECT_EQ(k["energy_pJ"], j["energy_pJ"]);
  EXPECT_EQ(k["levels"], j["levels"]);
}

TEST(MapCliTest, SameBytesForAnyThreadCountWithoutTimings) {
  TempDir dir;
  std::string first;
  for (int threads : {1, 2}) {
    fs::path json = dir.path() / ("t" + std::to_string(threads) + ".json");
    RunResult r = RunTessel("map " + kSimba + kLayer + " --mapper random --samples 50 --threads " +
                            std::to_string(threads) + " --no-timings --json " + json.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string text = ReadFile(json);
    EXPECT_EQ(text.find("mapper_seconds"), std::string::npos);
    if (first.empty()) first = text;
    EXPECT_EQ(text, first) << threads << " threads";
  }
}

TEST(MapCliTest, TinyTimeLimitSaysTimeOut) {
  TempDir dir;
  fs::path json = dir.path() / "map.json";
  RunResult r =
      RunTessel("map " + kSimba + kLayer + " --time-limit 0.000001 --json " + json.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(ReadFile(json))["status"], "time-out");
}

// Each bad input: the message, exit code 2, and no JSON left behind.
void ExpectRejected(const std::string& args, const std::string& message) {
  TempDir dir;
  fs::path json = dir.path() / "out.json";
  RunResult r = RunTessel("map " + args + " --json " + json.string());
  EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.out;
  EXPECT_NE(r.err.find(message), std::string::npos) << "stderr: " << r.err;
  EXPECT_FALSE(fs::exists(json)) << args;
}

TEST(MapCliTest, ZeroAndNegativeBounds) {
  TempDir dir;
  for (const std::string bound : {"0", "-3"}) {
    fs::path layer = dir.path() / ("k" + bound + ".yaml");
    WriteFile(layer, "problem:\n  shape: cnn-layer\n  C: 8\n  K: " + bound +
                         "\n  N: 1\n  P: 4\n  Q: 4\n  R: 1\n  S: 1\n  Hstride: "
                         "1\n  Wstride: 1\n");
    ExpectRejected(kSimba + layer.string(), layer.string() + ":4:6: dimension 'K' has bound " +
                                                bound +
                                                "; a dimension bound must be a positive integer");
  }
}

TEST(MapCliTest, NoLevelKeepsATensor) {
  TempDir dir;
  fs::path space = dir.path() / "mapspace.yaml";
  // The outermost level (DRAM) bypassing the inputs leaves them nowhere to live.
  WriteFile(space,
            "mapspace:\n  constraints:\n  - target: DRAM\n    type: "
            "datatype\n    keep: [Weights, "
            "Outputs]\n    bypass: [Inputs]\n");
  ExpectRejected(kCosa + "arch/simba.yaml " + space.string() + " " + kLayer,
                 "level DRAM is the outermost level and must keep Inputs");
}

TEST(MapCliTest, ArchWithoutComputeLevel) {
  TempDir dir;
  fs::path arch = dir.path() / "arch.yaml";
  WriteFile(arch,
            "arch:\n  storage:\n  - name: Buffer\n    entries: 1024\n    "
            "instances: 1\n    "
            "word-bits: 8\n  - name: DRAM\n    technology: DRAM\n    "
            "instances: 1\n    "
            "word-bits: 8\n");
  ExpectRejected(arch.string() + " " + kLayer,
                 arch.string() + ":2:3: architecture has no arithmetic (compute) level");
}

TEST(MapCliTest, UnknownMapperObjectiveAndWeights) {
  ExpectRejected(kSimba + kLayer + " --mapper annealing",
                 "unknown mapper 'annealing'; choose cosa, random or exhaustive");
  ExpectRejected(kSimba + kLayer + " --objective speed",
                 "unknown objective 'speed'; choose latency, energy or edp");
  ExpectRejected(kSimba + kLayer + " --cosa-weights traffic=x",
                 "bad cosa weight 'traffic=x'; the value must be a number >= 0");
}

TEST(MapCliTest, CosaWeightsAreUsed) {
  RunResult r = RunTessel("map " + kSimba + kLayer + " --cosa-weights traffic=1,utilization=0");
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

}  // namespace
}  // namespace tessel
