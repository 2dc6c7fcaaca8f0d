// Text and JSON reports. Expected loop nests are timeloop-model's own map.txt files in
// tests/data/timeloop (MIT): first on inputs built here by hand (the printer alone), then on
// every fixed-mapping run read through LoadInputs (reader, cost model and printer together).
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "tessel/io/inputs.h"
#include "tessel/model/evaluate.h"
#include "tessel/report/json_report.h"
#include "tessel/report/text_report.h"

namespace tessel {
namespace {

StorageLevel Level(const std::string& name, std::int64_t instances,
                   const std::string& klass = "SRAM") {
  StorageLevel level;
  level.name = name;
  level.klass = klass;
  level.instances = instances;
  return level;
}

// Exercise 04: Conv1D with output channels, C=32 K=32 R=3 P=16.
Problem Conv1dOc() {
  Problem p;
  p.name = "Conv1D_OC";
  p.dims = {{"C", 32}, {"K", 32}, {"R", 3}, {"P", 16}};
  enum { C, K, R, P };
  auto t = [](int dim) { return ProjectionTerm{dim, 1, ""}; };
  p.data_spaces = {{"Weights", {{{t(C)}}, {{t(K)}}, {{t(R)}}}, false},
                   {"Inputs", {{{t(C)}}, {{t(R), t(P)}}}, false},
                   {"Outputs", {{{t(K)}}, {{t(P)}}}, true}};
  return p;
}

// Exercise 04's architecture as Timeloop flattens it: the PE container becomes the dummy level
// inter_PE_spatial, and GlobalBuffer and RegisterFile sit inside it (16 instances each).
Arch ThreeLevelSpatialArch() {
  Arch arch;
  arch.storage = {Level("RegisterFile", 16, "regfile"), Level("GlobalBuffer", 16),
                  Level("inter_PE_spatial", 1, "dummy_storage"), Level("MainMemory", 1, "DRAM")};
  arch.arithmetic.name = "MACC";
  arch.arithmetic.instances = 16;
  return arch;
}

// The kp-ws mapping of exercise 04; temporal loops innermost first as the permutations say.
Mapping KpMapping() {
  enum { C, K, R, P };
  Mapping m;
  m.levels.resize(4);
  m.levels[0].temporal = {{R, 1}, {P, 16}, {K, 1}, {C, 1}};
  m.levels[1].temporal = {{P, 1}, {R, 3}, {K, 2}, {C, 32}};
  m.levels[2].spatial = {{K, 16, SpatialAxis::kX}};
  m.levels[3].temporal = {{P, 1}, {R, 1}, {K, 1}, {C, 1}};
  for (LevelMapping& level : m.levels) level.keep = {true, true, true};
  m.levels[2].keep = {false, false, false};
  return m;
}

std::string ReadTestData(const std::string& relative) {
  std::ifstream in(std::string(TESSEL_TEST_DATA_DIR) + "/" + relative);
  EXPECT_TRUE(in.good()) << "missing test data: " << relative;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

const char kKpMapTxt[] =
    "timeloop/exercises/04-model-conv1d+oc-3levelspatial/ref-output/kp/timeloop-model.map.txt";

TEST(FormatLoopNestTest, MatchesTimeloopMapTxtWithoutCost) {
  EXPECT_EQ(FormatLoopNest(Conv1dOc(), ThreeLevelSpatialArch(), KpMapping(), nullptr),
            ReadTestData(kKpMapTxt));
}

TEST(FormatLoopNestTest, TakesCapacitiesFromCost) {
  // Utilized capacities from the kp run's stats.txt; the header must show these, not the
  // projection (checked by making the projection disagree: Weights at the RF set to 7).
  Problem problem = Conv1dOc();
  Cost cost;
  const std::int64_t capacities[4][3] = {{7, 16, 16}, {192, 576, 32}, {0, 0, 0}, {3072, 576, 512}};
  for (int l = 0; l < 4; ++l) {
    LevelStats level;
    for (int ds = 0; ds < 3; ++ds) {
      TensorStats t;
      t.kept = l != 2;
      t.utilized_capacity = capacities[l][ds];
      level.tensors.push_back(t);
    }
    cost.levels.push_back(level);
  }
  std::string expected = ReadTestData(kKpMapTxt);
  expected.replace(expected.find("Weights:1 (1)"), 13, "Weights:7 (7)");
  EXPECT_EQ(FormatLoopNest(problem, ThreeLevelSpatialArch(), KpMapping(), &cost), expected);
}

TEST(FormatLoopNestTest, IgnoresCostOfAnotherShape) {
  Cost cost;
  cost.levels.resize(2);  // not this arch's 4 levels: fall back to the projection
  EXPECT_EQ(FormatLoopNest(Conv1dOc(), ThreeLevelSpatialArch(), KpMapping(), &cost),
            ReadTestData(kKpMapTxt));
}

// current/simba_like: ResNet-50's first layer (C3 M32 R3 S3 P112 Q112, stride 2) on Simba.
// Covers Y-axis loops, levels with no loop and an innermost level with no loop.
TEST(FormatLoopNestTest, MatchesTimeloopMapTxtOnSimbaLike) {
  ConvShape shape;
  shape.C = 3, shape.M = 32, shape.R = 3, shape.S = 3, shape.P = 112, shape.Q = 112;
  shape.w_stride = 2, shape.h_stride = 2;
  Problem problem = MakeConvProblem("conv2D", shape);
  enum { R, S, P, Q, C, M, N };
  Arch arch;
  arch.storage = {Level("PEWeightRegs", 256),
                  Level("inter_reg_mac_spatial", 64),
                  Level("PEAccuBuffer", 64),
                  Level("PEWeightBuffer", 64),
                  Level("inter_distributed_buffers_spatial", 16),
                  Level("PEInputBuffer", 16),
                  Level("inter_PE_spatial", 1),
                  Level("GlobalBuffer", 1),
                  Level("DRAM", 1)};
  Mapping m;
  m.levels.resize(9);
  m.levels[2].temporal = {{P, 7}, {M, 2}};
  m.levels[3].temporal = {{S, 3}, {P, 4}, {R, 3}};
  m.levels[4].spatial = {{M, 4, SpatialAxis::kY}};
  m.levels[5].temporal = {{Q, 4}};
  m.levels[6].spatial = {{M, 4, SpatialAxis::kX}, {C, 3, SpatialAxis::kX}};
  m.levels[7].temporal = {{P, 4}};
  m.levels[8].temporal = {{Q, 28}};
  // Data spaces in MakeConvProblem order: Weights, Inputs, Outputs.
  const bool keep[9][3] = {{1, 0, 0}, {0, 0, 0}, {0, 0, 1}, {1, 0, 0}, {0, 0, 0},
                           {0, 1, 0}, {0, 0, 0}, {0, 1, 1}, {1, 1, 1}};
  for (int l = 0; l < 9; ++l) m.levels[l].keep = {keep[l][0], keep[l][1], keep[l][2]};

  EXPECT_EQ(FormatLoopNest(problem, arch, m, nullptr),
            ReadTestData("timeloop/current/simba_like/timeloop-model.map.txt"));
}

TEST(ProjectedTileWordsTest, CountsHaloOfSlidingWindows) {
  // GlobalBuffer of kp: C32 x (R3 + P16 - 1) = 576 Inputs, a hand count.
  EXPECT_EQ(ProjectedTileWords(Conv1dOc(), KpMapping(), 1, 1), 32 * 18);
}

Cost SmallCost() {
  Cost cost;
  cost.cycles = 3072;
  cost.computes = 49152;
  cost.utilized_macs = 16;
  cost.utilization = 1.0;
  cost.energy_pJ = 0.1 + 0.2;  // 0.30000000000000004: must print as 0.3
  cost.mac_energy_pJ = 0.25;
  LevelStats rf;
  rf.name = "RegisterFile";
  rf.tensors = {
      {true, 1, 192, 16, 3072, 1024, 0, 1.5}, {false}, {true, 16, 32, 16, 3040, 992, 3072, 2.5}};
  LevelStats dummy;
  dummy.name = "inter_PE_spatial";
  dummy.tensors.resize(3);
  cost.levels = {rf, dummy};
  return cost;
}

Arch SmallArch() {
  Arch arch;
  arch.storage = {Level("RegisterFile", 16), Level("inter_PE_spatial", 1, "dummy_storage")};
  return arch;
}

TEST(CostToJsonTest, HasTheDocumentedSchemaInFixedOrder) {
  const char expected[] = R"({
  "cycles": 3072,
  "energy_pJ": 0.3,
  "utilization": 1.0,
  "computes": 49152,
  "levels": [
    {
      "name": "RegisterFile",
      "instances": 16,
      "tensors": {
        "Weights": {
          "reads": 3072,
          "fills": 1024,
          "updates": 0,
          "utilized_capacity": 1
        },
        "Outputs": {
          "reads": 3040,
          "fills": 992,
          "updates": 3072,
          "utilized_capacity": 16
        }
      }
    },
    {
      "name": "inter_PE_spatial",
      "instances": 1,
      "tensors": {}
    }
  ],
  "energy_is_estimate": false
}
)";
  EXPECT_EQ(DumpJson(CostToJson(Conv1dOc(), SmallArch(), SmallCost())), expected);
}

TEST(ReproducibleDoubleTest, HidesLastBitNoise) {
  EXPECT_EQ(ReproducibleDouble(0.1 + 0.2), 0.3);
  EXPECT_EQ(ReproducibleDouble(1234567.891), 1234567.891);
  EXPECT_EQ(ReproducibleDouble(0.0), 0.0);
}

TEST(FormatCostSummaryTest, SaysWhenEnergiesAreEstimates) {
  Cost cost = SmallCost();
  EXPECT_EQ(FormatCostSummary(cost).find("estimate"), std::string::npos);
  cost.energy_is_estimate = true;
  EXPECT_NE(FormatCostSummary(cost).find("energies are estimates"), std::string::npos);
  EXPECT_NE(FormatCostSummary(cost).find("Cycles:      3072\n"), std::string::npos);
}

TEST(FormatLevelTableTest, ListsKeptTensorsOutermostFirst) {
  std::string table = FormatLevelTable(Conv1dOc(), SmallArch(), SmallCost());
  size_t dummy = table.find("inter_PE_spatial");
  size_t rf = table.find("RegisterFile");
  ASSERT_NE(dummy, std::string::npos);
  ASSERT_NE(rf, std::string::npos);
  EXPECT_LT(dummy, rf);
  EXPECT_NE(table.find("Outputs"), std::string::npos);
  EXPECT_EQ(table.find("Inputs"), std::string::npos);  // bypassed at the RF
}

// Golden: every fixed-mapping case timeloop-model was run on, read by tessel's own reader. The
// loop nest must match map.txt both from the mapping alone and with the cost model's capacities.
struct GoldenCase {
  std::vector<std::string> inputs;  // relative to TESSEL_TEST_DATA_DIR
  std::string map_txt;
};

std::vector<GoldenCase> GoldenCases() {
  std::vector<GoldenCase> cases;
  const std::string ex = "timeloop/exercises/";
  for (const char* run :
       {"00-model-conv1d-1level/ref-output/", "01-model-conv1d-2level/ref-output/os/",
        "01-model-conv1d-2level/ref-output/ws/", "02-model-conv1d+oc-2level/ref-output/no-tiling/",
        "02-model-conv1d+oc-2level/ref-output/tiling/",
        "03-model-conv1d+oc-3level/ref-output/bypass/",
        "03-model-conv1d+oc-3level/ref-output/no-bypass/",
        "04-model-conv1d+oc-3levelspatial/ref-output/cp/",
        "04-model-conv1d+oc-3levelspatial/ref-output/kp/"}) {
    std::string dir = ex + run;
    cases.push_back({{dir + "parsed-processed-input.yaml", dir + "timeloop-model.ERT.yaml"},
                     dir + "timeloop-model.map.txt"});
  }
  for (const char* design : {"06-mapper-convlayer-eyeriss", "eyeriss_like", "simba_like",
                             "simple_output_stationary", "simple_weight_stationary"}) {
    std::string dir = std::string("timeloop/current/") + design + "/";
    cases.push_back({{dir + "input.yaml", dir + "ERT.yaml"}, dir + "timeloop-model.map.txt"});
  }
  return cases;
}

TEST(FormatLoopNestGoldenTest, MatchesEveryTimeloopModelRun) {
  for (const GoldenCase& c : GoldenCases()) {
    SCOPED_TRACE(c.map_txt);
    std::vector<std::string> paths;
    for (const std::string& input : c.inputs)
      paths.push_back(std::string(TESSEL_TEST_DATA_DIR) + "/" + input);
    Inputs inputs = LoadInputs(paths);
    ASSERT_TRUE(inputs.mapping.has_value());
    std::string expected = ReadTestData(c.map_txt);
    EXPECT_EQ(FormatLoopNest(inputs.problem, inputs.arch, *inputs.mapping, nullptr), expected);
    Evaluation evaluation = Evaluate(inputs.problem, inputs.arch, *inputs.mapping);
    ASSERT_TRUE(evaluation.ok()) << evaluation.invalid_reason;
    EXPECT_EQ(FormatLoopNest(inputs.problem, inputs.arch, *inputs.mapping, &evaluation.cost),
              expected);
  }
}

}  // namespace
}  // namespace tessel
