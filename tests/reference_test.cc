// tessel's cost model against timeloop-model's own outputs: every model case of the Timeloop
// exercises (00-04), the three mapper-found mappings of exercise 05, and today's Timeloop on the
// five designs in current/. Cycles and access counts must match exactly; energy to 0.1%.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tessel/io/inputs.h"
#include "tessel/model/evaluate.h"
#include "timeloop_stats.h"

namespace tessel {
namespace {

struct ReferenceCase {
  std::string name;
  std::vector<std::string> inputs;  // relative to tests/data/timeloop
  std::string stats;
};

std::vector<ReferenceCase> Cases() {
  const std::string ex = "exercises/";
  auto model = [&](const std::string& dir) {
    std::string out = ex + dir + "/";
    return ReferenceCase{dir, {out + "parsed-processed-input.yaml", out + "timeloop-model.ERT.yaml"},
                         out + "timeloop-model.stats.txt"};
  };
  auto mapper = [&](const std::string& dir) {
    std::string out = ex + dir + "/";
    return ReferenceCase{dir,
                         {out + "parsed-processed-input.yaml", out + "timeloop-mapper.map.yaml",
                          out + "timeloop-mapper.ERT.yaml"},
                         out + "timeloop-mapper.stats.txt"};
  };
  auto current = [&](const std::string& dir) {
    std::string out = "current/" + dir + "/";
    return ReferenceCase{"current/" + dir, {out + "input.yaml", out + "ERT.yaml"},
                         out + "timeloop-model.stats.txt"};
  };
  return {
      model("00-model-conv1d-1level/ref-output"),
      model("01-model-conv1d-2level/ref-output/ws"),
      model("01-model-conv1d-2level/ref-output/os"),
      model("02-model-conv1d+oc-2level/ref-output/no-tiling"),
      model("02-model-conv1d+oc-2level/ref-output/tiling"),
      model("03-model-conv1d+oc-3level/ref-output/no-bypass"),
      model("03-model-conv1d+oc-3level/ref-output/bypass"),
      model("04-model-conv1d+oc-3levelspatial/ref-output/cp"),
      model("04-model-conv1d+oc-3levelspatial/ref-output/kp"),
      mapper("05-mapper-conv1d+oc-3level/ref-output/null"),
      mapper("05-mapper-conv1d+oc-3level/ref-output/freebypass"),
      mapper("05-mapper-conv1d+oc-3level/ref-output/baked"),
      current("06-mapper-convlayer-eyeriss"),
      current("eyeriss_like"),
      current("simba_like"),
      current("simple_output_stationary"),
      current("simple_weight_stationary"),
  };
}

// Keeps ctest's test names readable (gtest would print the struct's bytes).
void PrintTo(const ReferenceCase& c, std::ostream* os) { *os << c.name; }

class TimeloopReference : public ::testing::TestWithParam<ReferenceCase> {};

TEST_P(TimeloopReference, MatchesTimeloopModelStats) {
  const ReferenceCase& c = GetParam();
  const std::string root = std::string(TESSEL_TEST_DATA_DIR) + "/timeloop/";
  std::vector<std::string> paths;
  for (const std::string& input : c.inputs) paths.push_back(root + input);
  Inputs inputs = LoadInputs(paths);
  ASSERT_TRUE(inputs.mapping.has_value());
  Evaluation eval = Evaluate(inputs.problem, inputs.arch, *inputs.mapping);
  ASSERT_TRUE(eval.ok()) << eval.invalid_reason;
  const Cost& cost = eval.cost;
  testing::ReferenceStats ref = testing::ReadTimeloopStats(root + c.stats);

  EXPECT_EQ(cost.cycles, ref.cycles);
  EXPECT_EQ(cost.computes, ref.computes);
  EXPECT_NEAR(cost.energy_pJ, ref.energy_pJ, ref.energy_pJ * 1e-3);
  EXPECT_NEAR(cost.utilization, ref.utilization, 0.00006);
  for (const testing::ReferenceLevel& level : ref.levels) {
    int s = inputs.arch.StorageIndex(level.name);
    ASSERT_GE(s, 0) << "level " << level.name << " missing";
    EXPECT_EQ(cost.levels[s].instances, level.instances) << level.name;
    for (const auto& [space_name, want] : level.tensors) {
      int ds = inputs.problem.DataSpaceIndex(space_name);
      ASSERT_GE(ds, 0) << space_name;
      const TensorStats& got = cost.levels[s].tensors[ds];
      std::string where = level.name + "." + space_name;
      EXPECT_EQ(got.utilized_capacity, want.utilized_capacity) << where;
      EXPECT_EQ(got.partition_size, want.partition_size) << where;
      EXPECT_EQ(got.reads, want.reads) << where << " reads";
      EXPECT_EQ(got.fills, want.fills) << where << " fills";
      EXPECT_EQ(got.updates, want.updates) << where << " updates";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllCases, TimeloopReference, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<ReferenceCase>& info) {
                           std::string name;
                           for (char ch : info.param.name)
                             name += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
                           return name;
                         });

}  // namespace
}  // namespace tessel
