// `tessel sweep` of the `schedule` and `tune` commands: a Stream multi-core sweep, an RA-tree
// mesh sweep and a CIM tuning sweep each write the same bytes in one process and under
// `mpirun -n 3`; the base point's line carries exactly the figures `tessel schedule --json` /
// `tessel tune --json` print for the same inputs and options; the size and utilisation figures
// follow from the inputs by hand; a parameter path that matches nothing and a value the inputs
// reject fail word for word with exit 2 and no output; SIGTERM to rank 0 ends every rank through
// MPI_Finalize.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "cli_run.h"

#if defined(__SANITIZE_ADDRESS__)
#undef TESSEL_MPIEXEC
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#undef TESSEL_MPIEXEC
#endif
#endif

namespace tessel {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using testing::Child;
using testing::ReadFile;
using testing::RunResult;
using testing::RunTessel;
using testing::TempDir;
using testing::WriteFile;

const fs::path kExamples =
    fs::path(TESSEL_TEST_DATA_DIR).parent_path().parent_path().lexically_normal() / "examples";
const std::string kSystem = (kExamples / "multicore/hardware/tpu_like_quad_core.yaml").string();
const std::string kMapping = (kExamples / "multicore/mapping/tpu_like_quad_core_ga.yaml").string();
const std::string kCore = (kExamples / "multicore/hardware/cores/tpu_like.yaml").string();
const std::string kVgg8 = (kExamples / "cim/vgg8_cifar10.yaml").string();
const std::string kChip = (kExamples / "cim/isaac_like.yaml").string();
const std::string kMesh = (kExamples / "mesh/mesh4x4.yaml").string();

// The TPU-like quad core, its cores' SRAM (line 8) x the off-chip bus bandwidth (line 11): the
// last point (16777216, 128) is the system as it is.
std::string StreamSweep() {
  return "command: schedule\n"
         "options: {search: ga, generations: 1, population: 4, seed: 2}\n"
         "inputs: [" +
         kSystem + ", " + kMapping + ", " + kCore + "]\n" + "workloads: [" + kVgg8 + "]\n" +
         "parameters:\n"
         "- name: sram\n"
         "  path: sram_2MB.size\n"
         "  values: [8388608, 16777216]\n"
         "- name: bus\n"
         "  path: core_connectivity.12.bandwidth\n"
         "  values: [64, 128]\n";
}

// The ISAAC-like chip, tiles x crossbar size: the last point (168, 128) is the chip as it is.
std::string TuneSweep() {
  return "command: tune\n"
         "options: {model: cim-refined, trials: 8, seed: 4}\n"
         "inputs: [" +
         kChip + "]\n" + "workloads: [" + kVgg8 + "]\n" +
         "parameters:\n"
         "- name: pes\n"
         "  path: pes\n"
         "  values: [84, 168]\n"
         "- name: crossbar\n"
         "  set: {array.rows: 1, array.columns: 1, adc.columns_per_adc: 1, "
         "adc.samples_per_cycle: 1}\n"
         "  values: [64, 128]\n";
}

// The 4x4 mesh at 2x2 and 4x4 (the base), DarkNet-19 at batch 2.
std::string RaTreeSweep() {
  return "command: schedule\n"
         "options: {search: ratree, batch: 2, rounds: 2, samples: 10, polish: 50, seed: 1}\n"
         "inputs: [" +
         kMesh + "]\n" + "workloads: [darknet19]\n" +
         "parameters:\n"
         "- name: side\n"
         "  set: {mesh.x: 1, mesh.y: 1}\n"
         "  values: [2, 4]\n";
}

std::vector<Json> Lines(const std::string& text) {
  std::vector<Json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(Json::parse(line));
  return lines;
}

// Runs `yaml` in one process and (with MPI) under `mpirun -n 3`; returns the one-process file.
std::string RunEverywhere(const TempDir& dir, const std::string& name, const std::string& yaml) {
  WriteFile(dir.path() / (name + ".yaml"), yaml);
  RunResult one =
      RunTessel("sweep " + dir / (name + ".yaml") + " --out " + dir / (name + ".jsonl"));
  EXPECT_EQ(one.exit_code, 0) << one.err;
  const std::string reference = ReadFile(dir.path() / (name + ".jsonl"));
#ifdef TESSEL_MPIEXEC
  const std::string out = dir / (name + "_mpi3.jsonl");
  TempDir io;
  Child run({TESSEL_MPIEXEC, "--allow-run-as-root", "--oversubscribe", "-n", "3", TESSEL_BINARY,
             "sweep", dir / (name + ".yaml"), "--out", out},
            io);
  EXPECT_EQ(run.Wait(), 0) << run.err();
  EXPECT_EQ(ReadFile(out), reference) << name << ": 3 ranks";
#endif
  return reference;
}

TEST(SweepCommandsTest, StreamScheduleSweepMatchesTheCommandAndRanks) {
  TempDir dir;
  const std::vector<Json> lines = Lines(RunEverywhere(dir, "stream", StreamSweep()));
  ASSERT_EQ(lines.size(), 4u);
  RunResult cli =
      RunTessel("schedule --arch " + kSystem + " --mapping " + kMapping + " --workload " + kVgg8 +
                " --search ga --generations 1 --population 4 --seed 2 --threads 1 "
                "--json " +
                dir / "s.json");
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  const Json json = Json::parse(ReadFile(dir.path() / "s.json"));
  const Json& base = lines.back();
  EXPECT_EQ(base["params"], Json::parse(R"({"sram":16777216,"bus":128})"));
  EXPECT_EQ(base["status"], "ok");
  EXPECT_EQ(base["cycles"], json["latency_cycles"]);
  EXPECT_EQ(base["energy_pJ"], json["energy_pJ"]);
  EXPECT_EQ(base["macs"], json["macs"]);
  // Compute cores: 4 TPU-like (32x32 MACs), pooling and SIMD; on-chip: what the JSON lists per
  // core (memory_bits) without the off-chip core.
  std::int64_t bits = 0, cores = 0;
  for (const Json& core : json["cores"])
    if (!core["offchip"].get<bool>()) bits += core["memory_bits"].get<std::int64_t>();
  for (const Json& core : json["cores"]) cores += core["type"] != "memory";
  EXPECT_EQ(base["cores"], cores);
  EXPECT_EQ(base["onchip_bits"], bits);
  const double util =
      base["macs"].get<double>() / (base["cycles"].get<double>() * base["mac_units"].get<double>());
  EXPECT_NEAR(base["utilization"].get<double>(), util, 1e-9);
  EXPECT_NEAR(base["edp"].get<double>(),
              base["cycles"].get<double>() * base["energy_pJ"].get<double>(),
              1e-9 * base["edp"].get<double>());
  // Half the SRAM: each TPU-like core's top memory is 8388608 bits smaller.
  EXPECT_EQ(lines[0]["onchip_bits"].get<std::int64_t>(), bits - 4 * 8388608);
}

TEST(SweepCommandsTest, CimTuneSweepMatchesTheCommandAndRanks) {
  TempDir dir;
  const std::vector<Json> lines = Lines(RunEverywhere(dir, "tune", TuneSweep()));
  ASSERT_EQ(lines.size(), 4u);
  RunResult cli = RunTessel("tune --workload " + kVgg8 + " --arch " + kChip +
                            " --trials 8 --seed 4 --threads 1 --json " + dir / "t.json");
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  const Json total = Json::parse(ReadFile(dir.path() / "t.json"))["total"];
  const Json& base = lines.back();
  EXPECT_EQ(base["cycles"], total["cycles"]);
  EXPECT_EQ(base["energy_pJ"], total["energy_pJ"]);
  EXPECT_EQ(base["arrays_used"], total["arrays_used"]);
  // ISAAC-like: 168 tiles x 12 IMAs x 8 crossbars of 128 x 128 cells.
  EXPECT_EQ(base["arrays"], 168 * 12 * 8);
  EXPECT_EQ(base["cells"], 168 * 12 * 8 * 128 * 128);
  EXPECT_EQ(lines[0]["arrays"], 84 * 12 * 8);
  EXPECT_EQ(lines[0]["cells"], 84 * 12 * 8 * 64 * 64);
  EXPECT_EQ(base["utilization"].get<double>(),
            total["arrays_used"].get<double>() / total["arrays_available"].get<double>());
  EXPECT_EQ(base["macs"], 615917568);  // VGG-8's MACs (its file's layers, summed by hand)
}

// Timeloop-model tuning of the Simba-like arch: the base point (65536 words) equals `tessel tune
// --model timeloop --json`; the size figures are the map sweep's.
TEST(SweepCommandsTest, TimeloopTuneSweepMatchesTheCommand) {
  TempDir dir;
  const std::string arch = (kExamples / "simba/arch.yaml").string();
  const std::string mapspace = (kExamples / "simba/mapspace.yaml").string();
  const std::string layer = (kExamples / "sweep/resnet50_res3b.yaml").string();
  WriteFile(dir.path() / "tl.yaml",
            "command: tune\n"
            "options: {model: timeloop, trials: 8, seed: 1}\n"
            "inputs: [" +
                arch + ", " + mapspace + "]\n" + "workloads: [" + layer + "]\n" +
                "parameters:\n"
                "- {name: gb, path: GlobalBuffer.entries, "
                "values: [16384, 65536]}\n");
  RunResult sweep = RunTessel("sweep " + dir / "tl.yaml" + " --out " + dir / "tl.jsonl");
  ASSERT_EQ(sweep.exit_code, 0) << sweep.err;
  const std::vector<Json> lines = Lines(ReadFile(dir.path() / "tl.jsonl"));
  ASSERT_EQ(lines.size(), 2u);
  RunResult cli =
      RunTessel("tune --model timeloop --arch " + arch + " " + mapspace + " --workload " + layer +
                " --trials 8 --seed 1 --threads 1 --json " + dir / "t.json");
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  const Json total = Json::parse(ReadFile(dir.path() / "t.json"))["total"];
  EXPECT_EQ(lines[1]["cycles"], total["cycles"]);
  EXPECT_EQ(lines[1]["energy_pJ"], total["energy_pJ"]);
  // The global buffer's 48 KiB words more, 8 bits each (examples/simba: word-bits 8).
  EXPECT_EQ(
      lines[1]["onchip_bits"].get<std::int64_t>() - lines[0]["onchip_bits"].get<std::int64_t>(),
      (65536 - 16384) * 8);
}

TEST(SweepCommandsTest, RaTreeScheduleSweepMatchesTheCommandAndRanks) {
  TempDir dir;
  const std::vector<Json> lines = Lines(RunEverywhere(dir, "ratree", RaTreeSweep()));
  ASSERT_EQ(lines.size(), 2u);
  RunResult cli = RunTessel("schedule --search ratree --arch " + kMesh +
                            " --workload darknet19 --batch 2 --rounds 2 --samples 10 "
                            "--polish 50 --seed 1 --threads 1 --json " +
                            dir / "r.json");
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  const Json json = Json::parse(ReadFile(dir.path() / "r.json"));
  EXPECT_EQ(lines[1]["cycles"], json["latency_cycles"]);
  EXPECT_EQ(lines[1]["energy_pJ"], json["energy_pJ"]);
  EXPECT_EQ(lines[1]["edp"], json["edp"]);
  EXPECT_EQ(lines[0]["tiles"], 4);
  EXPECT_EQ(lines[1]["tiles"], 16);
  // Polar tiles: 1024 MACs and a 8192 x 1024-bit global buffer each.
  EXPECT_EQ(lines[1]["mac_units"], 16 * 1024);
  EXPECT_EQ(lines[1]["buffer_bits"], 16LL * 8192 * 1024);
}

#ifdef TESSEL_MPIEXEC
// The pid of the process whose environment says it is MPI rank 0 and whose command line
// mentions `marker`, or -1.
pid_t FindRankZero(const std::string& marker) {
  for (const fs::directory_entry& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::string cmdline = ReadFile(entry.path() / "cmdline");
    if (cmdline.find(marker) == std::string::npos || cmdline.find("mpiexec") == 0) continue;
    std::istringstream vars(ReadFile(entry.path() / "environ"));
    for (std::string var; std::getline(vars, var, '\0');)
      if (var == "OMPI_COMM_WORLD_RANK=0") return static_cast<pid_t>(std::stol(name));
  }
  return -1;
}

// SIGTERM to rank 0 of a 3-rank tune sweep (tasks of tens of milliseconds): rank 0 tells the
// workers to stop and every rank leaves through MPI_Finalize, so there is no MPI_ABORT banner;
// the rerun finishes the sweep with every point once.
TEST(SweepCommandsTest, SigtermOfRankZeroStopsWorkersWithoutAbort) {
  TempDir dir;
  const std::string yaml =
      "command: tune\n"
      "options: {model: cim-refined, trials: 16, seed: 1}\n"
      "inputs: [" +
      kChip + "]\n" + "workloads: [" + kVgg8 + "]\n" +
      "parameters:\n"
      "- {name: pes, path: pes, range: {from: 8, to: 168, step: 2}}\n";
  WriteFile(dir.path() / "s.yaml", yaml);
  const std::string out = dir / "stopped.jsonl";
  {
    TempDir io;
    Child run({TESSEL_MPIEXEC, "--allow-run-as-root", "--oversubscribe", "-n", "3", TESSEL_BINARY,
               "sweep", dir / "s.yaml", "--out", out},
              io);
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    auto lines = [&] {
      const std::string text = ReadFile(out);
      return std::count(text.begin(), text.end(), '\n');
    };
    while (lines() < 5 && run.running() && std::chrono::steady_clock::now() < give_up)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const pid_t root = FindRankZero(out);
    if (root < 0 || !run.running()) GTEST_SKIP() << "the sweep finished before the signal";
    ::kill(root, SIGTERM);
    EXPECT_NE(run.Wait(), 0) << run.err();
    EXPECT_NE(run.err().find("tessel: sweep stopped; run the same command again to finish it"),
              std::string::npos)
        << run.err();
    EXPECT_EQ(run.err().find("MPI_ABORT"), std::string::npos) << run.err();
  }
  RunResult again = RunTessel("sweep " + dir / "s.yaml" + " --out " + out);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const std::vector<Json> lines = Lines(ReadFile(out));
  ASSERT_EQ(lines.size(), 81u);
  for (size_t i = 0; i < lines.size(); ++i) EXPECT_EQ(lines[i]["point"], i);
}
#endif

RunResult RunBad(const TempDir& dir, const std::string& yaml) {
  WriteFile(dir.path() / "bad.yaml", yaml);
  return RunTessel("sweep " + dir / "bad.yaml" + " --out " + dir / "r.jsonl");
}

void ExpectBad(const std::string& good, const std::string& from, const std::string& to,
               const std::string& message) {
  TempDir dir;
  std::string yaml = good;
  const size_t at = yaml.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  yaml.replace(at, from.size(), to);
  RunResult r = RunBad(dir, yaml);
  EXPECT_EQ(r.exit_code, 2) << to;
  EXPECT_EQ(r.err, "tessel: error: " + dir / "bad.yaml" + message + "\n");
  EXPECT_EQ(r.out, "");
  EXPECT_FALSE(fs::exists(dir.path() / "r.jsonl")) << to;
}

TEST(SweepCommandsTest, BadScheduleAndTuneSweepsFailBeforeAnyWork) {
  ExpectBad(
      StreamSweep(), "path: sram_2MB.size", "path: sram_2MB.sise",
      ":7:9: path 'sram_2MB.sise' matches nothing in " + kSystem + ", " + kMapping + ", " + kCore);
  ExpectBad(StreamSweep(), "values: [64, 128]", "values: [64, 0]",
            ":11:16: parameter 'bus' = 0: the inputs reject it: " + kSystem +
                ": bandwidth must be positive, got 0");
  ExpectBad(TuneSweep(), "path: pes", "path: tiles",
            ":7:9: path 'tiles' matches nothing in " + kChip);
  ExpectBad(TuneSweep(), "values: [84, 168]", "values: [0, 168]",
            ":8:12: parameter 'pes' = 0: the inputs reject it: " + kChip +
                ": pes must be a positive integer, got 0");
  ExpectBad(StreamSweep(), "search: ga", "search: gaa",
            ":2:19: search must be one of: fixed, ga, milp, ratree (got 'gaa')");
  ExpectBad(RaTreeSweep(), "  values: [2, 4]\n",
            "  values: [2, 4]\n- {name: batch, option: batch, values: [2, 0]}\n",
            ":9:44: parameter 'batch' = 0: the options reject it: batch must be at least 1");
  ExpectBad(RaTreeSweep(), "  values: [2, 4]\n",
            "  values: [2, 4]\n- {option: search, values: [ratree, ga]}\n",
            ":9:12: 'search' decides what the inputs are: it cannot vary in one sweep");
  ExpectBad(TuneSweep(), "inputs: [" + kChip + "]", "inputs: [" + kChip + ", " + kChip + "]",
            ":3:9: a tune sweep with model cim-refined reads one chip file, not 2");
}

}  // namespace
}  // namespace tessel
