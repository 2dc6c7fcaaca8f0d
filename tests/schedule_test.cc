// tessel schedule's engine on Stream's own inputs (tests/data/stream, MIT): reading the hardware
// and mapping files, matching entries, schedules that are valid from their JSON alone, latency and
// energy against Stream's measured figures (shared/reference/README.md), determinism, saved
// allocations, and the allocation searches against the baselines they must beat.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include "schedule_check.h"
#include "tessel/io/stream/stream_hardware.h"
#include "tessel/io/stream/stream_mapping.h"
#include "tessel/io/workload_source.h"
#include "tessel/report/json_report.h"
#include "tessel/report/schedule_json.h"
#include "tessel/schedule/core_arch.h"
#include "tessel/schedule/node_cost.h"
#include "tessel/schedule/schedule_run.h"
#include "tessel/schedule/simulator.h"
#include "tessel/workload/problem.h"
#include "tessel/workload/zoo.h"

namespace tessel {
namespace {

const std::string kData = std::string(TESSEL_TEST_DATA_DIR) + "/stream";

struct Lab {
  System system;
  Workload workload;
  LayerMapping mapping;
};

Lab LoadLab(const std::string& lab) {
  const std::string dir = kData + "/" + lab + "/inputs";
  return {io::LoadStreamSystem(dir + "/hardware/hda_bus.yaml"),
          io::LoadWorkload(dir + "/workload/4_convs.onnx"),
          io::LoadStreamMapping(dir + "/mapping/mapping.yaml")};
}

std::map<std::string, std::int64_t> LayerMacs(const Workload& w) {
  std::map<std::string, std::int64_t> macs;
  for (const Layer& l : w.layers()) macs[l.name] = l.Macs();
  return macs;
}

ScheduleOptions Options(ScheduleMode mode, AllocationSearch search) {
  ScheduleOptions o;
  o.mode = mode;
  o.search = search;
  o.threads = 2;
  o.ga.generations = 4;
  o.ga.population = 4;
  o.ga.seed = 0;
  return o;
}

nlohmann::ordered_json Run(const Lab& lab, const ScheduleOptions& o) {
  return ScheduleToJson(lab.system, lab.workload,
                        RunSchedule(lab.system, lab.workload, lab.mapping, o));
}

void ExpectValid(const nlohmann::ordered_json& j, const Workload& w) {
  std::vector<std::string> bad =
      testing::CheckScheduleJson(nlohmann::json::parse(j.dump()), LayerMacs(w));
  EXPECT_TRUE(bad.empty()) << bad.size() << " violations, first: " << bad.front();
}

// ---- reading ----

TEST(StreamHardware, Lab1BusSystem) {
  System s = io::LoadStreamSystem(kData + "/lab1/inputs/hardware/hda_bus.yaml");
  ASSERT_EQ(s.cores.size(), 4u);
  EXPECT_EQ(s.offchip_core, 3);
  // Two buses from the file and the off-chip port (DRAM's 64-bit port) added last.
  ASSERT_EQ(s.links.size(), 3u);
  EXPECT_TRUE(s.links[0].bus);
  EXPECT_EQ(s.links[1].cores, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(s.links[2].bandwidth_bits, 64);
  EXPECT_EQ(s.offchip_port_link, 2);
  // accelerator1: weights top memory 16 KB + the 64 KB I1/O memory, in bits.
  EXPECT_EQ(s.core(0).MemoryBits(), 131072 + 524288);
  // rf_1B_I1 serves D2 of the 32x32 array: one instance per D1 position.
  EXPECT_EQ(s.core(0).Instances(s.core(0).memories[1]), 32);
  EXPECT_EQ(s.core(0).Instances(s.core(0).memories[0]), 1024);
  // accelerator3's array is 64 x 4 x 4.
  EXPECT_EQ(s.core(2).Lanes(), 1024);
  // Core to core: the first bus (lowest id among the one-hop routes); off-chip: port + bus 1.
  EXPECT_EQ(s.Route(0, 1), (std::vector<int>{0}));
  EXPECT_EQ(s.Route(3, 0), (std::vector<int>{2, 1}));
  EXPECT_EQ(s.Route(1, 3), (std::vector<int>{1, 2}));
}

TEST(StreamHardware, QuadCoreDataflowsAndMeshRoutes) {
  System s = io::LoadStreamSystem(kData + "/examples/hardware/tpu_like_quad_core.yaml");
  ASSERT_EQ(s.cores.size(), 7u);
  ASSERT_EQ(s.core(0).dataflows.size(), 2u);
  EXPECT_EQ(s.core(0).dataflows[0].unrolls[0], (std::pair<std::string, std::int64_t>{"K", 32}));
  EXPECT_EQ(s.core(4).dataflows.size(), 3u);
  // 0 -> 2 has no direct link (the ring would take two hops); the bus (id 12) joins every core in
  // one hop, so it is the shortest route. 0 -> 1: the ring link 0 and the bus tie; lowest id wins.
  EXPECT_EQ(s.Route(0, 2), (std::vector<int>{12}));
  EXPECT_EQ(s.Route(0, 1), (std::vector<int>{0}));
}

TEST(StreamMapping, ListAndMapFormsMatchByNameThenTypeThenDefault) {
  const std::string list =
      "- name: /conv1/Conv\n  core_allocation: [2]\n  inter_core_tiling: [K, \"*\"]\n"
      "- name: conv\n  core_allocation: [0, 1]\n  intra_core_tiling:\n    - OY, all\n"
      "- name: pooling\n  core_allocation: [4]\n"
      "- name: default\n  core_allocation: [3]\n  inter_core_tiling:\n    - K, 3\n";
  LayerMapping m = io::ParseStreamMapping(list, "m.yaml");
  ASSERT_EQ(m.entries.size(), 4u);
  EXPECT_EQ(m.entries[0].inter_core_tiling[0].parts, TilingFactor::kWildcard);
  EXPECT_EQ(m.entries[1].intra_core_tiling[0].parts, TilingFactor::kAll);
  EXPECT_EQ(m.entries[3].inter_core_tiling[0].parts, 3);
  Layer conv1{"/conv1/Conv", "Conv", LayerKind::kConv};
  Layer conv2{"/conv2/Conv", "Conv", LayerKind::kConv};
  Layer pool{"/pool/MaxPool", "MaxPool", LayerKind::kNoMac};
  Layer add{"/add/Add", "Add", LayerKind::kNoMac};
  EXPECT_EQ(MatchEntry(m, conv1).name, "/conv1/Conv");
  EXPECT_EQ(MatchEntry(m, conv2).name, "conv");  // case-insensitive type
  EXPECT_EQ(MatchEntry(m, pool).name, "pooling");
  EXPECT_EQ(MatchEntry(m, add).name, "default");
  const std::string as_map = "Conv:\n  core_allocation: [0, 1]\ndefault:\n  core_allocation: 3\n";
  LayerMapping mm = io::ParseStreamMapping(as_map, "m.yaml");
  EXPECT_EQ(MatchEntry(mm, conv2).core_allocation, (std::vector<int>{0, 1}));
  EXPECT_EQ(MatchEntry(mm, add).core_allocation, (std::vector<int>{3}));
  // Written back and read again: the same entries.
  LayerMapping again = io::ParseStreamMapping(io::WriteStreamMapping(m), "w.yaml");
  ASSERT_EQ(again.entries.size(), 4u);
  EXPECT_EQ(again.entries[0].inter_core_tiling[0].parts, TilingFactor::kWildcard);
  EXPECT_EQ(again.entries[3].core_allocation, (std::vector<int>{3}));
}

// ---- computation nodes ----

TEST(ScheduleNodes, OyTilesDependOnTheirHaloRows) {
  Lab lab = LoadLab("lab3");
  std::vector<std::string> warnings;
  NodeGraph g =
      BuildNodeGraph(lab.workload, lab.mapping, lab.system, ScheduleMode::kFused, &warnings);
  // 4 layers x 56 output rows (OY, all) = 224 nodes, Stream's count.
  ASSERT_EQ(g.nodes.size(), 224u);
  // Layer1 row 10 (3x3, stride 1, pad 1) reads Layer0 rows 9..11: exactly those three nodes.
  const CompNode& n = g.nodes[g.layers[1].nodes[0][10]];
  ASSERT_EQ(n.deps.size(), 3u);
  for (int k = 0; k < 3; ++k) {
    EXPECT_EQ(g.nodes[n.deps[k]].layer, 0);
    EXPECT_EQ(g.nodes[n.deps[k]].y0, 9 + k);
  }
  // Row 0 reads rows 0..1 only (the halo row above is padding).
  EXPECT_EQ(g.nodes[g.layers[1].nodes[0][0]].deps.size(), 2u);
  // Layer-by-layer: intra-core tiling is ignored, 4 nodes (Stream's lab1 count).
  EXPECT_EQ(
      BuildNodeGraph(lab.workload, lab.mapping, lab.system, ScheduleMode::kLayerByLayer, &warnings)
          .nodes.size(),
      4u);
}

TEST(ScheduleNodes, KSplitOverThreeCores) {
  Lab lab = LoadLab("lab2");
  std::vector<std::string> warnings;
  NodeGraph g =
      BuildNodeGraph(lab.workload, lab.mapping, lab.system, ScheduleMode::kLayerByLayer, &warnings);
  ASSERT_EQ(g.nodes.size(), 12u);  // Stream: 12 nodes
  // K = 8 split in 3: 2, 3, 3 output channels; MACs add up to the layer's.
  std::int64_t macs = 0;
  for (int id : {0, 1, 2}) macs += g.nodes[id].macs;
  EXPECT_EQ(macs, lab.workload.layer(0).Macs());
  EXPECT_EQ(g.nodes[0].c1 - g.nodes[0].c0, 2);
  // Each K part of layer 1 reads all input channels: all three parts of layer 0.
  EXPECT_EQ(g.nodes[3].deps, (std::vector<int>{0, 1, 2}));
  EXPECT_TRUE(g.layers[0].fixed);
}

}  // namespace
}  // namespace tessel

namespace tessel {
namespace {

// tpu_like: D1 = K 32, D2 = C 32 on a 32 x 32 array. The converted Arch fans out along Y (D2) at
// the output registers (one per D1 position) and along X (D1) at the 2 MB buffer, so C gets the
// exact spatial factor at level 1 and K (tessel's M) at level 2; the largest divisor rule gives
// 3 for C = 3 and 25 for K = 1000.
TEST(ScheduleDataflow, TpuLikeDataflowBecomesExactSpatialFactors) {
  System s = io::LoadStreamSystem(kData + "/examples/hardware/tpu_like_quad_core.yaml");
  const Core& tpu = s.core(0);
  CoreArch ca = MakeCoreArch(tpu, false, 1e18, nullptr);
  ASSERT_EQ(ca.arch.storage.size(), 4u);  // rf_128B, rf_2B, sram_2MB, delivered
  EXPECT_EQ(ca.arch.storage[0].instances, 1024);
  EXPECT_EQ(ca.arch.storage[1].instances, 32);
  EXPECT_EQ(ca.arch.storage[2].instances, 1);
  ConvShape shape;
  shape.R = shape.S = 3;
  shape.P = shape.Q = 4;
  shape.C = 64;
  shape.M = 1000;
  Problem p = MakeConvProblem("c", shape);
  MapConstraints c = DataflowConstraints(p, ca, tpu.dataflows);
  const int m = p.DimIndex("M"), cc = p.DimIndex("C"), r = p.DimIndex("R");
  EXPECT_EQ(c.levels[2].spatial[m].exact, 25);
  EXPECT_EQ(c.levels[1].spatial[cc].exact, 32);
  EXPECT_EQ(c.levels[2].spatial[r].exact, 1);
  shape.C = 3;
  Problem p3 = MakeConvProblem("c3", shape);
  EXPECT_EQ(DataflowConstraints(p3, ca, tpu.dataflows).levels[1].spatial[cc].exact, 3);
  // Keep/bypass: the weight registers keep only weights.
  EXPECT_EQ(c.levels[0].keep[p.DataSpaceIndex("Weights")], std::optional<bool>(true));
  EXPECT_EQ(c.levels[0].keep[p.DataSpaceIndex("Inputs")], std::optional<bool>(false));
}

}  // namespace
}  // namespace tessel

namespace tessel {
namespace {

// Grouped and depthwise convolutions are one problem with a group dimension G: a K split over
// three cores cuts whole groups (or part of one), and the nodes of every layer still carry
// exactly the layer's MACs (MobileNetV2 with lab2's three-way K split).
TEST(ScheduleNodes, GroupedConvSplitsKeepEveryMac) {
  Lab lab = LoadLab("lab2");
  const Workload net = MakeMobileNetV2();
  std::vector<std::string> warnings;
  NodeGraph g =
      BuildNodeGraph(net, lab.mapping, lab.system, ScheduleMode::kLayerByLayer, &warnings);
  std::map<int, std::int64_t> macs, channels, nodes;
  auto bound = [](const Problem& p, const char* dim) {
    const int d = p.DimIndex(dim);
    return d < 0 ? std::int64_t{1} : p.dims[d].bound;
  };
  for (const CompNode& n : g.nodes) {
    macs[n.layer] += n.macs;
    channels[n.layer] += n.c1 - n.c0;
    nodes[n.layer] += 1;
    if (net.layer(n.layer).kind == LayerKind::kConv)  // its problem: G groups of M channels
      EXPECT_EQ(bound(n.problem, "G") * bound(n.problem, "M") * n.repeat, n.c1 - n.c0);
  }
  int grouped = 0;
  for (int i = 0; i < net.size(); ++i) {
    const Layer& layer = net.layer(i);
    if (!layer.HasMacs()) continue;
    EXPECT_EQ(macs[i], layer.Macs()) << layer.name;
    if (bound(layer.problem, "G") == 1) continue;
    ++grouped;
    // All output channels (G x M) split three ways, as lab2's default entry says.
    EXPECT_EQ(channels[i], bound(layer.problem, "G") * bound(layer.problem, "M")) << layer.name;
    EXPECT_EQ(nodes[i], 3) << layer.name;
  }
  EXPECT_EQ(grouped, 17);  // MobileNetV2's depthwise layers
}

}  // namespace
}  // namespace tessel
