// The cosa mapper against truths from outside it: the proven optimum of the exhaustive mapper on
// small mapspaces, the compute bound MACs / PEs worked out by hand, random search (CoSA's random-5
// baseline), validity under the exact model, determinism, and its error paths.
#include "tessel/mapper/cosa_mapper.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tessel/common/error.h"
#include "tessel/io/inputs.h"
#include "tessel/io/mapping_writer.h"
#include "tessel/mapper/cosa_formulation.h"

namespace tessel {
namespace {

std::string Data(const std::string& path) { return std::string(TESSEL_TEST_DATA_DIR) + "/" + path; }

MapSpace CosaLayer(const std::string& network, const std::string& layer) {
  Inputs in = LoadInputs({Data("cosa/arch/simba.yaml"), Data("cosa/mapspace/mapspace.yaml"),
                          Data("cosa/workloads/" + network + "_graph/" + layer + ".yaml")});
  return MakeMapSpace(in.problem, in.arch, in.constraints);
}

MapSpace Exercise(const std::string& dir, const std::string& arch, const std::string& prob) {
  const std::string base = "timeloop/exercises/" + dir + "/";
  Inputs in = LoadInputs({Data(base + "arch/" + arch), Data(base + "prob/" + prob)});
  return MakeMapSpace(in.problem, in.arch, in.constraints);
}

MapperResult RunMapper(const std::string& mapper, const MapSpace& space,
                       Objective objective = Objective::kLatency, std::int64_t samples = 5) {
  MapperOptions options;
  options.objective = objective;
  options.samples = samples;
  return MakeMapper(mapper)->Map(space, options);
}

TEST(CosaFormulation, OneIntegerExponentPerLevelDimensionPrimeAndKind) {
  // Exercise 05's problem (conv1d+oc: K=32=2^5, R=3, P=16=2^4) on its 3-level arch.
  MapSpace space =
      Exercise("05-mapper-conv1d+oc-3level", "3level.arch.yaml", "conv1d+oc.prob.yaml");
  CosaFormulation f = BuildCosaFormulation(space, DefaultCosaWeights(Objective::kLatency));
  int expected = 0;
  for (int l = 0; l < space.num_levels(); ++l) {
    int kinds = 1 + (space.max_fanout_x[l] >= 2) + (space.max_fanout_y[l] >= 2);
    int kinds3 = 1 + (space.max_fanout_x[l] >= 3) + (space.max_fanout_y[l] >= 3);
    expected += 2 * kinds + kinds3;  // K: prime 2; P: prime 2; R: prime 3
  }
  EXPECT_EQ(static_cast<int>(f.exponents.size()), expected);
  for (const auto& e : f.exponents) {
    const MipVariable& var = f.model.variables()[e.var];
    EXPECT_TRUE(var.integer);
    EXPECT_EQ(var.lower, 0);
    // The upper bound is the prime's multiplicity: 2^5 in K, 2^4 in P, 3^1 in R.
    std::string dim = space.problem.dims[e.dim].name;
    EXPECT_EQ(var.upper, dim == "K" ? 5 : dim == "P" ? 4 : 1) << var.name;
  }
}

// Exercise 04's spatial arch (a dummy level fanning out to the PEs) with conv1d+oc+ic cut down so
// that the exhaustive mapper finishes: C and K to `ck`, P to `p`, R stays 3.
MapSpace SmallSpatial(std::int64_t ck, std::int64_t p) {
  const std::string base = "timeloop/exercises/04-model-conv1d+oc-3levelspatial/";
  Inputs in = LoadInputs(
      {Data(base + "arch/3levelspatial.arch.yaml"), Data(base + "prob/conv1d+oc+ic.prob.yaml")});
  for (Dimension& dim : in.problem.dims) dim.bound = dim.name == "R" ? 3 : dim.name == "P" ? p : ck;
  return MakeMapSpace(in.problem, in.arch, in.constraints);
}

TEST(CosaMapper, WithinFivePercentOfTheProvenOptimum) {
  std::vector<std::pair<std::string, MapSpace>> spaces;
  spaces.emplace_back(
      "05 conv1d+oc on 3level",
      Exercise("05-mapper-conv1d+oc-3level", "3level.arch.yaml", "conv1d+oc.prob.yaml"));
  spaces.emplace_back("04 C2 K2 P2", SmallSpatial(2, 2));
  spaces.emplace_back("04 C4 K4 P4", SmallSpatial(4, 4));
  for (const auto& [name, space] : spaces) {
    for (Objective objective : {Objective::kLatency, Objective::kEnergy, Objective::kEdp}) {
      MapperResult optimum = RunMapper("exhaustive", space, objective);
      ASSERT_TRUE(optimum.proven_optimal) << name;
      MapperResult cosa = RunMapper("cosa", space, objective);
      ASSERT_NE(cosa.status, MapperStatus::kNoMapping) << cosa.message;
      EXPECT_LE(ObjectiveValue(cosa.evaluation.cost, objective),
                1.05 * ObjectiveValue(optimum.evaluation.cost, objective))
          << name << " " << ToString(objective);
    }
  }
}

TEST(CosaMapper, ReachesTheComputeBoundOnAUnitStrideLayer) {
  // AlexNet conv4: K=256 C=384 P=Q=13 R=S=3: 149,520,384 MACs on Simba's 1024 MACs is 146,016
  // cycles at full use; K and C are powers of two, so the 16 x 8 x 8 PE fan-outs can all be filled
  // and the bound is reachable.
  MapSpace space = CosaLayer("alexnet", "_outputs_input.8");
  MapperResult cosa = RunMapper("cosa", space);
  ASSERT_EQ(cosa.status, MapperStatus::kComplete) << cosa.message;
  EXPECT_EQ(cosa.evaluation.cost.computes, 256LL * 384 * 13 * 13 * 3 * 3);
  EXPECT_EQ(cosa.evaluation.cost.cycles, 146016);
}

TEST(CosaMapper, ValidAndNeverWorseThanRandomFiveOnDeepBench) {
  for (const char* layer : {"07_OCR", "09_OCR", "11_Face_Recognition", "14_Face_Recognition"}) {
    MapSpace space = CosaLayer("deepbench", layer);
    MapperResult cosa = RunMapper("cosa", space);
    ASSERT_NE(cosa.status, MapperStatus::kNoMapping) << layer << ": " << cosa.message;
    Evaluation check = Evaluate(space.problem, space.arch, cosa.mapping);
    ASSERT_TRUE(check.ok()) << layer << ": " << check.invalid_reason;
    EXPECT_EQ(check.cost.cycles, cosa.evaluation.cost.cycles);
    // Never below the compute bound: MACs over the 1024 MAC units, rounded up.
    EXPECT_GE(check.cost.cycles, (check.cost.computes + 1023) / 1024) << layer;
    MapperResult random5 = RunMapper("random", space, Objective::kLatency, 5);
    EXPECT_LE(cosa.evaluation.cost.cycles, random5.evaluation.cost.cycles) << layer;
  }
}

TEST(CosaMapper, DeterministicAndStridedLayersFit) {
  // AlexNet conv1 has stride 4: the MIP's product bound on the input window is too small there, and
  // the mapper must still return a mapping that fits.
  MapSpace space = CosaLayer("alexnet", "_outputs_input.2");
  MapperResult a = RunMapper("cosa", space), b = RunMapper("cosa", space);
  ASSERT_NE(a.status, MapperStatus::kNoMapping) << a.message;
  EXPECT_TRUE(Evaluate(space.problem, space.arch, a.mapping).ok());
  EXPECT_EQ(WriteTimeloopMappingYaml(space.problem, space.arch, a.mapping),
            WriteTimeloopMappingYaml(space.problem, space.arch, b.mapping));
}

TEST(CosaMapper, TinyTimeLimitReturnsAValidIncumbentMarkedTimeOut) {
  MapSpace space = CosaLayer("resnet50", "_outputs_input.8");
  MapperOptions options;
  options.time_limit_s = 1e-6;
  MapperResult result = MakeCosaMapper()->Map(space, options);
  ASSERT_EQ(result.status, MapperStatus::kTimeOut) << result.message;
  EXPECT_STREQ(ToString(result.status), "time-out");
  EXPECT_FALSE(result.proven_optimal);
  EXPECT_TRUE(Evaluate(space.problem, space.arch, result.mapping).ok());
}

TEST(CosaMapper, UserWeightsAreParsedAndChecked) {
  CosaWeights w =
      ParseCosaWeights("traffic=0.5,utilization=0", DefaultCosaWeights(Objective::kLatency));
  EXPECT_EQ(w.traffic, 0.5);
  EXPECT_EQ(w.utilization, 0);
  EXPECT_EQ(w.latency, 1.0);
  try {
    ParseCosaWeights("speed=1", w);
    FAIL() << "accepted an unknown weight";
  } catch (const UserError& e) {
    EXPECT_STREQ(e.what(),
                 "bad cosa weight 'speed=1'; write NAME=VALUE with "
                 "NAME latency, compute, "
                 "traffic or utilization");
  }
  try {
    ParseCosaWeights("traffic=-1", w);
    FAIL() << "accepted a negative weight";
  } catch (const UserError& e) {
    EXPECT_STREQ(e.what(), "bad cosa weight 'traffic=-1'; the value must be a number >= 0");
  }
  // Weights change the answer's proxy, not its validity.
  MapSpace space = CosaLayer("deepbench", "07_OCR");
  MapperOptions options;
  options.cosa_weights = ParseCosaWeights("traffic=1,utilization=0", w);
  MapperResult result = MakeCosaMapper()->Map(space, options);
  ASSERT_NE(result.status, MapperStatus::kNoMapping) << result.message;
  EXPECT_TRUE(Evaluate(space.problem, space.arch, result.mapping).ok());
}

TEST(CosaMapper, GlpkFindsTheSameKindOfAnswerWhenBuiltWithIt) {
  std::vector<std::string> solvers = AvailableMipSolvers();
  if (std::find(solvers.begin(), solvers.end(), "glpk") == solvers.end())
    GTEST_SKIP() << "built without GLPK (TESSEL_WITH_GLPK=OFF)";
  MapSpace space = CosaLayer("alexnet", "_outputs_input.8");
  MapperOptions options;
  options.solver = "glpk";
  MapperResult result = MakeCosaMapper()->Map(space, options);
  ASSERT_NE(result.status, MapperStatus::kNoMapping) << result.message;
  EXPECT_TRUE(Evaluate(space.problem, space.arch, result.mapping).ok());
}

}  // namespace
}  // namespace tessel
