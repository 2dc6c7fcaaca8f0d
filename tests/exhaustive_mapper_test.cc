// The exhaustive mapper against truths from outside it: a plain brute force over the same
// mapspace (written here, no pruning) on tiny problems, random search never beating it, the
// same answer for any thread count, and the time limit.
#include "tessel/mapper/exhaustive_mapper.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "tessel/io/inputs.h"
#include "tessel/io/mapping_writer.h"
#include "tessel/mapper/random_mapper.h"

namespace tessel {
namespace {

std::string Data(const std::string& path) { return std::string(TESSEL_TEST_DATA_DIR) + "/" + path; }

constexpr Objective kObjectives[] = {Objective::kLatency, Objective::kEnergy, Objective::kEdp};

// The brute force below enumerates factors and orders with the mapspace's starting keep choice,
// so these spaces fix keep/bypass there (FreeBypassNeverWorse covers the free choice).
MapSpace FixKeep(MapSpace space) {
  for (std::vector<bool>& level : space.keep_free) level.assign(level.size(), false);
  return space;
}

MapSpace Exercise(const std::string& dir, const std::string& arch, const std::string& prob) {
  const std::string base = "timeloop/exercises/" + dir + "/";
  Inputs in = LoadInputs({Data(base + "arch/" + arch), Data(base + "prob/" + prob)});
  return FixKeep(MakeMapSpace(in.problem, in.arch, in.constraints));
}

// Exercise 04's arch (RegisterFile, a dummy level fanning out to the PEs, GlobalBuffer,
// MainMemory) with the conv1d+oc+ic problem cut down to C2 K2 R3 P2.
MapSpace SpatialSpace() {
  const std::string base = "timeloop/exercises/04-model-conv1d+oc-3levelspatial/";
  Inputs in = LoadInputs(
      {Data(base + "arch/3levelspatial.arch.yaml"), Data(base + "prob/conv1d+oc+ic.prob.yaml")});
  for (Dimension& dim : in.problem.dims) dim.bound = dim.name == "R" ? 3 : 2;
  return FixKeep(MakeMapSpace(in.problem, in.arch, in.constraints));
}

MapperResult RunMapper(const std::string& mapper, const MapSpace& space, Objective objective,
                       int threads, std::int64_t samples = 1, double time_limit_s = 60) {
  MapperOptions options;
  options.objective = objective;
  options.threads = threads;
  options.samples = samples;
  options.time_limit_s = time_limit_s;
  return MakeMapper(mapper)->Map(space, options);
}

// The smallest objective over every mapping of the space, by plain enumeration: each dimension's
// bound written as an ordered product over the slots (temporal at every level, spatial X / Y
// where the level fans out that way), then every order of every level's temporal loops.
class BruteForce {
 public:
  BruteForce(const MapSpace& space, Objective objective) : space_(space), objective_(objective) {
    for (int l = 0; l < space.num_levels(); ++l) {
      if (space.max_fanout_x[l] > 1) slots_.push_back({l, 1});
      if (space.max_fanout_y[l] > 1) slots_.push_back({l, 2});
      slots_.push_back({l, 0});
    }
    factor_.assign(space.problem.dims.size(), std::vector<std::int64_t>(slots_.size(), 1));
    SplitDim(0, 0, space.problem.dims.empty() ? 1 : space.problem.dims[0].bound);
  }
  double best() const { return best_; }
  std::int64_t valid() const { return valid_; }

 private:
  struct Slot {
    int level;
    int kind;  // 0 temporal, 1 spatial X, 2 spatial Y
  };

  void SplitDim(size_t d, size_t s, std::int64_t left) {
    if (d == space_.problem.dims.size()) return Orders();
    if (s + 1 == slots_.size()) {
      factor_[d][s] = left;
      if (d + 1 < space_.problem.dims.size())
        return SplitDim(d + 1, 0, space_.problem.dims[d + 1].bound);
      return SplitDim(d + 1, 0, 1);
    }
    for (std::int64_t f = 1; f <= left; ++f) {
      if (left % f != 0) continue;
      factor_[d][s] = f;
      SplitDim(d, s + 1, left / f);
    }
  }

  void Orders() {
    Mapping mapping;
    mapping.levels.resize(space_.num_levels());
    std::vector<std::vector<int>> temporal(space_.num_levels());
    for (int l = 0; l < space_.num_levels(); ++l) mapping.levels[l].keep = space_.keep[l];
    for (size_t s = 0; s < slots_.size(); ++s) {
      for (size_t d = 0; d < factor_.size(); ++d) {
        if (factor_[d][s] == 1) continue;
        LevelMapping& level = mapping.levels[slots_[s].level];
        if (slots_[s].kind == 0) temporal[slots_[s].level].push_back(static_cast<int>(d));
        if (slots_[s].kind != 0)
          level.spatial.push_back({static_cast<int>(d), factor_[d][s],
                                   slots_[s].kind == 1 ? SpatialAxis::kX : SpatialAxis::kY});
      }
    }
    for (int l = 0; l < space_.num_levels(); ++l) {
      if (mapping.SpatialFanout(l, SpatialAxis::kX) > space_.max_fanout_x[l]) return;
      if (mapping.SpatialFanout(l, SpatialAxis::kY) > space_.max_fanout_y[l]) return;
    }
    Permute(0, temporal, mapping);
  }

  void Permute(int level, std::vector<std::vector<int>>& temporal, Mapping& mapping) {
    if (level == space_.num_levels()) {
      Evaluation evaluation = Evaluate(space_.problem, space_.arch, mapping);
      if (!evaluation.ok()) return;
      ++valid_;
      best_ = std::min(best_, ObjectiveValue(evaluation.cost, objective_));
      return;
    }
    std::vector<int>& dims = temporal[level];
    std::sort(dims.begin(), dims.end());
    do {
      mapping.levels[level].temporal.clear();
      for (int d : dims) {
        std::int64_t f = 1;
        for (size_t s = 0; s < slots_.size(); ++s)
          if (slots_[s].level == level && slots_[s].kind == 0) f = factor_[d][s];
        mapping.levels[level].temporal.push_back({d, f});
      }
      Permute(level + 1, temporal, mapping);
    } while (std::next_permutation(dims.begin(), dims.end()));
  }

  const MapSpace& space_;
  Objective objective_;
  std::vector<Slot> slots_;
  std::vector<std::vector<std::int64_t>> factor_;  // [dim][slot]
  double best_ = std::numeric_limits<double>::infinity();
  std::int64_t valid_ = 0;
};

void ExpectOptimalAndValid(const MapSpace& space, const MapperResult& result) {
  ASSERT_EQ(result.status, MapperStatus::kOptimal) << result.message;
  EXPECT_TRUE(result.proven_optimal);
  Evaluation check = Evaluate(space.problem, space.arch, result.mapping);
  ASSERT_TRUE(check.ok()) << check.invalid_reason;
  EXPECT_EQ(check.cost.cycles, result.evaluation.cost.cycles);
  EXPECT_EQ(check.cost.energy_pJ, result.evaluation.cost.energy_pJ);
}

TEST(ExhaustiveMapper, MatchesBruteForceOnTwoLevels) {
  MapSpace space = Exercise("01-model-conv1d-2level", "2level.arch.yaml", "conv1d.prob.yaml");
  // P16 fits the 64-word Buffer whole (3 + 18 + 16 words); P96 does not, so capacity prunes.
  for (std::int64_t p : {16, 96}) {
    space.problem.dims[1].bound = p;
    space.prime_factors[1] = PrimeFactors(p);
    for (Objective objective : kObjectives) {
      BruteForce brute(space, objective);
      ASSERT_GT(brute.valid(), 0);
      MapperResult result = RunMapper("exhaustive", space, objective, 1);
      ExpectOptimalAndValid(space, result);
      EXPECT_EQ(ObjectiveValue(result.evaluation.cost, objective), brute.best())
          << ToString(objective) << " P" << p;
    }
  }
}

TEST(ExhaustiveMapper, MatchesBruteForceWithSpatialFanout) {
  MapSpace space = SpatialSpace();
  ASSERT_EQ(space.max_fanout_x[1], 16);
  for (Objective objective : kObjectives) {
    BruteForce brute(space, objective);
    MapperResult result = RunMapper("exhaustive", space, objective, 2);
    ExpectOptimalAndValid(space, result);
    EXPECT_EQ(ObjectiveValue(result.evaluation.cost, objective), brute.best())
        << ToString(objective);
  }
}

TEST(ExhaustiveMapper, MatchesBruteForceWithTwoAxesAndTightCapacity) {
  // The same PEs as a 4 x 4 mesh: the dummy level fans out 4 along X and 4 along Y. The
  // RegisterFile shrunk to 16 words cannot hold the whole problem's tiles (12 + 8 + 4 words).
  MapSpace space = SpatialSpace();
  space.arch.storage[0].mesh_x = space.arch.storage[0].mesh_y = 4;
  space.arch.arithmetic.mesh_x = space.arch.arithmetic.mesh_y = 4;
  space.max_fanout_x[1] = space.max_fanout_y[1] = 4;
  space.arch.storage[0].size_words = 16;
  for (Objective objective : kObjectives) {
    BruteForce brute(space, objective);
    MapperResult result = RunMapper("exhaustive", space, objective, 1);
    ExpectOptimalAndValid(space, result);
    EXPECT_EQ(ObjectiveValue(result.evaluation.cost, objective), brute.best())
        << ToString(objective);
  }
}

TEST(ExhaustiveMapper, NoRandomSampleBeatsIt) {
  MapSpace space =
      Exercise("05-mapper-conv1d+oc-3level", "3level.arch.yaml", "conv1d+oc.prob.yaml");
  for (Objective objective : kObjectives) {
    MapperResult best = RunMapper("exhaustive", space, objective, 1);
    ExpectOptimalAndValid(space, best);
    MapperResult random = RunMapper("random", space, objective, 2, /*samples=*/300);
    ASSERT_EQ(random.status, MapperStatus::kComplete);
    EXPECT_LE(ObjectiveValue(best.evaluation.cost, objective),
              ObjectiveValue(random.evaluation.cost, objective));
  }
}

TEST(ExhaustiveMapper, SameAnswerForAnyThreadCount) {
  for (const MapSpace& space :
       {SpatialSpace(),
        Exercise("05-mapper-conv1d+oc-3level", "3level.arch.yaml", "conv1d+oc.prob.yaml")}) {
    for (Objective objective : kObjectives) {
      MapperResult one = RunMapper("exhaustive", space, objective, 1);
      std::string yaml = WriteTimeloopMappingYaml(space.problem, space.arch, one.mapping);
      for (int threads : {2, 3}) {
        MapperResult many = RunMapper("exhaustive", space, objective, threads);
        EXPECT_EQ(WriteTimeloopMappingYaml(space.problem, space.arch, many.mapping), yaml);
        EXPECT_EQ(many.evaluation.cost.energy_pJ, one.evaluation.cost.energy_pJ);
      }
    }
  }
}

TEST(ExhaustiveMapper, ReachesTheComputeBoundOnACosaLayer) {
  // DeepBench OCR layer 10 on Simba: C64 K128 P60 Q6 R3 S3 = 26542080 MACs on 1024 MACs, so no
  // mapping takes fewer than 25920 cycles; this layer can reach it, and the bound then cuts the
  // rest of the space.
  Inputs in = LoadInputs({Data("cosa/arch/simba.yaml"), Data("cosa/mapspace/mapspace.yaml"),
                          Data("cosa/workloads/deepbench_graph/10_OCR.yaml")});
  MapSpace space = MakeMapSpace(in.problem, in.arch, in.constraints);
  MapperResult one = RunMapper("exhaustive", space, Objective::kLatency, 1);
  ExpectOptimalAndValid(space, one);
  EXPECT_EQ(one.evaluation.cost.cycles, 25920);
  MapperResult three = RunMapper("exhaustive", space, Objective::kLatency, 3);
  EXPECT_EQ(WriteTimeloopMappingYaml(space.problem, space.arch, three.mapping),
            WriteTimeloopMappingYaml(space.problem, space.arch, one.mapping));
}

TEST(ExhaustiveMapper, TimeLimitGivesTheBestSoFar) {
  Inputs in = LoadInputs({Data("cosa/arch/simba.yaml"), Data("cosa/mapspace/mapspace.yaml"),
                          Data("cosa/workloads/deepbench_graph/10_OCR.yaml")});
  MapSpace space = MakeMapSpace(in.problem, in.arch, in.constraints);
  // Energy has no bound to cut with: the search cannot cover this layer in 0.3 s.
  MapperResult result = RunMapper("exhaustive", space, Objective::kEnergy, 2, 1, 0.3);
  ASSERT_EQ(result.status, MapperStatus::kTimeOut) << result.message;
  EXPECT_FALSE(result.proven_optimal);
  EXPECT_TRUE(Evaluate(space.problem, space.arch, result.mapping).ok());
}

TEST(ExhaustiveMapper, NothingFits) {
  // Exercise 01's MainMemory: an SRAM of 262144 words (32768 rows of 8); 300000 outputs never fit.
  MapSpace space = Exercise("01-model-conv1d-2level", "2level.arch.yaml", "conv1d.prob.yaml");
  space.problem.dims[1].bound = 300000;
  space.prime_factors[1] = PrimeFactors(300000);
  MapperResult result = RunMapper("exhaustive", space, Objective::kLatency, 2);
  EXPECT_EQ(result.status, MapperStatus::kNoMapping);
  EXPECT_EQ(result.message, "no allocation of the factors fits the capacities of the levels");
}

// With keep/bypass left to it, the search covers a superset of the fixed-keep space: never worse.
TEST(ExhaustiveMapper, FreeBypassNeverWorse) {
  const std::string base = "timeloop/exercises/04-model-conv1d+oc-3levelspatial/";
  Inputs in = LoadInputs(
      {Data(base + "arch/3levelspatial.arch.yaml"), Data(base + "prob/conv1d+oc+ic.prob.yaml")});
  for (Dimension& dim : in.problem.dims) dim.bound = dim.name == "R" ? 3 : 2;
  const MapSpace free = MakeMapSpace(in.problem, in.arch, in.constraints);
  ASSERT_TRUE(free.HasFreeKeep());
  for (Objective objective : kObjectives) {
    MapperResult fixed = RunMapper("exhaustive", FixKeep(free), objective, 2);
    MapperResult chosen = RunMapper("exhaustive", free, objective, 2);
    ASSERT_TRUE(fixed.proven_optimal && chosen.proven_optimal);
    EXPECT_LE(ObjectiveValue(chosen.evaluation.cost, objective),
              ObjectiveValue(fixed.evaluation.cost, objective));
  }
}

}  // namespace
}  // namespace tessel
