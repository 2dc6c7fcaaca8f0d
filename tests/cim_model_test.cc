// The compute-in-memory timing models against hand computations.
//
// cim-formula is the published crossbar timing formula, checked on VGG-8 (CIFAR-10) and
// ResNet-18 layers whose results are worked out BY HAND in the comments:
//   total = number_batch * cycle_batch + 6,  cycle_batch = input_bits / dac_bits,
//   number_batch = ceil((kkC / rows_used) * (K / filters_per_array) * W*H*N
//                       / (arrays_per_CU * CUs)).
// On the ISAAC-like chip (168 PEs x 12 CUs x 8 arrays of 128x128, 2-bit cells, 16-bit weights
// and inputs, 1-bit DACs): rows_used = min(128, kkC), filters_per_array = floor(128 / (16/2))
// = 16, CUs = 168 * 12 = 2016, arrays_per_CU * CUs = 8 * 2016 = 16128, cycle_batch = 16.
//
// VGG-8 for CIFAR-10 as DNN+NeuroSim defines it (NetWork_VGG8.csv of DNN_NeuroSim_V1.3, whose
// parameter count is 12,973,440): conv 3->128, 128->128 at 32x32; 128->256, 256->256 at 16x16;
// 256->512, 512->512 at 8x8 (all 3x3, stride 1, same padding); FC 8192->1024, 1024->10; batch 1.
// ResNet-18 layers: tests/data/cosa/workloads/resnet18_batch16_graph (batch 16).
#include "tessel/model/cim_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "tessel/arch/cim_arch.h"
#include "tessel/io/bundled.h"
#include "tessel/io/inputs.h"
#include "tessel/model/evaluate.h"
#include "tessel/model/timing_model.h"
#include "tessel/workload/problem.h"

namespace tessel {
namespace {

CimArch IsaacLike() {
  CimArch a;
  a.name = "isaac-like";
  a.pes = 168;
  a.cus_per_pe = 12;
  a.arrays_per_cu = 8;
  a.array_rows = 128;
  a.array_cols = 128;
  a.cell_bits = 2;
  a.weight_bits = 16;
  a.input_bits = 16;
  a.dac_bits = 1;
  a.adc_bits = 8;
  a.columns_per_adc = 128;
  a.adc_samples_per_cycle = 128;
  a.pipeline_cycles = 6;
  a.inter_pe_cycles = 1;
  a.cu_input_buffer_bytes = 2048;
  a.cu_output_buffer_bytes = 256;
  a.pe_buffer_bytes = 65536;
  a.energy = {30, 0.39, 1.5625, 0.0195, 1.94, 2.875, 2.7};
  return a;
}

// A conv layer as Timeloop describes it: R=S=k, P=W, Q=H.
Problem Conv(const std::string& name, std::int64_t k, std::int64_t c, std::int64_t m,
             std::int64_t hw, std::int64_t n, std::int64_t stride = 1) {
  ConvShape s;
  s.R = s.S = k;
  s.P = s.Q = hw;
  s.C = c;
  s.M = m;
  s.N = n;
  s.w_stride = s.h_stride = stride;
  return MakeConvProblem(name, s);
}

std::int64_t FormulaCycles(const Problem& layer, const CimArch& arch,
                           const Schedule& schedule = {}) {
  std::unique_ptr<TimingModel> model = MakeTimingModel("cim-formula");
  TimingResult r = model->Evaluate(layer, schedule, &arch);
  EXPECT_TRUE(r.ok()) << r.invalid_reason;
  return r.cycles;
}

TEST(CimFormulaTest, Vgg8CifarOnIsaacLike) {
  const CimArch isaac = IsaacLike();
  // conv1 3->128 3x3 32x32: kkC = 27, rows_used = 27: (27/27) * (128/16) * 1024 / 16128
  //   = 8192 / 16128 = 0.508 -> 1 batch; 1*16 + 6 = 22.
  EXPECT_EQ(FormulaCycles(Conv("conv1", 3, 3, 128, 32, 1), isaac), 22);
  // conv2 128->128 32x32: kkC = 1152: (1152/128 = 9) * 8 * 1024 = 73728 / 16128 = 4.571 -> 5;
  //   5*16 + 6 = 86.
  EXPECT_EQ(FormulaCycles(Conv("conv2", 3, 128, 128, 32, 1), isaac), 86);
  // conv3 128->256 16x16: 9 * (256/16 = 16) * 256 = 36864 / 16128 = 2.286 -> 3; 3*16+6 = 54.
  EXPECT_EQ(FormulaCycles(Conv("conv3", 3, 128, 256, 16, 1), isaac), 54);
  // conv4 256->256 16x16: kkC = 2304: 18 * 16 * 256 = 73728 / 16128 = 4.571 -> 5; 86.
  EXPECT_EQ(FormulaCycles(Conv("conv4", 3, 256, 256, 16, 1), isaac), 86);
  // conv5 256->512 8x8: 18 * 32 * 64 = 36864 / 16128 = 2.286 -> 3; 54.
  EXPECT_EQ(FormulaCycles(Conv("conv5", 3, 256, 512, 8, 1), isaac), 54);
  // conv6 512->512 8x8: kkC = 4608: 36 * 32 * 64 = 73728 / 16128 = 4.571 -> 5; 86.
  EXPECT_EQ(FormulaCycles(Conv("conv6", 3, 512, 512, 8, 1), isaac), 86);
  // fc1 8192->1024: k = 1, W = H = 1: (8192/128 = 64) * (1024/16 = 64) * 1 = 4096 / 16128
  //   = 0.254 -> 1; 22.
  EXPECT_EQ(FormulaCycles(Conv("fc1", 1, 8192, 1024, 1, 1), isaac), 22);
  // fc2 1024->10: (1024/128 = 8) * (10/16 = 0.625) * 1 = 5 / 16128 -> 1; 22.
  EXPECT_EQ(FormulaCycles(Conv("fc2", 1, 1024, 10, 1, 1), isaac), 22);
}

TEST(CimFormulaTest, ResNet18Batch16OnIsaacLike) {
  const CimArch isaac = IsaacLike();
  // Conv2d-1 3->64 7x7 stride 2, out 112x112, N=16: kkC = 147 -> rows_used 128:
  //   147/128 = 1.1484375; 64/16 = 4; WHN = 112*112*16 = 200704;
  //   1.1484375 * 4 * 200704 = 921984; / 16128 = 57.17 -> 58; 58*16 + 6 = 934.
  EXPECT_EQ(FormulaCycles(Conv("Conv2d-1", 7, 3, 64, 112, 16, 2), isaac), 934);
  // Conv2d-5 64->64 3x3 out 56x56: kkC = 576: 4.5 * 4 * 50176 = 903168 = 56 * 16128 exactly:
  //   56 batches (the ceil must not round an exact quotient up); 56*16 + 6 = 902.
  EXPECT_EQ(FormulaCycles(Conv("Conv2d-5", 3, 64, 64, 56, 16), isaac), 902);
  // Conv2d-19 64->128 3x3 stride 2 out 28x28: 4.5 * 8 * 12544 = 451584 = 28 * 16128; 454.
  EXPECT_EQ(FormulaCycles(Conv("Conv2d-19", 3, 64, 128, 28, 16, 2), isaac), 454);
  // Conv2d-24 64->128 1x1 stride 2 out 28x28: kkC = 64 = rows_used: 1 * 8 * 12544 = 100352;
  //   / 16128 = 6.22 -> 7; 7*16 + 6 = 118.
  EXPECT_EQ(FormulaCycles(Conv("Conv2d-24", 1, 64, 128, 28, 16, 2), isaac), 118);
  // Conv2d-54 512->512 3x3 out 7x7: 36 * 32 * 784 = 903168 = 56 * 16128; 902.
  EXPECT_EQ(FormulaCycles(Conv("Conv2d-54", 3, 512, 512, 7, 16), isaac), 902);
  // Linear-68 512->1000, N=16: 4 * 62.5 * 16 = 4000 / 16128 -> 1; 22.
  EXPECT_EQ(FormulaCycles(Conv("Linear-68", 1, 512, 1000, 1, 16), isaac), 22);
}

TEST(CimFormulaTest, KnobsChangeTheFormulaAsWritten) {
  const CimArch isaac = IsaacLike();
  // Conv2d-5 on one PE of 12 CUs: 903168 / (8 * 12 = 96) = 9408 exactly; 9408*16 + 6 = 150534.
  Schedule one_pe;
  one_pe.Set("pes", 1);
  EXPECT_EQ(FormulaCycles(Conv("Conv2d-5", 3, 64, 64, 56, 16), isaac, one_pe), 150534);
  // VGG conv2 with rows_used 64: (1152/64 = 18) * 8 * 1024 = 147456 / 16128 = 9.14 -> 10; 166.
  Schedule half_rows;
  half_rows.Set("rows_used", 64);
  EXPECT_EQ(FormulaCycles(Conv("conv2", 3, 128, 128, 32, 1), isaac, half_rows), 166);
  // filters_per_array 10, 2 PEs x 6 CUs: VGG conv3: 9 * (256/10 = 25.6) * 256 = 58982.4;
  //   / (8 * 12 = 96) = 614.4 -> 615; 615*16 + 6 = 9846.
  Schedule mixed;
  mixed.Set("filters_per_array", 10);
  mixed.Set("pes", 2);
  mixed.Set("cus", 6);
  EXPECT_EQ(FormulaCycles(Conv("conv3", 3, 128, 256, 16, 1), isaac, mixed), 9846);
}

TEST(CimFormulaTest, OtherChipAndMatmul) {
  // A small chip: 4 PEs x 2 CUs x 4 arrays of 256x256, 1-bit cells, 8-bit weights and inputs,
  // 2-bit DACs: filters_per_array = 256/8 = 32, cycle_batch = 8/2 = 4, CUs = 8, 4*8 = 32.
  CimArch chip = IsaacLike();
  chip.pes = 4;
  chip.cus_per_pe = 2;
  chip.arrays_per_cu = 4;
  chip.array_rows = chip.array_cols = 256;
  chip.columns_per_adc = chip.adc_samples_per_cycle = 256;
  chip.cell_bits = 1;
  chip.weight_bits = chip.input_bits = 8;
  chip.dac_bits = 2;
  ASSERT_TRUE(CheckCimArch(chip).empty());
  // conv 64->96 3x3 out 10x10, N=2: kkC = 576 -> rows 256: 2.25 * (96/32 = 3) * 200 = 1350;
  //   / 32 = 42.19 -> 43; 43*4 + 6 = 178.
  EXPECT_EQ(FormulaCycles(Conv("small", 3, 64, 96, 10, 2), chip), 178);
  // A matmul Z[m,n] = A[m,k] * B[k,n], M=50 rows, K=300, N=40 out features:
  //   C = 300 -> rows 256: 300/256 = 1.171875; 40/32 = 1.25; W*H = M = 50;
  //   1.171875 * 1.25 * 50 = 73.24 / 32 = 2.29 -> 3; 3*4 + 6 = 18.
  Problem mm;
  mm.name = "matmul";
  mm.dims = {{"M", 50}, {"N", 40}, {"K", 300}};
  auto t = [](int d) { return Rank{{ProjectionTerm{d, 1, ""}}}; };
  mm.data_spaces = {
      {"A", {t(0), t(2)}, false}, {"B", {t(2), t(1)}, false}, {"Z", {t(0), t(1)}, true}};
  EXPECT_EQ(FormulaCycles(mm, chip), 18);
}

TEST(CimRefinedTest, HandComputedCases) {
  const CimArch isaac = IsaacLike();
  auto model = MakeTimingModel("cim-refined");
  // VGG conv2 128->128 32x32: row tiles ceil(1152/128) = 9, column tiles 128/16 = 8: 72 arrays
  //   per copy = 9 whole CUs; floor(12/9) = 1 copy per PE; 168 copies. Batches
  //   ceil(1024/168) = 7 (168*6 = 1008 < 1024); 16 steps of 1 cycle (128 used columns on one
  //   ADC doing 128 conversions per cycle); 7*16 + 6 = 118 (the formula says 86).
  Problem conv2 = Conv("conv2", 3, 128, 128, 32, 1);
  TimingResult r = model->Evaluate(conv2, {}, &isaac);
  ASSERT_TRUE(r.ok()) << r.invalid_reason;
  EXPECT_EQ(r.cycles, 118);
  // Conv2d-1: 2 row tiles x 4 column tiles = 8 arrays = one CU; 12 copies per PE, 2016 copies;
  //   ceil(200704/2016) = 100 batches (2016*99 = 199584 < 200704); 100*16 + 6 = 1606.
  r = model->Evaluate(Conv("Conv2d-1", 7, 3, 64, 112, 16, 2), {}, &isaac);
  EXPECT_EQ(r.cycles, 1606);
  // ADC time-multiplexing: an ADC that converts only 32 columns per cycle needs
  //   ceil(128/32) = 4 cycles per step: conv2 takes 7 * 16*4 + 6 = 454.
  CimArch slow_adc = isaac;
  slow_adc.adc_samples_per_cycle = 32;
  EXPECT_EQ(model->Evaluate(conv2, {}, &slow_adc).cycles, 454);
  // pixel_tiles: conv2 with 8 copies on 8 PEs in 4 bands: each band has ceil(32/4) = 8 output
  //   rows = 256 vectors for 2 copies: 128 batches; 128*16 + 6 = 2054.
  Schedule banded;
  banded.Set("copies", 8);
  banded.Set("pes", 8);
  banded.Set("pixel_tiles", 4);
  EXPECT_EQ(model->Evaluate(conv2, banded, &isaac).cycles, 2054);
}

TEST(CimRefinedTest, CopySpanningPes) {
  // 4 PEs x 2 CUs x 2 arrays of 128x128 (4 arrays per PE). A 3x3 128->32 layer: 1152 rows ->
  // 9 row tiles, 32 filters -> 2 column tiles: 18 arrays = 9 CUs = ceil(9/2) = 5 PEs > 4: it
  // does not fit at all. 3x3 42->32: ceil(378/128) = 3 row tiles x 2 = 6 arrays = 3 CUs, which
  // span ceil(3/2) = 2 PEs: capacity 4/2 = 2 copies. Out 4x4, N=1: 16 vectors / 2 copies = 8
  // batches; 8*16 + 6 + (2-1) * 1 inter-PE cycle = 135.
  CimArch chip = IsaacLike();
  chip.name = "tiny";
  chip.pes = 4;
  chip.cus_per_pe = 2;
  chip.arrays_per_cu = 2;
  auto model = MakeTimingModel("cim-refined");
  TimingResult r = model->Evaluate(Conv("spans", 3, 42, 32, 4, 1), {}, &chip);
  ASSERT_TRUE(r.ok()) << r.invalid_reason;
  EXPECT_EQ(r.cycles, 135);
  EXPECT_EQ(model->Supports(Conv("big", 3, 128, 32, 4, 1), &chip),
            "layer 'big' does not fit on chip 'tiny': one weight copy needs 18 arrays (9 row "
            "tiles of the 1152 weight rows x 2 column tiles of the 32 filters) but the chip has "
            "16 (4 PEs x 2 CUs x 2 arrays)");
  EXPECT_EQ(model->Evaluate(Conv("big", 3, 128, 32, 4, 1), {}, &chip).invalid_reason,
            model->Supports(Conv("big", 3, 128, 32, 4, 1), &chip));
}

TEST(CimRefinedTest, InvalidSchedulesSayWhy) {
  const CimArch isaac = IsaacLike();
  auto model = MakeTimingModel("cim-refined");
  Problem conv2 = Conv("conv2", 3, 128, 128, 32, 1);
  Schedule s;
  s.Set("copies", 100);
  s.Set("pes", 10);
  EXPECT_EQ(model->Evaluate(conv2, s, &isaac).invalid_reason,
            "layer 'conv2': copies=100 exceed the 10 whole copies of 72 arrays that fit in 10 "
            "PEs x 12 CUs x 8 arrays");
  s = {};
  s.Set("copies", 10);
  s.Set("pixel_tiles", 4);
  EXPECT_EQ(model->Evaluate(conv2, s, &isaac).invalid_reason,
            "layer 'conv2': copies=10 must be a multiple of pixel_tiles=4 (every band gets the "
            "same number of copies)");
  s = {};
  s.Set("rows_used", 129);
  EXPECT_EQ(model->Evaluate(conv2, s, &isaac).invalid_reason,
            "knob rows_used=129 is outside its range [1, 128]");
  s = {};
  s.Set("rows", 64);
  EXPECT_EQ(model->Evaluate(conv2, s, &isaac).invalid_reason,
            "unknown knob 'rows'; the knobs are: rows_used, filters_per_array, copies, pes, cus, "
            "pixel_tiles");
}

TEST(CimRefinedTest, DirectEntryPointsCheckRanges) {
  const CimArch isaac = IsaacLike();
  CimLayer conv2{"conv2", 3, 3, 128, 128, 32, 32};
  CimSchedule zero_rows{0, 16, 1, 1, 1, 1};
  EXPECT_EQ(EvaluateCimFormula(conv2, zero_rows, isaac).invalid_reason,
            "layer 'conv2': rows_used=0 is outside [1, 128]");
  CimSchedule too_many_cus{128, 16, 1, 1, 13, 1};
  EXPECT_EQ(EvaluateCimRefined(conv2, too_many_cus, isaac).invalid_reason,
            "layer 'conv2': cus=13 is outside [1, 12]");
}

// The whole-copy bound, written out independently of the model: the densest copy takes
// ceil(kkC / min(rows, kkC)) * ceil(K / filters_max) arrays, the chip holds at most
// floor(arrays / that) whole copies, each batch costs at least input_bits/dac_bits cycles.
std::int64_t WholeCopyBound(std::int64_t kkc, std::int64_t k, std::int64_t vectors,
                            const CimArch& a) {
  const std::int64_t rows = std::min(a.array_rows, kkc);
  const std::int64_t filters = a.array_cols / ((a.weight_bits + a.cell_bits - 1) / a.cell_bits);
  const std::int64_t per_copy = ((kkc + rows - 1) / rows) * ((k + filters - 1) / filters);
  const std::int64_t copies = (a.pes * a.cus_per_pe * a.arrays_per_cu) / per_copy;
  const std::int64_t steps = (a.input_bits + a.dac_bits - 1) / a.dac_bits;
  return ((vectors + copies - 1) / copies) * steps + a.pipeline_cycles;
}

TEST(CimRefinedTest, NeverBelowTheWholeCopyBoundOnRandomLayersAndSchedules) {
  std::mt19937_64 rng(20240605);
  auto pick = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  auto formula = MakeTimingModel("cim-formula");
  auto refined = MakeTimingModel("cim-refined");
  int evaluated = 0, valid = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    CimArch a = IsaacLike();
    a.pes = pick(1, 40);
    a.cus_per_pe = pick(1, 12);
    a.arrays_per_cu = pick(1, 8);
    a.array_rows = a.array_cols = 32 << pick(0, 3);
    a.cell_bits = pick(1, 4);
    a.weight_bits = a.cell_bits * pick(1, 4);
    a.input_bits = pick(1, 16);
    a.dac_bits = pick(1, a.input_bits);
    a.columns_per_adc = std::min<std::int64_t>(a.array_cols, 8 << pick(0, 4));
    a.adc_samples_per_cycle = pick(1, 128);
    a.cu_input_buffer_bytes = a.cu_output_buffer_bytes = 1 << 20;
    a.inter_pe_cycles = pick(0, 3);
    if (!CheckCimArch(a).empty()) continue;
    const std::int64_t k = pick(0, 2) * 2 + 1, c = pick(1, 300), m = pick(1, 300);
    const std::int64_t hw = pick(1, 20), n = pick(1, 4);
    Problem layer = Conv("random", k, c, m, hw, n);
    if (!refined->Supports(layer, &a).empty()) continue;
    Schedule s;
    for (const Knob& knob : refined->Knobs(layer, &a))
      s.Set(knob.name, pick(0, 1) ? knob.default_value : pick(knob.min, knob.max));
    TimingResult r = refined->Evaluate(layer, s, &a);
    ++evaluated;
    if (!r.ok()) continue;
    ++valid;
    const std::int64_t bound = WholeCopyBound(k * k * c, m, hw * hw * n, a);
    ASSERT_GE(r.cycles, bound) << "trial " << trial;
    // The formula, with the same rows, filters and allocation, is never slower.
    Schedule fs = s;
    fs.knobs.erase(std::remove_if(fs.knobs.begin(), fs.knobs.end(),
                                  [](const auto& kv) {
                                    return kv.first == "copies" || kv.first == "pixel_tiles";
                                  }),
                   fs.knobs.end());
    ASSERT_LE(formula->Evaluate(layer, fs, &a).cycles, r.cycles) << "trial " << trial;
  }
  EXPECT_GT(evaluated, 1000);
  EXPECT_GT(valid, 300);
}

TEST(CimRefinedTest, DefaultScheduleOfConv2d5AboveItsBound) {
  // Conv2d-5 (kkC 576 -> 5 row tiles x 4 column tiles = 20 arrays = 3 CUs; 4 copies per PE, 672
  // copies): ceil(50176 / 672) = 75 batches; the bound: floor(16128 / 20) = 806 copies ->
  // ceil(50176 / 806) = 63 batches. 75*16 + 6 = 1206 >= 63*16 + 6 = 1014.
  const CimArch isaac = IsaacLike();
  TimingResult r =
      MakeTimingModel("cim-refined")->Evaluate(Conv("Conv2d-5", 3, 64, 64, 56, 16), {}, &isaac);
  EXPECT_EQ(r.cycles, 1206);
  EXPECT_EQ(WholeCopyBound(576, 64, 50176, isaac), 1014);
}

TEST(CimRefinedTest, EnergyComponentsFollowTheActivity) {
  // VGG fc2 1024->10 on ISAAC-like: 8 row tiles x 1 column tile, 1 vector, 16 steps.
  //   array reads 1*8*1*16 = 128 -> 3840 pJ; DAC 1024 rows * 1 * 16 = 16384 -> 6389.76 pJ;
  //   ADC 8 row tiles * 10 filters * 8 slices * 16 = 10240 -> 16000 pJ.
  const CimArch isaac = IsaacLike();
  TimingResult r =
      MakeTimingModel("cim-refined")->Evaluate(Conv("fc2", 1, 1024, 10, 1, 1), {}, &isaac);
  ASSERT_TRUE(r.ok());
  ASSERT_GE(r.energy_breakdown_pJ.size(), 3u);
  EXPECT_EQ(r.energy_breakdown_pJ[0].first, "arrays");
  EXPECT_DOUBLE_EQ(r.energy_breakdown_pJ[0].second, 3840);
  EXPECT_DOUBLE_EQ(r.energy_breakdown_pJ[1].second, 6389.76);
  EXPECT_DOUBLE_EQ(r.energy_breakdown_pJ[2].second, 16000);
  double sum = 0;
  for (const auto& [name, pJ] : r.energy_breakdown_pJ) sum += pJ;
  EXPECT_DOUBLE_EQ(sum, r.energy_pJ);
}

TEST(CimBudgetTest, NetworkSharesTheChipsArrays) {
  const CimArch isaac = IsaacLike();                // 16128 arrays
  CimLayer conv2{"conv2", 3, 3, 128, 128, 32, 32};  // 72 arrays per copy
  CimLayer fc1{"fc1", 1, 1, 8192, 1024, 1, 1};      // 64 x 64 = 4096 arrays per copy
  CimSchedule s2{128, 16, 100, 168, 12, 1};
  CimSchedule s1{128, 16, 2, 168, 12, 1};
  std::vector<CimLayer> layers = {conv2, fc1};
  std::vector<CimSchedule> schedules = {s2, s1};
  ArrayBudget ok = CheckArrayBudget(layers, schedules, isaac);
  EXPECT_TRUE(ok.ok()) << ok.invalid_reason;
  EXPECT_EQ(ok.arrays_used, 7200 + 8192);
  schedules[1].copies = 3;  // 7200 + 12288 = 19488 > 16128
  ArrayBudget over = CheckArrayBudget(layers, schedules, isaac);
  EXPECT_EQ(over.invalid_reason,
            "the network's weight copies need 19488 arrays but chip 'isaac-like' has 16128; the "
            "largest user is layer 'fc1' with 3 copies x 4096 arrays");
}

TEST(TimingModelTest, RegistryAndArchKinds) {
  EXPECT_EQ(TimingModelNames(),
            (std::vector<std::string>{"timeloop", "cim-formula", "cim-refined"}));
  EXPECT_EQ(MakeTimingModel("nope"), nullptr);
  const CimArch isaac = IsaacLike();
  const Arch timeloop_arch;
  Problem conv2 = Conv("conv2", 3, 128, 128, 32, 1);
  EXPECT_EQ(MakeTimingModel("cim-formula")->Supports(conv2, &timeloop_arch),
            "model 'cim-formula' needs a compute-in-memory arch (cim_architecture), not a "
            "Timeloop arch");
  EXPECT_EQ(MakeTimingModel("timeloop")->Supports(conv2, &isaac),
            "model 'timeloop' needs a Timeloop architecture, not a compute-in-memory chip");
  EXPECT_EQ(MakeTimingModel("timeloop")->Evaluate(conv2, {}, &timeloop_arch).invalid_reason,
            "model 'timeloop' needs a mapping (its schedule is a loop nest)");
  Schedule d = MakeTimingModel("cim-refined")->DefaultSchedule(conv2, &isaac);
  EXPECT_EQ(d.Get("rows_used"), 128);
  EXPECT_EQ(d.Get("filters_per_array"), 16);
  EXPECT_EQ(d.Get("copies"), 168);
  EXPECT_EQ(d.Get("pixel_tiles"), 1);
  for (const Knob& knob : MakeTimingModel("cim-refined")->Knobs(conv2, &isaac)) {
    EXPECT_FALSE(knob.suggested.empty()) << knob.name;
    EXPECT_TRUE(std::is_sorted(knob.suggested.begin(), knob.suggested.end())) << knob.name;
    EXPECT_GE(knob.suggested.front(), knob.min) << knob.name;
    EXPECT_LE(knob.suggested.back(), knob.max) << knob.name;
  }
}

TEST(TimingModelTest, TimeloopModelIsEvaluateBehindTheInterface) {
  // The bundled default (examples/default): the adapter reports exactly what Evaluate does; the
  // Timeloop reference tests check Evaluate itself.
  Inputs inputs = LoadInputs(DefaultEvalFiles());
  ASSERT_TRUE(inputs.mapping.has_value());
  Evaluation direct = Evaluate(inputs.problem, inputs.arch, *inputs.mapping);
  ASSERT_TRUE(direct.ok());
  auto model = MakeTimingModel("timeloop");
  EXPECT_TRUE(model->Knobs(inputs.problem, &inputs.arch).empty());
  Schedule schedule;
  schedule.mapping = inputs.mapping;
  TimingResult r = model->Evaluate(inputs.problem, schedule, &inputs.arch);
  ASSERT_TRUE(r.ok()) << r.invalid_reason;
  EXPECT_EQ(r.cycles, direct.cost.cycles);
  EXPECT_DOUBLE_EQ(r.energy_pJ, direct.cost.energy_pJ);
  ASSERT_EQ(r.energy_breakdown_pJ.size(), inputs.arch.storage.size() + 1);
  schedule.Set("tile", 4);
  EXPECT_EQ(model->Evaluate(inputs.problem, schedule, &inputs.arch).invalid_reason,
            "unknown knob 'tile'; this model has no knobs");
}

}  // namespace
}  // namespace tessel
