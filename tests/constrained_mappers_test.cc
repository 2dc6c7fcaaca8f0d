// Every mapper stays inside the mapspace the architect's constraints allow, checked by a reader
// of the constraint files written here (not tessel's), and the constrained mapspaces agree with
// timeloop-mapper's own answers on exercise 05 (Timeloop's reference outputs).
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tessel/io/inputs.h"
#include "tessel/mapper/mapper.h"
#include "tessel/mapping/mapspace.h"
#include "timeloop_stats.h"

namespace tessel {
namespace {

std::string Data(const std::string& path) { return std::string(TESSEL_TEST_DATA_DIR) + "/" + path; }

// A ResNet-50 layer in Timeloop's CNN_Layer form.
struct Layer {
  const char* name;
  int C, M, R, S, P, Q, stride;
};
constexpr Layer kLayers[] = {
    {"res2a_branch2b", 64, 64, 3, 3, 56, 56, 1},
    {"res3a_branch1", 256, 512, 1, 1, 28, 28, 2},
    {"res5c_branch2a", 2048, 512, 1, 1, 7, 7, 1},
};

std::string ProblemYaml(const Layer& l) {
  return "problem:\n  shape:\n    name: CNN_Layer\n    dimensions: [C, M, R, S, N, P, Q]\n"
         "    coefficients: [{name: Wstride, default: 1}, {name: Hstride, default: 1},\n"
         "                   {name: Wdilation, default: 1}, {name: Hdilation, default: 1}]\n"
         "    data_spaces:\n"
         "    - {name: Weights, projection: [[[C]], [[M]], [[R]], [[S]]]}\n"
         "    - {name: Inputs, projection: [[[N]], [[C]], [[R, Wdilation], [P, Wstride]],"
         " [[S, Hdilation], [Q, Hstride]]]}\n"
         "    - {name: Outputs, projection: [[[N]], [[M]], [[Q]], [[P]]], read_write: true}\n"
         "  instance: {C: " +
         std::to_string(l.C) + ", M: " + std::to_string(l.M) + ", R: " + std::to_string(l.R) +
         ", S: " + std::to_string(l.S) + ", N: 1, P: " + std::to_string(l.P) +
         ", Q: " + std::to_string(l.Q) + ", Wstride: " + std::to_string(l.stride) +
         ", Hstride: " + std::to_string(l.stride) + "}\n";
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The independent reader: timeloopfe's processed `architecture_constraints` of a design, in the
// form every C++ Timeloop binary reads (target, type, factors "A=1,B=2", permutation letters,
// split, keep/bypass lists). Returns a message per broken directive.
std::vector<std::string> BrokenDirectives(const std::string& processed, const Problem& problem,
                                          const Arch& arch, const Mapping& mapping) {
  std::vector<std::string> broken;
  YAML::Node targets = YAML::LoadFile(processed)["architecture_constraints"]["targets"];
  for (const YAML::Node& t : targets) {
    const std::string name = t["target"].as<std::string>();
    const std::string type = t["type"].as<std::string>();
    const int level = arch.StorageIndex(name);
    if (level < 0) {
      broken.push_back("no level " + name);
      continue;
    }
    const LevelMapping& lm = mapping.levels[level];
    const std::string where = name + " " + type;
    if (type == "bypass") {
      for (const char* key : {"keep", "bypass"}) {
        if (!t[key]) continue;
        for (const YAML::Node& ds : t[key]) {
          const bool kept = lm.keep[problem.DataSpaceIndex(ds.as<std::string>())];
          if (kept != (std::string(key) == "keep"))
            broken.push_back(where + ": " + key + " " + ds.as<std::string>());
        }
      }
      continue;
    }
    const bool spatial = type == "spatial";
    const std::vector<Loop>& loops = spatial ? lm.spatial : lm.temporal;
    auto factor_of = [&](int dim) {
      std::int64_t f = 1;
      for (const Loop& loop : loops)
        if (loop.dim == dim) f *= loop.factor;
      return f;
    };
    if (t["factors"]) {
      std::string text = t["factors"].as<std::string>();
      std::stringstream items(text);
      std::string item;
      while (std::getline(items, item, ',')) {
        const std::string dim = item.substr(0, item.find('='));
        const std::int64_t want = std::stoll(item.substr(item.find('=') + 1));
        if (factor_of(problem.DimIndex(dim)) != want) broken.push_back(where + ": factor " + item);
      }
    }
    if (t["permutation"] && !spatial) {
      // Full permutations: the non-unit loops appear in the listed order (innermost first).
      const std::string order = t["permutation"].as<std::string>();
      if (order.size() == problem.dims.size()) {
        std::string actual, expected;
        for (const Loop& loop : loops)
          if (loop.factor > 1) actual += problem.dims[loop.dim].name;
        for (char c : order)
          if (factor_of(problem.DimIndex(std::string(1, c))) > 1) expected += c;
        if (actual != expected) broken.push_back(where + ": order " + actual);
      }
    }
    if (spatial && t["split"]) {
      const std::string order = t["permutation"].as<std::string>();
      const int split = t["split"].as<int>();
      for (const Loop& loop : loops) {
        const int position = static_cast<int>(order.find(problem.dims[loop.dim].name));
        const SpatialAxis want = position < split ? SpatialAxis::kX : SpatialAxis::kY;
        if (loop.factor > 1 && loop.axis != want)
          broken.push_back(where + ": axis of " + problem.dims[loop.dim].name);
      }
    }
  }
  return broken;
}

class ConstrainedDesign : public ::testing::TestWithParam<std::string> {};

TEST_P(ConstrainedDesign, EveryMapperStaysInsideTheShippedConstraints) {
  const std::string dir = Data("timeloop/example_designs/" + GetParam() + "/");
  for (const Layer& layer : kLayers) {
    Inputs in =
        LoadInputsFromStrings({ReadFile(dir + "arch.yaml"),
                               ReadFile(dir + "timeloop-mapper.ERT.yaml"), ProblemYaml(layer)},
                              {dir + "arch.yaml", dir + "timeloop-mapper.ERT.yaml", layer.name});
    MapSpace space = MakeMapSpace(in.problem, in.arch, in.constraints);
    for (const char* name : {"cosa", "random"}) {
      MapperOptions options;
      options.objective = Objective::kEdp;
      options.samples = 200;
      options.threads = 2;
      MapperResult result = MakeMapper(name)->Map(space, options);
      ASSERT_NE(result.status, MapperStatus::kNoMapping) << name << " " << result.message;
      EXPECT_TRUE(result.evaluation.ok());
      EXPECT_EQ(BrokenDirectives(dir + "parsed-processed-input.yaml", in.problem, in.arch,
                                 result.mapping),
                std::vector<std::string>{})
          << GetParam() << " " << layer.name << " " << name;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(TimeloopDesigns, ConstrainedDesign,
                         ::testing::Values("simba_like", "eyeriss_like"));

// Without any constraint file, simba_like maps: the one-word PEWeightRegs keep what fits and the
// mapper chooses the rest (Timeloop's mapper does too).
TEST(UnconstrainedDesign, SimbaLikeMapsWithBypassChosenByTheMapper) {
  const std::string dir = Data("timeloop/example_designs/simba_like/");
  std::string arch = ReadFile(dir + "arch.yaml");
  // Drop every inline `constraints:` block: the design without its constraints.
  std::string plain;
  std::stringstream lines(arch);
  std::string line;
  int skip_indent = -1;
  while (std::getline(lines, line)) {
    const int indent = static_cast<int>(line.find_first_not_of(' '));
    if (skip_indent >= 0 && indent > skip_indent) continue;
    skip_indent = -1;
    if (line.find("constraints:") != std::string::npos) {
      skip_indent = indent;
      continue;
    }
    plain += line + "\n";
  }
  Inputs in = LoadInputsFromStrings(
      {plain, ReadFile(dir + "timeloop-mapper.ERT.yaml"), ProblemYaml(kLayers[0])},
      {"arch.yaml", "ERT.yaml", "prob.yaml"});
  EXPECT_TRUE(in.constraints.empty()) << plain;
  MapSpace space = MakeMapSpace(in.problem, in.arch, in.constraints);
  EXPECT_TRUE(space.HasFreeKeep());
  MapperOptions options;
  options.objective = Objective::kEdp;
  options.threads = 2;
  MapperResult result = MakeMapper("cosa")->Map(space, options);
  ASSERT_NE(result.status, MapperStatus::kNoMapping) << result.message;
  EXPECT_TRUE(result.evaluation.ok());
}

// Exercise 05's constraint files against timeloop-mapper's outputs on them (exhaustive search,
// metrics [delay, energy]): "1mapping" leaves one mapping, "freebypass" fixes every factor and
// order and leaves the 2^6 keep/bypass choices of the two inner levels. (Timeloop ignores the
// permutation of the innermost level, which never changes the cost, so its RegisterFile order
// differs from the constraint's; cycles and energy do not.)
Inputs Exercise05(const std::string& constraints) {
  const std::string dir = Data("timeloop/exercises/05-mapper-conv1d+oc-3level/");
  return LoadInputs({dir + "arch/3level.arch.yaml", dir + "prob/conv1d+oc.prob.yaml",
                     dir + "ref-output/null/timeloop-mapper.ERT.yaml",
                     dir + "constraints/" + constraints});
}

TEST(Exercise05, OneMappingConstraintsLeaveTimeloopsMapping) {
  Inputs in = Exercise05("conv1d+oc-3level-1mapping.constraints.yaml");
  MapSpace space = MakeMapSpace(in.problem, in.arch, in.constraints);
  MapperOptions options;
  options.objective = Objective::kEnergy;
  MapperResult result = MakeMapper("exhaustive")->Map(space, options);
  ASSERT_TRUE(result.evaluation.ok()) << result.message;
  EXPECT_TRUE(result.proven_optimal);
  const testing::ReferenceStats stats = testing::ReadTimeloopStats(Data(
      "timeloop/exercises/05-mapper-conv1d+oc-3level/ref-output/baked/timeloop-mapper.stats.txt"));
  EXPECT_EQ(result.evaluation.cost.cycles, stats.cycles);
  EXPECT_NEAR(result.evaluation.cost.energy_pJ, stats.energy_pJ, stats.energy_pJ * 1e-3);
}

TEST(Exercise05, FreeBypassSearchFindsTimeloopsAnswer) {
  Inputs in = Exercise05("conv1d+oc-3level-freebypass.constraints.yaml");
  MapSpace space = MakeMapSpace(in.problem, in.arch, in.constraints);
  int free = 0;
  for (const std::vector<bool>& level : space.keep_free)
    for (bool f : level) free += f;
  EXPECT_EQ(free, 6);  // 2 inner levels x 3 tensors: 64 choices, as the exercise says
  MapperOptions options;
  options.objective = Objective::kEnergy;
  MapperResult result = MakeMapper("exhaustive")->Map(space, options);
  ASSERT_TRUE(result.evaluation.ok()) << result.message;
  EXPECT_TRUE(result.proven_optimal);
  // timeloop-mapper's answer: 1536 cycles, its energy, the GlobalBuffer keeping only Inputs.
  const testing::ReferenceStats stats =
      testing::ReadTimeloopStats(Data("timeloop/exercises/05-mapper-conv1d+oc-3level/ref-output/"
                                      "freebypass/timeloop-mapper.stats.txt"));
  EXPECT_EQ(result.evaluation.cost.cycles, 1536);
  EXPECT_EQ(stats.cycles, 1536);
  EXPECT_NEAR(result.evaluation.cost.energy_pJ, stats.energy_pJ, stats.energy_pJ * 1e-3);
  const int glb = in.arch.StorageIndex("GlobalBuffer");
  EXPECT_EQ(result.mapping.levels[glb].keep, (std::vector<bool>{false, true, false}));
}

}  // namespace
}  // namespace tessel
