// Keep/bypass decided by the cosa MIP (issue 8, item 4), checked against truths from outside the
// formulation: timeloop-mapper's exhaustive answer on exercise 05's free-bypass constraints, the
// capacity of a level counted by hand, and the exact model's validity of the MIP's own answer.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tessel/io/inputs.h"
#include "tessel/mapper/cosa_formulation.h"
#include "tessel/mapper/local_search.h"
#include "tessel/mapper/mapper.h"
#include "tessel/solver/mip.h"
#include "timeloop_stats.h"

namespace tessel {
namespace {

std::string Data(const std::string& path) { return std::string(TESSEL_TEST_DATA_DIR) + "/" + path; }

const std::string kEx05 = "timeloop/exercises/05-mapper-conv1d+oc-3level/";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Exercise 05 with the free-bypass constraints: every factor and order fixed, the keep/bypass of
// the two inner levels (3 tensors each) left to the mapper.
MapSpace FreeBypass() {
  Inputs in =
      LoadInputs({Data(kEx05 + "arch/3level.arch.yaml"), Data(kEx05 + "prob/conv1d+oc.prob.yaml"),
                  Data(kEx05 + "ref-output/null/timeloop-mapper.ERT.yaml"),
                  Data(kEx05 + "constraints/conv1d+oc-3level-freebypass.constraints.yaml")});
  return MakeMapSpace(in.problem, in.arch, in.constraints);
}

// Exercise 05's arch without constraints, its RegisterFile cut to `words` words (depth x 1 word
// per row: width 8 bits = datawidth 8).
MapSpace SmallRegisterFile(int words) {
  std::string arch = ReadFile(Data(kEx05 + "arch/3level.arch.yaml"));
  const std::string depth = "depth: 64";
  arch.replace(arch.find(depth), depth.size(), "depth: " + std::to_string(words));
  Inputs in = LoadInputsFromStrings({arch, ReadFile(Data(kEx05 + "prob/conv1d+oc.prob.yaml"))},
                                    {"3level.arch.yaml", "conv1d+oc.prob.yaml"});
  return MakeMapSpace(in.problem, in.arch, in.constraints);
}

MipResult Solve(const CosaFormulation& f) {
  MipOptions options;
  options.max_nodes = 100;
  options.relative_gap = 1e-3;
  return MakeMipSolver("cbc")->Solve(f.model, options);
}

int Count(const std::vector<std::vector<bool>>& table) {
  int n = 0;
  for (const auto& row : table) n += static_cast<int>(std::count(row.begin(), row.end(), true));
  return n;
}

TEST(CosaKeep, OneBinaryPerFreeEntryAndTheSolutionKeepsWhatTheMipChose) {
  MapSpace space = FreeBypass();
  EXPECT_EQ(Count(space.keep_free), 6);  // 2 inner levels x 3 tensors, as the exercise says
  CosaFormulation f = BuildCosaFormulation(space, DefaultCosaWeights(Objective::kEnergy));
  int binaries = 0;
  for (int l = 0; l < space.num_levels(); ++l) {
    for (size_t v = 0; v < space.problem.data_spaces.size(); ++v) {
      EXPECT_EQ(f.keep[l][v] >= 0, space.keep_free[l][v]) << l << " " << v;
      if (f.keep[l][v] < 0) continue;
      ++binaries;
      const MipVariable& var = f.model.variables()[f.keep[l][v]];
      EXPECT_TRUE(var.integer);
      EXPECT_EQ(var.lower, 0);
      EXPECT_EQ(var.upper, 1);
    }
  }
  EXPECT_EQ(binaries, 6);
  MipResult mip = Solve(f);
  ASSERT_TRUE(mip.has_solution) << mip.message;
  Tiling t = DecodeCosaSolution(space, f, mip.values);
  for (int l = 0; l < space.num_levels(); ++l)
    for (size_t v = 0; v < space.problem.data_spaces.size(); ++v)
      if (f.keep[l][v] >= 0)
        EXPECT_EQ(t.keep[l][v], mip.values[f.keep[l][v]] > 0.5);
      else
        EXPECT_EQ(t.keep[l][v], space.keep[l][v]);
  // The MIP's own answer, keep choice included, is a valid mapping for the exact model.
  EXPECT_TRUE(EvaluateTiling(space, t).ok()) << EvaluateTiling(space, t).invalid_reason;
  // Without free keep, the formulation has no keep variable and decodes the starting choice.
  CosaFormulation fixed =
      BuildCosaFormulation(space, DefaultCosaWeights(Objective::kEnergy), WindowBound::kProduct,
                           /*free_keep=*/false);
  EXPECT_EQ(Count(space.keep_free), 6);
  for (const auto& level : fixed.keep)
    for (int var : level) EXPECT_EQ(var, -1);
}

TEST(CosaKeep, FindsTimeloopMappersAnswerOnExercise05FreeBypass) {
  // timeloop-mapper searched the 64 keep choices exhaustively (metrics [delay, energy]); its
  // shipped stats are the reference.
  const testing::ReferenceStats stats =
      testing::ReadTimeloopStats(Data(kEx05 + "ref-output/freebypass/timeloop-mapper.stats.txt"));
  MapSpace space = FreeBypass();
  MapperOptions options;
  options.objective = Objective::kLatency;  // cycles, then energy: Timeloop's [delay, energy]
  MapperResult cosa = MakeMapper("cosa")->Map(space, options);
  ASSERT_TRUE(cosa.evaluation.ok()) << cosa.message;
  EXPECT_EQ(cosa.evaluation.cost.cycles, stats.cycles);
  EXPECT_LE(cosa.evaluation.cost.energy_pJ, stats.energy_pJ * (1 + 1e-3));
}

TEST(CosaKeep, ALevelTooSmallForOneWordOfEachTensorBypassesInTheMip) {
  // A one-word RegisterFile can hold one word of one tensor: the MIP keeps at most one there. A
  // two-word one at most two; with room for a whole tile of each, the mapspace starts from keeping
  // all three.
  for (int words : {1, 2}) {
    MapSpace space = SmallRegisterFile(words);
    const int rf = space.arch.StorageIndex("RegisterFile");
    CosaFormulation f = BuildCosaFormulation(space, DefaultCosaWeights(Objective::kLatency));
    MipResult mip = Solve(f);
    ASSERT_TRUE(mip.has_solution) << mip.message;
    Tiling t = DecodeCosaSolution(space, f, mip.values);
    EXPECT_LE(std::count(t.keep[rf].begin(), t.keep[rf].end(), true), words) << words;
    EXPECT_TRUE(EvaluateTiling(space, RepairCapacity(space, t)).ok()) << words;
    MapperResult cosa = MakeMapper("cosa")->Map(space, MapperOptions{});
    ASSERT_TRUE(cosa.evaluation.ok()) << cosa.message;
    const std::vector<bool>& kept = cosa.mapping.levels[rf].keep;
    EXPECT_LE(std::count(kept.begin(), kept.end(), true), words) << words;
  }
}

}  // namespace
}  // namespace tessel
