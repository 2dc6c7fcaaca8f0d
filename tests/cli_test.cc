// End-to-end tests of the `tessel` executable: exit codes, messages word for word, and that a
// failed run never leaves a JSON file behind.
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

std::string ExampleFile(const std::string& name) {
  return (fs::path(TESSEL_TEST_DATA_DIR).parent_path().parent_path() / "examples" / "default" /
          name)
      .string();
}

TEST(CliTest, EvalWithoutFilesRunsTheBundledDefault) {
  RunResult r = RunTessel("eval");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Cycles:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("<< Compute >>"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");
}

TEST(CliTest, NoCommandRunsEvalOnTheBundledDefault) {
  RunResult r = RunTessel("");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Cycles:"), std::string::npos) << r.out;
}

TEST(CliTest, MissingFileIsAUserError) {
  RunResult r = RunTessel("eval /nonexistent/missing.yaml");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "tessel: error: /nonexistent/missing.yaml: no such file\n");
  EXPECT_EQ(r.out, "");
}

TEST(CliTest, UnknownOptionIsAUserError) {
  RunResult r = RunTessel("eval --no-such-option");
  EXPECT_EQ(r.exit_code, 2);
}

TEST(CliTest, NoMappingIsAUserError) {
  RunResult r =
      RunTessel("eval '" + ExampleFile("arch.yaml") + "' '" + ExampleFile("problem.yaml") + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "tessel: error: no mapping: none of the given files has a `mapping:` key\n");
}

TEST(CliTest, MalformedInputWritesNoJson) {
  TempDir dir;
  fs::path bad = dir.path() / "bad.yaml";
  WriteFile(bad, "mapping: [unclosed\n");
  fs::path json = dir.path() / "out.json";
  RunResult r = RunTessel("eval '" + bad.string() + "' --json '" + json.string() + "'");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.err.rfind("tessel: error: " + bad.string() + ":", 0), 0u) << r.err;
  // Nothing at all: neither the JSON nor a temporary file.
  EXPECT_EQ(dir.Files().size(), 1u);
}

TEST(CliTest, InvalidMappingWritesNoJson) {
  TempDir dir;
  // The default mapping with DRAM's P=8 made P=4: the P factors no longer multiply to 56.
  std::string mapping = ReadFile(ExampleFile("mapping.yaml"));
  size_t at = mapping.find("P=8");
  ASSERT_NE(at, std::string::npos);
  mapping.replace(at, 3, "P=4");
  fs::path bad = dir.path() / "mapping.yaml";
  WriteFile(bad, mapping);
  fs::path json = dir.path() / "out.json";
  RunResult r = RunTessel("eval '" + ExampleFile("arch.yaml") + "' '" +
                          ExampleFile("problem.yaml") + "' '" + bad.string() + "' '" +
                          ExampleFile("ERT.yaml") + "' --json '" + json.string() + "'");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.err.rfind("tessel: error: invalid mapping: ", 0), 0u) << r.err;
  EXPECT_FALSE(fs::exists(json));
}

TEST(CliTest, UnwritableJsonPathIsAUserError) {
  RunResult r = RunTessel("eval --json /nonexistent/dir/out.json");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("tessel: error: /nonexistent/dir/out.json: cannot write", 0), 0u) << r.err;
}

TEST(CliTest, JsonOfTheDefaultHasTheDocumentedKeysAndTypes) {
  TempDir dir;
  fs::path json_path = dir.path() / "cost.json";
  RunResult r = RunTessel("eval --json '" + json_path.string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(ReadFile(json_path));
  EXPECT_TRUE(j.at("cycles").is_number_integer());
  EXPECT_TRUE(j.at("energy_pJ").is_number_float());
  EXPECT_TRUE(j.at("utilization").is_number_float());
  EXPECT_TRUE(j.at("computes").is_number_integer());
  EXPECT_TRUE(j.at("energy_is_estimate").is_boolean());
  EXPECT_EQ(j.size(), 6u);
  // ResNet-50 3x3 layer: 64 * 64 * 3 * 3 * 56 * 56 MACs.
  EXPECT_EQ(j.at("computes").get<std::int64_t>(), 64LL * 64 * 3 * 3 * 56 * 56);
  // Simba-like: nine storage levels, innermost first.
  const nlohmann::json& levels = j.at("levels");
  ASSERT_TRUE(levels.is_array());
  ASSERT_EQ(levels.size(), 9u);
  EXPECT_EQ(levels.front().at("name"), "PEWeightRegs");
  EXPECT_EQ(levels.back().at("name"), "DRAM");
  for (const nlohmann::json& level : levels) {
    EXPECT_TRUE(level.at("name").is_string());
    EXPECT_TRUE(level.at("instances").is_number_integer());
    for (const auto& [space, stats] : level.at("tensors").items()) {
      for (const char* key : {"reads", "fills", "updates", "utilized_capacity"})
        EXPECT_TRUE(stats.at(key).is_number_integer()) << space << "." << key;
    }
  }
  EXPECT_EQ(levels.back().at("tensors").size(), 3u);  // DRAM keeps everything
  // Only the file asked for: no temporary left beside it.
  EXPECT_EQ(dir.Files().size(), 1u);
}

TEST(CliTest, SameInputsGiveByteIdenticalJson) {
  TempDir dir;
  fs::path a = dir.path() / "a.json", b = dir.path() / "b.json";
  ASSERT_EQ(RunTessel("eval --json '" + a.string() + "'").exit_code, 0);
  ASSERT_EQ(RunTessel("eval --json '" + b.string() + "'").exit_code, 0);
  EXPECT_EQ(ReadFile(a), ReadFile(b));
}

TEST(CliTest, DirectoryArgumentLoadsItsYamlFiles) {
  RunResult r =
      RunTessel("eval '" + fs::path(ExampleFile("arch.yaml")).parent_path().string() + "'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Cycles:"), std::string::npos);
}

}  // namespace
}  // namespace tessel
