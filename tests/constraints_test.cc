// Mapspace constraints: every form Timeloop accepts is read into the same data, each rule is
// checked on a mapping built by hand, and bad constraints get word-for-word messages. The
// expected values are written out here from Timeloop's rules (src/mapping/constraints.cpp:
// `D=n` exact, `D<=n` max, `D>=n` min, `D=0` the whole bound; partial permutations name the
// innermost loops, `_` starts the outermost ones; `split` puts the first positions on X).
#include "tessel/mapping/constraints.h"

#include <gtest/gtest.h>

#include <array>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "tessel/common/error.h"
#include "tessel/io/inputs.h"
#include "tessel/mapper/mapper.h"
#include "tessel/mapper/mapspace_sampling.h"
#include "tessel/mapping/mapspace.h"
#include "tessel/model/evaluate.h"

namespace tessel {
namespace {

// A 3-level flat arch (RF x 4 PEs in X, GLB, DRAM) and a conv1d+oc problem K=8 R=3 P=16.
constexpr const char* kArch = R"(
architecture:
  arithmetic: {name: MAC, instances: 4, meshX: 4, word-bits: 8}
  storage:
  - {name: RF, entries: 64, instances: 4, meshX: 4, word-bits: 8}
  - {name: GLB, entries: 4096, instances: 1, word-bits: 8}
  - {name: DRAM, technology: DRAM, instances: 1, word-bits: 8}
)";

constexpr const char* kProblem = R"(
problem:
  shape:
    name: conv1d_oc
    dimensions: [K, R, P]
    data_spaces:
    - {name: Weights, projection: [[[K]], [[R]]]}
    - {name: Inputs, projection: [[[R], [P]]]}
    - {name: Outputs, projection: [[[K]], [[P]]], read_write: true}
  instance: {K: 8, R: 3, P: 16}
)";

Inputs Load(const std::string& constraints) {
  return LoadInputsFromStrings({kArch, kProblem, constraints},
                               {"arch.yaml", "prob.yaml", "c.yaml"});
}

std::string ErrorOf(const std::string& constraints) {
  try {
    Inputs in = Load(constraints);
    MakeMapSpace(in.problem, in.arch, in.constraints);
  } catch (const UserError& e) {
    return e.what();
  }
  return "(no error)";
}

constexpr int K = 0, R = 1, P = 2;

TEST(ConstraintForms, FactorsInEveryForm) {
  Inputs in = Load(R"(
mapspace_constraints:
  targets:
  - {target: GLB, type: temporal, factors: "K=2 R<=3, P>=4"}
  - {target: DRAM, type: temporal, factors: [K1, "P=0"]}
  - {target: RF, type: temporal, factors: {R: 3}}
)");
  const MapConstraints& c = in.constraints;
  ASSERT_EQ(c.levels.size(), 3u);
  EXPECT_EQ(c.levels[1].temporal[K].exact, 2);
  EXPECT_EQ(c.levels[1].temporal[R].max, 3);
  EXPECT_EQ(c.levels[1].temporal[P].min, 4);
  EXPECT_EQ(c.levels[2].temporal[K].exact, 1);
  EXPECT_EQ(c.levels[2].temporal[P].exact, FactorLimit::kWholeBound);
  EXPECT_EQ(c.levels[0].temporal[R].exact, 3);
  EXPECT_EQ(c.levels[1].temporal[K].where.ToString(), "c.yaml:4:44");
  // Resolved against the problem, D=0 is the whole bound (16).
  MapConstraints resolved = ResolveConstraints(c, in.problem, in.arch, nullptr);
  EXPECT_EQ(resolved.levels[2].temporal[P].exact, 16);
}

TEST(ConstraintForms, DefaultBoundsApplyToDimensionsNotNamed) {
  Inputs in = Load(R"(
architecture_constraints:
- {target: GLB, type: temporal, factors: "K<=4", default_max_factor: 2, default_min_factor: 1}
)");
  EXPECT_EQ(in.constraints.levels[1].temporal[K].max, 4);
  EXPECT_EQ(in.constraints.levels[1].temporal[R].max, 2);
  EXPECT_EQ(in.constraints.levels[1].temporal[P].max, 2);
}

TEST(ConstraintForms, PartialPermutations) {
  Inputs in = Load(R"(
constraints:
  targets:
  - {target: DRAM, type: temporal, permutation: P}
  - {target: GLB, type: temporal, permutation: "R_K"}
  - {target: RF, type: temporal, permutation: [P, K, R]}
)");
  EXPECT_EQ(in.constraints.levels[2].temporal_order.inner, (std::vector<int>{P}));
  EXPECT_TRUE(in.constraints.levels[2].temporal_order.outer.empty());
  EXPECT_EQ(in.constraints.levels[1].temporal_order.inner, (std::vector<int>{R}));
  EXPECT_EQ(in.constraints.levels[1].temporal_order.outer, (std::vector<int>{K}));
  EXPECT_EQ(in.constraints.levels[0].temporal_order.inner, (std::vector<int>{P, K, R}));
}

TEST(ConstraintForms, NestedListsAndAttributes) {
  Inputs in = Load(R"(
mapspace:
  constraints:
  - target: GLB
    constraints:
    - {type: temporal, attributes: {factors: K=2}}
    - {type: datatype, attributes: {keep: [Inputs], bypass: [Weights]}}
)");
  EXPECT_EQ(in.constraints.levels[1].temporal[K].exact, 2);
  EXPECT_EQ(in.constraints.levels[1].keep,
            (std::vector<std::optional<bool>>{false, true, std::nullopt}));
}

// ApplyLoopOrder: the named dims move to their ends, the others keep their relative order.
TEST(LoopOrder, ApplyPartialPermutation) {
  LoopOrder order;
  order.inner = {2};
  order.outer = {0};
  std::vector<int> loops = {0, 1, 2};
  ApplyLoopOrder(order, loops);
  EXPECT_EQ(loops, (std::vector<int>{2, 1, 0}));
  std::vector<int> some = {1, 0};  // dim 2 has no loop here
  ApplyLoopOrder(order, some);
  EXPECT_EQ(some, (std::vector<int>{1, 0}));
}

// Split: the first `split` positions of the spatial permutation are X, the rest Y.
TEST(SpatialSplit, PinsAxesByPosition) {
  LevelConstraints level;
  level.spatial_order.inner = {0, 1, 2};  // K R P
  level.split = 1;
  EXPECT_EQ(PinnedSpatialAxis(level, 3, K), SpatialAxis::kX);
  EXPECT_EQ(PinnedSpatialAxis(level, 3, R), SpatialAxis::kY);
  EXPECT_EQ(PinnedSpatialAxis(level, 3, P), SpatialAxis::kY);
  // A partial permutation [K] with split 2: K on X, the two free dims share one X and one Y slot.
  LevelConstraints partial;
  partial.spatial_order.inner = {0};
  partial.split = 2;
  EXPECT_EQ(PinnedSpatialAxis(partial, 3, K), SpatialAxis::kX);
  EXPECT_EQ(PinnedSpatialAxis(partial, 3, P), std::nullopt);
  const SpatialSlots slots = FreeSpatialSlots(partial, 3);
  EXPECT_EQ(slots.x, 1);
  EXPECT_EQ(slots.y, 1);
  // Without a split nothing is pinned.
  EXPECT_EQ(PinnedSpatialAxis(LevelConstraints{}, 3, K), std::nullopt);
}

// A valid mapping of K=8 R=3 P=16: RF {R3}, spatial K4 (X) at GLB, GLB {P16 K2}, DRAM nothing.
Mapping HandMapping() {
  Mapping m;
  m.levels.resize(3);
  m.levels[0].temporal = {{R, 3}};
  m.levels[1].spatial = {{K, 4, SpatialAxis::kX}};
  m.levels[1].temporal = {{P, 16}, {K, 2}};
  for (LevelMapping& level : m.levels) level.keep = {true, true, true};
  return m;
}

std::vector<std::string> Violations(const std::string& constraints) {
  Inputs in = Load(constraints);
  MapConstraints resolved = ResolveConstraints(in.constraints, in.problem, in.arch, nullptr);
  std::vector<std::string> out;
  for (const ConstraintViolation& v :
       CheckConstraints(resolved, in.problem, in.arch, HandMapping()))
    out.push_back(v.where.ToString() + ": " + v.message);
  return out;
}

TEST(ConstraintCheck, SatisfiedByTheHandMapping) {
  EXPECT_TRUE(Violations(R"(
mapspace_constraints:
- {target: RF, type: temporal, factors: R=3 K=1 P=1, permutation: RKP}
- {target: GLB, type: spatial, factors: K=4, permutation: KRP, split: 3}
- {target: GLB, type: temporal, factors: "K<=2 P>=16", permutation: P}
- {target: GLB, type: bypass, keep: [Weights, Inputs, Outputs]}
- {target: RF, type: utilization, min: 1.0}
)")
                  .empty());
}

TEST(ConstraintCheck, EveryRuleBrokenOnce) {
  EXPECT_EQ(Violations(R"(
mapspace_constraints:
- {target: RF, type: temporal, factors: R=1}
- {target: GLB, type: spatial, factors: K<=2}
- {target: GLB, type: temporal, factors: P>=32, permutation: K}
- {target: GLB, type: spatial, permutation: RPK, split: 2}
- {target: GLB, type: bypass, bypass: [Weights]}
)"),
            (std::vector<std::string>{
                "c.yaml:3:41: level RF: temporal factor of R is 3, the constraint requires 1",
                "c.yaml:5:42: level GLB: temporal factor of P is 16, the constraint requires >= 32",
                "c.yaml:4:41: level GLB: spatial factor of K is 4, the constraint requires <= 2",
                "c.yaml:5:62: level GLB: temporal loop order PK (innermost first) breaks the "
                "permutation; it would be KP",
                "c.yaml:6:57: level GLB: spatial K is on X, the permutation and split put it on Y",
                "c.yaml:7:40: level GLB: Weights is kept, the constraint says bypass",
            }));
}

TEST(ConstraintCheck, MinimumUtilization) {
  // 4 of 4 PEs in use: utilisation 1.0 meets 1.0; with K4 moved to temporal it is 0.25.
  Inputs in = Load("constraints: [{target: RF, type: utilization, min: 0.5}]\n");
  Mapping m = HandMapping();
  m.levels[1].spatial.clear();
  m.levels[1].temporal = {{P, 16}, {K, 8}};
  std::vector<ConstraintViolation> v = CheckConstraints(
      ResolveConstraints(in.constraints, in.problem, in.arch, nullptr), in.problem, in.arch, m);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].message, "spatial utilization 0.25 is below the minimum 0.5");
}

TEST(ConstraintErrors, UnimplementedKey) {
  EXPECT_EQ(ErrorOf("constraints: [{target: GLB, type: temporal, no_reuse: [Inputs]}]\n"),
            "c.yaml:1:55: constraint key 'no_reuse' is a Timeloop option tessel does not "
            "implement; remove it");
}

TEST(ConstraintErrors, RubyMapspaceTemplate) {
  EXPECT_EQ(ErrorOf("mapspace: {version: 0.4, template: ruby}\n"),
            "c.yaml:1:36: mapspace template 'ruby' is not implemented; tessel searches Timeloop's "
            "'uber' mapspace (perfect factorisations)");
  EXPECT_EQ(ErrorOf("mapspace: {version: 0.4, template: uber}\n"), "(no error)");
}

TEST(ConstraintErrors, UnknownKeyAndType) {
  EXPECT_EQ(ErrorOf("constraints: [{target: GLB, type: temporal, factor: K=2}]\n"),
            "c.yaml:1:53: unknown key 'factor' in a constraint directive; this type takes: "
            "factors, permutation, default_max_factor, default_min_factor, factors_only, "
            "no_iteration_over_dataspaces, must_iterate_over_dataspaces, target, name, type, "
            "attributes, version");
  EXPECT_EQ(ErrorOf("constraints: [{target: GLB, type: tiling}]\n"),
            "c.yaml:1:35: constraint type 'tiling' is not one of temporal, spatial, bypass "
            "(datatype, dataspace, bypassing), utilization (parallelism), "
            "max_overbooked_proportion");
}

TEST(ConstraintErrors, KeepAndBypassOfOneTensorNameBothPlaces) {
  EXPECT_EQ(ErrorOf(R"(
constraints:
- {target: GLB, type: bypass, keep: [Inputs]}
- {target: GLB, type: dataspace, bypass: [Inputs]}
)"),
            "c.yaml:4:43: bypass Inputs at level GLB contradicts the keep at c.yaml:3:38");
}

TEST(ConstraintErrors, FactorSetTwiceDifferently) {
  EXPECT_EQ(ErrorOf(R"(
constraints:
- {target: GLB, type: temporal, factors: K=2}
- {target: GLB, type: temporal, factors: K=4}
)"),
            "c.yaml:4:42: factor of K at level GLB is already set to 2 at c.yaml:3:42");
}

TEST(ConstraintErrors, FactorsThatCannotMultiplyOut) {
  EXPECT_EQ(ErrorOf(R"(
constraints:
- {target: GLB, type: temporal, factors: K=4}
- {target: DRAM, type: temporal, factors: K=4}
)"),
            "constraints on K cannot multiply out: the fixed factors give 16 and do not divide "
            "it for the bound 8; set at c.yaml:3:42, c.yaml:4:43");
  EXPECT_EQ(ErrorOf("constraints: [{target: GLB, type: temporal, factors: K=3}]\n"),
            "c.yaml:1:54: constraint K=3 at level GLB (temporal) does not divide the bound 8 of K");
}

TEST(ConstraintErrors, SpatialWhereNothingFansOut) {
  EXPECT_EQ(ErrorOf("constraints: [{target: DRAM, type: spatial, factors: K=2}]\n"),
            "c.yaml:1:15: level DRAM has no spatial fan-out (as many instances as the level "
            "inside it), so a spatial constraint cannot apply to it");
  EXPECT_EQ(ErrorOf("constraints: [{target: GLB, type: spatial, factors: K=8}]\n"),
            "c.yaml:1:53: spatial factor 8 of K at level GLB exceeds the level's fan-out of 4");
}

TEST(ConstraintErrors, UtilizationOnlyAtTheInnermostLevel) {
  EXPECT_EQ(ErrorOf("constraints: [{target: GLB, type: utilization, min: 0.5}]\n"),
            "c.yaml:1:15: utilization can only be constrained at the innermost storage level "
            "(RF), as in Timeloop; it is the product of the fan-out use of every level above it");
}

TEST(ConstraintWarnings, FactorAboveTheBoundIsDroppedAsTimeloopDoes) {
  Inputs in = Load("constraints: [{target: GLB, type: temporal, factors: K=64}]\n");
  MapSpace space = MakeMapSpace(in.problem, in.arch, in.constraints);
  ASSERT_EQ(space.notes.size(), 1u);
  EXPECT_EQ(space.notes[0],
            "c.yaml:1:54: constraint K=64 at level GLB (temporal) exceeds the bound 8 of K; "
            "ignored, as Timeloop ignores it");
  EXPECT_TRUE(space.constraints.levels[1].temporal[K].IsFree());
}

}  // namespace
}  // namespace tessel

namespace tessel {
namespace {

// A mapspace enumerated by hand. R and P are fixed everywhere; K=8 may split as RF temporal
// k1 <= 2, GLB spatial k2 in {2, 4} (>= 2, and the fan-out is 4), GLB temporal k3, DRAM k4 with
// k1 k2 k3 k4 = 8; loop orders fixed; every level keeps everything. By hand:
//   k1=1 k2=2: (k3, k4) = (1, 4) (2, 2) (4, 1)   k1=1 k2=4: (1, 2) (2, 1)
//   k1=2 k2=2: (1, 2) (2, 1)                      k1=2 k2=4: (1, 1)
// -> 8 mappings. Random draws that satisfy the constraints reach exactly these, and the
// exhaustive optimum is the best of them evaluated one by one.
constexpr const char* kSmallSpace = R"(
constraints:
- {target: RF, type: temporal, factors: "R=3 P=1 K<=2", permutation: RKP}
- {target: GLB, type: spatial, factors: "R=1 P=1 K>=2"}
- {target: GLB, type: temporal, factors: "R=1 P=16", permutation: PKR}
- {target: DRAM, type: temporal, factors: "R=1 P=1", permutation: KRP}
- {target: RF, type: bypass, keep: ['*']}
- {target: GLB, type: bypass, keep: ['*']}
)";

using Split = std::array<std::int64_t, 4>;  // k1 (RF), k2 (GLB spatial), k3 (GLB), k4 (DRAM)

Split SplitOf(const Mapping& m) {
  auto product = [](const std::vector<Loop>& loops) {
    std::int64_t f = 1;
    for (const Loop& loop : loops)
      if (loop.dim == 0) f *= loop.factor;  // K
    return f;
  };
  return {product(m.levels[0].temporal), product(m.levels[1].spatial),
          product(m.levels[1].temporal), product(m.levels[2].temporal)};
}

TEST(ConstrainedMapSpace, RandomDrawsReachExactlyTheHandEnumeratedMappings) {
  Inputs in = Load(kSmallSpace);
  MapSpace space = MakeMapSpace(in.problem, in.arch, in.constraints);
  EXPECT_FALSE(space.HasFreeKeep());
  const std::set<Split> expected = {{1, 2, 1, 4}, {1, 2, 2, 2}, {1, 2, 4, 1}, {1, 4, 1, 2},
                                    {1, 4, 2, 1}, {2, 2, 1, 2}, {2, 2, 2, 1}, {2, 4, 1, 1}};
  std::set<Split> drawn;
  RandomMappingDrawer drawer(space);
  for (std::uint64_t seed = 0; seed < 4000; ++seed) {
    const Mapping& m = drawer.Draw(seed);
    if (!SatisfiesConstraints(space, m)) continue;
    EXPECT_EQ(CheckMappingStructure(space.problem, space.arch, m), "");
    drawn.insert(SplitOf(m));
  }
  EXPECT_EQ(drawn, expected);

  // The exhaustive optimum is the best of the eight, each evaluated here.
  double best = std::numeric_limits<double>::infinity();
  for (const Split& k : expected) {
    Mapping m;
    m.levels.resize(3);
    m.levels[0].temporal = {{1, 3}, {0, k[0]}};  // R innermost, then K (RKP)
    m.levels[1].spatial = {{0, k[1], SpatialAxis::kX}};
    m.levels[1].temporal = {{2, 16}, {0, k[2]}};  // P, then K (PKR)
    m.levels[2].temporal = {{0, k[3]}};
    for (LevelMapping& level : m.levels) level.keep = {true, true, true};
    ASSERT_TRUE(SatisfiesConstraints(space, m));
    const Evaluation e = Evaluate(space.problem, space.arch, m);
    ASSERT_TRUE(e.ok()) << e.invalid_reason;
    best = std::min(best, ObjectiveValue(e.cost, Objective::kEdp));
  }
  MapperOptions options;
  options.objective = Objective::kEdp;
  MapperResult result = MakeMapper("exhaustive")->Map(space, options);
  ASSERT_TRUE(result.proven_optimal);
  EXPECT_EQ(ObjectiveValue(result.evaluation.cost, Objective::kEdp), best);
}

}  // namespace
}  // namespace tessel
