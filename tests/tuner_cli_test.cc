// `tessel tune`: the built binary end to end: exit codes, messages word for word, the JSON, the
// log replayed without a single evaluation, and nothing written when an input is wrong.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#ifndef TESSEL_BINARY
#error "TESSEL_BINARY must name the built tessel executable"
#endif

namespace tessel {
namespace {

namespace fs = std::filesystem;

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "tessel_tune_test.XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

RunResult Tessel(const std::string& args) {
  TempDir capture;
  const fs::path out = capture / "out", err = capture / "err";
  const std::string command = std::string("'") + TESSEL_BINARY + "' " + args + " </dev/null >'" +
                              out.string() + "' 2>'" + err.string() + "'";
  const int status = std::system(command.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, ReadFile(out), ReadFile(err)};
}

const std::string kVgg8 = "--workload examples/cim/vgg8_cifar10.yaml";

TEST(TunerCliTest, Vgg8OnTheBundledChipWritesTheNetworkJson) {
  TempDir dir;
  const RunResult r =
      Tessel("tune " + kVgg8 + " --trials 8 --json '" + (dir / "t.json").string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");  // no progress when stderr is not a terminal
  const nlohmann::ordered_json j = nlohmann::ordered_json::parse(ReadFile(dir / "t.json"));
  std::vector<std::string> keys;
  for (const auto& [key, value] : j.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"workload", "model", "arch", "objective", "seed",
                                            "trials", "layers", "total", "bottleneck", "greedy"}));
  EXPECT_EQ(j["model"], "cim-refined");
  EXPECT_EQ(j["arch"], "isaac-like");
  ASSERT_EQ(j["layers"].size(), 8u);
  EXPECT_EQ(j["layers"][0]["name"], "conv1");
  EXPECT_TRUE(j["layers"][0]["schedule"].contains("copies"));
  // See tuner_network_test.cc: conv4's 9 copies of 288 arrays, 29 batches: 472 cycles.
  EXPECT_EQ(j["bottleneck"]["cycles"], 472);
  EXPECT_EQ(j["greedy"]["bottleneck"]["cycles"], 472);
  EXPECT_LT(j["total"]["cycles"].get<int>(), j["greedy"]["total"]["cycles"].get<int>());
  EXPECT_LE(j["total"]["arrays_used"].get<int>(), 16128);
  EXPECT_EQ(j["total"]["arrays_available"], 16128);
}

TEST(TunerCliTest, ALogIsReplayedWithoutEvaluatingAgain) {
  TempDir dir;
  const std::string log = " --log '" + (dir / "runs.jsonl").string() + "'";
  const RunResult first =
      Tessel("tune " + kVgg8 + " --trials 8" + log + " --json '" + (dir / "a.json").string() + "'");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("schedules evaluated (0 records replayed from the log)"),
            std::string::npos);
  const RunResult again = Tessel("tune " + kVgg8 + " --trials 8 --threads 2" + log + " --json '" +
                                 (dir / "b.json").string() + "'");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("\n0 schedules evaluated ("), std::string::npos) << again.out;
  EXPECT_EQ(ReadFile(dir / "a.json"), ReadFile(dir / "b.json"));
}

TEST(TunerCliTest, ABadLogLineExitsTwoAndWritesNothing) {
  TempDir dir;
  std::ofstream(dir / "runs.jsonl") << "\n{\"layer\": \"x\"}\n";
  const RunResult r = Tessel("tune " + kVgg8 + " --log '" + (dir / "runs.jsonl").string() +
                             "' --json '" + (dir / "t.json").string() + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "tessel: error: " + (dir / "runs.jsonl").string() + ":2: missing \"schedule\"\n");
  EXPECT_FALSE(fs::exists(dir / "t.json"));
}

TEST(TunerCliTest, BadChipModelAndObjectiveExitTwo) {
  TempDir dir;
  std::ofstream(dir / "chip.yaml")
      << "cim_architecture:\n  pes: 0\n  cus_per_pe: 2\n  arrays_per_cu: 4\n"
         "  array: {rows: 128, columns: 128, cell_bits: 2}\n  weight_bits: 16\n"
         "  input_bits: 16\n  dac_bits: 1\n"
         "  adc: {bits: 8, columns_per_adc: 128, samples_per_cycle: 128}\n"
         "  buffers: {cu_input_bytes: 2048, cu_output_bytes: 256, pe_bytes: 65536}\n"
         "  energy_pJ: {array_read: 30, dac: 0.39, adc: 1.5625, shift_add: 0.02,\n"
         "              cu_input_buffer: 1.9, cu_output_buffer: 2.9, pe_buffer: 2.7}\n";
  const RunResult chip = Tessel("tune " + kVgg8 + " --arch '" + (dir / "chip.yaml").string() +
                                "' --json '" + (dir / "t.json").string() + "'");
  EXPECT_EQ(chip.exit_code, 2);
  EXPECT_EQ(chip.err.rfind("tessel: error: " + (dir / "chip.yaml").string() + ":2:", 0), 0u)
      << chip.err;
  EXPECT_FALSE(fs::exists(dir / "t.json"));
  const RunResult model = Tessel("tune " + kVgg8 + " --model cim-magic");
  EXPECT_EQ(model.exit_code, 2);
  EXPECT_EQ(model.err,
            "tessel: error: unknown model 'cim-magic'; the models are: timeloop, cim-formula, "
            "cim-refined\n");
  const RunResult objective = Tessel("tune " + kVgg8 + " --objective fastest");
  EXPECT_EQ(objective.exit_code, 2);
  EXPECT_EQ(objective.err,
            "tessel: error: unknown objective 'fastest'; the objectives are: bottleneck, total\n");
  const RunResult big = Tessel("tune --workload vgg16");
  EXPECT_EQ(big.exit_code, 2);
  EXPECT_EQ(big.err.rfind("tessel: error: layer 'fc1' does not fit on chip 'isaac-like'", 0), 0u)
      << big.err;
}

TEST(TunerCliTest, TimeloopModelTunesMappingsOnSimba) {
  TempDir dir;
  const std::string cosa = std::string(TESSEL_TEST_DATA_DIR) + "/cosa";
  const RunResult r =
      Tessel("tune --model timeloop --workload cosa:resnet18_batch16 --arch '" + cosa +
             "/arch/simba.yaml' '" + cosa + "/mapspace/mapspace.yaml' --trials 24 --json '" +
             (dir / "t.json").string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(ReadFile(dir / "t.json"));
  ASSERT_FALSE(j["layers"].empty());
  long sum = 0;
  for (const auto& layer : j["layers"]) {
    EXPECT_GT(layer["utilization"].get<double>(), 0);
    EXPECT_LE(layer["utilization"].get<double>(), 1);
    EXPECT_TRUE(layer["schedule"]["mapping"].is_array());
    sum += layer["cycles"].get<long>();
  }
  EXPECT_EQ(j["total"]["cycles"].get<long>(), sum);
}

}  // namespace
}  // namespace tessel
