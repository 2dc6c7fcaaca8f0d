// The mapspace: keep/bypass resolution, fan-out limits, prime factors, and the errors that say
// no mapping can exist, word for word.
#include "tessel/mapping/mapspace.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tessel/common/error.h"
#include "tessel/io/inputs.h"
#include "tessel/mapper/mapper.h"

namespace tessel {
namespace {

std::string Data(const std::string& path) { return std::string(TESSEL_TEST_DATA_DIR) + "/" + path; }

Inputs Exercise05() {
  const std::string dir = "timeloop/exercises/05-mapper-conv1d+oc-3level/";
  return LoadInputs({Data(dir + "arch/3level.arch.yaml"), Data(dir + "prob/conv1d+oc.prob.yaml")});
}

Inputs Simba(const std::string& layer, bool with_mapspace = true) {
  std::vector<std::string> files = {Data("cosa/arch/simba.yaml")};
  if (with_mapspace) files.push_back(Data("cosa/mapspace/mapspace.yaml"));
  files.push_back(Data("cosa/workloads/deepbench_graph/" + layer + ".yaml"));
  return LoadInputs(files);
}

// Constraints that fix keep/bypass as `keep` says ([level][data space], nullopt = free).
MapConstraints KeepOnly(const Problem& problem, const Arch& arch,
                        const std::vector<std::vector<std::optional<bool>>>& keep) {
  MapConstraints constraints = NoConstraints(problem, arch);
  for (size_t l = 0; l < keep.size(); ++l) constraints.levels[l].keep = keep[l];
  return constraints;
}

std::string ErrorOf(const Problem& problem, const Arch& arch, const MapConstraints& constraints) {
  try {
    MakeMapSpace(problem, arch, constraints);
  } catch (const UserError& error) {
    return error.what();
  }
  return "(no error)";
}

TEST(PrimeFactors, AscendingWithMultiplicity) {
  EXPECT_EQ(PrimeFactors(1), (std::vector<std::int64_t>{}));
  EXPECT_EQ(PrimeFactors(2), (std::vector<std::int64_t>{2}));
  EXPECT_EQ(PrimeFactors(12), (std::vector<std::int64_t>{2, 2, 3}));
  EXPECT_EQ(PrimeFactors(97), (std::vector<std::int64_t>{97}));
  EXPECT_EQ(PrimeFactors(1024), std::vector<std::int64_t>(10, 2));
  EXPECT_EQ(PrimeFactors(30030), (std::vector<std::int64_t>{2, 3, 5, 7, 11, 13}));
  EXPECT_EQ(PrimeFactors(1000003), (std::vector<std::int64_t>{1000003}));  // a prime
  EXPECT_EQ(PrimeFactors(2 * 1000003LL), (std::vector<std::int64_t>{2, 1000003}));
}

TEST(MapSpace, UnconstrainedLevelsKeepEverything) {
  Inputs in = Exercise05();
  MapSpace space = MakeMapSpace(in.problem, in.arch, in.constraints);
  ASSERT_EQ(space.num_levels(), 3);
  for (const std::vector<bool>& level : space.keep)
    EXPECT_EQ(level, (std::vector<bool>{true, true, true}));
  // One PE: nothing fans out.
  EXPECT_EQ(space.max_fanout_x, (std::vector<std::int64_t>{1, 1, 1}));
  EXPECT_EQ(space.max_fanout_y, (std::vector<std::int64_t>{1, 1, 1}));
  for (int l = 0; l < 3; ++l) EXPECT_FALSE(space.CanFanOut(l));
  // Dimensions K R P = 32 3 16.
  EXPECT_EQ(space.prime_factors[0], std::vector<std::int64_t>(5, 2));
  EXPECT_EQ(space.prime_factors[1], std::vector<std::int64_t>{3});
  EXPECT_EQ(space.prime_factors[2], std::vector<std::int64_t>(4, 2));
}

TEST(MapSpace, DummyStorageKeepsNothingAndFansOut) {
  const std::string dir = "timeloop/exercises/04-model-conv1d+oc-3levelspatial/";
  Inputs in = LoadInputs(
      {Data(dir + "arch/3levelspatial.arch.yaml"), Data(dir + "prob/conv1d+oc+ic.prob.yaml")});
  MapSpace space = MakeMapSpace(in.problem, in.arch, {});
  ASSERT_EQ(space.num_levels(), 4);
  EXPECT_EQ(space.arch.storage[1].name, "inter_PE_spatial");
  EXPECT_EQ(space.keep[1], (std::vector<bool>{false, false, false}));
  EXPECT_EQ(space.keep[0], (std::vector<bool>{true, true, true}));
  // PE mesh 16 under one dummy: 16 RegisterFiles / 1.
  EXPECT_EQ(space.max_fanout_x, (std::vector<std::int64_t>{1, 16, 1, 1}));
  EXPECT_TRUE(space.CanFanOut(1));
}

TEST(MapSpace, SimbaKeepAndFanouts) {
  Inputs in = Simba("10_OCR");
  MapSpace space = MakeMapSpace(in.problem, in.arch, in.constraints);
  ASSERT_EQ(space.num_levels(), 6);
  // CoSA's mapspace.yaml: W in Registers; O in AccumulationBuffer; W in WeightBuffer; I in
  // InputBuffer; I, O in GlobalBuffer; DRAM unconstrained. Data spaces: Weights Inputs Outputs.
  std::vector<std::vector<bool>> keep = {{true, false, false}, {false, false, true},
                                         {true, false, false}, {false, true, false},
                                         {false, true, true},  {true, true, true}};
  EXPECT_EQ(space.keep, keep);
  // Instances from the inner level up: MAC 1024, Registers 1024, AccumulationBuffer 128,
  // WeightBuffer 128, InputBuffer 16, GlobalBuffer 1, DRAM 1 (all in a row along X).
  EXPECT_EQ(space.max_fanout_x, (std::vector<std::int64_t>{1, 8, 1, 8, 16, 1}));
  EXPECT_EQ(space.max_fanout_y, (std::vector<std::int64_t>{1, 1, 1, 1, 1, 1}));
}

TEST(MapSpaceErrors, BoundBelowOne) {
  Inputs in = Exercise05();
  in.problem.dims[0].bound = 0;
  EXPECT_EQ(ErrorOf(in.problem, in.arch, {}), "dimension K has bound 0; bounds must be at least 1");
}

TEST(MapSpaceErrors, DataSpaceKeptNowhere) {
  Inputs in = Exercise05();
  std::vector<std::vector<std::optional<bool>>> keep(3, {std::nullopt, std::nullopt, false});
  EXPECT_EQ(ErrorOf(in.problem, in.arch, KeepOnly(in.problem, in.arch, keep)),
            "data space Outputs is kept by no storage level");
}

TEST(MapSpaceErrors, OutermostBypasses) {
  Inputs in = Simba("10_OCR");
  MapConstraints constraints = in.constraints;
  constraints.levels.back().keep = {false, std::nullopt, std::nullopt};
  EXPECT_EQ(ErrorOf(in.problem, in.arch, constraints),
            "level DRAM is the outermost level and must keep Weights");
}

TEST(MapSpace, LevelTooSmallForOneWordEachBypassesFreeTensors) {
  // Without CoSA's mapspace, keep/bypass is the mapper's choice; the one-word Registers start by
  // keeping only the first data space (Weights), and everything but DRAM stays free.
  Inputs in = Simba("10_OCR", /*with_mapspace=*/false);
  MapSpace space = MakeMapSpace(in.problem, in.arch, in.constraints);
  EXPECT_EQ(space.keep[0], (std::vector<bool>{true, false, false}));
  EXPECT_EQ(space.keep_free[0], (std::vector<bool>{true, true, true}));
  EXPECT_EQ(space.keep_free.back(), (std::vector<bool>{false, false, false}));
  EXPECT_TRUE(space.HasFreeKeep());
}

TEST(MapSpaceErrors, LevelTooSmallForOneWordOfEachFixedTensor) {
  Inputs in = Simba("10_OCR", /*with_mapspace=*/false);
  std::vector<std::vector<std::optional<bool>>> keep(in.arch.storage.size());
  keep[0] = {true, true, std::nullopt};
  EXPECT_EQ(ErrorOf(in.problem, in.arch, KeepOnly(in.problem, in.arch, keep)),
            "level Registers cannot hold one word of each tensor it keeps (capacity 1 words)");
}

TEST(Objective, ParseNameAndValue) {
  EXPECT_EQ(ParseObjective("latency"), Objective::kLatency);
  EXPECT_EQ(ParseObjective("energy"), Objective::kEnergy);
  EXPECT_EQ(ParseObjective("edp"), Objective::kEdp);
  EXPECT_STREQ(ToString(Objective::kEdp), "edp");
  try {
    ParseObjective("speed");
    FAIL() << "no error";
  } catch (const UserError& error) {
    EXPECT_STREQ(error.what(), "unknown objective 'speed'; choose latency, energy or edp");
  }
  Cost cost;
  cost.cycles = 40;
  cost.energy_pJ = 2.5;
  EXPECT_EQ(ObjectiveValue(cost, Objective::kLatency), 40);
  EXPECT_EQ(ObjectiveValue(cost, Objective::kEnergy), 2.5);
  EXPECT_EQ(ObjectiveValue(cost, Objective::kEdp), 100);  // 40 cycles x 2.5 pJ
}

TEST(MakeMapper, KnownNamesAndError) {
  EXPECT_EQ(MakeMapper("random")->name(), "random");
  EXPECT_EQ(MakeMapper("exhaustive")->name(), "exhaustive");
  EXPECT_EQ(MakeMapper("cosa")->name(), "cosa");
  try {
    MakeMapper("annealing");
    FAIL() << "no error";
  } catch (const UserError& error) {
    EXPECT_STREQ(error.what(), "unknown mapper 'annealing'; choose cosa, random or exhaustive");
  }
}

}  // namespace
}  // namespace tessel
