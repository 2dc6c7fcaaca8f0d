// The input spellings LoadInputs accepts beyond the dumped reference files: the v0.4 `nodes:`
// architecture, Timeloop's attribute rules, projection and factor variants, file merging, ERT
// forms and the default energy table. Expected numbers are hand computations written here.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "tessel/io/inputs.h"

namespace tessel {
namespace {

const std::string kTimeloop = std::string(TESSEL_TEST_DATA_DIR) + "/timeloop/";
const std::string kCosa = std::string(TESSEL_TEST_DATA_DIR) + "/cosa/";

const char* const kConv1dProblem = R"(problem:
  shape:
    name: Conv1D
    dimensions: [R, P]
    data_spaces:
    - {name: Weights, projection: [[[R]]]}
    - {name: Inputs, projection: [[[R], [P]]]}
    - {name: Outputs, projection: [[[P]]], read_write: True}
  instance: {R: 3, P: 16}
)";

// Storage (outer to inner) MainMemory, Buffer[0..3]; 4 MACs.
const char* const kTwoLevelArch = R"(architecture:
  version: 0.4
  subtree:
  - name: System
    local:
    - name: MainMemory
      class: DRAM
      attributes: {width: 64, datawidth: 8}
    - name: Buffer[0..3]
      class: regfile
      attributes: {depth: 64, width: 8, datawidth: 8}
    - name: MACC[0..3]
      class: intmac
)";

Inputs FromStrings(const std::vector<std::string>& texts) {
  std::vector<std::string> names;
  for (size_t i = 0; i < texts.size(); ++i) names.push_back("doc" + std::to_string(i) + ".yaml");
  return LoadInputsFromStrings(texts, names);
}

// ---- Architecture forms ----

TEST(IoForms, NodesFormOfExercise04MatchesItsOwnAttributes) {
  const std::string dir = kTimeloop + "exercises/04-model-conv1d+oc-3levelspatial/";
  Inputs inputs =
      LoadInputs({dir + "arch/3levelspatial.arch.yaml", dir + "prob/conv1d+oc+ic.prob.yaml",
                  dir + "map/conv1d+oc+ic-3levelspatial-kp-ws.map.yaml"});
  const Arch& arch = inputs.arch;
  // Container PE (meshX 16) sits between GlobalBuffer and RegisterFile: timeloopfe's dummy.
  ASSERT_EQ(arch.storage.size(), 4u);
  EXPECT_EQ(arch.storage[0].name, "RegisterFile");
  EXPECT_EQ(arch.storage[1].name, "inter_PE_spatial");
  EXPECT_EQ(arch.storage[1].klass, "dummy_storage");
  EXPECT_EQ(arch.storage[2].name, "GlobalBuffer");
  EXPECT_EQ(arch.storage[3].name, "MainMemory");
  EXPECT_EQ(arch.storage[0].instances, 16);
  EXPECT_EQ(arch.storage[0].mesh_x, 16);
  EXPECT_EQ(arch.storage[0].size_words, 64);  // depth 64 x (width 8 / datawidth 8)
  EXPECT_EQ(arch.storage[1].instances, 1);
  EXPECT_EQ(arch.storage[2].instances, 1);
  EXPECT_EQ(arch.storage[2].block_size, 8);       // width 64 / datawidth 8
  EXPECT_EQ(arch.storage[2].size_words, 262144);  // depth 32768 x 8
  EXPECT_EQ(arch.storage[3].block_size, 32);      // width 256 / datawidth 8
  EXPECT_TRUE(arch.storage[3].is_dram);
  EXPECT_EQ(arch.arithmetic.name, "MACC");
  EXPECT_EQ(arch.arithmetic.instances, 16);
  EXPECT_EQ(arch.arithmetic.word_bits, 16);  // `width: 8` is not a word width
  EXPECT_EQ(arch.name, "System");
  // The mapping's `target: PE` is the dummy; K=16 fans out along X. The dummy bypasses all.
  ASSERT_TRUE(inputs.mapping.has_value());
  const LevelMapping& pe = inputs.mapping->levels[1];
  ASSERT_EQ(pe.spatial.size(), 1u);
  EXPECT_EQ(inputs.problem.dims[pe.spatial[0].dim].name, "K");
  EXPECT_EQ(pe.spatial[0].factor, 16);
  EXPECT_EQ(pe.spatial[0].axis, SpatialAxis::kX);
  EXPECT_EQ(pe.keep, (std::vector<bool>{false, false, false}));
  EXPECT_EQ(inputs.mapping->levels[0].keep, (std::vector<bool>{true, true, true}));
}

// Exercise 06's raw v0.4 architecture (containers, !Parallel, inline constraints) must give the
// same levels as timeloopfe's dump of it in current/06-mapper-convlayer-eyeriss/input.yaml.
TEST(IoForms, NodesFormOfEyerissEqualsTimeloopfeDump) {
  const std::string dir = kTimeloop + "exercises/06-mapper-convlayer-eyeriss/";
  Inputs raw = LoadInputs({dir + "arch/eyeriss_like.yaml", dir + "prob/VGG02_layer5.yaml"});
  Inputs dumped = LoadInputs({kTimeloop + "current/06-mapper-convlayer-eyeriss/input.yaml"});
  ASSERT_EQ(raw.arch.storage.size(), dumped.arch.storage.size());
  for (size_t i = 0; i < raw.arch.storage.size(); ++i) {
    const StorageLevel& a = raw.arch.storage[i];
    const StorageLevel& b = dumped.arch.storage[i];
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.klass, b.klass) << a.name;
    EXPECT_EQ(a.instances, b.instances) << a.name;
    EXPECT_EQ(a.mesh_x, b.mesh_x) << a.name;
    EXPECT_EQ(a.mesh_y, b.mesh_y) << a.name;
    EXPECT_EQ(a.size_words, b.size_words) << a.name;
    EXPECT_EQ(a.word_bits, b.word_bits) << a.name;
    EXPECT_EQ(a.block_size, b.block_size) << a.name;
    EXPECT_EQ(a.read_bandwidth, b.read_bandwidth) << a.name;
    EXPECT_EQ(a.is_dram, b.is_dram) << a.name;
  }
  EXPECT_EQ(raw.arch.arithmetic.instances, 168);
  EXPECT_EQ(raw.arch.arithmetic.mesh_x, 14);
  EXPECT_EQ(raw.arch.arithmetic.mesh_y, 12);
  // Inline constraints: psum_spad keeps only Outputs (it says keep: [Outputs]; as a branch of a
  // !Parallel node it bypasses what it does not keep, as timeloopfe's dump says), shared_glb
  // bypasses Weights.
  const Problem& p = raw.problem;
  const int w = p.DataSpaceIndex("Weights"), o = p.DataSpaceIndex("Outputs");
  ASSERT_EQ(raw.constraints.levels.size(), raw.arch.storage.size());
  const int psum = raw.arch.StorageIndex("psum_spad");
  const int glb = raw.arch.StorageIndex("shared_glb");
  EXPECT_EQ(raw.constraints.levels[psum].keep[o], true);
  EXPECT_EQ(raw.constraints.levels[psum].keep[w], false);
  EXPECT_EQ(raw.constraints.levels[glb].keep[w], false);
  EXPECT_EQ(p.dims[p.DimIndex("M")].bound, 256);
  EXPECT_EQ(p.TotalOperations(), 128LL * 256 * 3 * 3 * 56 * 56);
}

TEST(IoForms, TreeSubtreeMultiplicitiesMultiplyAndAttributesFollowTimeloop) {
  Inputs inputs = FromStrings({kConv1dProblem, R"(architecture:
  subtree:
  - name: System
    local:
    - name: DRAM
      class: DRAM
      attributes: {word-bits: 16, block-size: 4}
    - name: GLB
      class: SRAM
      attributes: {sizeKB: 64, datawidth: 8, bandwidth: 32, multiple-buffering: 2}
    subtree:
    - name: PE[0..7]
      local:
      - name: RF[0..1]
        class: regfile
        attributes: {entries: 12, meshY: 4, block_size: 2, width: 64, datawidth: 8}
      - name: Acc
        class: storage
        attributes: {memory_depth: 10, memory_width: 48, cluster_size: 2, datawidth: 8,
                     instances: 4, shared_bandwidth: 3}
      - name: mac
        class: fpmac
        attributes: {datawidth: 32, meshX: 2}
)"});
  const Arch& arch = inputs.arch;
  ASSERT_EQ(arch.storage.size(), 4u);
  const StorageLevel& rf = arch.storage[1];  // local order RF, Acc: Acc is innermost
  const StorageLevel& acc = arch.storage[0];
  const StorageLevel& glb = arch.storage[2];
  const StorageLevel& dram = arch.storage[3];
  EXPECT_EQ(acc.name, "Acc");
  EXPECT_EQ(acc.instances, 4);    // `instances` overrides 8
  EXPECT_EQ(acc.block_size, 3);   // 48 / 2 / 8
  EXPECT_EQ(acc.size_words, 30);  // depth 10 x block 3
  EXPECT_EQ(acc.shared_bandwidth, 3.0);
  EXPECT_EQ(rf.name, "RF");
  EXPECT_EQ(rf.instances, 16);  // 8 PEs x RF[0..1]
  EXPECT_EQ(rf.mesh_y, 4);
  EXPECT_EQ(rf.mesh_x, 4);              // 16 / meshY
  EXPECT_EQ(rf.size_words, 12);         // entries
  EXPECT_EQ(rf.cluster_size, 4);        // width 64 / (8 x block 2)
  EXPECT_EQ(glb.size_words, 65536);     // 64 KB x 1024 x 8 / 8
  EXPECT_EQ(glb.read_bandwidth, 16.0);  // deprecated bandwidth / 2
  EXPECT_EQ(glb.write_bandwidth, 16.0);
  EXPECT_EQ(glb.multiple_buffering, 2.0);
  EXPECT_EQ(glb.EffectiveSizeWords(), 32768);
  EXPECT_EQ(glb.mesh_x, 1);
  EXPECT_EQ(dram.word_bits, 16);
  EXPECT_EQ(dram.block_size, 4);
  EXPECT_FALSE(dram.size_words.has_value());
  EXPECT_EQ(arch.arithmetic.instances, 8);
  EXPECT_EQ(arch.arithmetic.mesh_x, 2);
  EXPECT_EQ(arch.arithmetic.mesh_y, 4);
  EXPECT_EQ(arch.arithmetic.word_bits, 32);
}

TEST(IoForms, FlatArchWithHyphenatedKeysListsStorageInnermostFirst) {
  Inputs inputs = FromStrings({kConv1dProblem, R"(arch:
  arithmetic: {name: PEs, instances: 64, word-bits: 8, meshX: 8}
  storage:
  - {name: RegFile, entries: 16, instances: 64, meshX: 8, word-bits: 8}
  - {name: Buffer, sizeKB: 32, instances: 1, word-bits: 8, block-size: 8, read_bandwidth: 4}
  - {name: DRAM, technology: DRAM, instances: 1, word-bits: 8}
)"});
  const Arch& arch = inputs.arch;
  ASSERT_EQ(arch.storage.size(), 3u);
  EXPECT_EQ(arch.storage[0].name, "RegFile");
  EXPECT_EQ(arch.storage[0].mesh_x, 8);
  EXPECT_EQ(arch.storage[0].mesh_y, 8);
  EXPECT_EQ(arch.storage[1].size_words, 32768);
  EXPECT_EQ(arch.storage[1].block_size, 8);
  EXPECT_EQ(arch.storage[1].read_bandwidth, 4.0);
  EXPECT_FALSE(arch.storage[1].write_bandwidth.has_value());
  EXPECT_TRUE(arch.storage[2].is_dram);
  EXPECT_EQ(arch.storage[2].klass, "DRAM");
  EXPECT_EQ(arch.arithmetic.name, "PEs");
  EXPECT_EQ(arch.arithmetic.mesh_y, 8);
}

// ---- Problem forms ----

TEST(IoForms, ProjectionTermsInEitherOrderAndFlatProjectionLists) {
  Inputs inputs = FromStrings({R"(problem:
  shape:
    name: Strided
    dimensions: [C, M, R, P]
    coefficients: [{name: Wstride, default: 1}, {name: Wdilation, default: 3}]
    data_spaces:
    - {name: Weights, projection: [C, M, R]}
    - name: Inputs
      projection: [[[C]], [[Wdilation, R], [P, Wstride]], [[P, 5]]]
    - {name: Outputs, projection: [[M], [P]], read_write: true}
  instance: {C: 2, M: 4, R: 3, P: 7, Wstride: 2, H: 224, densities: {Weights: 0.5}}
)",
                               kTwoLevelArch});
  const Problem& p = inputs.problem;
  EXPECT_EQ(p.name, "Strided");
  ASSERT_EQ(p.data_spaces.size(), 3u);
  EXPECT_EQ(p.data_spaces[0].ranks.size(), 3u);
  const Rank& window = p.data_spaces[1].ranks[1];
  ASSERT_EQ(window.terms.size(), 2u);
  EXPECT_EQ(window.terms[0].dim, p.DimIndex("R"));
  EXPECT_EQ(window.terms[0].coefficient, 3);  // default
  EXPECT_EQ(window.terms[0].coefficient_name, "Wdilation");
  EXPECT_EQ(window.terms[1].dim, p.DimIndex("P"));
  EXPECT_EQ(window.terms[1].coefficient, 2);                     // from the instance
  EXPECT_EQ(p.data_spaces[1].ranks[2].terms[0].coefficient, 5);  // a literal
  EXPECT_TRUE(p.data_spaces[1].ranks[2].terms[0].coefficient_name.empty());
  EXPECT_TRUE(p.data_spaces[2].read_write);
  EXPECT_FALSE(p.data_spaces[0].read_write);
  // Inputs: C 2 x (3*(3-1) + 2*(7-1) + 1 = 19) x (5*6 + 1 = 31).
  EXPECT_EQ(p.DataSpaceSize(1), 2 * 19 * 31);
}

TEST(IoForms, CosaFlatProblemUsesKAndReadsDilationZeroAsOne) {
  Inputs inputs = LoadInputs(
      {kCosa + "arch/simba.yaml", kCosa + "workloads/deepbench_graph/02_DeepSpeech.yaml"});
  const Problem& p = inputs.problem;
  EXPECT_EQ(p.DimIndex("K"), 5);
  EXPECT_EQ(p.dims[p.DimIndex("S")].bound, 20);
  // 02_DeepSpeech.yaml: Wdilation: 0, Wstride: 2, R: 5, P: 700.
  const Rank& w = p.data_spaces[p.DataSpaceIndex("Inputs")].ranks[2];
  EXPECT_EQ(w.terms[0].coefficient, 1);
  EXPECT_EQ(w.terms[1].coefficient, 2);
  // The old Timeloop flat form names output channels M.
  Inputs timeloop =
      FromStrings({"problem: {shape: cnn-layer, R: 3, S: 3, P: 8, Q: 8, C: 4, "
                   "M: 16, N: 1}\n",
                   kTwoLevelArch});
  EXPECT_EQ(timeloop.problem.DimIndex("M"), 5);
  EXPECT_EQ(timeloop.problem.DimIndex("K"), -1);
}

// ---- Mapping forms ----

TEST(IoForms, FactorSpellingsAreEquivalent) {
  for (const char* factors :
       {"R=3 P=4", "R3 P4", "R=3,P=4", "{R: 3, P: 4}", "[R=3, P=4]", "R = 3  P=4  # a comment"}) {
    Inputs inputs = FromStrings({kConv1dProblem, kTwoLevelArch,
                                 std::string("mapping:\n- target: Buffer\n  type: temporal\n"
                                             "  factors: ") +
                                     factors + "\n  permutation: PR\n"});
    const std::vector<Loop>& loops = inputs.mapping->levels[0].temporal;
    ASSERT_EQ(loops.size(), 2u) << factors;
    EXPECT_EQ(loops[0].dim, 1) << factors;  // P innermost
    EXPECT_EQ(loops[0].factor, 4) << factors;
    EXPECT_EQ(loops[1].dim, 0) << factors;
    EXPECT_EQ(loops[1].factor, 3) << factors;
  }
}

TEST(IoForms, ZeroFactorTakesTheRemainingBoundAndPermutationsArePadded) {
  Inputs inputs = FromStrings({kConv1dProblem, kTwoLevelArch, R"(mapping:
- target: MainMemory
  type: temporal
  factors: P=0 R=3
- target: Buffer
  type: temporal
  factors: P=4
)"});
  const Mapping& m = *inputs.mapping;
  // MainMemory: no permutation -> dimension order R, P (innermost first); P = 16 / 4.
  ASSERT_EQ(m.levels[1].temporal.size(), 2u);
  EXPECT_EQ(m.levels[1].temporal[0].dim, 0);
  EXPECT_EQ(m.levels[1].temporal[0].factor, 3);
  EXPECT_EQ(m.levels[1].temporal[1].dim, 1);
  EXPECT_EQ(m.levels[1].temporal[1].factor, 4);
  EXPECT_EQ(m.levels[0].temporal.size(), 1u);
  EXPECT_TRUE(m.levels[0].spatial.empty());
}

TEST(IoForms, SpatialSplitCountsPositionsOfThePaddedPermutation) {
  const std::string problem = R"(problem:
  shape:
    name: MatMul
    dimensions: [M, N, K]
    data_spaces:
    - {name: A, projection: [M, K]}
    - {name: B, projection: [K, N]}
    - {name: Z, projection: [M, N], read_write: true}
  instance: {M: 8, N: 8, K: 8}
)";
  auto spatial = [&](const std::string& directive) {
    Inputs inputs = FromStrings(
        {problem, kTwoLevelArch, "mapping:\n- target: MainMemory\n  type: spatial\n" + directive});
    return inputs.mapping->levels[1].spatial;
  };
  // split 1 over permutation "N" padded to N, M, K: N -> X; M, K -> Y.
  std::vector<Loop> loops = spatial("  factors: M=2 N=2 K=2\n  permutation: N\n  split: 1\n");
  ASSERT_EQ(loops.size(), 3u);
  EXPECT_EQ(loops[0].dim, 1);
  EXPECT_EQ(loops[0].axis, SpatialAxis::kX);
  EXPECT_EQ(loops[1].dim, 0);
  EXPECT_EQ(loops[1].axis, SpatialAxis::kY);
  EXPECT_EQ(loops[2].dim, 2);
  EXPECT_EQ(loops[2].axis, SpatialAxis::kY);
  // No split: everything on X. split 0: everything on Y.
  for (const Loop& loop : spatial("  factors: M=2 K=2\n  permutation: KM\n"))
    EXPECT_EQ(loop.axis, SpatialAxis::kX);
  for (const Loop& loop : spatial("  factors: M=2 K=2\n  permutation: KM\n  split: 0\n"))
    EXPECT_EQ(loop.axis, SpatialAxis::kY);
}

TEST(IoForms, EmptyMappingListMeansNoMapping) {
  Inputs inputs = FromStrings({kConv1dProblem, kTwoLevelArch, "mapping: []\n"});
  EXPECT_FALSE(inputs.mapping.has_value());
  EXPECT_TRUE(inputs.constraints.empty());
}

// ---- Merging ----

TEST(IoForms, LaterFilesReplaceEarlierTopLevelKeys) {
  const std::string other_problem = R"(problem:
  shape: {name: Other, dimensions: [X], data_spaces: [{name: T, projection: [X]}]}
  instance: {X: 5}
)";
  Inputs inputs = FromStrings({kConv1dProblem, kTwoLevelArch, other_problem});
  EXPECT_EQ(inputs.problem.name, "Other");
  EXPECT_EQ(inputs.problem.TotalOperations(), 5);
  // `arch` and `architecture` are the same section: the later one wins.
  Inputs flat = FromStrings({kConv1dProblem, kTwoLevelArch,
                             "arch:\n  arithmetic: {instances: 2}\n  storage: [{name: Mem}]\n"});
  ASSERT_EQ(flat.arch.storage.size(), 1u);
  EXPECT_EQ(flat.arch.storage[0].name, "Mem");
  EXPECT_EQ(flat.arch.arithmetic.name, "MAC");
}

TEST(IoForms, YamlMergeKeysAndAnchors) {
  Inputs inputs = FromStrings({kConv1dProblem, R"(architecture:
  subtree:
  - name: System
    local:
    - name: DRAM
      class: DRAM
      attributes: &common {datawidth: 8, width: 64}
    - name: Buffer
      class: SRAM
      attributes:
        <<: *common
        depth: 128
    - {name: MACC, class: intmac, attributes: *common}
)"});
  EXPECT_EQ(inputs.arch.storage[0].size_words, 1024);  // 128 x (64 / 8)
  EXPECT_EQ(inputs.arch.storage[0].word_bits, 8);
  EXPECT_EQ(inputs.arch.arithmetic.word_bits, 8);
}

// ---- Energies ----

TEST(IoForms, ErtActionsMapToTimeloopOperations) {
  const std::string dir = kTimeloop + "exercises/05-mapper-conv1d+oc-3level/ref-output/null/";
  Inputs inputs =
      LoadInputs({dir + "parsed-processed-input.yaml", dir + "timeloop-mapper.ERT.yaml"});
  // Numbers as written in timeloop-mapper.ERT.yaml.
  const StorageLevel& glb = inputs.arch.storage[inputs.arch.StorageIndex("GlobalBuffer")];
  EXPECT_DOUBLE_EQ(glb.energy.read_pJ, 43.353054);
  EXPECT_DOUBLE_EQ(glb.energy.fill_pJ, 30.878292);
  EXPECT_DOUBLE_EQ(glb.energy.update_pJ, 30.878292);
  EXPECT_DOUBLE_EQ(glb.energy.leak_pJ, 0.007972);
  EXPECT_EQ(glb.energy_source, "ERT");
  const StorageLevel& dram = inputs.arch.storage[inputs.arch.StorageIndex("MainMemory")];
  EXPECT_DOUBLE_EQ(dram.energy.read_pJ, 2048.0);
  EXPECT_TRUE(inputs.has_ert);
}

TEST(IoForms, ErtDuplicatesTakeTheMaximumAndOlderNamesArePreferred) {
  Inputs inputs = FromStrings({kConv1dProblem, kTwoLevelArch, R"(ERT:
  version: 0.3
  tables:
  - name: System.PE[0..3].Buffer[0..3]
    actions:
    - {name: read, arguments: {data_delta: 0}, energy: 1.5}
    - {name: read, arguments: {data_delta: 1}, energy: 2.5}
    - {name: write, energy: 0.5}
  - name: System.MACC[0..3]
    actions:
    - {name: compute, energy: 9}
    - {name: mac_random, energy: 0.7}
)"});
  const StorageLevel& buffer = inputs.arch.storage[0];
  EXPECT_DOUBLE_EQ(buffer.energy.read_pJ, 2.5);
  EXPECT_DOUBLE_EQ(buffer.energy.fill_pJ, 0.5);
  EXPECT_DOUBLE_EQ(buffer.energy.update_pJ, 0.5);  // Timeloop: update <- ... | write
  EXPECT_EQ(buffer.energy_source, "ERT");
  EXPECT_DOUBLE_EQ(inputs.arch.arithmetic.compute_pJ, 0.7);
  // MainMemory has no table: it keeps the default estimate.
  EXPECT_EQ(inputs.arch.storage[1].energy_source, "default estimate");
  EXPECT_FALSE(inputs.arch.EnergiesFromErt());
}

TEST(IoForms, ErtVersion02MapForm) {
  Inputs inputs = FromStrings({kConv1dProblem, kTwoLevelArch, R"(ERT:
  version: 0.2
  tables:
    System.MainMemory:
      read: [{arguments: null, energy: 100}, {arguments: null, energy: 120}]
      write: {energy: 90}
)"});
  EXPECT_DOUBLE_EQ(inputs.arch.storage[1].energy.read_pJ, 120);
  EXPECT_DOUBLE_EQ(inputs.arch.storage[1].energy.fill_pJ, 90);
}

// Hand computations of default_energy.h's formulas.
TEST(IoForms, DefaultEnergiesWithoutErt) {
  const std::string dir = kTimeloop + "exercises/04-model-conv1d+oc-3levelspatial/";
  Inputs inputs =
      LoadInputs({dir + "arch/3levelspatial.arch.yaml", dir + "prob/conv1d+oc+ic.prob.yaml"});
  EXPECT_FALSE(inputs.has_ert);
  const Arch& arch = inputs.arch;
  // MainMemory: DRAM, 8 pJ/bit x 8 bits x block 32.
  EXPECT_DOUBLE_EQ(arch.storage[3].energy.read_pJ, 2048.0);
  // GlobalBuffer: 256 KB; 10 pJ x sqrt(256 KB / 8 KB) per 64 bits; one 64-bit block per access.
  EXPECT_NEAR(arch.storage[2].energy.read_pJ, 10.0 * std::sqrt(32.0), 1e-9);
  EXPECT_NEAR(arch.storage[2].energy.update_pJ, 10.0 * std::sqrt(32.0), 1e-9);
  // RegisterFile: 64 B; 10 pJ x sqrt(64 / 8192) per 64 bits, 8 bits per access.
  EXPECT_NEAR(arch.storage[0].energy.fill_pJ, 10.0 * std::sqrt(64.0 / 8192) / 8, 1e-12);
  EXPECT_EQ(arch.storage[0].energy.leak_pJ, 0.0);
  EXPECT_EQ(arch.storage[1].energy.read_pJ, 0.0);  // the dummy
  // 16-bit MAC: 0.2 x 2^2 + 0.03 x 2.
  EXPECT_NEAR(arch.arithmetic.compute_pJ, 0.86, 1e-12);
  for (const StorageLevel& level : arch.storage)
    EXPECT_EQ(level.energy_source, "default estimate") << level.name;
  EXPECT_EQ(arch.arithmetic.energy_source, "default estimate");
}

}  // namespace
}  // namespace tessel
