#include "tessel/mapper/cosa_mapper.h"

#include <chrono>

#include "tessel/mapper/local_search.h"
#include "tessel/solver/mip.h"

namespace tessel {

namespace {

using Clock = std::chrono::steady_clock;

// Exact-model evaluations the polish may spend: enough to reach a local optimum on the CoSA
// workloads (a few sweeps of ~10^3 neighbours), small enough for ~0.1 s per layer.
constexpr std::int64_t kPolishEvaluations = 20000;

bool FactorsMultiplyToBounds(const MapSpace& space, const Tiling& t) {
  for (size_t d = 0; d < space.problem.dims.size(); ++d) {
    std::int64_t product = 1;
    for (const auto& level : t.factor)
      for (std::int64_t f : level[d]) product *= f;
    if (product != space.problem.dims[d].bound) return false;
  }
  return true;
}

class CosaMapper : public Mapper {
 public:
  explicit CosaMapper(const CosaWeights& weights) : weights_(weights) {}
  std::string name() const override { return "cosa"; }

  MapperResult Map(const MapSpace& space, const MapperOptions& options) const override {
    Clock::time_point start = Clock::now();
    Clock::time_point deadline =
        start + std::chrono::duration_cast<Clock::duration>(
                    std::chrono::duration<double>(options.time_limit_s));
    MapperResult result;

    // 1. One MIP solve, with half the time budget at most.
    CosaFormulation formulation = BuildCosaFormulation(space, options.objective, weights_);
    MipOptions mip_options;
    mip_options.time_limit_s = std::max(0.01, options.time_limit_s * 0.5);
    mip_options.threads = options.threads;
    MipResult solved = MakeMipSolver(options.solver)->Solve(formulation.model, mip_options);
    bool timed_out = solved.status == MipStatus::kTimeLimit;

    Tiling tiling = OutermostTiling(space);  // always valid for a valid mapspace
    std::string origin = "the trivial all-outermost tiling";
    if (solved.has_solution) {
      Tiling decoded = DecodeCosaSolution(space, formulation, solved.values);
      if (FactorsMultiplyToBounds(space, decoded) && EvaluateTiling(space, decoded).ok()) {
        tiling = decoded;
        origin = "the MIP solution";
      }
    }

    // 2. Loop orders, then the polish, both with the exact model.
    SearchLimits limits{kPolishEvaluations, deadline};
    SearchResult ordered = OptimiseLoopOrders(space, tiling, options.objective, limits);
    limits.max_evaluations = std::max<std::int64_t>(1, kPolishEvaluations - ordered.evaluations);
    SearchResult polished = ImproveTiling(space, ordered.tiling, options.objective, limits);

    result.evaluations = ordered.evaluations + polished.evaluations;
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (!polished.evaluation.ok()) {
      result.status = MapperStatus::kNoMapping;
      result.message = "no valid mapping: " + polished.evaluation.invalid_reason;
      return result;
    }
    result.mapping = MappingFromTiling(space, polished.tiling);
    result.evaluation = std::move(polished.evaluation);
    timed_out = timed_out || ordered.hit_deadline || polished.hit_deadline;
    result.status = timed_out ? MapperStatus::kTimeOut : MapperStatus::kComplete;
    result.message = std::string("MIP ") + ToString(solved.status) + " in " +
                     std::to_string(solved.seconds) + " s; polished from " + origin;
    return result;
  }

 private:
  CosaWeights weights_;
};

}  // namespace

std::unique_ptr<Mapper> MakeCosaMapper() { return MakeCosaMapper(CosaWeights{}); }

std::unique_ptr<Mapper> MakeCosaMapper(const CosaWeights& weights) {
  return std::make_unique<CosaMapper>(weights);
}

}  // namespace tessel
