// The CIM network tuner on chips whose arrays are larger or smaller than the bundled ISAAC-like
// chip's 128x128 (the same chip otherwise: 168 PEs x 12 CUs x 8 arrays = 16128 arrays, 2-bit
// cells, 16-bit weights and inputs, a 2048-byte CU input buffer, a 256-byte CU output buffer).
//
// 256x256 arrays, by hand. An array holds 256 / (16 / 2) = 32 filters, so the model's default
// (densest) layout puts 32 filters in each of a CU's 8 arrays: one batch produces 8 x 32 = 256
// partial sums of 16 bits = 512 bytes, more than the 256-byte CU output buffer, for every layer
// with at least 8 arrays per copy. The tuner then starts each stage from the valid layout with
// the fewest arrays per copy (tuner/cim_layout.h): a CU's used arrays x filters_per_array <= 128.
//   conv1  27 rows x 128 filters: 32 filters -> 4 arrays, 2 copies share a CU, 8 x 32 too many;
//          26, 22, 19 filters -> 5, 6, 7 arrays, 5 x 26 = 130, 6 x 22 = 132, 7 x 19 = 133 too
//          many; 16 filters -> 8 arrays, 8 x 16 = 128: rows_used 27, 8 arrays.
//   conv2..fc1 (>= 8 arrays per copy: 8 arrays x at most 16 filters): rows_used 256, 16 filters
//          conv2 1152 x 128: 5 x 8 = 40; conv3 1152 x 256: 5 x 16 = 80; conv4 2304 x 256:
//          9 x 16 = 144; conv5 2304 x 512: 9 x 32 = 288; conv6 4608 x 512: 18 x 32 = 576;
//          fc1 8192 x 1024: 32 x 64 = 2048.
//   fc2    1024 rows x 10 filters, one column tile. 256 rows -> 4 arrays, 2 copies share a CU and
//          apply 2 x 1024 input words = 4096 bytes > the 2048-byte input buffer; a copy must have
//          >= 5 arrays (one copy per CU: 1024 words = 2048 bytes), rows_used <= 204.8 -> the
//          suggested 205 (1024 / 5 rounded up), 5 arrays.
//   One copy of each: 8 + 40 + 80 + 144 + 288 + 576 + 2048 + 5 = 3189 <= 16128 arrays: VGG-8
//   can be placed, and was a crash (an empty allocation indexed) before.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "tessel/common/error.h"
#include "tessel/io/bundled.h"
#include "tessel/io/cim_arch_yaml.h"
#include "tessel/io/workload_source.h"
#include "tessel/model/cim_layer.h"
#include "tessel/model/cim_model.h"
#include "tessel/tuner/cim_layout.h"
#include "tessel/tuner/cim_network.h"

namespace tessel {
namespace {

namespace fs = std::filesystem;

std::string Vgg8Path() {
  return (fs::path(BundledExamplesDir()) / "cim" / "vgg8_cifar10.yaml").string();
}

CimArch ChipWithArrays(std::int64_t size) {
  CimArch arch = io::LoadCimArchFile(io::BundledCimArchPath());
  arch.array_rows = size;
  arch.array_cols = size;
  return arch;
}

CimLayer MacLayer(const Workload& w, const std::string& name) {
  for (int i : w.MacLayers())
    if (w.layer(i).name == name) {
      CimLayer l;
      EXPECT_EQ(ToCimLayer(w.layer(i).problem, &l), "");
      return l;
    }
  ADD_FAILURE() << "no layer " << name;
  return {};
}

TEST(CimSizesTest, StartLayoutsOn256x256ArraysMatchTheHandCalculation) {
  const CimArch arch = ChipWithArrays(256);
  const Workload w = io::LoadWorkload(Vgg8Path());
  struct Expected {
    const char* layer;
    std::int64_t rows_used, filters_per_array, arrays;
  };
  const Expected expected[] = {{"conv1", 27, 16, 8},    {"conv2", 256, 16, 40},
                               {"conv3", 256, 16, 80},  {"conv4", 256, 16, 144},
                               {"conv5", 256, 16, 288}, {"conv6", 256, 16, 576},
                               {"fc1", 256, 16, 2048},  {"fc2", 205, 32, 5}};
  std::int64_t total = 0;
  for (const Expected& e : expected) {
    const CimLayer l = MacLayer(w, e.layer);
    const CimStartLayout start = StartLayout(l, arch, CimMode::kRefined);
    ASSERT_TRUE(start.ok()) << start.invalid_reason;
    EXPECT_FALSE(start.is_default) << e.layer;
    EXPECT_EQ(start.schedule.rows_used, e.rows_used) << e.layer;
    EXPECT_EQ(start.schedule.filters_per_array, e.filters_per_array) << e.layer;
    EXPECT_EQ(ArraysPerCopy(l, start.schedule), e.arrays) << e.layer;
    total += e.arrays;
  }
  EXPECT_EQ(total, 3189);
  // cim-formula has no buffers: its default layout is always its start.
  EXPECT_TRUE(StartLayout(MacLayer(w, "conv2"), arch, CimMode::kFormula).is_default);
}

// Every tuned stage is a valid schedule for the model and the stages share the chip's arrays.
void ExpectValidAllocation(const Workload& w, const CimNetworkResult& r, const CimArch& arch,
                           const TimingModel& model) {
  std::int64_t used = r.system.region_arrays;
  for (const CimStage& s : r.tuned) {
    const TimingResult t = model.Evaluate(w.layer(s.layer).problem, s.schedule, &arch);
    EXPECT_TRUE(t.ok()) << w.layer(s.layer).name << ": " << t.invalid_reason;
    used += s.arrays;
  }
  EXPECT_LE(used, r.arrays_available);
  EXPECT_EQ(r.tuned.size() + r.streamed.size(), w.MacLayers().size());
}

TEST(CimSizesTest, Vgg8TunesOn256x256Arrays) {
  const CimArch arch = ChipWithArrays(256);
  const Workload w = io::LoadWorkload(Vgg8Path());
  for (const char* name : {"cim-refined", "cim-formula"}) {
    EvaluationCache cache;
    std::unique_ptr<TimingModel> model = MakeTimingModel(name);
    CimNetworkOptions options;
    options.evolution.trials = 8;
    const CimNetworkResult r = TuneCimNetwork(w, *model, arch, "isaac256", cache, options);
    ASSERT_EQ(r.tuned.size(), 8u) << name;
    EXPECT_TRUE(r.streamed.empty()) << name;
    ExpectValidAllocation(w, r, arch, *model);
    EXPECT_LE(r.tuned_allocation.bottleneck_cycles, r.first_allocation.bottleneck_cycles);
  }
}

TEST(CimSizesTest, NoValidLayoutIsRejectedByName) {
  // A 1-byte CU output buffer holds no 16-bit partial sum. conv1 (27 rows x 128 filters) on
  // 128x128 arrays: the suggested rows_used are 1, 2, 4, 5, 6, 7, 8, 9, 14, 16, 27 (powers of
  // two, ceil(27 / n) for n = 1..8, the default) and filters_per_array 1, 2, 4, 8, 9, 10, 11, 12,
  // 13, 15, 16 (ceil(128 / n) for n = 8..15): 11 x 11 = 121 tried. The default: 1 row tile x
  // 8 column tiles = 8 arrays filling one CU, 8 x 16 = 128 partial sums = 256 bytes.
  CimArch arch = io::LoadCimArchFile(io::BundledCimArchPath());
  arch.cu_output_buffer_bytes = 1;
  const Workload w = io::LoadWorkload(Vgg8Path());
  EvaluationCache cache;
  std::unique_ptr<TimingModel> model = MakeTimingModel("cim-refined");
  try {
    TuneCimNetwork(w, *model, arch, "tiny-buffer", cache, {});
    FAIL() << "expected a UserError";
  } catch (const UserError& e) {
    EXPECT_EQ(std::string(e.what()),
              "layer 'conv1': no layout of its weights is valid on chip 'isaac-like' (121 "
              "rows_used x filters_per_array values tried); at the default layout: layer "
              "'conv1': one batch produces 128 partial sums (256 bytes) in a CU but its output "
              "buffer holds 1 bytes; use fewer filters_per_array");
  }
}

// Two layers that each fill the bundled chip: K = 16128 weight rows / 128 = 126 row tiles x
// 2048 filters / 16 = 128 column tiles = 16128 arrays = 168 x 12 x 8. Reprogramming keeps one
// resident (fcB; fcA, the first of the largest, is reprogrammed), which leaves no array for the
// region fcA would be written into. Was a "region of 0 arrays" with 16128 passes.
TEST(CimSizesTest, NoArraysLeftForTheReprogrammedRegionIsRejected) {
  const fs::path file = fs::temp_directory_path() / "tessel_cim_sizes_two_full.yaml";
  {
    std::ofstream out(file);
    out << "name: twofull\n"
           "layers:\n"
           "- {name: fcA, op: Gemm, M: 1, N: 2048, K: 16128}\n"
           "- {name: fcB, op: Gemm, M: 1, N: 2048, K: 16128}\n";
  }
  const Workload w = io::LoadWorkload(file.string());
  fs::remove(file);
  const CimArch arch = io::LoadCimArchFile(io::BundledCimArchPath());
  EvaluationCache cache;
  std::unique_ptr<TimingModel> model = MakeTimingModel("cim-refined");
  try {
    TuneCimNetwork(w, *model, arch, "isaac", cache, {});
    FAIL() << "expected a UserError";
  } catch (const UserError& e) {
    EXPECT_EQ(std::string(e.what()),
              "workload 'twofull' does not fit on chip 'isaac-like' even with reprogramming: its "
              "resident layers need 16128 of the 16128 arrays, leaving no region to write layer "
              "'fcA' into");
  }
}

}  // namespace
}  // namespace tessel
