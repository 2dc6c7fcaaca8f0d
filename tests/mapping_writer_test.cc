// Timeloop mapping YAML writer: exact text on a hand-made mapping, and a round trip through the
// reader on the bundled default.
#include "tessel/io/mapping_writer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "tessel/io/bundled.h"
#include "tessel/io/inputs.h"

namespace tessel {
namespace {

Problem TwoDimProblem() {
  Problem p;
  p.dims = {{"K", 8}, {"C", 4}};
  auto t = [](int dim) { return ProjectionTerm{dim, 1, ""}; };
  p.data_spaces = {{"Weights", {{{t(0)}}, {{t(1)}}}, false},
                   {"Inputs", {{{t(1)}}}, false},
                   {"Outputs", {{{t(0)}}}, true}};
  return p;
}

Arch TwoLevelArch() {
  Arch arch;
  arch.storage.resize(2);
  arch.storage[0].name = "Buffer";
  arch.storage[0].instances = 4;
  arch.storage[1].name = "DRAM";
  return arch;
}

TEST(WriteTimeloopMappingYamlTest, ListsEveryDimensionAndPutsXBeforeY) {
  Mapping m;
  m.levels.resize(2);
  m.levels[0].temporal = {{1, 2}};  // C2
  m.levels[0].keep = {false, true, true};
  m.levels[1].temporal = {{0, 2}, {1, 2}};          // K2 inside C2
  m.levels[1].spatial = {{0, 4, SpatialAxis::kY}};  // K4 on Y only
  m.levels[1].keep = {true, true, true};
  const char expected[] =
      "mapping:\n"
      "  - target: DRAM\n"
      "    type: temporal\n"
      "    factors: K=2 C=2\n"
      "    permutation: KC\n"
      "  - target: DRAM\n"
      "    type: spatial\n"
      "    factors: K=4 C=1\n"
      "    permutation: KC\n"
      "    split: 0\n"
      "  - target: DRAM\n"
      "    type: bypass\n"
      "    keep: [Weights, Inputs, Outputs]\n"
      "    bypass: []\n"
      "  - target: Buffer\n"
      "    type: temporal\n"
      "    factors: K=1 C=2\n"
      "    permutation: CK\n"
      "  - target: Buffer\n"
      "    type: bypass\n"
      "    keep: [Inputs, Outputs]\n"
      "    bypass: [Weights]\n";
  EXPECT_EQ(WriteTimeloopMappingYaml(TwoDimProblem(), TwoLevelArch(), m), expected);
}

TEST(WriteTimeloopMappingYamlTest, SplitCountsXLoopsWhenYLoopsExist) {
  Mapping m;
  m.levels.resize(2);
  // Innermost first: K on Y, then C on X. Timeloop needs the X dimensions first.
  m.levels[1].spatial = {{0, 2, SpatialAxis::kY}, {1, 4, SpatialAxis::kX}};
  m.levels[1].temporal = {{0, 4}};
  std::string yaml = WriteTimeloopMappingYaml(TwoDimProblem(), TwoLevelArch(), m);
  EXPECT_NE(yaml.find("    type: spatial\n"
                      "    factors: K=2 C=4\n"
                      "    permutation: CK\n"
                      "    split: 1\n"),
            std::string::npos)
      << yaml;
}

TEST(WriteTimeloopMappingYamlTest, OmitsSplitWhenAllLoopsAreX) {
  Mapping m;
  m.levels.resize(2);
  m.levels[1].spatial = {{1, 4, SpatialAxis::kX}};
  m.levels[1].temporal = {{0, 8}};
  std::string yaml = WriteTimeloopMappingYaml(TwoDimProblem(), TwoLevelArch(), m);
  EXPECT_EQ(yaml.find("split"), std::string::npos) << yaml;
}

TEST(WriteTimeloopMappingYamlTest, RejectsWhatTimeloopCannotSay) {
  Mapping m;
  m.levels.resize(2);
  m.levels[1].temporal = {{0, 2}, {0, 4}};
  EXPECT_THROW(WriteTimeloopMappingYaml(TwoDimProblem(), TwoLevelArch(), m), std::invalid_argument);
  m.levels.resize(3);
  EXPECT_THROW(WriteTimeloopMappingYaml(TwoDimProblem(), TwoLevelArch(), m), std::invalid_argument);
}

// Loops of factor 1 carry no meaning; compare what is left, level by level, with the axis.
using LoopKey = std::tuple<int, std::int64_t, bool>;
std::vector<std::vector<LoopKey>> VisibleLoops(const Mapping& m, bool spatial) {
  std::vector<std::vector<LoopKey>> nest;
  for (const LevelMapping& level : m.levels) {
    nest.emplace_back();
    for (const Loop& loop : spatial ? level.spatial : level.temporal)
      if (loop.factor > 1)
        nest.back().emplace_back(loop.dim, loop.factor, spatial && loop.axis == SpatialAxis::kY);
  }
  return nest;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(WriteTimeloopMappingYamlTest, RoundTripsTheBundledDefaultThroughTheReader) {
  std::vector<std::string> files = DefaultEvalFiles();  // arch, problem, mapping, ERT
  ASSERT_EQ(files.size(), 4u);
  Inputs original = LoadInputs(files);
  ASSERT_TRUE(original.mapping.has_value());
  std::string yaml = WriteTimeloopMappingYaml(original.problem, original.arch, *original.mapping);

  Inputs reread =
      LoadInputsFromStrings({ReadFile(files[0]), ReadFile(files[1]), yaml, ReadFile(files[3])},
                            {files[0], files[1], "written mapping", files[3]});
  ASSERT_TRUE(reread.mapping.has_value());
  const Mapping& a = *original.mapping;
  const Mapping& b = *reread.mapping;
  EXPECT_EQ(VisibleLoops(a, false), VisibleLoops(b, false));
  EXPECT_EQ(VisibleLoops(a, true), VisibleLoops(b, true));
  ASSERT_EQ(a.levels.size(), b.levels.size());
  for (size_t l = 0; l < a.levels.size(); ++l) EXPECT_EQ(a.levels[l].keep, b.levels[l].keep) << l;
  // Writing the re-read mapping gives the same text: the format is a fixed point.
  EXPECT_EQ(WriteTimeloopMappingYaml(reread.problem, reread.arch, b), yaml);
}

}  // namespace
}  // namespace tessel
