// `tessel schedule --search ratree` as a user runs it: DarkNet-19 on SET's 4x4 mesh (JSON keys,
// invariants read back from the JSON, byte-identical for the same seed, for 1 and 2 threads), a
// given tree evaluated to the same numbers as the baseline it came from, the annealed tree never
// worse than SET's baselines on the four networks SET evaluates, and every bad input rejected
// with exit code 2, its message word for word and no output file.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli_run.h"
#include "schedule_check.h"
#include "tessel/schedule/tile_workload.h"
#include "tessel/workload/zoo.h"

namespace tessel {
namespace {

using testing::ReadFile;
using testing::RunTessel;
using testing::TempDir;
using testing::WriteFile;

const std::filesystem::path kData = std::filesystem::path(TESSEL_TEST_DATA_DIR) / "ratree";
const std::string kMesh4 = std::string(TESSEL_TEST_DATA_DIR) + "/../../examples/mesh/mesh4x4.yaml";
const std::string kDarknet =
    "schedule --search ratree --arch " + kMesh4 + " --workload darknet19 --batch 4 --rounds 20";

nlohmann::json RunJson(const std::string& args, const TempDir& dir, const std::string& name) {
  testing::RunResult r = RunTessel(args + " --json " + (dir / name), dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(ReadFile(dir.path() / name));
}

TEST(RaTreeCli, DarkNetJsonInvariantsAndDeterminism) {
  TempDir dir;
  testing::RunResult r = RunTessel(
      kDarknet + " --seed 5 --threads 2 --json " + (dir / "a.json") + " --html " + (dir / "a.html"),
      dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("darknet19 on set-polar-4x4 (4x4 tiles), batch 4: 26 layers"),
            std::string::npos)
      << r.out;
  nlohmann::json j = nlohmann::json::parse(ReadFile(dir.path() / "a.json"));
  for (const char* m : {"init", "lp", "ls", "ratree"})
    for (const char* key : {"latency_cycles", "energy_pJ", "edp", "estimate"})
      ASSERT_TRUE(j["methods"][m].contains(key)) << m << " " << key;
  const double best = j["methods"]["ratree"]["edp"];
  for (const char* m : {"init", "lp", "ls"}) EXPECT_LE(best, j["methods"][m]["edp"].get<double>());
  EXPECT_EQ(j["edp"].get<double>(), best);
  EXPECT_EQ(j["ra_tree"], j["methods"]["ratree"]["tree"]);
  // 26 leaves: 19 convs, 5 max pools, the average pool and the softmax (activations fused).
  EXPECT_EQ(j["space"]["leaves"], 26);
  EXPECT_EQ(j["space"]["trees"], "27486258777812752124114");  // s_2(26)
  EXPECT_EQ(j["space"]["topological_orders"], "1");           // a chain
  EXPECT_EQ(j["space"]["exact"], true);
  // Every layer once, on tiles of the mesh, its passes covering the batch; MACs conserved.
  std::int64_t macs = 0;
  ASSERT_EQ(j["layers"].size(), 26u);
  for (const auto& l : j["layers"]) {
    macs += l["macs"].get<std::int64_t>();
    EXPECT_FALSE(l["tiles"].empty());
    for (int t : l["tiles"]) EXPECT_TRUE(t >= 0 && t < 16);
    EXPECT_EQ(l["batch"].get<std::int64_t>() * l["passes"].get<std::int64_t>(), 4);
  }
  EXPECT_EQ(macs, MakeDarkNet19(1).TotalMacs());
  const std::string html = ReadFile(dir.path() / "a.html");
  EXPECT_NE(html.find("class='cut"), std::string::npos);  // the tree
  EXPECT_NE(html.find("<rect"), std::string::npos);       // tiles over time
  // Segments follow one another; their latencies times the root's passes add up to the total.
  double sum = 0;
  for (const auto& s : j["segments"]) {
    EXPECT_EQ(s["start_cycle"].get<double>(), std::round(sum));
    sum += s["latency_cycles"].get<double>();
  }
  EXPECT_NEAR(sum * j["root_passes"].get<double>(), j["estimate"]["latency_cycles"].get<double>(),
              j["segments"].size() * j["root_passes"].get<double>());
  // Same seed: the same bytes, for 2 and for 1 thread.
  RunJson(kDarknet + " --seed 5 --threads 2", dir, "b.json");
  RunJson(kDarknet + " --seed 5 --threads 1", dir, "c.json");
  EXPECT_EQ(ReadFile(dir.path() / "a.json"), ReadFile(dir.path() / "b.json"));
  EXPECT_EQ(ReadFile(dir.path() / "a.json"), ReadFile(dir.path() / "c.json"));
}

// The fused layers' MACs at `batch`, by name, as the checker wants them.
std::map<std::string, std::int64_t> FusedMacs(const Workload& network, std::int64_t batch) {
  std::map<std::string, std::int64_t> macs;
  const Workload fused = FuseForTiles(network);  // alive through the loop
  for (const Layer& l : fused.layers()) macs[l.name] = l.Macs() * batch;
  return macs;
}

// What the JSON reports is the simulator's schedule: valid by issue 9's checker, its latency the
// last event of its nodes and transfers, its energy the sum of its parts, and the same figures
// as the ratree method's.
void ExpectSimulatedAndValid(const nlohmann::json& j,
                             const std::map<std::string, std::int64_t>& macs) {
  std::vector<std::string> bad = testing::CheckScheduleJson(j, macs);
  EXPECT_TRUE(bad.empty()) << bad.size() << " violations, first: " << (bad.empty() ? "" : bad[0]);
  std::int64_t last = 0;
  for (const auto& n : j["nodes"]) last = std::max(last, n["end"].get<std::int64_t>());
  for (const auto& t : j["transfers"]) last = std::max(last, t["end"].get<std::int64_t>());
  EXPECT_EQ(j["latency_cycles"].get<std::int64_t>(), last);
  const auto& e = j["energy_breakdown_pJ"];
  const double energy =
      e["cores"].get<double>() + e["links"].get<double>() + e["offchip"].get<double>();
  EXPECT_NEAR(j["energy_pJ"].get<double>(), energy, energy * 1e-9);
  const double edp = j["latency_cycles"].get<double>() * j["energy_pJ"].get<double>();
  EXPECT_NEAR(j["edp"].get<double>(), edp, edp * 1e-9);
  EXPECT_EQ(j["latency_cycles"], j["methods"]["ratree"]["latency_cycles"]);
  EXPECT_EQ(j["energy_pJ"], j["methods"]["ratree"]["energy_pJ"]);
  EXPECT_EQ(j["nodes"].size(), j["methods"]["ratree"]["nodes"].get<size_t>());
}

TEST(RaTreeCli, ReportedScheduleIsTheSimulatorsAndValid) {
  TempDir dir;
  nlohmann::json j = RunJson(kDarknet + " --threads 2", dir, "s.json");
  for (const char* key : {"nodes", "transfers", "cores", "links", "allocation", "estimate"})
    EXPECT_TRUE(j.contains(key)) << key;
  ExpectSimulatedAndValid(j, FusedMacs(MakeDarkNet19(1), 4));
  // Sub-batch passes are nodes: a layer at batch b runs 4 / b times on each of its tiles.
  std::map<std::string, std::int64_t> runs;
  for (const auto& n : j["nodes"])
    runs[n["layer"].get<std::string>()] = std::max<std::int64_t>(
        runs[n["layer"].get<std::string>()], n["tile"].get<std::int64_t>() + 1);
  for (const auto& l : j["layers"])
    EXPECT_EQ(runs[l["name"].get<std::string>()], l["passes"].get<std::int64_t>()) << l["name"];
}

// CoSA's layer lists name a convolution's output channels K, not M (VGG-8 in examples/cim does):
// such a layer is the same convolution, split over its output channels like any other. (The
// replay indexed dimension -1 for it and corrupted the heap.)
TEST(RaTreeCli, OutputChannelsNamedKAreSplitLikeM) {
  TempDir dir;
  const std::string layers =
      "- {name: conv1, R: 3, S: 3, P: 16, Q: 16, C: 16, @: 64, N: 1}\n"
      "- {name: conv2, R: 3, S: 3, P: 16, Q: 16, C: 64, @: 64, N: 1}\n"
      "- {name: fc, op: Gemm, M: 1, N: 10, K: 16384}\n";
  auto with = [&](const std::string& name) {
    std::string text = "name: net\nlayers:\n" + layers;
    for (std::size_t at = text.find('@'); at != std::string::npos; at = text.find('@'))
      text.replace(at, 1, name);
    WriteFile(dir.path() / (name + ".yaml"), text);
    return RunJson("schedule --search ratree --arch " + kMesh4 + " --workload " +
                       (dir / (name + ".yaml")) + " --batch 2 --rounds 5",
                   dir, name + ".json");
  };
  const nlohmann::json m = with("M"), k = with("K");
  ASSERT_TRUE(m.contains("methods"));
  EXPECT_EQ(k["methods"], m["methods"]);
  EXPECT_EQ(k["ra_tree"], m["ra_tree"]);
}

TEST(RaTreeCli, GivenTreeEvaluatesToItsBaselineFigures) {
  TempDir dir;
  nlohmann::json a = RunJson(kDarknet + " --threads 2", dir, "a.json");
  for (const char* m : {"lp", "ls"}) {
    WriteFile(dir.path() / "t.tree", a["methods"][m]["tree"].get<std::string>() + "\n");
    nlohmann::json g = RunJson(kDarknet + " --tree " + (dir / "t.tree"), dir, "g.json");
    EXPECT_EQ(g["search"], "given");
    EXPECT_EQ(g["ra_tree"], a["methods"][m]["tree"]);
    EXPECT_EQ(g["latency_cycles"], a["methods"][m]["latency_cycles"]) << m;
    EXPECT_EQ(g["energy_pJ"], a["methods"][m]["energy_pJ"]) << m;
  }
}

TEST(RaTreeCli, NeverWorseThanBaselinesOnSetsNetworks) {
  TempDir dir;
  struct Run {
    std::string args;
    Workload network;
    std::int64_t batch;
  };
  const std::vector<Run> runs = {
      {"--workload resnet50 --batch 64 --rounds 5", MakeResNet50(1), 64},
      {"--arch " + kMesh4 + " --workload googlenet --batch 4 --rounds 5", MakeGoogLeNet(1), 4},
      {"--arch " + kMesh4 + " --workload transformer-block --batch 4 --rounds 20",
       MakeTransformerBlock(1), 4},
      {"--arch " + kMesh4 + " --workload darknet19 --batch 4 --rounds 20", MakeDarkNet19(1), 4}};
  // A cheaper tile mapper (20 samples, 200 hill-climbing steps) keeps the check (the answer is
  // the simulator's best of the baselines and the searched trees) and halves the mapping time.
  // Each answer's schedule also passes the validity test from its JSON alone.
  for (const Run& run : runs) {
    nlohmann::json j =
        RunJson("schedule --search ratree --threads 2 --samples 20 --polish 200 " + run.args, dir,
                "n.json");
    const double best = j["methods"]["ratree"]["edp"];  // simulated, as the baselines'
    for (const char* m : {"init", "lp", "ls"})
      EXPECT_LE(best, j["methods"][m]["edp"].get<double>()) << run.args << " " << m;
    EXPECT_EQ(j["edp"], j["methods"]["ratree"]["edp"]);
    ExpectSimulatedAndValid(j, FusedMacs(run.network, run.batch));
  }
}

void ExpectRejected(const std::string& args, const std::string& message) {
  TempDir dir;
  testing::RunResult r = RunTessel(args + " --json " + (dir / "x.json"), dir.path());
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_EQ(r.err, "tessel: error: " + message + "\n");
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "x.json"));
}

TEST(RaTreeCli, BadInputsWordForWord) {
  TempDir dir;
  WriteFile(dir.path() / "bad.tree", "T4(conv1 (");
  ExpectRejected(kDarknet + " --tree " + (dir / "bad.tree"),
                 (dir / "bad.tree") + ":1:10: expected a layer name or a cut such as 'S4(' here");
  WriteFile(dir.path() / "short.tree", "T4(conv1 pool1 conv2)");
  ExpectRejected(kDarknet + " --tree " + (dir / "short.tree"),
                 (dir / "short.tree") + ": the tree is invalid: layer 'pool2' is not in the tree");
  WriteFile(dir.path() / "other.tree", "T4(conv1 res2)");
  ExpectRejected(kDarknet + " --tree " + (dir / "other.tree"),
                 (dir / "other.tree") + ":1:10: 'res2' is not a layer of workload 'darknet19'");
  ExpectRejected(
      "schedule --search ratree --workload darknet19 --arch " + (kData / "no_port.yaml").string(),
      (kData / "no_port.yaml").string() +
          ":5:15: the mesh has no DRAM port: off-chip data has no way in or out");
  ExpectRejected("schedule --search ratree --workload darknet19 --arch " +
                     (kData / "tiny_tile_mesh.yaml").string(),
                 (kData / "tiny_tile_mesh.yaml").string() +
                     ": layer 'conv1' fits no tile: the tile mapper finds no valid mapping of its "
                     "block (one sample, split over all 4 tiles)");
  ExpectRejected("schedule --search ratree --workload darknet19 --batch 0",
                 "--batch must be at least 1");
}

}  // namespace
}  // namespace tessel
