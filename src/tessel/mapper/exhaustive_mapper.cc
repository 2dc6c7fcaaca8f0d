#include "tessel/mapper/exhaustive_mapper.h"

#include <chrono>
#include <limits>
#include <memory>
#include <vector>

#include "fmt/format.h"
#include "tessel/common/parallel.h"
#include "tessel/common/rng.h"
#include "tessel/mapper/exhaustive_search.h"
#include "tessel/mapper/mapspace_sampling.h"

namespace tessel {

namespace {

using Clock = std::chrono::steady_clock;

// Work items per thread: enough for dynamic claiming to even out uneven subtrees.
constexpr std::int64_t kItemsPerThread = 64;
// Counting the top of the tree stops here; more items than this only cost traversal time.
constexpr std::int64_t kCountCap = std::int64_t{1} << 22;

// Random draws that seed the bound with a good mapping before the enumeration starts.
constexpr std::int64_t kSeedDraws = 1000;

struct Incumbent {
  RankKey key;  // major = max() when nothing was found
  Mapping mapping;
  Evaluation evaluation;
  std::int64_t evaluations = 0;
};

// The best of kSeedDraws random draws: a deterministic starting incumbent. It only tightens the
// bound (and is the answer if the time limit stops the enumeration before anything better);
// the enumeration meets it or something better anyway, and its rank puts it after every
// enumerated mapping of equal score.
Incumbent SeedIncumbent(const MapSpace& space, const MapperOptions& options,
                        Clock::time_point deadline) {
  Incumbent seed;
  RandomMappingDrawer drawer(space);
  for (std::int64_t i = 0; i < kSeedDraws && Clock::now() < deadline; ++i) {
    const Mapping& mapping = drawer.Draw(TaskSeed(options.seed, i));
    if (!SatisfiesConstraints(space, mapping)) continue;
    Evaluation evaluation = Evaluate(space.problem, space.arch, mapping);
    ++seed.evaluations;
    if (!evaluation.ok()) continue;
    RankKey key = ExhaustiveKey(ObjectiveValue(evaluation.cost, options.objective),
                                std::numeric_limits<std::int64_t>::max() - 1, i);
    if (!(key < seed.key)) continue;
    seed.key = key;
    seed.mapping = mapping;
    seed.evaluation = std::move(evaluation);
  }
  return seed;
}

// Cuts the enumeration tree at the shallowest depth with enough items for `threads`.
void ChooseSplit(ExhaustivePlan& plan, int threads) {
  plan.split_depth = 0;
  plan.items = 1;
  if (threads <= 1) return;
  ExhaustiveShared scratch;
  ExhaustiveWorker counter(plan, &scratch);
  for (int depth = 1; depth <= plan.depth; ++depth) {
    std::int64_t nodes = counter.CountNodes(depth, kCountCap);
    plan.split_depth = depth;
    plan.items = nodes >= kCountCap ? std::numeric_limits<std::int64_t>::max() : nodes;
    if (nodes >= kItemsPerThread * threads || nodes == 0) return;
  }
}

class ExhaustiveMapper : public Mapper {
 public:
  std::string name() const override { return "exhaustive"; }

  MapperResult Map(const MapSpace& space, const MapperOptions& options) const override {
    Clock::time_point start = Clock::now();
    int threads = std::max(1, options.threads);
    ExhaustivePlan plan =
        MakeExhaustivePlan(space, options.objective, DeadlineAfter(start, options.time_limit_s));
    plan.stop = options.stop;

    Incumbent best = SeedIncumbent(space, options, plan.deadline);
    ChooseSplit(plan, threads);
    ExhaustiveShared shared;
    if (best.key.major != std::numeric_limits<std::int64_t>::max()) shared.Offer(best.key);
    std::vector<std::unique_ptr<ExhaustiveWorker>> workers;
    for (int w = 0; w < threads; ++w)
      workers.push_back(std::make_unique<ExhaustiveWorker>(plan, &shared));
    // A count cut short by the deadline would under-number the items: search nothing then.
    if (Clock::now() >= plan.deadline) shared.stop = true;
    if (!shared.stop.load()) RunOnThreads(threads, [&](int w) { workers[w]->Run(); });

    MapperResult result;
    result.evaluations = best.evaluations;
    const ExhaustiveWorker* winner = nullptr;
    for (const auto& worker : workers) {
      result.evaluations += worker->evaluations();
      if (worker->found() && worker->best_key() < best.key) {
        best.key = worker->best_key();
        winner = worker.get();
      }
    }
    bool timed_out = shared.stop.load();
    if (winner != nullptr) {
      best.mapping = winner->best_mapping();
      best.evaluation = winner->best_evaluation();
    }
    if (best.key.major == std::numeric_limits<std::int64_t>::max()) {
      result.status = MapperStatus::kNoMapping;
      result.message = timed_out ? "the time limit ran out before a valid mapping was found"
                                 : "no allocation of the factors fits the capacities of the levels";
    } else {
      result.mapping = std::move(best.mapping);
      result.evaluation = std::move(best.evaluation);
      result.status = timed_out ? MapperStatus::kTimeOut : MapperStatus::kOptimal;
      result.proven_optimal = !timed_out;
      result.message =
          timed_out
              ? fmt::format("time limit reached after {} evaluations; the best so far",
                            result.evaluations)
              : fmt::format("{} evaluations; the rest of the mapspace was pruned as no better",
                            result.evaluations);
    }
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return result;
  }
};

}  // namespace

std::unique_ptr<Mapper> MakeExhaustiveMapper() { return std::make_unique<ExhaustiveMapper>(); }

}  // namespace tessel
