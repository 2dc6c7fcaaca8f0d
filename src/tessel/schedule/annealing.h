// SET's search over RA trees: simulated annealing from the best of SET's baselines.
//
// Baselines (as SET prints them): init, every layer a segment of its own at the largest batch that
// is valid; LP (layer pipelining), consecutive layers grouped into S-cut segments; LS (layer
// sequential), into T-cut segments. LP and LS choose their segments (up to 8 layers) and batches
// by dynamic programming on time / init's time + energy / init's energy, a linearisation of the
// product that is additive over segments.
// Annealing (SET's moves and weights 10:10:20:20:20:20:40 on a random leaf): swap with the previous
// / next leaf, delete the leaf's parent cut, wrap a run of siblings of the leaf in a new cut,
// double / halve the batch of an ancestor cut, move the leaf into the neighbouring sibling cut or
// out to its grandparent. A worse tree is taken with probability exp(-(dC / C) / T), T = 0.07 (1 -
// x) / (1 + 8 x) at progress x; at 90% of its steps a chain jumps back to its best tree. `chains`
// chains of rounds x leaves steps each, chain i seeded by TaskSeed(seed, i), run on the thread
// pool; the answer is the best over the chains and the start (lowest chain index on ties), so it
// depends on the seed only and is never worse than a baseline.
#pragma once
#include <cstdint>
#include <random>
#include <stop_token>
#include <string>
#include <vector>

#include "tessel/mapper/mapper.h"
#include "tessel/schedule/ratree.h"
#include "tessel/schedule/ratree_eval.h"

namespace tessel {

struct AnnealOptions {
  Objective objective = Objective::kEdp;
  int rounds = 100;
  int chains = 4;
  std::uint64_t seed = 0;
  int threads = 1;
};

// A tree's totals as the shared simulator computes them (ratree_replay.h): what tessel reports.
struct RaSimulated {
  bool done = false;  // false until the tree was replayed
  std::int64_t latency_cycles = 0;
  double core_pJ = 0, link_pJ = 0, offchip_pJ = 0;
  int nodes = 0, transfers = 0;
  double energy_pJ() const { return core_pJ + link_pJ + offchip_pJ; }
};

struct RaMethod {
  std::string name;  // "init", "lp", "ls", "ratree"
  RaNode tree;
  RaCost cost;            // SET's formulas: the search's estimate
  RaSimulated simulated;  // the simulator's figures (set by RunRaTree)
};

struct AnnealResult {
  std::vector<RaMethod> methods;     // init, lp, ls, ratree (the best estimate)
  std::vector<RaMethod> candidates;  // every chain's best tree, distinct, best estimate first
  std::int64_t evaluations = 0;      // trees evaluated by the chains
};

RaNode InitTree(RaEvaluator& eval, const std::vector<int>& order);
// kind: RaKind::kS (LP) or RaKind::kT (LS).
RaNode SegmentedTree(RaEvaluator& eval, const std::vector<int>& order, RaKind kind,
                     const RaCost& scale, Objective objective);

// Throws Interrupted when `stop` is requested (checked between moves).
AnnealResult SearchRaTree(RaEvaluator& eval, const Workload& workload, const AnnealOptions& options,
                          std::stop_token stop = {});

// One random move applied to `tree` (exposed for tests); false when the drawn move does not
// apply. The result is normalised but not validated.
bool RandomMove(RaNode* tree, std::mt19937_64& rng, std::int64_t batch);

}  // namespace tessel
