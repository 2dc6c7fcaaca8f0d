#include "tessel/mapper/cosa_mapper.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <tuple>
#include <vector>

#include "fmt/format.h"
#include "tessel/common/parallel.h"
#include "tessel/mapper/cosa_formulation.h"
#include "tessel/mapper/local_search.h"
#include "tessel/solver/mip.h"

namespace tessel {

namespace {

using Clock = std::chrono::steady_clock;

// Exact-model evaluations the polish may spend: enough to reach a local optimum on the CoSA
// workloads (a few sweeps of ~10^3 neighbours), small enough for ~0.1 s per layer.
constexpr std::int64_t kPolishEvaluations = 20000;
// Branch-and-bound nodes per MIP solve. The proxy is only approximately the real cost, so proving
// its optimum to the last digit buys nothing; a node limit (unlike a time limit) stops at the same
// incumbent on every run, which keeps the mapper deterministic.
constexpr long kMipNodes = 100;
constexpr double kMipGap = 1e-3;

// MIP solutions per weight set: the optimum, then the optimum without each of its largest spatial
// choices in turn (a (level, dimension) pair forbidden to be spatial). The proxy misjudges some
// arrays, so the exact model must see more than one spatial choice to pick from. The set without
// the utilisation term is the fastest to solve and gets one more (SolveAndPolish).
constexpr int kDiverseSolutions = 2;

struct Solved {
  Tiling tiling;
  std::string origin;  // for the result message
  bool timed_out = false;
  std::optional<Tiling> decoded;  // the MIP's own answer (before the repair), when it had one
};

// Step 1: one MIP solve, decoded. Falls back to the outermost tiling the constraints allow (valid
// for any valid mapspace) when the solver finds nothing usable, so the polish always has a start.
Solved SolveMip(const MapSpace& space, const CosaFormulation& formulation,
                const MapperOptions& options) {
  MipOptions mip_options;
  mip_options.time_limit_s = std::max(0.01, options.time_limit_s * 0.5);
  mip_options.relative_gap = kMipGap;
  mip_options.max_nodes = kMipNodes;
  mip_options.threads = 1;  // parallelism comes from solving the candidates at once
  MipResult mip = MakeMipSolver(options.solver)->Solve(formulation.model, mip_options);
  Solved solved{ConstrainedStartTiling(space), "", mip.status == MipStatus::kTimeLimit, {}};
  solved.origin = fmt::format("MIP {} in {:.3f} s", ToString(mip.status), mip.seconds);
  if (mip.has_solution) {
    Tiling decoded = DecodeCosaSolution(space, formulation, mip.values);
    solved.decoded = decoded;
    // The MIP's tile bounds are approximate for strided windows: repair what overflows. The
    // repair only moves factors outward and spatial to temporal, so factor products and fan-outs
    // checked here still hold after it.
    if (CheckMappingStructure(space.problem, space.arch, MappingFromTiling(space, decoded))
            .empty()) {
      decoded = RepairCapacity(space, decoded);
      if (EvaluateTiling(space, decoded).ok()) {
        solved.tiling = decoded;
        return solved;
      }
    }
  }
  solved.origin += mip.message.empty() ? "" : " (" + mip.message + ")";
  solved.origin += "; started from the outermost tiling the constraints allow";
  return solved;
}

struct Candidate {
  Solved solved;
  SearchResult result;  // ordered and polished; evaluation not ok() when nothing was valid
  std::int64_t evaluations = 0;
};

bool Better(const Candidate& a, const Candidate& b, Objective objective) {
  if (!a.result.evaluation.ok()) return false;
  if (!b.result.evaluation.ok()) return true;
  return ScoreOf(a.result.evaluation.cost, objective) <
         ScoreOf(b.result.evaluation.cost, objective);
}

// Step 2: loop orders, then the polish, both with the exact model.
Candidate Polish(const MapSpace& space, Solved solved, const MapperOptions& options,
                 Clock::time_point deadline) {
  Candidate c;
  c.solved = std::move(solved);
  SearchLimits limits{kPolishEvaluations, deadline};
  SearchResult ordered = OptimiseLoopOrders(space, c.solved.tiling, options.objective, limits);
  limits.max_evaluations = std::max<std::int64_t>(1, kPolishEvaluations - ordered.evaluations);
  c.result = ImproveTiling(space, ordered.tiling, options.objective, limits);
  c.result.hit_deadline = c.result.hit_deadline || ordered.hit_deadline;
  c.evaluations = ordered.evaluations + c.result.evaluations;
  return c;
}

// The (level, dimension) pairs a tiling spreads spatially, largest factor first.
std::vector<std::pair<int, int>> SpatialPairs(const Tiling& t) {
  std::vector<std::tuple<std::int64_t, int, int>> pairs;
  for (int l = 0; l < static_cast<int>(t.factor.size()); ++l)
    for (int d = 0; d < static_cast<int>(t.factor[l].size()); ++d)
      if (t.factor[l][d][kSpatialX] * t.factor[l][d][kSpatialY] > 1)
        pairs.emplace_back(-t.factor[l][d][kSpatialX] * t.factor[l][d][kSpatialY], l, d);
  std::sort(pairs.begin(), pairs.end());
  std::vector<std::pair<int, int>> out;
  for (const auto& [size, l, d] : pairs) out.emplace_back(l, d);
  return out;
}

// One weight set: the MIP's answer and up to `solutions` - 1 diverse ones, each polished; the
// best of them.
struct Job {
  CosaWeights weights;
  WindowBound window;
  bool free_keep;
};

Candidate SolveAndPolish(const MapSpace& space, const Job& job, const MapperOptions& options,
                         Clock::time_point deadline) {
  const CosaFormulation formulation =
      BuildCosaFormulation(space, job.weights, job.window, job.free_keep);
  // The set with the utilisation term and no traffic term is the slowest to solve and gains
  // least from a second answer (measured on the CoSA layers); it gets one.
  const int solutions = job.weights.utilization == 0 ? kDiverseSolutions + 1
                        : job.weights.traffic > 0    ? kDiverseSolutions
                                                     : 1;
  Solved first = SolveMip(space, formulation, options);
  std::vector<std::pair<int, int>> pairs;
  if (first.decoded) pairs = SpatialPairs(*first.decoded);
  Candidate best = Polish(space, std::move(first), options, deadline);
  std::int64_t evaluations = best.evaluations;
  bool timed_out = best.solved.timed_out || best.result.hit_deadline;
  for (int i = 1; i < solutions && i <= static_cast<int>(pairs.size()); ++i) {
    if (Clock::now() >= deadline || options.stop.stop_requested()) break;
    CosaFormulation branch = formulation;
    ForbidSpatial(branch, pairs[i - 1].first, pairs[i - 1].second);
    Solved solved = SolveMip(space, branch, options);
    if (!solved.decoded) continue;  // nothing feasible without that pair
    Candidate c = Polish(space, std::move(solved), options, deadline);
    evaluations += c.evaluations;
    timed_out = timed_out || c.solved.timed_out || c.result.hit_deadline;
    if (Better(c, best, options.objective)) best = std::move(c);
  }
  best.evaluations = evaluations;
  best.solved.timed_out = timed_out;
  return best;
}

class CosaMapper : public Mapper {
 public:
  std::string name() const override { return "cosa"; }

  MapperResult Map(const MapSpace& space, const MapperOptions& options) const override {
    Clock::time_point start = Clock::now();
    Clock::time_point deadline = start + std::chrono::duration_cast<Clock::duration>(
                                             std::chrono::duration<double>(options.time_limit_s));
    std::vector<CosaWeights> weight_sets;
    if (options.cosa_weights) {
      weight_sets.push_back(*options.cosa_weights);
    } else {
      // CoSA's utilisation term (fill the buffers) helps some layers and misleads others (large
      // tiles that starve the PEs); solving with and without it and keeping the better answer for
      // the exact model wins on both kinds (without it the solve is ~10x faster). A third set adds
      // a little of CoSA's traffic term, which finds the register-level reuse the other two miss on
      // some layers.
      CosaWeights base = DefaultCosaWeights(options.objective);
      weight_sets = {base, base};
      weight_sets[1].utilization = 0;
      // (Objectives whose default already has that much traffic do not need the third set.)
      if (base.traffic < 0.05) {
        weight_sets.push_back(base);
        weight_sets.back().traffic = 0.05;
      }
    }
    std::vector<WindowBound> windows = {WindowBound::kProduct};
    if (HasStridedRanks(space.problem)) windows.push_back(WindowBound::kSafe);
    // Where keep/bypass is free, the MIP decides it (its traffic proxy, a sum of logs, leans
    // towards bypass) and, as a second opinion for the exact model, also solves with the
    // mapspace's starting choice (keep wherever a word fits).
    std::vector<bool> keep_modes = {true};
    if (space.HasFreeKeep()) keep_modes.push_back(false);
    std::vector<Job> jobs;
    for (bool free_keep : keep_modes)
      for (const CosaWeights& weights : weight_sets)
        for (WindowBound window : windows) jobs.push_back({weights, window, free_keep});

    // The jobs are independent (one MIP and one polish each): worker w takes jobs w, w + T, ...
    std::vector<Candidate> candidates(jobs.size());
    const int workers = std::clamp(options.threads, 1, static_cast<int>(jobs.size()));
    RunOnThreads(workers, [&](int worker) {
      for (std::size_t i = worker; i < jobs.size(); i += workers)
        candidates[i] = SolveAndPolish(space, jobs[i], options, deadline);
    });

    // The exact model picks the best polished answer; the first on a tie, so the result does not
    // depend on the thread count or on timing.
    std::optional<Candidate> best;
    std::int64_t evaluations = 0;
    bool timed_out = false;
    for (Candidate& c : candidates) {
      evaluations += c.evaluations;
      timed_out = timed_out || c.solved.timed_out || c.result.hit_deadline;
      if (!best || Better(c, *best, options.objective)) best = std::move(c);
    }
    SearchResult& polished = best->result;
    MapperResult result;
    result.evaluations = evaluations;
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (!polished.evaluation.ok()) {
      result.status = MapperStatus::kNoMapping;
      result.message = "no valid mapping: " + polished.evaluation.invalid_reason;
      return result;
    }
    result.mapping = MappingFromTiling(space, polished.tiling);
    result.evaluation = std::move(polished.evaluation);
    result.status = timed_out ? MapperStatus::kTimeOut : MapperStatus::kComplete;
    result.message = best->solved.origin + "; polished with the exact model";
    return result;
  }
};

}  // namespace

std::unique_ptr<Mapper> MakeCosaMapper() { return std::make_unique<CosaMapper>(); }

}  // namespace tessel
