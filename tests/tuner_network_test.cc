// The CIM network tuner on VGG-8 (CIFAR-10) and ResNet-18 on the bundled
// ISAAC-like chip.
//
// References (not the code under test):
//   * cim-refined's stage time with the default (densest) layout, from
//   docs/cim.md:
//       cycles(c) = ceil(W*H*N / c) * 16 + 6 + (pes_per_copy - 1),
//       arrays per copy A = ceil(k*k*C / 128) * ceil(K / 16), a copy of more
//       than 96 arrays spans ceil(ceil(A / 8) / 12) PEs; the chip has 168 * 12
//       * 8 = 16128 arrays.
//   * the least bottleneck T: the smallest T for which the fewest copies giving
//   every layer
//     cycles <= T fit in 16128 arrays (computed below from the formula, by
//     scanning).
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "tessel/common/error.h"
#include "tessel/io/bundled.h"
#include "tessel/io/cim_arch_yaml.h"
#include "tessel/io/workload_source.h"
#include "tessel/model/cim_layer.h"
#include "tessel/model/cim_model.h"
#include "tessel/report/json_report.h"
#include "tessel/report/tune_json.h"
#include "tessel/tuner/cim_network.h"
#include "tessel/tuner/schedule_space.h"

namespace tessel {
namespace {

namespace fs = std::filesystem;

std::string Vgg8Path() {
  return (fs::path(BundledExamplesDir()) / "cim" / "vgg8_cifar10.yaml").string();
}

std::int64_t Ceil(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// The reference stage model above, for one MAC layer of the workload.
struct RefStage {
  std::int64_t vectors = 0, arrays = 0, extra_pes = 0;
  std::int64_t Cycles(std::int64_t copies) const {
    return Ceil(vectors, copies) * 16 + 6 + extra_pes;
  }
  // Fewest copies with Cycles <= t (at most `vectors`); 0 when none.
  std::int64_t MinCopies(std::int64_t t) const {
    for (std::int64_t c = 1; c <= vectors; ++c)
      if (Cycles(c) <= t) return c;
    return 0;
  }
};

std::vector<RefStage> Reference(const Workload& w) {
  std::vector<RefStage> out;
  for (int i : w.MacLayers()) {
    CimLayer l;
    EXPECT_EQ(ToCimLayer(w.layer(i).problem, &l), "");
    RefStage s;
    s.vectors = l.OutputVectors();
    s.arrays = Ceil(l.WeightRows(), std::min<std::int64_t>(128, l.WeightRows())) *
               Ceil(l.out_channels, 16);
    const std::int64_t cus = Ceil(s.arrays, 8);
    s.extra_pes = cus > 12 ? Ceil(cus, 12) - 1 : 0;
    out.push_back(s);
  }
  return out;
}

// The least feasible bottleneck of the reference model, by scanning T upwards.
std::int64_t LeastBottleneck(const std::vector<RefStage>& stages) {
  for (std::int64_t t = 1;; ++t) {
    std::int64_t used = 0;
    bool ok = true;
    for (const RefStage& s : stages) {
      const std::int64_t c = s.MinCopies(t);
      ok = ok && c > 0;
      used += c * s.arrays;
    }
    if (ok && used <= 16128) return t;
  }
}

struct TuneRun {
  CimNetworkResult result;
  std::string json;
  std::int64_t fresh = 0;
  std::vector<TuningRecord> records;
};

TuneRun Tune(const Workload& w, const std::string& model_name, std::int64_t trials, int threads,
             EvaluationCache& cache, std::uint64_t seed = 1) {
  static const CimArch arch = io::LoadCimArchFile(io::BundledCimArchPath());
  std::unique_ptr<TimingModel> model = MakeTimingModel(model_name);
  CimNetworkOptions options;
  options.evolution.trials = trials;
  options.evolution.threads = threads;
  options.evolution.seed = seed;
  TuneRun run;
  run.result = TuneCimNetwork(w, *model, arch, "isaac", cache, options);
  run.json =
      DumpJson(CimTuneToJson(w, run.result, {model_name, arch.name, "bottleneck", seed, trials}));
  run.fresh = cache.fresh_evaluations();
  run.records = cache.TakeNew();
  return run;
}

void ExpectWithinBudget(const Workload& w, const CimNetworkResult& r) {
  std::vector<CimLayer> layers;
  std::vector<CimSchedule> schedules;
  static const CimArch arch = io::LoadCimArchFile(io::BundledCimArchPath());
  for (const CimStage& s : r.tuned) {
    layers.emplace_back();
    ToCimLayer(w.layer(s.layer).problem, &layers.back());
    schedules.push_back(ToCimSchedule(s.schedule, layers.back(), arch, CimMode::kRefined));
    EXPECT_EQ(s.arrays, schedules.back().copies * ArraysPerCopy(layers.back(), schedules.back()));
  }
  const ArrayBudget budget = CheckArrayBudget(layers, schedules, arch);
  EXPECT_TRUE(budget.ok()) << budget.invalid_reason;
  EXPECT_EQ(budget.arrays_used, r.tuned_allocation.arrays_used);
  EXPECT_LE(budget.arrays_used, 16128);
}

TEST(TunerNetworkTest, Vgg8TunedMeetsTheLeastBottleneckAndBeatsGreedyInTotal) {
  const Workload w = io::LoadWorkload(Vgg8Path());
  EvaluationCache cache;
  const TuneRun run = Tune(w, "cim-refined", 32, 1, cache);
  const CimNetworkResult& r = run.result;
  ASSERT_EQ(r.tuned.size(), 8u);
  ExpectWithinBudget(w, r);
  // conv4 (256->256, 16x16): A = 18 * 16 = 288 arrays = 36 CUs = 3 PEs; 9
  // copies: ceil(256 / 9) = 29 batches: 29 * 16 + 6 + 2 = 472. One more copy of
  // conv4 and conv3 and the 1024-vector layers (to 28 batches) needs 288 + 144
  // + 8 + 72 = 512 arrays; 72 are left.
  EXPECT_EQ(LeastBottleneck(Reference(w)), 472);
  EXPECT_EQ(r.tuned_allocation.bottleneck_cycles, 472);
  EXPECT_LE(r.tuned_allocation.bottleneck_cycles, r.greedy_allocation.bottleneck_cycles);
  EXPECT_LT(r.tuned_allocation.total_cycles, r.greedy_allocation.total_cycles);
  EXPECT_LE(r.greedy_allocation.arrays_used, 16128);
}

TEST(TunerNetworkTest, ResNet18TunedMeetsTheLeastBottleneckAndBeatsGreedyInTotal) {
  const Workload w = io::LoadWorkload("resnet18");
  EvaluationCache cache;
  const TuneRun run = Tune(w, "cim-refined", 16, 2, cache);
  const CimNetworkResult& r = run.result;
  ASSERT_EQ(r.tuned.size(), 21u);
  ExpectWithinBudget(w, r);
  EXPECT_EQ(r.tuned_allocation.bottleneck_cycles, LeastBottleneck(Reference(w)));
  EXPECT_LE(r.tuned_allocation.bottleneck_cycles, r.greedy_allocation.bottleneck_cycles);
  EXPECT_LT(r.tuned_allocation.total_cycles, r.greedy_allocation.total_cycles);
}

TEST(TunerNetworkTest, GreedyClimbsTheSlowestStageOneCopyAtATime) {
  const Workload w = io::LoadWorkload(Vgg8Path());
  EvaluationCache cache;
  const CimNetworkResult r = Tune(w, "cim-refined", 1, 1, cache).result;
  // Replay the baseline with the reference model: start at one copy each, give
  // the slowest (first on ties) one more copy while it fits.
  const std::vector<RefStage> ref = Reference(w);
  std::vector<std::int64_t> copies(ref.size(), 1);
  std::int64_t used = 0;
  for (const RefStage& s : ref) used += s.arrays;
  while (true) {
    std::size_t slow = 0;
    for (std::size_t i = 1; i < ref.size(); ++i)
      if (ref[i].Cycles(copies[i]) > ref[slow].Cycles(copies[slow])) slow = i;
    if (copies[slow] == ref[slow].vectors || used + ref[slow].arrays > 16128) break;
    ++copies[slow];
    used += ref[slow].arrays;
  }
  for (std::size_t i = 0; i < ref.size(); ++i)
    EXPECT_EQ(r.greedy[i].schedule.Get("copies"), copies[i]) << i;
  EXPECT_EQ(r.greedy_allocation.arrays_used, used);
}

TEST(TunerNetworkTest, SameSeedSameResultForAnyThreadCount) {
  const Workload w = io::LoadWorkload(Vgg8Path());
  EvaluationCache a, b, c;
  const TuneRun one = Tune(w, "cim-refined", 24, 1, a, 7);
  const TuneRun two = Tune(w, "cim-refined", 24, 2, b, 7);
  EXPECT_EQ(one.json, two.json);
  EXPECT_EQ(one.fresh, two.fresh);
  const TuneRun other_seed = Tune(w, "cim-refined", 24, 1, c, 8);
  EXPECT_EQ(other_seed.result.tuned_allocation.bottleneck_cycles,
            one.result.tuned_allocation.bottleneck_cycles);
}

TEST(TunerNetworkTest, ResumingRepeatsNoEvaluatedSchedule) {
  const Workload w = io::LoadWorkload(Vgg8Path());
  EvaluationCache first;
  const TuneRun fresh = Tune(w, "cim-refined", 24, 1, first);
  ASSERT_GT(fresh.fresh, 0);
  EXPECT_EQ(static_cast<std::int64_t>(fresh.records.size()), fresh.fresh);

  // The same run replayed: nothing is evaluated and the answer is the same.
  EvaluationCache replay;
  for (const TuningRecord& r : fresh.records) replay.AddReplayed(r);
  const TuneRun resumed = Tune(w, "cim-refined", 24, 2, replay);
  EXPECT_EQ(resumed.fresh, 0);
  EXPECT_TRUE(resumed.records.empty());
  EXPECT_EQ(resumed.json, fresh.json);

  // A longer run on the same log evaluates only schedules it has no record of.
  EvaluationCache longer;
  for (const TuningRecord& r : fresh.records) longer.AddReplayed(r);
  const TuneRun more = Tune(w, "cim-refined", 48, 1, longer);
  std::set<std::pair<std::string, std::string>> old_keys;
  for (const TuningRecord& r : fresh.records)
    old_keys.insert({r.layer_key, ScheduleKey(r.schedule)});
  for (const TuningRecord& r : more.records)
    EXPECT_EQ(old_keys.count({r.layer_key, ScheduleKey(r.schedule)}), 0u);
  EvaluationCache scratch;
  EXPECT_EQ(more.json, Tune(w, "cim-refined", 48, 1, scratch).json);
}

TEST(TunerNetworkTest, FormulaModelAllocatesPes) {
  const Workload w = io::LoadWorkload(Vgg8Path());
  EvaluationCache cache;
  const CimNetworkResult r = Tune(w, "cim-formula", 16, 1, cache).result;
  EXPECT_EQ(r.resource_knob, "pes");
  std::int64_t arrays = 0;
  for (const CimStage& s : r.tuned) arrays += *s.schedule.Get("pes") * *s.schedule.Get("cus") * 8;
  EXPECT_EQ(arrays, r.tuned_allocation.arrays_used);
  EXPECT_LE(arrays, 16128);
  EXPECT_LE(r.tuned_allocation.bottleneck_cycles, r.greedy_allocation.bottleneck_cycles);
}

TEST(TunerNetworkTest, ALayerTooLargeForTheChipIsRejectedByName) {
  const Workload w = io::LoadWorkload("vgg16");
  EvaluationCache cache;
  CimArch arch = io::LoadCimArchFile(io::BundledCimArchPath());
  arch.write_cycles_per_row = 0;  // no reprogramming
  std::unique_ptr<TimingModel> model = MakeTimingModel("cim-refined");
  try {
    TuneCimNetwork(w, *model, arch, "noreprogram", cache, {});
    FAIL() << "expected a UserError";
  } catch (const UserError& e) {
    // fc1 25088 -> 4096: ceil(25088 / 128) = 196 row tiles x 4096 / 16 = 256
    // column tiles.
    EXPECT_EQ(std::string(e.what()),
              "layer 'fc1' does not fit on chip 'isaac-like': one weight copy "
              "needs 50176 arrays "
              "(196 row tiles of the 25088 weight rows x 256 column tiles of "
              "the 4096 filters) "
              "but the chip has 16128 (168 PEs x 12 CUs x 8 arrays)");
  }
}

TEST(TunerNetworkTest, ANetworkTooLargeForTheChipIsRejected) {
  // 50 PEs: 4800 arrays. Every VGG-8 layer fits alone (fc1: 64 x 64 = 4096
  // arrays), all eight need 8 + 72 + 144 + 288 + 576 + 1152 + 4096 + 8 = 6344.
  CimArch arch = io::LoadCimArchFile(io::BundledCimArchPath());
  arch.pes = 50;
  arch.write_cycles_per_row = 0;  // no reprogramming
  const Workload w = io::LoadWorkload(Vgg8Path());
  EvaluationCache cache;
  std::unique_ptr<TimingModel> model = MakeTimingModel("cim-refined");
  try {
    TuneCimNetwork(w, *model, arch, "small", cache, {});
    FAIL() << "expected a UserError";
  } catch (const UserError& e) {
    EXPECT_EQ(std::string(e.what()),
              "workload 'vgg8' does not fit on chip 'isaac-like': one weight "
              "copy of each of its "
              "8 layers needs 6344 arrays but the chip has 4800; the largest "
              "is layer 'fc1' with "
              "4096 arrays");
  }
}

// The same 50-PE chip (4800 arrays) with the bundled write figures: fc1 (8192 -> 1024: 64 row
// tiles x 64 column tiles = 4096 arrays) is reprogrammed, the others (2248 arrays) stay; the
// region is at most min(4096, 4800 - 2248 = 2552) arrays. By hand for fc1 (docs/tune.md):
// one copy on ceil(4096 / 96) = 43 PEs: 1 vector x 16 steps + 6 + 42 inter-PE cycles = 64;
// write: ceil(4096 / 168) = 25 rounds x 128 rows x 1 cycle = 3200 cycles, 8192 x 1024 x 8 cells
// x 30.55 pJ; cycles = passes x (64 - 6) + 6 + 3200 with passes = ceil(4096 / region).
TEST(TunerNetworkTest, ANetworkTooLargeIsReprogrammed) {
  CimArch arch = io::LoadCimArchFile(io::BundledCimArchPath());
  arch.pes = 50;
  const Workload w = io::LoadWorkload(Vgg8Path());
  EvaluationCache cache;
  std::unique_ptr<TimingModel> model = MakeTimingModel("cim-refined");
  CimNetworkOptions options;
  options.evolution.trials = 8;
  const CimNetworkResult r = TuneCimNetwork(w, *model, arch, "small", cache, options);
  ASSERT_EQ(r.streamed.size(), 1u);
  EXPECT_EQ(r.tuned.size(), 7u);
  const CimStage& fc1 = r.streamed[0];
  EXPECT_EQ(w.layer(fc1.layer).name, "fc1");
  EXPECT_FALSE(fc1.resident);
  const std::int64_t region = r.system.region_arrays;
  EXPECT_TRUE(region <= 2552 && region >= 1) << region;
  EXPECT_EQ(fc1.passes, Ceil(4096, region));
  EXPECT_EQ(fc1.write_cycles, 3200);
  EXPECT_EQ(fc1.cycles, fc1.passes * 58 + 6 + 3200);
  EXPECT_DOUBLE_EQ(fc1.write_energy_pJ, 8192.0 * 1024 * 8 * 30.55);
  EXPECT_EQ(r.system.cells_written, 8192LL * 1024 * 8);
  EXPECT_EQ(r.system.region_cycles, fc1.cycles);
  std::int64_t resident_arrays = 0, slowest = 0, total = fc1.cycles;
  for (const CimStage& s : r.tuned) {
    resident_arrays += s.arrays;
    slowest = std::max(slowest, s.cycles);
    total += s.cycles;
  }
  EXPECT_LE(resident_arrays + region, 4800);
  EXPECT_EQ(r.system.bottleneck_cycles, std::max(slowest, fc1.cycles));
  EXPECT_EQ(r.system.total_cycles, total);
}

// VGG-8 on two 50-PE chips (--chips auto: ceil(6344 / 4800) = 2). The links, recomputed here
// from the stages' arrays by the rule of docs/tune.md: stages fill the arrays in workload order,
// chip c holding [4800 c, 4800 (c + 1)); a stage's input crosses when it starts on another chip
// than the previous stage ends on; a stage over s chips moves (s - 1) x (input + output) words;
// 2 bytes per 16-bit word, 640 bytes per cycle, 406.25 pJ per byte.
TEST(TunerNetworkTest, TwoChipsCostTheActivationsThatCross) {
  CimArch arch = io::LoadCimArchFile(io::BundledCimArchPath());
  arch.pes = 50;
  const Workload w = io::LoadWorkload(Vgg8Path());
  EvaluationCache cache;
  std::unique_ptr<TimingModel> model = MakeTimingModel("cim-refined");
  CimNetworkOptions options;
  options.evolution.trials = 8;
  options.chips = 0;
  const CimNetworkResult r = TuneCimNetwork(w, *model, arch, "small", cache, options);
  EXPECT_EQ(r.system.chips, 2);
  EXPECT_TRUE(r.streamed.empty());
  EXPECT_EQ(r.system.arrays_available, 9600);
  std::int64_t start = 0, previous_last = -1, bytes = 0;
  for (const CimStage& s : r.tuned) {
    CimLayer l;
    ToCimLayer(w.layer(s.layer).problem, &l);
    const std::int64_t first = start / 4800, last = (start + s.arrays - 1) / 4800;
    const std::int64_t input = l.InputWords(), output = l.OutputVectors() * l.out_channels;
    const std::int64_t words = (previous_last >= 0 && first != previous_last ? input : 0) +
                               (last - first) * (input + output);
    EXPECT_EQ(s.first_chip, first);
    EXPECT_EQ(s.last_chip, last);
    EXPECT_EQ(s.link_bytes, 2 * words);
    EXPECT_EQ(s.link_cycles, Ceil(2 * words, 640));
    EXPECT_DOUBLE_EQ(s.link_energy_pJ, 2.0 * words * 406.25);
    bytes += 2 * words;
    start += s.arrays;
    previous_last = last;
  }
  EXPECT_EQ(r.system.link_bytes, bytes);
  EXPECT_LE(start, 9600);
}

// MobileNetV2 (17 depthwise convs among its 52 MAC layers) tunes on both CIM models. Every
// depthwise stage carries groups_per_array within [1, min(G, floor(128 / 9), 16)]; cim-refined's
// stages fit the chip together, each as many arrays as copies x its copy's arrays (TileCopy).
TEST(TunerNetworkTest, MobileNetV2TunesOnBothModels) {
  const Workload w = io::LoadWorkload("mobilenetv2");
  const CimArch arch = io::LoadCimArchFile(io::BundledCimArchPath());
  for (const char* name : {"cim-refined", "cim-formula"}) {
    SCOPED_TRACE(name);
    EvaluationCache cache;
    std::unique_ptr<TimingModel> model = MakeTimingModel(name);
    CimNetworkOptions options;
    options.evolution.trials = 8;
    options.evolution.threads = 2;
    const CimNetworkResult r = TuneCimNetwork(w, *model, arch, "isaac", cache, options);
    EXPECT_EQ(r.tuned.size(), w.MacLayers().size());
    EXPECT_TRUE(r.streamed.empty());
    int depthwise = 0;
    std::int64_t arrays = 0;
    for (const CimStage& s : r.tuned) {
      CimLayer l;
      ASSERT_EQ(ToCimLayer(w.layer(s.layer).problem, &l), "");
      arrays += s.arrays;
      if (l.groups == 1) continue;
      ++depthwise;
      const std::int64_t n = s.schedule.Get("groups_per_array").value_or(0);
      EXPECT_GE(n, 1);
      EXPECT_LE(n, std::min<std::int64_t>({l.groups, 128 / l.WeightRows(), 16}));
      if (std::string(name) == "cim-refined") {
        CimSchedule cs;
        cs.rows_used = *s.schedule.Get("rows_used");
        cs.filters_per_array = *s.schedule.Get("filters_per_array");
        cs.groups_per_array = n;
        EXPECT_EQ(s.arrays, *s.schedule.Get("copies") * ArraysPerCopy(l, cs));
      }
    }
    EXPECT_EQ(depthwise, 17);
    EXPECT_LE(arrays, 16128);
    EXPECT_GT(r.system.bottleneck_cycles, 0);
  }
}

}  // namespace
}  // namespace tessel
