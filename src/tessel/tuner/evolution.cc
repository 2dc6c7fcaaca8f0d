#include "tessel/tuner/evolution.h"

#include <algorithm>
#include <random>
#include <unordered_set>

#include "tessel/common/cancel.h"
#include "tessel/common/parallel.h"
#include "tessel/common/rng.h"

namespace tessel {
namespace {

// Proposals that repeat a scored schedule are redrawn at most this many times
// per child.
constexpr int kRedraws = 16;

// The population so far and the keys of every schedule scored in this search.
class Pool {
 public:
  Pool(const EvolutionOptions& options, int population)
      : options_(options), population_size_(population) {}

  bool Seen(const Schedule& s) const { return seen_.count(ScheduleKey(s)) != 0; }
  // Claims `s` for scoring; false when it was scored (or claimed) before.
  bool Claim(const Schedule& s) { return seen_.insert(ScheduleKey(s)).second; }

  // Scores `batch` (in parallel, results by index) and merges it into the
  // population.
  void Score(std::vector<Schedule> batch, const std::function<TuneScore(const Schedule&)>& score) {
    std::vector<TuneScore> scores(batch.size());
    const int threads = std::max(1, std::min<int>(options_.threads, batch.size()));
    RunOnThreads(threads, [&](int worker) {
      for (std::size_t i = worker; i < batch.size(); i += threads) {
        ThrowIfStopped(options_.stop);
        scores[i] = score(batch[i]);
      }
    });
    for (std::size_t i = 0; i < batch.size(); ++i)
      population_.push_back({std::move(batch[i]), scores[i]});
    trials_ += static_cast<std::int64_t>(batch.size());
    // Stable: equal scores keep their order of proposal, which is
    // deterministic.
    std::stable_sort(
        population_.begin(), population_.end(),
        [](const ScoredSchedule& a, const ScoredSchedule& b) { return a.score < b.score; });
    if (population_.size() > static_cast<std::size_t>(population_size_))
      population_.resize(population_size_);
  }

  // Binary tournament: the better of two uniformly drawn members.
  const Schedule& Pick(std::mt19937_64& rng) const {
    const std::size_t a = UniformBelow(rng, population_.size());
    const std::size_t b = UniformBelow(rng, population_.size());
    return population_[std::min(a, b)].schedule;  // sorted: lower index = better
  }

  const std::vector<ScoredSchedule>& population() const { return population_; }
  std::int64_t trials() const { return trials_; }

 private:
  const EvolutionOptions& options_;
  int population_size_;
  std::unordered_set<std::string> seen_;
  std::vector<ScoredSchedule> population_;  // sorted, best first
  std::int64_t trials_ = 0;
};

// A random point not scored before; nullopt when none turned up.
std::optional<Schedule> Immigrant(const ScheduleSpace& space, Pool& pool, std::mt19937_64& rng) {
  for (int attempt = 0; attempt < kRedraws; ++attempt) {
    Schedule child = space.Random(rng);
    if (pool.Claim(child)) return child;
  }
  return std::nullopt;
}

// One child: crossover (sometimes) then one or more mutations; redrawn while it repeats a
// scored schedule; a random point as the last resort. nullopt when nothing new turned up.
std::optional<Schedule> Breed(const ScheduleSpace& space, Pool& pool, double p_cross,
                              std::mt19937_64& rng) {
  for (int attempt = 0; attempt < kRedraws; ++attempt) {
    Schedule child = pool.Pick(rng);
    if (UniformBelow(rng, 1000) < static_cast<std::uint64_t>(p_cross * 1000))
      child = space.Crossover(child, pool.Pick(rng), rng);
    do {
      child = space.Mutate(child, rng);
    } while (UniformBelow(rng, 2) == 0);
    if (pool.Claim(child)) return child;
  }
  return Immigrant(space, pool, rng);
}

}  // namespace

EvolutionResult Evolve(const ScheduleSpace& space,
                       const std::function<TuneScore(const Schedule&)>& score,
                       const EvolutionOptions& options) {
  const std::int64_t trials = std::max<std::int64_t>(1, options.trials);
  // At least four generations: a population above a quarter of the trials would leave the
  // search a random sample.
  const int population = static_cast<int>(
      std::max<std::int64_t>(2, std::min<std::int64_t>(options.population, trials / 4)));
  Pool pool(options, population);
  EvolutionResult result;

  // Generation 0: the seeds, then random annotations up to a population.
  std::mt19937_64 rng(TaskSeed(options.seed, 0));
  std::vector<Schedule> batch;
  for (Schedule& s : space.Seeds())
    if (static_cast<std::int64_t>(batch.size()) < trials && pool.Claim(s))
      batch.push_back(std::move(s));
  for (int miss = 0; static_cast<int>(batch.size()) < std::min<std::int64_t>(population, trials) &&
                     miss < kRedraws * population;) {
    Schedule s = space.Random(rng);
    if (pool.Claim(s)) {
      batch.push_back(std::move(s));
    } else {
      ++miss;
    }
  }
  pool.Score(std::move(batch), score);

  for (int g = 1; pool.trials() < trials; ++g) {
    std::mt19937_64 gen_rng(TaskSeed(options.seed, g));
    batch.clear();
    const std::int64_t want = std::min<std::int64_t>(population, trials - pool.trials());
    const auto immigrants = static_cast<std::int64_t>(options.immigrant_fraction * population);
    while (static_cast<std::int64_t>(batch.size()) < want) {
      std::optional<Schedule> child =
          static_cast<std::int64_t>(batch.size()) < immigrants
              ? Immigrant(space, pool, gen_rng)
              : Breed(space, pool, options.crossover_probability, gen_rng);
      if (!child && static_cast<std::int64_t>(batch.size()) < immigrants)
        child = Breed(space, pool, options.crossover_probability, gen_rng);
      if (!child) break;
      batch.push_back(std::move(*child));
    }
    if (batch.empty()) break;  // the space is exhausted
    pool.Score(std::move(batch), score);
    result.generations = g;
  }
  result.ranked = pool.population();
  if (!result.ranked.empty()) result.best = result.ranked.front();
  result.trials = pool.trials();
  return result;
}

}  // namespace tessel
