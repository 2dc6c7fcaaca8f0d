// `tessel map --workload` and `tessel report` end to end: byte-identical JSON for any thread
// count, the no-argument default, and bad inputs (exit 2, a message naming the node or input,
// no output file left behind).
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

const std::string kData = TESSEL_TEST_DATA_DIR;
const std::string kSimba =
    (fs::path(kData).parent_path().parent_path() / "examples" / "simba").string();
const std::string kFastMapper = "--mapper random --samples 2 --seed 3";

TEST(NetworkCliTest, SameJsonForOneAndTwoThreads) {
  TempDir dir;
  const std::string common = "map --arch '" + kSimba + "' --workload resnet50 " + kFastMapper;
  RunResult one = RunTessel(common + " --threads 1 --json '" + dir / "one.json" + "'");
  RunResult two = RunTessel(common + " --threads 2 --json '" + dir / "two.json" + "'");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(two.exit_code, 0) << two.err;
  const std::string json = ReadFile(dir / "one.json");
  EXPECT_EQ(json, ReadFile(dir / "two.json"));
  // No progress bar when stderr is not a terminal, and nothing else there either.
  EXPECT_EQ(one.err, "");
  EXPECT_EQ(two.err, "");
  const auto parsed = nlohmann::json::parse(json);
  EXPECT_EQ(parsed["layers"].size(), 122u);
  EXPECT_EQ(parsed["shapes"], 24);
  EXPECT_EQ(parsed["total"]["mac_layers"], 54);
  EXPECT_EQ(dir.Files(), (std::vector<std::string>{"one.json", "two.json"}));
}

TEST(NetworkCliTest, NoArgumentsMapsResNet50OnSimbaAndWritesJsonAndReport) {
  TempDir dir;
  RunResult r = RunTessel("map", dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(dir.Files(), (std::vector<std::string>{"tessel_map.json", "tessel_report.html"}));
  const std::string where = fs::canonical(dir.path()).string();
  EXPECT_NE(r.out.find("Wrote " + where + "/tessel_map.json"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Wrote " + where + "/tessel_report.html"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("resnet50: 122 layers (54 with MACs, 24 distinct shapes mapped with cosa)"),
            std::string::npos)
      << r.out;
  const auto json = nlohmann::json::parse(ReadFile(dir / "tessel_map.json"));
  EXPECT_EQ(json["mapper"], "cosa");
  EXPECT_EQ(json["arch"]["name"], "simba");
  for (const auto& layer : json["layers"])
    if (layer["method"] == "mapped")  // a time-out would make the result timing-dependent
      EXPECT_NE(layer["mapper_status"], "time-out") << layer["name"];
  const std::string html = ReadFile(dir / "tessel_report.html");
  EXPECT_NE(html.find("layer4.2.conv3"), std::string::npos);
}

TEST(NetworkCliTest, ReportCommandRendersAMapResult) {
  TempDir dir;
  RunResult map = RunTessel("map --arch '" + kSimba + "' --workload alexnet " + kFastMapper +
                            " --json '" + dir / "alexnet.json" + "'");
  ASSERT_EQ(map.exit_code, 0) << map.err;
  RunResult report = RunTessel("report '" + dir / "alexnet.json" + "' -o '" + dir / "r.html" + "'");
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_EQ(report.out, "Wrote " + dir / "r.html" + "\n");
  const std::string html = ReadFile(dir / "r.html");
  for (const char* name : {"conv1", "relu1", "pool1", "fc6", "fc8", "flatten"})
    EXPECT_NE(html.find(std::string(">") + name + "<"), std::string::npos) << name;
  // Default output name: the input's with .html.
  RunResult fallback = RunTessel("report '" + dir / "alexnet.json" + "'");
  ASSERT_EQ(fallback.exit_code, 0) << fallback.err;
  EXPECT_EQ(ReadFile(dir / "alexnet.html"), html);
}

TEST(NetworkCliTest, ReportRejectsBadJsonAndWritesNothing) {
  TempDir dir;
  WriteFile(dir / "cut.json", "{\"workload\": \"x\", \"layers\": [");
  RunResult cut = RunTessel("report '" + dir / "cut.json" + "' -o '" + dir / "r.html" + "'");
  EXPECT_EQ(cut.exit_code, 2);
  EXPECT_EQ(cut.err.rfind("tessel: error: " + dir / "cut.json" + ": not valid JSON: ", 0), 0u)
      << cut.err;
  WriteFile(dir / "partial.json",
            R"({"workload": "x", "arch": {"name": "a"}, "mapper": "m", "objective": "latency",
                "energy_is_estimate": false, "shapes": 1, "layers": [{"name": "l"}]})");
  RunResult partial =
      RunTessel("report '" + dir / "partial.json" + "' -o '" + dir / "r.html" + "'");
  EXPECT_EQ(partial.exit_code, 2);
  EXPECT_EQ(partial.err, "tessel: error: " + dir / "partial.json" +
                             ": layers[0]: missing 'op' (expected the JSON that `tessel map "
                             "--workload` writes)\n");
  EXPECT_EQ(dir.Files(), (std::vector<std::string>{"cut.json", "partial.json"}));
}

// Runs the network map on `workload` asking for both outputs in `dir`; expects exit 2, a message
// containing `needle`, and no file written.
void ExpectRejected(const TempDir& dir, const std::string& workload, const std::string& needle,
                    const std::string& extra = "") {
  RunResult r = RunTessel("map --arch '" + kSimba + "' --workload '" + workload + "' " + extra +
                          " " + kFastMapper + " --json '" + dir / "out.json" + "' --html '" +
                          dir / "out.html" + "'");
  EXPECT_EQ(r.exit_code, 2) << workload << ": " << r.err;
  EXPECT_EQ(r.err.rfind("tessel: error: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out.json")) << workload;
  EXPECT_FALSE(fs::exists(dir / "out.html")) << workload;
}

TEST(NetworkCliTest, BadOnnxModelsFailCleanlyWithoutOutput) {
  TempDir dir;
  const std::string onnx = kData + "/onnx/";
  const std::string bytes = ReadFile(onnx + "resnet50.onnx");
  ASSERT_GT(bytes.size(), 1000u);
  WriteFile(dir / "truncated.onnx", bytes.substr(0, bytes.size() / 2));
  WriteFile(dir / "corrupt.onnx", "this is not a protobuf message at all");
  ExpectRejected(dir, dir / "truncated.onnx", "truncated.onnx: not a valid ONNX model");
  ExpectRejected(dir, dir / "corrupt.onnx", "corrupt.onnx: not a valid ONNX model");
  ExpectRejected(dir, onnx + "unsupported.onnx", "'unique' (Unique), 'fancy'");
  ExpectRejected(dir, onnx + "bert_layer.onnx",
                 "model input 'hidden' has the dynamic shape [batch,sequence,768]");
  ExpectRejected(dir, onnx + "unknown_dim.onnx",
                 "tensor 'nonzero' (output 0 of node 'nonzero' (NonZero)): dimension 1");
  ExpectRejected(dir, onnx + "bert_layer.onnx", "extent 'x' is not a positive integer",
                 "--input-shape hidden=1,x,768");
  ExpectRejected(dir, onnx + "empty.onnx", "the model's graph is empty: it has no nodes");
  ExpectRejected(dir, onnx + "cyclic.onnx", "the graph has a cycle: 'a' -> 'b' -> 'a'");
  ExpectRejected(dir, onnx + "missing.onnx", "missing.onnx: cannot open file");
  EXPECT_EQ(dir.Files(), (std::vector<std::string>{"corrupt.onnx", "truncated.onnx"}));
}

TEST(NetworkCliTest, BadCommandLinesFailCleanlyWithoutOutput) {
  TempDir dir;
  ExpectRejected(dir, "resnet5", "unknown workload 'resnet5'");
  ExpectRejected(dir, "resnet18", "--mapping-out is for one layer", "--mapping-out m.yaml");
  ExpectRejected(dir, "resnet18", "no such file", "--arch '" + dir / "nope.yaml" + "'");
  WriteFile(dir / "bad.yaml", "layers:\n- {name: x, op: Conv, R: 3}\n- {name: x, op: Relu}\n");
  ExpectRejected(dir, dir / "bad.yaml", "bad.yaml:");
  RunResult both = RunTessel("map '" + kSimba + "' --workload resnet18");
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_EQ(both.err, "tessel: error: give either layer FILEs or --workload/--arch, not both\n");
  EXPECT_EQ(dir.Files(), (std::vector<std::string>{"bad.yaml"}));
}

TEST(NetworkCliTest, InputShapeFixesADynamicOnnxInput) {
  TempDir dir;
  RunResult r = RunTessel("map --arch '" + kSimba + "' --workload '" + kData +
                          "/onnx/bert_layer.onnx' --input-shape hidden=1,128,768 " + kFastMapper +
                          " --json '" + dir / "bert.json" + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto json = nlohmann::json::parse(ReadFile(dir / "bert.json"));
  int matmuls = 0;
  for (const auto& layer : json["layers"]) matmuls += layer["kind"] == "matmul";
  EXPECT_GT(matmuls, 0);
}

TEST(NetworkCliTest, OnnxResNet50MapsLikeTheZoo) {
  TempDir dir;
  const std::string common = "map --arch '" + kSimba + "' " + kFastMapper + " --threads 2";
  RunResult zoo = RunTessel(common + " --workload resnet50 --json '" + dir / "zoo.json" + "'");
  RunResult onnx = RunTessel(common + " --workload '" + kData + "/onnx/resnet50.onnx' --json '" +
                             dir / "onnx.json" + "'");
  ASSERT_EQ(zoo.exit_code, 0) << zoo.err;
  ASSERT_EQ(onnx.exit_code, 0) << onnx.err;
  auto a = nlohmann::json::parse(ReadFile(dir / "zoo.json"));
  auto b = nlohmann::json::parse(ReadFile(dir / "onnx.json"));
  EXPECT_EQ(a["layers"], b["layers"]);  // same problems -> same mappings and costs
  EXPECT_EQ(a["total"], b["total"]);
}

}  // namespace
}  // namespace tessel
