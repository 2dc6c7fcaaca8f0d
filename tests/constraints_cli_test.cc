// Constraints end to end: `tessel map` on Timeloop's Eyeriss-like design with its shipped
// constraints writes a mapping that `tessel eval` finds satisfies them; `tessel eval` names each
// broken directive; bad constraints exit 2 with the location and leave no output file.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_run.h"

namespace tessel {
namespace {

namespace fs = std::filesystem;
using testing::ReadFile;
using testing::RunResult;
using testing::RunTessel;
using testing::TempDir;
using testing::WriteFile;

const std::string kEx06 =
    std::string(TESSEL_TEST_DATA_DIR) + "/timeloop/exercises/06-mapper-convlayer-eyeriss/";
const std::string kEyeriss = kEx06 + "arch/eyeriss_like.yaml " + kEx06 + "prob/VGG02_layer5.yaml " +
                             kEx06 + "ref-output/timeloop-mapper.ERT.yaml ";

TEST(ConstraintsCli, MappingOutSatisfiesTheConstraintsInEval) {
  TempDir dir;
  RunResult r = RunTessel("map " + kEyeriss + "--mapper random --samples 100 --threads 2 " +
                          "--mapping-out " + dir / "map.yaml");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  RunResult e = RunTessel("eval " + kEyeriss + dir / "map.yaml" + " --json " + dir / "eval.json");
  ASSERT_EQ(e.exit_code, 0) << e.err;
  EXPECT_NE(e.out.find("Constraints: satisfied\n"), std::string::npos) << e.out;
  nlohmann::json j = nlohmann::json::parse(ReadFile(dir.path() / "eval.json"));
  EXPECT_EQ(j["constraint_violations"], nlohmann::json::array());
}

// timeloop-mapper's own answer for exercise 06 breaks nothing; moving its M8 from psum_spad to
// weights_spad (still a valid mapping: the 8x3x8 = 192 weights fill weights_spad exactly) breaks
// weights_spad's `factors: [N=1, M=1, ...]` and its permutation.
TEST(ConstraintsCli, EvalNamesTheBrokenDirective) {
  TempDir dir;
  RunResult ok = RunTessel("eval " + kEyeriss + kEx06 + "ref-output/timeloop-mapper.map.yaml");
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("Constraints: satisfied\n"), std::string::npos) << ok.out;
  std::string broken = ReadFile(kEx06 + "ref-output/timeloop-mapper.map.yaml");
  for (const auto& [from, to] :
       {std::pair<std::string, std::string>{"C1 M8 R1", "C1 M1 R1"}, {"C8 M1 R3", "C8 M8 R3"}}) {
    const size_t at = broken.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    broken.replace(at, from.size(), to);
  }
  WriteFile(dir.path() / "broken.yaml", broken);
  RunResult e = RunTessel("eval " + kEyeriss + dir / "broken.yaml" + " --json " + dir / "e.json");
  ASSERT_EQ(e.exit_code, 0) << e.err;
  EXPECT_NE(e.out.find("Constraint violations: 2\n"), std::string::npos) << e.out;
  EXPECT_NE(e.out.find("eyeriss_like.yaml:85:26: level weights_spad: temporal factor of M is 8, "
                       "the constraint requires 1\n"),
            std::string::npos)
      << e.out;
  EXPECT_NE(e.out.find("level weights_spad: temporal loop order CRM (innermost first) breaks the "
                       "permutation; it would be MCR\n"),
            std::string::npos)
      << e.out;
  nlohmann::json j = nlohmann::json::parse(ReadFile(dir.path() / "e.json"));
  ASSERT_EQ(j["constraint_violations"].size(), 2u);
  EXPECT_EQ(j["constraint_violations"][0]["message"],
            "level weights_spad: temporal factor of M is 8, the constraint requires 1");
}

TEST(ConstraintsCli, BadConstraintExitsTwoWithLocationAndWritesNothing) {
  TempDir dir;
  WriteFile(dir.path() / "c.yaml",
            "mapspace_constraints:\n  targets:\n  - {target: shared_glb, type: temporal, "
            "no_temporal_reuse: [Inputs]}\n");
  RunResult r = RunTessel("map " + kEyeriss + dir / "c.yaml" + " --json " + dir / "out.json");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_EQ(r.err, "tessel: error: " + dir / "c.yaml" +
                       ":3:61: constraint key 'no_temporal_reuse' is a Timeloop option tessel "
                       "does not implement; remove it\n");
  EXPECT_FALSE(fs::exists(dir.path() / "out.json"));
}

TEST(ConstraintsCli, ContradictionNamesBothPlaces) {
  TempDir dir;
  WriteFile(dir.path() / "c.yaml",
            "mapspace_constraints:\n  targets:\n  - {target: shared_glb, type: bypass, "
            "keep: [Weights]}\n");
  RunResult r = RunTessel("map " + kEyeriss + dir / "c.yaml" + " --json " + dir / "out.json");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  // The arch's inline `dataspace: {keep: [Inputs, Outputs], bypass: [Weights]}` at line 35.
  EXPECT_NE(r.err.find(dir / "c.yaml" +
                       ":3:47: keep Weights at level shared_glb contradicts the "
                       "bypass at " +
                       kEx06 + "arch/eyeriss_like.yaml:35:53\n"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(dir.path() / "out.json"));
}

}  // namespace
}  // namespace tessel
