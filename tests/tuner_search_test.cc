// The auto-scheduler's pieces: the exact allocations against brute force, the greedy baseline
// by hand, the evolutionary search's determinism and no-repeat rule, the mapping space's
// invariants, and the tuning log's format and errors (word for word).
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <set>

#include "tessel/common/error.h"
#include "tessel/io/inputs.h"
#include "tessel/io/tuning_log.h"
#include "tessel/mapper/tiling.h"
#include "tessel/tuner/allocation.h"
#include "tessel/tuner/evolution.h"
#include "tessel/tuner/mapping_space.h"
#include "tessel/tuner/timeloop_network.h"

namespace tessel {
namespace {

namespace fs = std::filesystem;

// Every combination of one option per stage: the least (bottleneck, total) and least total.
void BruteForce(const std::vector<std::vector<StageOption>>& stages, std::int64_t budget,
                std::int64_t* best_bottleneck, std::int64_t* best_total_at_bottleneck,
                std::int64_t* best_total) {
  *best_bottleneck = *best_total_at_bottleneck = *best_total = -1;
  std::vector<std::size_t> pick(stages.size(), 0);
  while (true) {
    std::int64_t arrays = 0, worst = 0, total = 0;
    for (std::size_t i = 0; i < stages.size(); ++i) {
      arrays += stages[i][pick[i]].arrays;
      worst = std::max(worst, stages[i][pick[i]].cycles);
      total += stages[i][pick[i]].cycles;
    }
    if (arrays <= budget) {
      if (*best_bottleneck < 0 || worst < *best_bottleneck ||
          (worst == *best_bottleneck && total < *best_total_at_bottleneck)) {
        *best_bottleneck = worst;
        *best_total_at_bottleneck = total;
      }
      if (*best_total < 0 || total < *best_total) *best_total = total;
    }
    std::size_t i = 0;
    while (i < stages.size() && ++pick[i] == stages[i].size()) pick[i++] = 0;
    if (i == stages.size()) return;
  }
}

TEST(TunerAllocationTest, ExactAllocationsMatchBruteForce) {
  std::mt19937_64 rng(5);
  for (int instance = 0; instance < 300; ++instance) {
    std::vector<std::vector<StageOption>> stages(1 + rng() % 4);
    for (auto& options : stages) {
      options.resize(1 + rng() % 5);
      for (StageOption& o : options)
        o = {1 + static_cast<std::int64_t>(rng() % 12), 1 + static_cast<std::int64_t>(rng() % 50),
             0, 0};
    }
    const std::int64_t budget = 1 + rng() % 30;
    std::int64_t bottleneck, total_at_bottleneck, total;
    BruteForce(stages, budget, &bottleneck, &total_at_bottleneck, &total);
    const ArrayAllocation b = MinimiseBottleneck(stages, budget);
    const ArrayAllocation t = MinimiseTotal(stages, budget);
    ASSERT_EQ(b.feasible(), bottleneck >= 0) << instance;
    if (bottleneck < 0) continue;
    EXPECT_EQ(b.bottleneck_cycles, bottleneck) << instance;
    EXPECT_EQ(b.total_cycles, total_at_bottleneck) << instance;
    EXPECT_LE(b.arrays_used, budget);
    EXPECT_EQ(t.total_cycles, total) << instance;
    EXPECT_LE(t.arrays_used, budget);
  }
}

TEST(TunerAllocationTest, GreedyByHand) {
  // Stage 0: 100, 50, 34 cycles with 1, 2, 3 copies of 4 arrays; stage 1: 60, 30 with 1, 2
  // copies of 10 arrays. Budget 24. Start: 4 + 10 = 14. Slowest is stage 0 (100): +4 -> 18,
  // 50 cycles. Slowest stage 1 (60): +10 -> 28 > 24: stop. Bottleneck 60 (stage 1), total 110.
  const std::vector<std::vector<StageOption>> ladders = {
      {{4, 100, 0, 1}, {8, 50, 0, 2}, {12, 34, 0, 3}}, {{10, 60, 0, 1}, {20, 30, 0, 2}}};
  const ArrayAllocation g = GreedyDuplication(ladders, 24);
  EXPECT_EQ(g.pick, (std::vector<int>{1, 0}));
  EXPECT_EQ(g.bottleneck_cycles, 60);
  EXPECT_EQ(g.bottleneck_stage, 1);
  EXPECT_EQ(g.total_cycles, 110);
  EXPECT_EQ(g.arrays_used, 18);
  // The exact total: stage 0 at 12 arrays (34) + stage 1 at 10 (60) = 94 in 22 arrays.
  EXPECT_EQ(MinimiseTotal(ladders, 24).total_cycles, 94);
  EXPECT_EQ(MinimiseBottleneck(ladders, 24).total_cycles, 94);
  EXPECT_FALSE(GreedyDuplication(ladders, 13).feasible());
}

// A toy space: three knobs; the score counts how often each schedule is scored.
struct Counting {
  std::mutex mutex;
  std::map<std::string, int> calls;
  TuneScore operator()(const Schedule& s) {
    std::lock_guard<std::mutex> lock(mutex);
    ++calls[ScheduleKey(s)];
    const double a = *s.Get("a"), b = *s.Get("b"), c = *s.Get("c");
    if (a == 7 && b == 7) return TuneScore{};  // an invalid corner
    return TuneScore{(a - 13) * (a - 13) + (b - 3) * (b - 3) + (c - 40) * (c - 40), a};
  }
};

std::vector<Knob> ToyKnobs() {
  return {{"a", "", 1, 20, 1, {1, 2, 4, 8, 16}},
          {"b", "", 1, 8, 8, {1, 2, 4, 8}},
          {"c", "", 1, 64, 1, {1, 8, 32, 64}}};
}

TEST(TunerEvolutionTest, DeterministicForASeedAndAnyThreadCount) {
  KnobSpace space(ToyKnobs(), {});
  EvolutionOptions options;
  options.trials = 200;
  options.seed = 11;
  Counting one, two;
  const EvolutionResult r1 = Evolve(space, std::ref(one), options);
  options.threads = 3;
  const EvolutionResult r2 = Evolve(space, std::ref(two), options);
  EXPECT_EQ(ScheduleKey(r1.best.schedule), ScheduleKey(r2.best.schedule));
  EXPECT_EQ(r1.trials, 200);
  EXPECT_EQ(one.calls, two.calls);
  for (const auto& [key, n] : one.calls) EXPECT_EQ(n, 1) << key;  // nothing scored twice
  // The seed is scored first, and the search improves on it.
  EXPECT_EQ(one.calls.count("a=1;b=8;c=1"), 1u);
  EXPECT_LT(r1.best.score.primary, 144 + 25 + 39 * 39);
}

TEST(TunerEvolutionTest, PinnedKnobsNeverChange) {
  Schedule pinned;
  pinned.Set("b", 5);
  KnobSpace space(ToyKnobs(), pinned);
  Counting score;
  EvolutionOptions options;
  options.trials = 80;
  Evolve(space, std::ref(score), options);
  for (const auto& [key, n] : score.calls) EXPECT_NE(key.find(";b=5;"), std::string::npos) << key;
}

TEST(TunerEvolutionTest, SmallSpacesEndWhenExhausted) {
  KnobSpace space({{"a", "", 1, 3, 1, {1, 2, 3}}}, {});
  EvolutionOptions options;
  options.trials = 100;
  const EvolutionResult r = Evolve(
      space,
      [](const Schedule& s) {
        return TuneScore{double(*s.Get("a")), 0};
      },
      options);
  EXPECT_EQ(r.trials, 3);
  EXPECT_EQ(*r.best.schedule.Get("a"), 1);
}

MapSpace SimbaSpace(const std::string& layer) {
  const fs::path cosa = fs::path(TESSEL_TEST_DATA_DIR) / "cosa";
  const Inputs in = LoadInputs(
      {(cosa / "arch" / "simba.yaml").string(), (cosa / "mapspace" / "mapspace.yaml").string(),
       (cosa / "workloads" / "resnet18_batch16_graph" / (layer + ".yaml")).string()});
  return MakeMapSpace(in.problem, in.arch, in.constraints);
}

TEST(TunerMappingSpaceTest, MutationsKeepFactorProductsAndFanouts) {
  const MapSpace space = SimbaSpace("Conv2d-5");
  MappingSpace schedules(space);
  std::mt19937_64 rng(3);
  Schedule s = schedules.Seeds().front();
  for (int step = 0; step < 500; ++step) {
    s = step % 7 == 0 ? schedules.Crossover(s, schedules.Random(rng), rng)
                      : schedules.Mutate(s, rng);
    const Tiling t = TilingFromMapping(space, *s.mapping);
    for (std::size_t d = 0; d < space.problem.dims.size(); ++d) {
      std::int64_t product = 1;
      for (int l = 0; l < space.num_levels(); ++l)
        for (int k = 0; k < kNumLoopKinds; ++k) product *= t.factor[l][d][k];
      ASSERT_EQ(product, space.problem.dims[d].bound) << step;
    }
    for (int l = 0; l < space.num_levels(); ++l) {
      ASSERT_LE(t.SpatialProduct(l, kSpatialX), space.max_fanout_x[l]);
      ASSERT_LE(t.SpatialProduct(l, kSpatialY), space.max_fanout_y[l]);
    }
  }
}

TEST(TunerMappingSpaceTest, TimeloopTuningIsDeterministicAndResumable) {
  const MapSpace space = SimbaSpace("Conv2d-5");
  EvolutionOptions options;
  options.trials = 150;
  EvaluationCache a, b;
  const MappingTuneResult r1 = TuneMapping(space, "k", a, options);
  options.threads = 2;
  const MappingTuneResult r2 = TuneMapping(space, "k", b, options);
  ASSERT_TRUE(r1.search.best.score.valid());
  EXPECT_EQ(ScheduleKey(r1.search.best.schedule), ScheduleKey(r2.search.best.schedule));
  EXPECT_EQ(a.fresh_evaluations(), 150);
  // Replayed through the log format: nothing evaluated again, the same answer.
  std::string log;
  for (const TuningRecord& r : a.TakeNew()) log += io::FormatTuningRecord(r);
  EvaluationCache c;
  for (TuningRecord& r : io::ParseTuningLog(log, "log.jsonl")) c.AddReplayed(std::move(r));
  options.threads = 1;
  const MappingTuneResult r3 = TuneMapping(space, "k", c, options);
  EXPECT_EQ(c.fresh_evaluations(), 0);
  EXPECT_EQ(ScheduleKey(r3.search.best.schedule), ScheduleKey(r1.search.best.schedule));
  EXPECT_EQ(r3.best.energy_pJ, r1.best.energy_pJ);  // 17 digits: bit for bit
  // Better than the seed (everything at the outermost level).
  EvaluationCache d;
  options.trials = 1;
  EXPECT_LT(r1.best.cycles, TuneMapping(space, "k", d, options).best.cycles);
}

TEST(TuningLogTest, RecordsRoundTrip) {
  TuningRecord valid{"cim-refined@x:y", {}, 472, 1.0 / 3.0, ""};
  valid.schedule.Set("rows_used", 128);
  valid.schedule.Set("copies", 9);
  TuningRecord invalid{"timeloop@x:z", {}, 0, 0, "level Registers: too small"};
  invalid.schedule.mapping =
      Mapping{{LevelMapping{{{0, 3, SpatialAxis::kX}}, {{1, 4, SpatialAxis::kY}}, {true, false}}}};
  const std::string text = io::FormatTuningRecord(valid) + "\n" + io::FormatTuningRecord(invalid);
  EXPECT_EQ(io::FormatTuningRecord(valid),
            "{\"layer\":\"cim-refined@x:y\",\"schedule\":{\"knobs\":{\"rows_used\":128,"
            "\"copies\":9}},\"cycles\":472,\"energy_pJ\":0.3333333333333333}\n");
  const std::vector<TuningRecord> back = io::ParseTuningLog(text, "t.jsonl");
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(ScheduleKey(back[0].schedule), "copies=9;rows_used=128");
  EXPECT_EQ(back[0].energy_pJ, 1.0 / 3.0);
  EXPECT_EQ(ScheduleKey(back[1].schedule), ScheduleKey(invalid.schedule));
  EXPECT_EQ(back[1].invalid_reason, "level Registers: too small");
}

std::string LogError(const std::string& text) {
  try {
    io::ParseTuningLog(text, "runs.jsonl");
  } catch (const UserError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(TuningLogTest, BadLinesSayWhereAndWhat) {
  const std::string good =
      "{\"layer\":\"m@a:s\",\"schedule\":{\"knobs\":{\"copies\":2}},\"cycles\":5,"
      "\"energy_pJ\":1.5}\n";
  EXPECT_EQ(LogError(good + "{\"layer\": 3\n"),
            "runs.jsonl:2: not a JSON object (a tuning log has one record per line)");
  // Unterminated and unparsable at the very end: a killed run's half record, not a record.
  EXPECT_EQ(LogError(good + "{\"layer\": 3"), "(no error)");
  EXPECT_EQ(io::ParseTuningLog(good + "{\"layer\": 3", "runs.jsonl").size(), 1u);
  EXPECT_EQ(LogError(good + "\n[1, 2]\n"), "runs.jsonl:3: a tuning record must be a JSON object");
  EXPECT_EQ(LogError("{\"schedule\":{\"knobs\":{}},\"cycles\":1,\"energy_pJ\":1}"),
            "runs.jsonl:1: missing \"layer\"");
  EXPECT_EQ(LogError("{\"layer\":\"m\",\"schedule\":{\"knobs\":{\"copies\":2.5}},\"cycles\":1,"
                     "\"energy_pJ\":1}"),
            "runs.jsonl:1: knob \"copies\" must be an integer");
  EXPECT_EQ(LogError("{\"layer\":\"m\",\"schedule\":{\"knobs\":{}},\"cycles\":-1,"
                     "\"energy_pJ\":1}"),
            "runs.jsonl:1: \"cycles\" must not be negative");
  EXPECT_EQ(LogError("{\"layer\":\"m\",\"schedule\":{\"knobs\":{}},\"energy_pJ\":1}"),
            "runs.jsonl:1: missing \"cycles\"");
  EXPECT_EQ(LogError("{\"layer\":\"m\",\"schedule\":{\"knobs\":{},\"mapping\":[{\"temporal\":"
                     "[[0,2]],\"spatial\":[[1,2,\"Z\"]],\"keep\":[true]}]},\"cycles\":1,"
                     "\"energy_pJ\":1}"),
            "runs.jsonl:1: a spatial loop's axis must be \"X\" or \"Y\"");
}

}  // namespace
}  // namespace tessel
