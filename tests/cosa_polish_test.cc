// The exact-model polish (local_search.h) moves a whole spatial assignment where single factor
// moves and two-factor swaps cannot help, on a case worked out by hand.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "tessel/io/inputs.h"
#include "tessel/mapper/local_search.h"
#include "tessel/mapper/tiling.h"

namespace tessel {
namespace {

const std::string kEx04 =
    std::string(TESSEL_TEST_DATA_DIR) + "/timeloop/exercises/04-model-conv1d+oc-3levelspatial/";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int Dim(const MapSpace& space, const std::string& name) {
  for (size_t d = 0; d < space.problem.dims.size(); ++d)
    if (space.problem.dims[d].name == name) return static_cast<int>(d);
  return -1;
}

TEST(CosaPolish, ReplacesAWholeSpatialAssignmentWhereSingleMovesAndSwapsAreStuck) {
  // Exercise 04's arch with 9 PEs in a row (meshX 9); conv1d+oc+ic cut to C9 K8 R1 P1: 72 MACs.
  // Start: K8 across the PEs (8 of 9 busy: 72 / 8 = 9 cycles). The compute bound needs C9 there
  // (72 / 9 = 8 cycles). A single move either takes a 2 of K off the PEs (K4: 18 cycles) or adds
  // a 3 of C (K8 C3 = 24 > 9 PEs); a swap of a 2 of K for a 3 of C gives K4 C3 = 12 > 9 PEs. Only
  // the whole assignment {C9} helps.
  std::string arch = ReadFile(kEx04 + "arch/3levelspatial.arch.yaml");
  const std::string mesh = "meshX: 16";
  arch.replace(arch.find(mesh), mesh.size(), "meshX: 9");
  Inputs in = LoadInputsFromStrings({arch, ReadFile(kEx04 + "prob/conv1d+oc+ic.prob.yaml")},
                                    {"3levelspatial.arch.yaml", "conv1d+oc+ic.prob.yaml"});
  for (Dimension& dim : in.problem.dims) dim.bound = dim.name == "C" ? 9 : dim.name == "K" ? 8 : 1;
  MapSpace space = MakeMapSpace(in.problem, in.arch, in.constraints);
  int pe = -1;
  for (int l = 0; l < space.num_levels(); ++l)
    if (space.max_fanout_x[l] == 9) pe = l;
  ASSERT_GE(pe, 0);
  const int c = Dim(space, "C"), k = Dim(space, "K");
  Tiling start = OutermostTiling(space);
  start.factor.back()[k][kTemporal] = 1;
  start.factor[pe][k][kSpatialX] = 8;
  Evaluation before = EvaluateTiling(space, start);
  ASSERT_TRUE(before.ok()) << before.invalid_reason;
  EXPECT_EQ(before.cost.cycles, 9);
  SearchResult polished = ImproveTiling(space, start, Objective::kLatency, SearchLimits{});
  ASSERT_TRUE(polished.evaluation.ok());
  EXPECT_EQ(polished.evaluation.cost.cycles, 8);
  EXPECT_EQ(polished.tiling.factor[pe][c][kSpatialX], 9);
  EXPECT_EQ(polished.tiling.factor[pe][k][kSpatialX], 1);
}

}  // namespace
}  // namespace tessel
