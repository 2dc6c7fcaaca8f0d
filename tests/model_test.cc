// The cost model on small nests worked out by hand (the walks are written out in the comments).
#include <gtest/gtest.h>

#include "tessel/model/evaluate.h"
#include "tessel/model/temporal_reuse.h"

namespace tessel {
namespace {

// Conv1D + output channels + input channels: Weights[C][K][R], Inputs[C][R+P], Outputs[K][P].
Problem Conv1dOcIc(std::int64_t c, std::int64_t k, std::int64_t r, std::int64_t p) {
  Problem prob;
  prob.name = "Conv1D_OC";
  prob.dims = {{"C", c}, {"K", k}, {"R", r}, {"P", p}};
  auto t = [](int dim) { return ProjectionTerm{dim, 1, ""}; };
  prob.data_spaces = {{"Weights", {{{t(0)}}, {{t(1)}}, {{t(2)}}}, false},
                      {"Inputs", {{{t(0)}}, {{t(2), t(3)}}}, false},
                      {"Outputs", {{{t(1)}}, {{t(3)}}}, true}};
  return prob;
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

// Exercise 04 "kp" of the Timeloop tutorial: RegisterFile x16 (P16), GlobalBuffer x16
// (C32 K2 R3, innermost R), a dummy level fanning K16 out, MainMemory.
struct KpCase {
  Problem problem = Conv1dOcIc(32, 32, 3, 16);
  Arch arch;
  Mapping mapping;
  KpCase() {
    arch.storage = {Level("RegisterFile", 16, 64), Level("GlobalBuffer", 16, 262144),
                    Level("inter_PE_spatial", 1, 1), Level("MainMemory", 1, 0)};
    arch.arithmetic.instances = 16;
    arch.arithmetic.mesh_x = 16;
    arch.arithmetic.compute_pJ = 1;
    mapping.levels.resize(4);
    for (LevelMapping& l : mapping.levels) l.keep = {true, true, true};
    mapping.levels[2].keep = {false, false, false};
    mapping.levels[0].temporal = {{3, 16}};
    mapping.levels[1].temporal = {{2, 3}, {1, 2}, {0, 32}};  // R3 K2 C32, innermost first
    mapping.levels[2].spatial = {{1, 16}};
  }
};

TEST(TemporalReuse, SlidingWindowResetsWhenTheInnerLoopWraps) {
  KpCase kp;
  Nest nest = BuildNest(kp.problem, kp.mapping);
  // RegisterFile Inputs tile: C1 x (R1 + P16 - 1) = 16 words. Visits of (R, K, C) in counter
  // order with weights 1, 2 (R's n-1), 1, 2, 31, 62, 31, 62:
  //   first 16; R slides +1 -> 1; K wraps R (-1: stride change) -> 16; R -> 1;
  //   C wraps K and R -> 16; R -> 1; K -> 16; R -> 1.
  // 16 + 2*1 + 16 + 2*1 + 31*16 + 62*1 + 31*16 + 62*1 = 1152.
  EXPECT_EQ(TemporalDeltaWords(kp.problem, 1, nest, 0), 1152);
  // Outputs tile K1 x P16: R moves nothing (ignored); K moves a whole tile; C wraps K (change).
  // 16 + 0 + 16 + 0 + 31*16 + 0 + 31*16 + 0 = 1024.
  EXPECT_EQ(TemporalDeltaWords(kp.problem, 2, nest, 0), 1024);
  // Weights tile is one word; every visit that moves it fetches one word: 1+2+1+2+31+62+31+62.
  EXPECT_EQ(TemporalDeltaWords(kp.problem, 0, nest, 0), 192);
}

TEST(Evaluate, ExerciseFourKpByHand) {
  KpCase kp;
  Evaluation eval = Evaluate(kp.problem, kp.arch, kp.mapping);
  ASSERT_TRUE(eval.ok()) << eval.invalid_reason;
  const Cost& cost = eval.cost;
  EXPECT_EQ(cost.computes, 32 * 32 * 3 * 16);
  EXPECT_EQ(cost.cycles, 32 * 32 * 3 * 16 / 16);  // 16 MACs busy, no bandwidth limits
  const auto& rf = cost.levels[0].tensors;
  EXPECT_EQ(rf[2].reads, 3072 - 32);  // every MAC reads a partial sum but the first per word
  EXPECT_EQ(rf[2].fills, 1024 - 32);  // refetched partial sums minus the zero first fills
  EXPECT_EQ(rf[2].updates, 3072);
  const auto& dram = cost.levels[3].tensors;
  EXPECT_EQ(dram[0].reads, 32 * 32 * 3);  // K16 fans out distinct weights: no multicast
  EXPECT_EQ(dram[1].reads, 32 * 18);      // K is irrelevant to Inputs: one read serves 16
  EXPECT_EQ(dram[2].updates, 32 * 16);    // spatial reduction: one update per output word
  EXPECT_EQ(dram[2].reads, 0);
  EXPECT_EQ(cost.levels[1].tensors[1].partition_size, 576);
}

TEST(Evaluate, RejectsFactorsThatDoNotMultiplyToTheBound) {
  KpCase kp;
  kp.mapping.levels[0].temporal = {{3, 8}};
  Evaluation eval = Evaluate(kp.problem, kp.arch, kp.mapping);
  EXPECT_EQ(eval.invalid_reason,
            "the factors of dimension P multiply to 8 over all levels, but its bound is 16");
}

TEST(Evaluate, RejectsATileOverCapacity) {
  KpCase kp;
  kp.arch.storage[0].size_words = 20;
  Evaluation eval = Evaluate(kp.problem, kp.arch, kp.mapping);
  EXPECT_EQ(eval.invalid_reason,
            "level RegisterFile: tiles of 33 words (Weights 1, Inputs 16, Outputs 16) exceed its "
            "capacity of 20 words");
}

TEST(Evaluate, RejectsAFanoutOverTheMesh) {
  KpCase kp;
  kp.arch.storage[1].mesh_x = 8;
  kp.arch.storage[0].mesh_x = 8;
  kp.arch.arithmetic.mesh_x = 8;
  Evaluation eval = Evaluate(kp.problem, kp.arch, kp.mapping);
  EXPECT_EQ(eval.invalid_reason,
            "level inter_PE_spatial: spatial fan-out X=16 exceeds the 8 instances of GlobalBuffer "
            "along X under each inter_PE_spatial");
}

}  // namespace
}  // namespace tessel
