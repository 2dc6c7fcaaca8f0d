// Grouped and depthwise convolutions in cim-formula and cim-refined, computed BY HAND below on
// the ISAAC-like chip (168 PEs x 12 CUs x 8 arrays of 128x128, 2-bit cells, 16-bit weights: 8
// slices, 16 filters per array; 16 input steps; 16128 arrays).
//
// A 3x3 depthwise conv over 96 channels (MobileNetV2's features.2 width) with a 56x56 output,
// stride 1, batch 1: G = 96, per group C = K = 1, k*k*C = 9, W*H*N = 3136.
//   stacked (default): groups per array = min(96, floor(128 / 9) = 14, floor(16 / 1) = 16) = 14,
//     arrays per copy = ceil(96 / 14) = 7;
//   side by side: every group one array (1 row tile of 9 rows, 1 column tile): 96 arrays.
// cim-formula: number_batch = ceil(G * WHN / (n * 8 * 2016)) stacked = ceil(301056 / 225792) = 2,
//   cycles = 2 * 16 + 6 = 38; side by side with filters_per_array = 1: ceil(96 * 9 * 1 * 3136 /
//   (9 * 1 * 16128)) = ceil(18.67) = 19, cycles = 19 * 16 + 6 = 310.
// cim-refined with one copy: 3136 batches of 16 steps: 3136 * 16 + 6 = 50182 cycles either way;
//   array_reads = 3136 * 7 * 16 = 351232 stacked, 3136 * 96 * 16 = 4816896 side by side;
//   adc_conversions = 3136 * 96 filters * 8 slices * 16 = 38535168 both;
//   dac_conversions = 3136 * 96 * 9 * 16 = 43352064 both (one column tile).
#include <gtest/gtest.h>

#include "tessel/arch/cim_arch.h"
#include "tessel/io/bundled.h"
#include "tessel/io/cim_arch_yaml.h"
#include "tessel/model/cim_layer.h"
#include "tessel/model/cim_model.h"
#include "tessel/model/timing_model.h"
#include "tessel/workload/problem.h"

namespace tessel {
namespace {

Problem Depthwise() {
  ConvShape s;
  s.R = s.S = 3;
  s.P = s.Q = 56;
  s.C = s.M = 1;
  s.G = 96;
  return MakeConvProblem("dw", s);
}

std::int64_t Count(const TimingResult& r, const std::string& name) {
  for (const auto& [n, v] : r.counts)
    if (n == name) return v;
  return -1;
}

CimArch Chip() { return io::LoadCimArchFile(io::BundledCimArchPath()); }

TEST(CimGroupedTest, LayerReadsTheGroupDimension) {
  CimLayer l;
  ASSERT_EQ(ToCimLayer(Depthwise(), &l), "");
  EXPECT_EQ(l.groups, 96);
  EXPECT_EQ(l.WeightRows(), 9);
  EXPECT_EQ(l.TotalFilters(), 96);
  EXPECT_EQ(l.InputWords(), 58 * 58 * 96);
}

TEST(CimGroupedTest, PackingsTakeTheHandComputedArrays) {
  const CimArch chip = Chip();
  CimLayer l;
  ToCimLayer(Depthwise(), &l);
  EXPECT_EQ(MaxGroupsPerArray(l, chip), 14);
  CimSchedule s{.rows_used = 9, .filters_per_array = 16, .groups_per_array = 14};
  EXPECT_EQ(ArraysPerCopy(l, s), 7);
  s.groups_per_array = 1;
  EXPECT_EQ(ArraysPerCopy(l, s), 96);
  const std::vector<Knob> knobs = CimKnobs(l, chip, CimMode::kRefined);
  ASSERT_EQ(knobs.back().name, "groups_per_array");
  EXPECT_EQ(knobs.back().max, 14);
  EXPECT_EQ(knobs.back().default_value, 14);
}

TEST(CimGroupedTest, FormulaByHand) {
  const CimArch chip = Chip();
  const auto model = MakeTimingModel("cim-formula");
  Schedule stacked;
  EXPECT_EQ(model->Evaluate(Depthwise(), stacked, &chip).cycles, 38);
  Schedule side;
  side.Set("groups_per_array", 1);
  side.Set("filters_per_array", 1);
  EXPECT_EQ(model->Evaluate(Depthwise(), side, &chip).cycles, 310);
}

TEST(CimGroupedTest, RefinedByHand) {
  const CimArch chip = Chip();
  const auto model = MakeTimingModel("cim-refined");
  for (const std::int64_t n : {14, 1}) {
    Schedule s;
    s.Set("copies", 1);
    s.Set("groups_per_array", n);
    const TimingResult r = model->Evaluate(Depthwise(), s, &chip);
    ASSERT_TRUE(r.ok()) << r.invalid_reason;
    EXPECT_EQ(r.cycles, 50182);
    EXPECT_EQ(Count(r, "array_reads"), n == 14 ? 351232 : 4816896);
    EXPECT_EQ(Count(r, "adc_conversions"), 38535168);
    EXPECT_EQ(Count(r, "dac_conversions"), 43352064);
  }
}

TEST(CimGroupedTest, GroupsPerArrayOutOfRangeIsInvalid) {
  const CimArch chip = Chip();
  CimLayer l;
  ToCimLayer(Depthwise(), &l);
  CimSchedule s{
      .rows_used = 9, .filters_per_array = 16, .pes = 168, .cus = 12, .groups_per_array = 15};
  EXPECT_EQ(EvaluateCimRefined(l, s, chip).invalid_reason,
            "layer 'dw': groups_per_array=15 is outside [1, 14]");
}

}  // namespace
}  // namespace tessel
