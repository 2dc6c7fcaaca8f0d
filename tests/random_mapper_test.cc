// The random mapper: valid answers, seeded determinism independent of the thread count, and
// more samples never doing worse (the first N valid draws are a prefix of the first M > N).
#include "tessel/mapper/random_mapper.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tessel/io/inputs.h"
#include "tessel/io/mapping_writer.h"
#include "tessel/mapper/mapspace_sampling.h"

namespace tessel {
namespace {

std::string Data(const std::string& path) { return std::string(TESSEL_TEST_DATA_DIR) + "/" + path; }

MapSpace SimbaSpace(const std::string& layer) {
  Inputs in = LoadInputs({Data("cosa/arch/simba.yaml"), Data("cosa/mapspace/mapspace.yaml"),
                          Data("cosa/workloads/deepbench_graph/" + layer + ".yaml")});
  return MakeMapSpace(in.problem, in.arch, in.constraints);
}

MapperResult RunRandom(const MapSpace& space, std::int64_t samples, std::uint64_t seed, int threads,
                       Objective objective = Objective::kLatency) {
  MapperOptions options;
  options.objective = objective;
  options.samples = samples;
  options.seed = seed;
  options.threads = threads;
  return MakeRandomMapper()->Map(space, options);
}

std::string Yaml(const MapSpace& space, const Mapping& mapping) {
  return WriteTimeloopMappingYaml(space.problem, space.arch, mapping);
}

TEST(RandomMapper, DrawsHaveTheRightFactorsAndFanouts) {
  MapSpace space = SimbaSpace("10_OCR");
  RandomMappingDrawer drawer(space);
  for (std::uint64_t seed = 0; seed < 2000; ++seed) {
    const Mapping& mapping = drawer.Draw(seed);
    ASSERT_EQ(CheckMappingStructure(space.problem, space.arch, mapping), "") << "seed " << seed;
    for (int l = 0; l < space.num_levels(); ++l) {
      ASSERT_EQ(mapping.levels[l].keep, space.keep[l]);
      if (!space.CanFanOut(l)) ASSERT_TRUE(mapping.levels[l].spatial.empty());
    }
  }
  // A draw is a pure function of the seed, whatever was drawn before.
  std::string first = Yaml(space, drawer.Draw(7));
  drawer.Draw(8);
  EXPECT_EQ(Yaml(space, RandomMappingDrawer(space).Draw(7)), first);
}

TEST(RandomMapper, ReturnsTheBestValidSample) {
  MapSpace space = SimbaSpace("10_OCR");
  MapperResult result = RunRandom(space, 20, 1, 1, Objective::kEnergy);
  ASSERT_EQ(result.status, MapperStatus::kComplete) << result.message;
  EXPECT_FALSE(result.proven_optimal);
  Evaluation check = Evaluate(space.problem, space.arch, result.mapping);
  ASSERT_TRUE(check.ok()) << check.invalid_reason;
  EXPECT_EQ(check.cost.cycles, result.evaluation.cost.cycles);
  EXPECT_EQ(check.cost.energy_pJ, result.evaluation.cost.energy_pJ);
  EXPECT_GE(result.evaluations, 20);  // invalid draws are rejected, not counted as samples
}

TEST(RandomMapper, SameSeedSameAnswerOtherSeedOtherSearch) {
  MapSpace space = SimbaSpace("10_OCR");
  MapperResult a = RunRandom(space, 10, 42, 1);
  MapperResult b = RunRandom(space, 10, 42, 1);
  EXPECT_EQ(Yaml(space, a.mapping), Yaml(space, b.mapping));
  EXPECT_EQ(a.evaluations, b.evaluations);
  MapperResult c = RunRandom(space, 10, 43, 1);
  EXPECT_FALSE(a.evaluations == c.evaluations && Yaml(space, a.mapping) == Yaml(space, c.mapping));
}

TEST(RandomMapper, IdenticalForAnyThreadCount) {
  MapSpace space = SimbaSpace("10_OCR");
  for (Objective objective : {Objective::kLatency, Objective::kEnergy, Objective::kEdp}) {
    MapperResult one = RunRandom(space, 50, 5, 1, objective);
    for (int threads : {2, 3}) {
      MapperResult many = RunRandom(space, 50, 5, threads, objective);
      EXPECT_EQ(Yaml(space, one.mapping), Yaml(space, many.mapping)) << threads << " threads";
      EXPECT_EQ(one.evaluation.cost.cycles, many.evaluation.cost.cycles);
      EXPECT_EQ(one.evaluation.cost.energy_pJ, many.evaluation.cost.energy_pJ);
      EXPECT_EQ(one.evaluations, many.evaluations);
      EXPECT_EQ(one.message, many.message);
    }
  }
}

TEST(RandomMapper, MoreSamplesNeverWorse) {
  MapSpace space = SimbaSpace("13_Face_Recognition");
  double previous = -1;
  for (std::int64_t samples : {400, 40, 4}) {  // fewest last: each must be >= the one before
    MapperResult result = RunRandom(space, samples, 9, 2, Objective::kEdp);
    ASSERT_EQ(result.status, MapperStatus::kComplete);
    double value = ObjectiveValue(result.evaluation.cost, Objective::kEdp);
    EXPECT_GE(value, previous) << samples << " samples";
    previous = value;
  }
}

TEST(RandomMapper, NothingValid) {
  // Exercise 01's MainMemory: an SRAM of 262144 words (32768 rows of 8); 300000 outputs never fit.
  const std::string dir = "timeloop/exercises/01-model-conv1d-2level/";
  Inputs in =
      LoadInputs({Data(dir + "arch/2level.arch.yaml"), Data(dir + "prob/conv1d.prob.yaml")});
  in.problem.dims[1].bound = 300000;  // P
  MapSpace space = MakeMapSpace(in.problem, in.arch, in.constraints);
  MapperResult result = RunRandom(space, 2, 1, 2);
  EXPECT_EQ(result.status, MapperStatus::kNoMapping);
  EXPECT_EQ(result.evaluations, 2 * kRandomDrawsPerSample);
  EXPECT_EQ(result.message.rfind("none of 2000 random draws was valid; e.g. level ", 0), 0u)
      << result.message;
}

TEST(RandomMapper, TimeLimit) {
  MapSpace space = SimbaSpace("10_OCR");
  MapperOptions options;
  options.samples = 100000000;
  options.time_limit_s = 0.2;
  options.threads = 2;
  MapperResult result = MakeRandomMapper()->Map(space, options);
  ASSERT_EQ(result.status, MapperStatus::kTimeOut) << result.message;
  EXPECT_TRUE(Evaluate(space.problem, space.arch, result.mapping).ok());
}

}  // namespace
}  // namespace tessel
