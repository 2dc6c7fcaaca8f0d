#include "tessel/mapper/random_mapper.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <limits>
#include <mutex>
#include <string>
#include <vector>

#include "fmt/format.h"
#include "tessel/common/parallel.h"
#include "tessel/common/rng.h"
#include "tessel/mapper/mapspace_sampling.h"
#include "tessel/mapper/search_common.h"

namespace tessel {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::max();

struct ValidDraw {
  std::int64_t index = 0;
  SearchScore score;
};

// What the workers found, merged after they stop. Draws are claimed in increasing index order
// from `next_draw`; a draw below `first_abandoned` was either evaluated or never claimed.
struct DrawLog {
  std::atomic<std::int64_t> next_draw{0};
  std::atomic<std::int64_t> valid_count{0};
  std::mutex mutex;  // guards the fields below
  std::vector<ValidDraw> valid;
  std::int64_t first_abandoned = kNone;  // lowest draw skipped because time ran out
  std::int64_t first_invalid = kNone;    // lowest invalid draw, and why it was invalid
  std::string first_invalid_reason;
};

struct DrawPlan {
  std::uint64_t seed = 1;
  std::int64_t samples = 1;
  std::int64_t max_draws = 1;
  Objective objective = Objective::kLatency;
  Clock::time_point deadline;
  std::stop_token stop;  // ends the draws like the deadline
};

void DrawWorker(const MapSpace& space, const DrawPlan& plan, DrawLog& log) {
  RandomMappingDrawer drawer(space);
  std::vector<ValidDraw> valid;
  std::int64_t abandoned = kNone, invalid = kNone;
  std::string invalid_reason;
  while (log.valid_count.load(std::memory_order_relaxed) < plan.samples) {
    std::int64_t i = log.next_draw.fetch_add(1);
    if (i >= plan.max_draws) break;
    if (Clock::now() >= plan.deadline || plan.stop.stop_requested()) {
      abandoned = i;
      break;
    }
    const Mapping& mapping = drawer.Draw(TaskSeed(plan.seed, i));
    Evaluation evaluation = Evaluate(space.problem, space.arch, mapping);
    if (evaluation.ok() && !SatisfiesConstraints(space, mapping))
      evaluation.invalid_reason = "it breaks a mapspace constraint";
    if (evaluation.ok()) {
      valid.push_back({i, ScoreOfCost(evaluation.cost, plan.objective)});
      log.valid_count.fetch_add(1);
    } else if (invalid == kNone) {
      invalid = i;
      invalid_reason = std::move(evaluation.invalid_reason);
    }
  }
  std::lock_guard<std::mutex> lock(log.mutex);
  log.valid.insert(log.valid.end(), valid.begin(), valid.end());
  log.first_abandoned = std::min(log.first_abandoned, abandoned);
  if (invalid < log.first_invalid) {
    log.first_invalid = invalid;
    log.first_invalid_reason = std::move(invalid_reason);
  }
}

class RandomMapper : public Mapper {
 public:
  std::string name() const override { return "random"; }

  MapperResult Map(const MapSpace& space, const MapperOptions& options) const override {
    Clock::time_point start = Clock::now();
    DrawPlan plan;
    plan.seed = options.seed;
    plan.samples = std::max<std::int64_t>(1, options.samples);
    plan.max_draws = plan.samples * kRandomDrawsPerSample;
    plan.objective = options.objective;
    plan.deadline = DeadlineAfter(start, options.time_limit_s);
    plan.stop = options.stop;

    DrawLog log;
    RunOnThreads(options.threads, [&](int) { DrawWorker(space, plan, log); });
    MapperResult result = Summarise(space, plan, log);
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return result;
  }

 private:
  // The answer from the deterministic prefix of draws: those below the first abandoned one,
  // up to and including the samples-th valid draw.
  static MapperResult Summarise(const MapSpace& space, const DrawPlan& plan, DrawLog& log) {
    std::sort(log.valid.begin(), log.valid.end(),
              [](const ValidDraw& a, const ValidDraw& b) { return a.index < b.index; });
    std::int64_t end = std::min(log.first_abandoned, plan.max_draws);
    bool timed_out = log.first_abandoned < plan.max_draws;
    RankKey best;
    std::int64_t used = 0;
    for (const ValidDraw& draw : log.valid) {
      if (draw.index >= end || used == plan.samples) break;
      ++used;
      RankKey key{draw.score, draw.index, 0};
      if (key < best) best = key;
      if (used == plan.samples) {
        end = draw.index + 1;
        timed_out = false;  // every sample was drawn before time ran out
      }
    }
    MapperResult result;
    result.evaluations = end;
    if (used == 0) {
      result.status = MapperStatus::kNoMapping;
      result.message =
          timed_out ? fmt::format("the time limit ran out after {} random draws, none valid", end)
                    : fmt::format("none of {} random draws was valid", end);
      if (log.first_invalid < end) result.message += "; e.g. " + log.first_invalid_reason;
      return result;
    }
    // Re-draw the winner: draws are pure functions of (space, seed, index).
    RandomMappingDrawer drawer(space);
    result.mapping = drawer.Draw(TaskSeed(plan.seed, best.major));
    result.evaluation = Evaluate(space.problem, space.arch, result.mapping);
    result.status = timed_out ? MapperStatus::kTimeOut : MapperStatus::kComplete;
    result.message = fmt::format("best of {} valid mappings in {} random draws (draw {})", used,
                                 end, best.major);
    return result;
  }
};

}  // namespace

std::unique_ptr<Mapper> MakeRandomMapper() { return std::make_unique<RandomMapper>(); }

}  // namespace tessel
