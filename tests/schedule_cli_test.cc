// `tessel schedule` as a user runs it: Stream's lab1 end to end (JSON valid from itself alone,
// byte-identical on a second run, trace and HTML written), a saved allocation that reloads to the
// same schedule, and every bad input of issue 9 rejected with exit code 2, its message word for
// word and no output file.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "cli_run.h"
#include "schedule_check.h"

namespace tessel {
namespace {

using testing::ReadFile;
using testing::RunTessel;
using testing::TempDir;

const std::filesystem::path kStream = std::filesystem::path(TESSEL_TEST_DATA_DIR) / "stream";
const std::string kLab1 =
    " --workload lab1/inputs/workload/4_convs.onnx --mapping lab1/inputs/mapping/mapping.yaml";
const std::string kLab3 =
    " --arch lab3/inputs/hardware/hda_bus.yaml --workload lab3/inputs/workload/4_convs.onnx"
    " --mapping lab3/inputs/mapping/mapping.yaml";

TEST(ScheduleCli, Lab1LayerByLayerValidDeterministicWithTraceAndHtml) {
  TempDir dir;
  const std::string args = "schedule --arch lab1/inputs/hardware/hda_bus.yaml" + kLab1 +
                           " --mode layer-by-layer --threads 2";
  testing::RunResult r = RunTessel(args + " --json " + (dir / "a.json") + " --trace " +
                                       (dir / "a.trace.json") + " --html " + (dir / "a.html"),
                                   kStream);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("4_convs on three_core_hda_bus: 4 layers, 4 nodes"), std::string::npos);
  nlohmann::json j = nlohmann::json::parse(ReadFile(dir.path() / "a.json"));
  // The lab's four layers, 6,096,384 MACs in all (56x56 outputs, 3x3, C = 3 or 8, K = 8).
  std::map<std::string, std::int64_t> macs = {
      {"Layer0", 677376}, {"Layer1", 1806336}, {"Layer2", 1806336}, {"Layer3", 1806336}};
  std::vector<std::string> bad = testing::CheckScheduleJson(j, macs);
  EXPECT_TRUE(bad.empty()) << bad.front();
  for (const char* key : {"latency_cycles", "energy_pJ", "energy_breakdown_pJ", "cores", "links",
                          "nodes", "transfers", "allocation", "pareto"})
    EXPECT_TRUE(j.contains(key)) << key;
  nlohmann::json trace = nlohmann::json::parse(ReadFile(dir.path() / "a.trace.json"));
  EXPECT_GT(trace["traceEvents"].size(), 4u);
  EXPECT_NE(ReadFile(dir.path() / "a.html").find("<svg"), std::string::npos);
  ASSERT_EQ(RunTessel(args + " --json " + (dir / "b.json"), kStream).exit_code, 0);
  EXPECT_EQ(ReadFile(dir.path() / "a.json"), ReadFile(dir.path() / "b.json"));
}

TEST(ScheduleCli, SavedGaAllocationReloadsToTheSameSchedule) {
  TempDir dir;
  testing::RunResult ga =
      RunTessel("schedule" + kLab3 + " --search ga --generations 2 --population 4 --seed 3" +
                    " --json " + (dir / "ga.json") + " --save-allocation " + (dir / "best.yaml"),
                kStream);
  ASSERT_EQ(ga.exit_code, 0) << ga.err;
  testing::RunResult fixed = RunTessel(
      "schedule --arch lab3/inputs/hardware/hda_bus.yaml --workload "
      "lab3/inputs/workload/4_convs.onnx --mapping " +
          (dir / "best.yaml") + " --json " + (dir / "fixed.json"),
      kStream);
  ASSERT_EQ(fixed.exit_code, 0) << fixed.err;
  nlohmann::json a = nlohmann::json::parse(ReadFile(dir.path() / "ga.json"));
  nlohmann::json b = nlohmann::json::parse(ReadFile(dir.path() / "fixed.json"));
  for (const char* key : {"search", "evaluations", "pareto", "cost_entries", "allocation"})
    a.erase(key), b.erase(key);
  EXPECT_EQ(a.dump(), b.dump());
}

// With no argument: the bundled ResNet-18 on the TPU-like quad core, JSON and HTML written.
TEST(ScheduleCli, NoArgumentRunsTheBundledExample) {
  TempDir dir;
  testing::RunResult r = RunTessel("schedule --threads 2", dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(dir.Files(),
            (std::vector<std::string>{"tessel_schedule.html", "tessel_schedule.json"}));
  nlohmann::json j = nlohmann::json::parse(ReadFile(dir.path() / "tessel_schedule.json"));
  EXPECT_EQ(j["workload"], "resnet18");
  EXPECT_EQ(j["search"], "ga");
  EXPECT_EQ(j["cores"].size(), 7u);
}

struct BadCase {
  std::string args;
  std::string message;
};

class ScheduleCliBadInput : public ::testing::TestWithParam<BadCase> {};

TEST_P(ScheduleCliBadInput, ExitTwoExactMessageNoOutput) {
  TempDir dir;
  testing::RunResult r =
      RunTessel("schedule " + GetParam().args + " --json " + (dir / "out.json"), kStream);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "tessel: error: " + GetParam().message + "\n");
  EXPECT_TRUE(dir.Files().empty());
}

INSTANTIATE_TEST_SUITE_P(
    Issue9, ScheduleCliBadInput,
    ::testing::Values(
        BadCase{"--arch bad/missing_core.yaml" + kLab1,
                "bad/missing_core.yaml:4:6: core file 'bad/cores/no_such_core.yaml' does not "
                "exist"},
        BadCase{"--arch bad/unknown_link_core.yaml" + kLab1,
                "bad/unknown_link_core.yaml:8:16: core_connectivity names core 7, which is not in "
                "'cores'"},
        BadCase{"--arch bad/zero_bandwidth.yaml" + kLab1,
                "bad/zero_bandwidth.yaml:9:16: bandwidth must be positive, got 0"},
        BadCase{"--arch bad/big_dataflow.yaml" + kLab1,
                "bad/big_dataflow_core.yaml:98:5: dataflow unrolls 64 over D1, larger than the "
                "array's 32"},
        BadCase{"--arch lab1/inputs/hardware/hda_bus.yaml --workload "
                "lab1/inputs/workload/4_convs.onnx --mapping bad/offchip_allocation.yaml",
                "bad/offchip_allocation.yaml:1:3: mapping entry 'default' names core 3 "
                "('offchip'), which has no operational array"},
        BadCase{"--arch lab1/inputs/hardware/hda_bus.yaml --workload "
                "lab1/inputs/workload/4_convs.onnx --mapping bad/no_default.yaml",
                "bad/no_default.yaml: no mapping entry matches layer 'Layer1' (op Conv) and "
                "there is no 'default' entry"},
        BadCase{"--arch bad/no_offchip.yaml --workload examples/workload/resnet18.onnx "
                "--mapping bad/two_cores.yaml",
                "bad/no_offchip.yaml: layer '/conv1/Conv' needs 7756376 bits on core 0, which "
                "holds 655360 bits, and the system has no off-chip core to spill to"},
        BadCase{"--arch bad/no_offchip.yaml --workload lab1/inputs/workload/4_convs.onnx "
                "--mapping bad/two_cores.yaml --mode layer-by-layer",
                "bad/no_offchip.yaml: layer-by-layer mode streams every layer through off-chip "
                "memory, and the system has no off-chip core (offchip_core_id)"},
        BadCase{"--arch lab1/inputs/hardware/hda_bus.yaml" + kLab1 + " --search anneal",
                "--search must be one of: fixed, ga, milp (got 'anneal')"}));

}  // namespace
}  // namespace tessel
