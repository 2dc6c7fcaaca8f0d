// One interface for every single-layer mapper (cosa, random, exhaustive, ...).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>

#include "tessel/mapping/mapspace.h"
#include "tessel/model/evaluate.h"

namespace tessel {

enum class Objective { kLatency, kEnergy, kEdp };

// "latency" | "energy" | "edp"; throws UserError otherwise.
Objective ParseObjective(const std::string& name);
const char* ToString(Objective objective);

// The number a mapper minimises: cycles, pJ, or cycles x pJ. Lower is better.
double ObjectiveValue(const Cost& cost, Objective objective);

// The weights of the cosa mapper's MIP objective (mapper/cosa_formulation.h), each multiplying a
// natural log: latency = the bound z >= ln(max(compute cycles, bandwidth cycles)); compute =
// ln(temporal iterations); traffic = ln(words moved between kept levels); utilization = -ln(tile
// sizes). DefaultCosaWeights gives the ones tuned per objective.
struct CosaWeights {
  double latency = 1.0;
  double compute = 0.1;
  double traffic = 0.0;
  double utilization = 0.05;
};
CosaWeights DefaultCosaWeights(Objective objective);
// "latency=1,compute=0.1,traffic=0,utilization=0.05" (any subset, others from `base`); throws
// UserError naming the bad item.
CosaWeights ParseCosaWeights(const std::string& text, CosaWeights base);

struct MapperOptions {
  Objective objective = Objective::kLatency;
  double time_limit_s = 60;  // wall time for the whole search
  std::int64_t samples = 5;  // random: valid mappings to draw
  std::uint64_t seed = 1;
  int threads = 1;
  std::string solver = "cbc";               // cosa: MIP backend
  std::optional<CosaWeights> cosa_weights;  // cosa: nullopt = DefaultCosaWeights(objective)
  // A stop request ends the search like the time limit does (status kTimeOut, best so far);
  // callers that must not report a cut-short result check the token afterwards.
  std::stop_token stop;
};

enum class MapperStatus {
  kOptimal,   // the search space was covered (or the MIP proven optimal, then polished)
  kComplete,  // the mapper finished its own procedure (e.g. drew all samples)
  kTimeOut,   // stopped by the time limit; `mapping` is the best found so far
  kNoMapping  // nothing valid found; `message` says why
};

const char* ToString(MapperStatus status);

struct MapperResult {
  MapperStatus status = MapperStatus::kNoMapping;
  bool proven_optimal = false;  // true only when no better mapping exists in the mapspace
  Mapping mapping;              // valid (Evaluate ok) unless status is kNoMapping
  Evaluation evaluation;
  double seconds = 0;
  std::int64_t evaluations = 0;  // exact-model evaluations performed
  std::string message;
};

class Mapper {
 public:
  virtual ~Mapper() = default;
  virtual std::string name() const = 0;
  // Deterministic for the same mapspace, options (seed, threads) — independent of timing unless the
  // time limit is hit.
  virtual MapperResult Map(const MapSpace& space, const MapperOptions& options) const = 0;
};

// "cosa" | "random" | "exhaustive"; throws UserError naming the choices otherwise.
std::unique_ptr<Mapper> MakeMapper(const std::string& name);

}  // namespace tessel
