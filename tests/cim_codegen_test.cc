// `tessel tune --emit-c`: the emitted C, compiled with the system compiler (cc) and run on random
// unsigned inputs and weights, equals a naive convolution bit for bit, and counts exactly the
// array reads and ADC conversions cim-refined reports.
//
// References (not the code under test): the harness below is this test's own C: a naive
// convolution over the documented tensor layouts (input [N][G*C][IH][IW], weights
// [G*K][C][KH][KW], output [N][G*K][OH][OW]), random values from its own generator. The counts
// are cim-refined's `array_reads` and `adc_conversions` for the same schedule.
//
// Run time: the bit-serial crossbar costs arrays x steps x 128 x 128 operations per vector, so a
// layer computes every `sample`-th vector of its schedule (sample 1 for small layers, at least
// one vector for the largest); the counts are then checked per computed vector: the model's
// count divided by W*H*N (exactly divisible, checked) times the vectors computed.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "tessel/codegen/cim_c.h"
#include "tessel/io/bundled.h"
#include "tessel/io/cim_arch_yaml.h"
#include "tessel/io/workload_source.h"
#include "tessel/model/cim_model.h"
#include "tessel/tuner/cim_network.h"
#include "tessel/workload/zoo.h"

namespace tessel {
namespace {

namespace fs = std::filesystem;

// The harness: main() gets one CHECK line per layer (from the test) and prints, per layer,
// "<array_reads> <adc_conversions> <vectors computed> <outputs checked> <outputs wrong>".
constexpr const char* kHarness = R"C(
#include <stdio.h>
#include <stdlib.h>
#include "tessel_cim.h"

static uint64_t seed = 12345;
static uint32_t Draw(int bits) { /* splitmix64 */
  uint64_t z = (seed += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return (uint32_t)(z & (((uint64_t)1 << bits) - 1));
}

typedef void (*Program)(const uint32_t*, uint8_t*);
typedef void (*Run)(const uint8_t*, const uint32_t*, uint64_t*, int64_t, tessel_cim_counts*);

static void Check(Program program, Run run, int64_t N, int64_t G, int64_t C, int64_t K,
                  int64_t R, int64_t S, int64_t P, int64_t Q, int64_t hs, int64_t ws,
                  int64_t hd, int64_t wd, int64_t cell_bytes, int64_t sample) {
  const int64_t H = (P - 1) * hs + (R - 1) * hd + 1, W = (Q - 1) * ws + (S - 1) * wd + 1;
  uint32_t* in = malloc(sizeof(uint32_t) * N * G * C * H * W);
  uint32_t* wt = malloc(sizeof(uint32_t) * G * K * C * R * S);
  uint64_t* out = malloc(sizeof(uint64_t) * N * G * K * P * Q);
  uint8_t* cells = malloc((size_t)cell_bytes);
  for (int64_t i = 0; i < N * G * C * H * W; ++i) in[i] = Draw(TESSEL_CIM_INPUT_BITS);
  for (int64_t i = 0; i < G * K * C * R * S; ++i) wt[i] = Draw(TESSEL_CIM_WEIGHT_BITS);
  for (int64_t i = 0; i < N * G * K * P * Q; ++i) out[i] = 0xFFFFFFFFFFFFFFFFull;
  tessel_cim_counts counts = {0, 0};
  program(wt, cells);
  run(cells, in, out, sample, &counts);
  long long vectors = 0, checked = 0, wrong = 0;
  for (int64_t n = 0; n < N; ++n)
    for (int64_t p = 0; p < P; ++p)
      for (int64_t q = 0; q < Q; ++q) {
        int any = 0;
        for (int64_t g = 0; g < G; ++g)
          for (int64_t k = 0; k < K; ++k) {
            const uint64_t got = out[((n * G + g) * K + k) * P * Q + p * Q + q];
            if (got == 0xFFFFFFFFFFFFFFFFull) continue;
            uint64_t want = 0;
            for (int64_t c = 0; c < C; ++c)
              for (int64_t r = 0; r < R; ++r)
                for (int64_t s = 0; s < S; ++s)
                  want += (uint64_t)wt[(((g * K + k) * C + c) * R + r) * S + s] *
                          in[(((n * G + g) * C + c) * H + p * hs + r * hd) * W + q * ws + s * wd];
            any = 1, ++checked, wrong += got != want;
          }
        vectors += any;
      }
  printf("%lld %lld %lld %lld %lld\n", (long long)counts.array_reads,
         (long long)counts.adc_conversions, vectors, checked, wrong);
  free(in), free(wt), free(out), free(cells);
}

int main(void) {
@CHECKS@  return 0;
}
)C";

struct Case {
  CimCLayer layer;
  TimingResult model;  // cim-refined for the layer's schedule
  std::int64_t sample = 1;
};

std::int64_t Count(const TimingResult& r, const std::string& name) {
  for (const auto& [n, v] : r.counts)
    if (n == name) return v;
  ADD_FAILURE() << "no count " << name;
  return -1;
}

CimArch Chip() { return io::LoadCimArchFile(io::BundledCimArchPath()); }

// The layers of `workload` as tuned by cim-refined (a few trials: any valid schedule will do).
std::vector<Case> TunedCases(const Workload& workload, const CimArch& chip) {
  const std::unique_ptr<TimingModel> model = MakeTimingModel("cim-refined");
  EvaluationCache cache;
  CimNetworkOptions options;
  options.evolution.trials = 16;
  options.evolution.threads = 2;
  const CimNetworkResult result = TuneCimNetwork(workload, *model, chip, "test", cache, options);
  EXPECT_EQ(result.system.chips, 1);
  EXPECT_EQ(result.system.reprogrammed_layers, 0);
  std::vector<Case> cases;
  for (const CimCLayer& l : CimCLayersOf(workload, result, "cim-refined"))
    cases.push_back({l, EvaluateCimRefined(l.layer, l.schedule, chip)});
  return cases;
}

// Every `sample`-th vector so that a layer costs about 4e7 bit-serial operations.
void ChooseSamples(std::vector<Case>& cases, const CimArch& chip) {
  for (Case& c : cases) {
    const std::int64_t per_vector = ArraysPerCopy(c.layer.layer, c.layer.schedule) *
                                    chip.InputSteps() * chip.array_rows * chip.array_cols;
    const std::int64_t vectors = c.layer.layer.OutputVectors();
    c.sample = std::max<std::int64_t>(1, vectors * per_vector / 40'000'000);
  }
}

std::string Run(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return out;
  char buffer[4096];
  while (std::size_t n = fread(buffer, 1, sizeof(buffer), pipe)) out.append(buffer, n);
  EXPECT_EQ(pclose(pipe), 0) << command << "\n" << out;
  return out;
}

fs::path TempDir(const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("tessel_codegen_" + name + "_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// Emits, compiles and runs `cases`; checks outputs and counts per layer.
void CheckEmitted(const std::vector<Case>& cases, const CimArch& chip, const std::string& name) {
  std::vector<CimCLayer> layers;
  for (const Case& c : cases) layers.push_back(c.layer);
  const fs::path dir = TempDir(name);
  std::string layer_files;
  for (const EmittedFile& f : EmitCimC(layers, chip)) {
    std::ofstream(dir / f.name) << f.text;
    if (f.name != "driver.c" && f.name != "tessel_cim.h") layer_files += " " + f.name;
  }
  std::string checks;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const CimLayer& l = cases[i].layer.layer;
    const std::string p = CimCPrefix(static_cast<int>(i), l.name);
    checks += fmt::format(
        "  Check({p}program, {p}run, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, "
        "{p}CELL_BYTES, "
        "{});\n",
        l.batch, l.groups, l.in_channels, l.out_channels, l.kernel_h, l.kernel_w, l.out_h, l.out_w,
        l.stride_h, l.stride_w, l.dilation_h, l.dilation_w, cases[i].sample, fmt::arg("p", p));
  }
  std::string harness = kHarness;
  harness.replace(harness.find("@CHECKS@"), 8, checks);
  std::ofstream(dir / "check.c") << harness;
  const std::string cd = "cd '" + dir.string() + "' && ";
  Run(cd + "cc -std=c99 -O2 -Wall -Werror -o check check.c" + layer_files + " 2>&1");
  std::istringstream lines(Run(cd + "./check"));
  for (const Case& c : cases) {
    long long reads = -1, adcs = -1, vectors = -1, checked = -1, wrong = -1;
    lines >> reads >> adcs >> vectors >> checked >> wrong;
    const CimLayer& l = c.layer.layer;
    SCOPED_TRACE(l.name + " sample " + std::to_string(c.sample));
    ASSERT_TRUE(c.model.ok()) << c.model.invalid_reason;
    const std::int64_t all = l.OutputVectors();
    EXPECT_EQ(vectors, (all + c.sample - 1) / c.sample);
    EXPECT_EQ(checked, vectors * l.TotalFilters());
    EXPECT_EQ(wrong, 0);
    const std::int64_t model_reads = Count(c.model, "array_reads");
    const std::int64_t model_adcs = Count(c.model, "adc_conversions");
    ASSERT_EQ(model_reads % all, 0);
    ASSERT_EQ(model_adcs % all, 0);
    EXPECT_EQ(reads, model_reads / all * vectors);
    EXPECT_EQ(adcs, model_adcs / all * vectors);
    if (c.sample == 1) {
      EXPECT_EQ(reads, model_reads);
      EXPECT_EQ(adcs, model_adcs);
    }
  }
  // The emitted driver checks itself (first vector of every layer).
  Run(cd + "cc -std=c99 -O2 -o driver driver.c" + layer_files + " 2>&1");
  const std::string out = Run(cd + "./driver 1000000000");
  EXPECT_EQ(out.find("MISMATCH"), std::string::npos) << out;
  fs::remove_all(dir);
}

TEST(CimCodegenTest, Vgg8EveryLayerExactAndCountsEqualTheModel) {
  const CimArch chip = Chip();
  const Workload w =
      io::LoadWorkload((fs::path(BundledExamplesDir()) / "cim" / "vgg8_cifar10.yaml").string());
  std::vector<Case> cases = TunedCases(w, chip);
  ASSERT_EQ(cases.size(), 8u);
  ChooseSamples(cases, chip);
  CheckEmitted(cases, chip, "vgg8");
}

TEST(CimCodegenTest, ResNet18EveryLayerExactAndCountsEqualTheModel) {
  const CimArch chip = Chip();
  std::vector<Case> cases = TunedCases(MakeResNet18(), chip);
  ASSERT_EQ(cases.size(), 21u);
  ChooseSamples(cases, chip);
  CheckEmitted(cases, chip, "resnet18");
}

// Grouped layers, both packings: a depthwise 3x3 (32 groups of 1 channel, 14 stacked per array
// by default) and a grouped 3x3 (4 groups of 48 -> 40 channels: 432 rows, 4 row tiles of 108,
// 3 column tiles of 16, 16, 8) side by side; and the depthwise one side by side too.
TEST(CimCodegenTest, GroupedLayersExactAndCountsEqualTheModel) {
  const CimArch chip = Chip();
  CimLayer depthwise;
  depthwise.name = "dw";
  depthwise.kernel_h = depthwise.kernel_w = 3;
  depthwise.groups = 32;
  depthwise.out_h = depthwise.out_w = 6;
  depthwise.stride_h = depthwise.stride_w = 2;
  CimLayer grouped = depthwise;
  grouped.name = "g4";
  grouped.groups = 4;
  grouped.in_channels = 48;
  grouped.out_channels = 40;
  grouped.out_h = grouped.out_w = 5;
  grouped.stride_h = grouped.stride_w = 1;
  grouped.dilation_h = 2;
  std::vector<Case> cases;
  auto add = [&](const CimLayer& l, CimSchedule s) {
    s.pes = chip.pes;
    s.cus = chip.cus_per_pe;
    cases.push_back({{l, s}, EvaluateCimRefined(l, s, chip)});
  };
  add(depthwise, {.rows_used = 9,
                  .filters_per_array = 16,
                  .copies = 4,
                  .pixel_tiles = 2,
                  .groups_per_array = MaxGroupsPerArray(depthwise, chip)});
  add(depthwise, {.rows_used = 9, .filters_per_array = 16, .copies = 3, .groups_per_array = 1});
  add(grouped, {.rows_used = 108, .filters_per_array = 16, .copies = 2, .groups_per_array = 1});
  EXPECT_EQ(MaxGroupsPerArray(depthwise, chip), 14);  // floor(128 / 9) = 14 < 16 filters
  EXPECT_EQ(ArraysPerCopy(depthwise, cases[0].layer.schedule), 3);  // ceil(32 / 14)
  EXPECT_EQ(ArraysPerCopy(grouped, cases[2].layer.schedule), 4 * 4 * 3);
  CheckEmitted(cases, chip, "grouped");
}

}  // namespace
}  // namespace tessel
