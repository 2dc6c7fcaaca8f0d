// Grouped and depthwise convolutions as ONE problem with a group dimension G (Timeloop's
// grouped-conv shape): its MACs and tile sizes worked out by hand and checked against the
// Timeloop-exact model, the zoo's MobileNetV2, ConvTranspose's layer builder, and the CIM models'
// refusal of grouped problems.
#include <gtest/gtest.h>

#include <functional>

#include "tessel/common/error.h"
#include "tessel/io/bundled.h"
#include "tessel/io/cim_arch_yaml.h"
#include "tessel/model/cim_layer.h"
#include "tessel/model/evaluate.h"
#include "tessel/model/timing_model.h"
#include "tessel/tuner/cim_network.h"
#include "tessel/workload/layer_shapes.h"
#include "tessel/workload/zoo.h"

namespace tessel {
namespace {

std::string ErrorOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

std::string Ranks(const Problem& p, const std::string& space) {
  std::string text = space + "[";
  for (const Rank& rank : p.data_spaces[p.DataSpaceIndex(space)].ranks) {
    std::string sum;
    for (const ProjectionTerm& t : rank.terms)
      sum += (sum.empty() ? "" : "+") +
             (t.coefficient == 1 ? "" : std::to_string(t.coefficient) + "*") + p.dims[t.dim].name;
    text += (text.back() == '[' ? "" : "][") + sum;
  }
  return text + "]";
}

// A 1-D grouped conv: kernel R = 3 over P = 4 outputs, C = 2 input and M = 2 output channels per
// group, G = 4 groups. Dimensions R S P Q C M N G = 0..7.
ConvShape Small() {
  ConvShape s;
  s.R = 3;
  s.P = 4;
  s.C = 2;
  s.M = 2;
  s.G = 4;
  return s;
}

TEST(GroupedConvTest, ProblemHasAGroupDimensionAndRank) {
  const Problem p = MakeConvProblem("g", Small());
  EXPECT_EQ(p.dims.size(), 8u);
  EXPECT_EQ(p.dims[7].name, "G");
  EXPECT_EQ(Ranks(p, "Weights"), "Weights[G][C][M][R][S]");
  EXPECT_EQ(Ranks(p, "Inputs"), "Inputs[N][G][C][R+P][S+Q]");
  EXPECT_EQ(Ranks(p, "Outputs"), "Outputs[N][G][M][Q][P]");
  // MACs: G * C * M * R * P = 4 * 2 * 2 * 3 * 4 = 192 (S = Q = N = 1).
  EXPECT_EQ(p.TotalOperations(), 192);
  // Whole tensors: weights 4*2*2*3 = 48; inputs 4 groups * 2 channels * (3 + 4 - 1) = 48;
  // outputs 4 * 2 * 4 = 32.
  EXPECT_EQ(p.DataSpaceSize(0), 48);
  EXPECT_EQ(p.DataSpaceSize(1), 48);
  EXPECT_EQ(p.DataSpaceSize(2), 32);
  const ConvShape back = *AsConvShape(p);
  EXPECT_EQ(back.G, 4);
  EXPECT_EQ(back.C, 2);
  // Without groups the problem is the 7-dimension cnn-layer, unchanged.
  ConvShape plain = Small();
  plain.G = 1;
  EXPECT_EQ(MakeConvProblem("c", plain).dims.size(), 7u);
}

StorageLevel Level(const std::string& name, std::int64_t instances, std::int64_t words) {
  StorageLevel level;
  level.name = name;
  level.instances = instances;
  level.mesh_x = instances;
  if (words > 0) level.size_words = words;
  level.energy = {1, 1, 1, 0};
  return level;
}

// Four PEs (a 64-word register file and a MAC each) under a global buffer and DRAM.
Arch FourPes() {
  Arch arch;
  arch.storage = {Level("RegisterFile", 4, 64), Level("GlobalBuffer", 1, 4096),
                  Level("DRAM", 1, 0)};
  arch.arithmetic.instances = 4;
  arch.arithmetic.mesh_x = 4;
  arch.arithmetic.compute_pJ = 1;
  return arch;
}

Mapping Keeping(int levels) {
  Mapping m;
  m.levels.resize(levels);
  for (LevelMapping& l : m.levels) l.keep = {true, true, true};
  return m;
}

// The four groups spread over the four PEs (G4 spatial at the global buffer); each PE runs its
// group's R3 P4 C2 M2 (innermost first). By hand:
//   per PE: weights C2 x M2 x R3 = 12, inputs C2 x (R3 + P4 - 1) = 12, outputs M2 x P4 = 8;
//   global buffer: all four groups, 48 / 48 / 32; 192 MACs on 4 MACs: 48 cycles;
//   DRAM reads each weight and input once (the groups share nothing: no multicast) and
//   receives each output once.
TEST(GroupedConvTest, GroupsSpreadOverPesByHand) {
  const Problem p = MakeConvProblem("g", Small());
  Mapping m = Keeping(3);
  enum { R, S, P, Q, C, M, N, G };
  m.levels[0].temporal = {{R, 3}, {P, 4}, {C, 2}, {M, 2}};
  m.levels[1].spatial = {{G, 4}};
  const Evaluation e = Evaluate(p, FourPes(), m);
  ASSERT_TRUE(e.ok()) << e.invalid_reason;
  EXPECT_EQ(e.cost.computes, 192);
  EXPECT_EQ(e.cost.utilized_macs, 4);
  EXPECT_EQ(e.cost.cycles, 48);
  const auto& rf = e.cost.levels[0].tensors;
  EXPECT_EQ(rf[0].utilized_capacity, 12);
  EXPECT_EQ(rf[1].utilized_capacity, 12);
  EXPECT_EQ(rf[2].utilized_capacity, 8);
  const auto& gb = e.cost.levels[1].tensors;
  EXPECT_EQ(gb[0].utilized_capacity, 48);
  EXPECT_EQ(gb[1].utilized_capacity, 48);
  EXPECT_EQ(gb[2].utilized_capacity, 32);
  const auto& dram = e.cost.levels[2].tensors;
  EXPECT_EQ(dram[0].reads, 48);
  EXPECT_EQ(dram[1].reads, 48);
  EXPECT_EQ(dram[2].updates, 32);
}

// Each PE holds channel 0 (then 1) of TWO groups: G2 inside the register file, C2 M2 at the
// global buffer. The tile is 2 groups x 1 channel x 6 columns = 12 input words. (Had the group
// and channel shared one rank, g*C + c, the tile's channels 0 and 2 would span 3 channels under
// Timeloop's [min, max] projection: 18 words.) Weights 2 x 1 x 1 x 3 = 6; outputs 2 x 1 x 4 = 8.
TEST(GroupedConvTest, ATileOfSeveralGroupsCountsOnlyWhatItHolds) {
  const Problem p = MakeConvProblem("g", Small());
  Mapping m = Keeping(3);
  enum { R, S, P, Q, C, M, N, G };
  m.levels[0].temporal = {{R, 3}, {P, 4}, {G, 2}};
  m.levels[1].spatial = {{G, 2}};
  m.levels[1].temporal = {{C, 2}, {M, 2}};
  const Evaluation e = Evaluate(p, FourPes(), m);
  ASSERT_TRUE(e.ok()) << e.invalid_reason;
  EXPECT_EQ(e.cost.computes, 192);
  const auto& rf = e.cost.levels[0].tensors;
  EXPECT_EQ(rf[0].utilized_capacity, 6);
  EXPECT_EQ(rf[1].utilized_capacity, 12);
  EXPECT_EQ(rf[2].utilized_capacity, 8);
}

// torchvision's MobileNetV2: block 1's depthwise conv is one problem over 32 groups of one
// channel, 3x3 over 112x112: 32 * 9 * 12544 MACs; a mapper sees all 32 groups.
TEST(GroupedConvTest, MobileNetV2DepthwiseIsOneProblem) {
  const Workload net = MakeMobileNetV2();
  const Layer& dw = net.layer(net.LayerIndex("features.1.depthwise"));
  EXPECT_EQ(dw.repeat, 1);
  const ConvShape s = *AsConvShape(dw.problem);
  EXPECT_EQ(s.G, 32);
  EXPECT_EQ(s.C, 1);
  EXPECT_EQ(s.M, 1);
  EXPECT_EQ(dw.Macs(), 32 * 9 * 112 * 112);
  EXPECT_EQ(dw.problem.TotalOperations(), dw.Macs());
}

// ConvTranspose2d(16, 8, 3, stride 2, padding 1, output_padding 1, groups 2) on 16x5x5:
// output (5-1)*2 - 2 + 2 + 1 + 1 = 10; MACs 16 * 25 * (8 / 2) * 9 = 14400.
TEST(GroupedConvTest, ConvTransposeLayer) {
  ConvTransposeSpec spec;
  spec.in_channels = 16;
  spec.in_h = spec.in_w = 5;
  spec.out_channels = 8;
  spec.kernel_h = spec.kernel_w = 3;
  spec.stride_h = spec.stride_w = 2;
  spec.pad_top = spec.pad_left = spec.pad_bottom = spec.pad_right = 1;
  spec.output_pad_h = spec.output_pad_w = 1;
  spec.groups = 2;
  const Layer layer = MakeConvTransposeLayer("up", spec);
  EXPECT_EQ(layer.Macs(), 14400);
  EXPECT_EQ(layer.output_elements, 8 * 10 * 10);
  EXPECT_EQ(layer.kind, LayerKind::kOtherMac);
  EXPECT_EQ(Ranks(layer.problem, "Outputs"), "Outputs[N][G][M][S+2*H][R+2*W]");
  spec.output_pad_w = 2;
  EXPECT_EQ(ErrorOf([&] { MakeConvTransposeLayer("up", spec); }),
            "layer 'up': output padding 2 must be smaller than the stride (2) or the dilation "
            "(1)");
  spec.output_pad_w = 1;
  spec.pad_top = spec.pad_bottom = 6;
  EXPECT_EQ(ErrorOf([&] { MakeConvTransposeLayer("up", spec); }),
            "layer 'up': the padding leaves a 0x10 output; it must be at least 1x1");
}

// The CIM models map conv and matmul layers without groups: a grouped problem is refused by
// name, never costed as an ungrouped conv.
// The CIM models take a grouped layer as one problem (issue 15; their numbers are checked in
// cim_grouped_test.cc): the depthwise layer keeps its 32 groups of one 3x3 filter each.
TEST(GroupedConvTest, CimModelsTakeGroupedProblemsWhole) {
  const Workload net = MakeMobileNetV2();
  const Problem& dw = net.layer(net.LayerIndex("features.1.depthwise")).problem;
  CimLayer cim;
  ASSERT_EQ(ToCimLayer(dw, &cim), "");
  EXPECT_EQ(cim.groups, 32);
  EXPECT_EQ(cim.in_channels, 1);
  EXPECT_EQ(cim.out_channels, 1);
  EXPECT_EQ(cim.WeightRows(), 9);  // k*k*C/g
  EXPECT_EQ(cim.TotalFilters(), 32);
}

}  // namespace
}  // namespace tessel
