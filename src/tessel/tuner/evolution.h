// Evolutionary search over a ScheduleSpace, Ansor's way: seeds and random
// annotations form the first population; each generation breeds children by
// mutation (one knob / factor / loop) and crossover of tournament-selected
// parents; the next population is the best `population` of parents and children
// (elitism: the best found so far is never lost).
//
// Determinism: generation g draws from a generator seeded with TaskSeed(seed,
// g), and children are scored before any decision is taken on them, so the
// answer depends only on (space, score, options.seed, options.trials) -- not on
// the thread count, nor on whether a cost was replayed from a tuning log or
// computed now. A schedule already scored in this search is never proposed
// again; an evaluation cache (evaluation_cache.h) makes that hold across runs
// too.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "tessel/model/timing_model.h"
#include "tessel/tuner/schedule_space.h"

namespace tessel {

// Lower is better, compared lexicographically; an invalid schedule scores +inf.
struct TuneScore {
  double primary = std::numeric_limits<double>::infinity();
  double secondary = std::numeric_limits<double>::infinity();
  bool operator<(const TuneScore& o) const {
    return primary < o.primary || (primary == o.primary && secondary < o.secondary);
  }
  bool valid() const { return primary < std::numeric_limits<double>::infinity(); }
};

struct EvolutionOptions {
  std::int64_t trials = 64;  // distinct schedules scored, seeds included
  int population = 64;
  double crossover_probability = 0.3;
  // Children that are fresh random points instead of bred ones (diversity against premature
  // convergence), as a fraction of each generation.
  double immigrant_fraction = 0.125;
  std::uint64_t seed = 1;
  int threads = 1;  // scoring of one generation's children runs on this many threads
  // Checked before each schedule is scored: a stop request throws Interrupted (common/cancel.h);
  // what was scored before it stays in the evaluation cache (and its log sink).
  std::stop_token stop;
};

// A scored candidate: the schedule as the space proposed it, and its score.
struct ScoredSchedule {
  Schedule schedule;
  TuneScore score;
};

struct EvolutionResult {
  ScoredSchedule best;                 // best.score.valid() is false when nothing valid was found
  std::vector<ScoredSchedule> ranked;  // the final population, best first
  std::int64_t trials = 0;             // distinct schedules scored
  int generations = 0;
};

// `score` must be pure and thread-safe (it typically completes the schedule,
// evaluates it through an EvaluationCache and ranks the result).
EvolutionResult Evolve(const ScheduleSpace& space,
                       const std::function<TuneScore(const Schedule&)>& score,
                       const EvolutionOptions& options);

}  // namespace tessel
