// Issue 16's regression: Timeloop's exercise 06 (VGG02 layer 5 on the Eyeriss-like design, with
// the constraints inside its arch file and its ERT). The figures come from timeloop-mapper's
// shipped output and from a hand calculation of the compute bound, not from tessel.
#include <gtest/gtest.h>

#include <string>

#include "tessel/io/inputs.h"
#include "tessel/mapper/cosa_formulation.h"
#include "tessel/mapper/mapper.h"
#include "tessel/mapping/constraints.h"
#include "tessel/solver/mip.h"
#include "timeloop_stats.h"

namespace tessel {
namespace {

const std::string kDir =
    std::string(TESSEL_TEST_DATA_DIR) + "/timeloop/exercises/06-mapper-convlayer-eyeriss/";

Inputs Exercise06() {
  return LoadInputs({kDir + "arch/eyeriss_like.yaml", kDir + "prob/VGG02_layer5.yaml",
                     kDir + "ref-output/timeloop-mapper.ERT.yaml"});
}

MapperResult Cosa(const MapSpace& space, Objective objective) {
  MapperOptions options;
  options.objective = objective;
  options.threads = 2;
  return MakeMapper("cosa")->Map(space, options);
}

TEST(CosaEyeriss, EdpNoWorseThanTimeloopMappersShippedAnswer) {
  // timeloop-mapper (random_pruned, victory 500, metrics [delay, energy]): 5,505,024 cycles and
  // 2764.38 uJ in its stats.txt.
  const testing::ReferenceStats timeloop =
      testing::ReadTimeloopStats(kDir + "ref-output/timeloop-mapper.stats.txt");
  ASSERT_EQ(timeloop.cycles, 5505024);
  Inputs in = Exercise06();
  ASSERT_FALSE(in.constraints.empty());  // the nodes' constraints are read
  MapSpace space = MakeMapSpace(in.problem, in.arch, in.constraints);
  MapperResult cosa = Cosa(space, Objective::kEdp);
  ASSERT_TRUE(cosa.evaluation.ok()) << cosa.message;
  EXPECT_LE(static_cast<double>(cosa.evaluation.cost.cycles) * cosa.evaluation.cost.energy_pJ,
            static_cast<double>(timeloop.cycles) * timeloop.energy_pJ);
  EXPECT_TRUE(CheckConstraints(in.constraints, in.problem, in.arch, cosa.mapping).empty());
}

TEST(CosaEyeriss, LatencyReachesTheComputeBound) {
  // C128 M256 R3 S3 P56 Q56 = 924,844,032 MACs on 14 x 12 = 168 PEs: 5,505,024 cycles, exactly.
  const std::int64_t macs = 128LL * 256 * 3 * 3 * 56 * 56;
  ASSERT_EQ(macs, 924844032);
  Inputs in = Exercise06();
  MapSpace space = MakeMapSpace(in.problem, in.arch, in.constraints);
  MapperResult cosa = Cosa(space, Objective::kLatency);
  ASSERT_TRUE(cosa.evaluation.ok()) << cosa.message;
  EXPECT_EQ(cosa.evaluation.cost.cycles, macs / 168);
  EXPECT_EQ(cosa.evaluation.cost.utilized_macs, 168);
  EXPECT_TRUE(CheckConstraints(in.constraints, in.problem, in.arch, cosa.mapping).empty());
}

TEST(CosaEyeriss, TheMipSeesTheBandwidthAndForbiddingASpatialChoiceChangesIt) {
  Inputs in = Exercise06();
  MapSpace space = MakeMapSpace(in.problem, in.arch, in.constraints);
  CosaFormulation f = BuildCosaFormulation(space, DefaultCosaWeights(Objective::kLatency));
  MipOptions options;
  options.max_nodes = 100;
  options.relative_gap = 1e-3;
  MipResult mip = MakeMipSolver("cbc")->Solve(f.model, options);
  ASSERT_TRUE(mip.has_solution) << mip.message;
  Tiling t = DecodeCosaSolution(space, f, mip.values);
  // The largest spatial factor of the MIP's answer; forbidding it moves the answer elsewhere.
  int level = -1, dim = -1;
  std::int64_t largest = 1;
  for (int l = 0; l < space.num_levels(); ++l)
    for (int d = 0; d < static_cast<int>(space.problem.dims.size()); ++d)
      if (t.factor[l][d][kSpatialX] * t.factor[l][d][kSpatialY] > largest) {
        largest = t.factor[l][d][kSpatialX] * t.factor[l][d][kSpatialY];
        level = l;
        dim = d;
      }
  ASSERT_GE(level, 0);
  ForbidSpatial(f, level, dim);
  MipResult other = MakeMipSolver("cbc")->Solve(f.model, options);
  ASSERT_TRUE(other.has_solution) << other.message;
  Tiling u = DecodeCosaSolution(space, f, other.values);
  EXPECT_EQ(u.factor[level][dim][kSpatialX] * u.factor[level][dim][kSpatialY], 1);
}

}  // namespace
}  // namespace tessel
