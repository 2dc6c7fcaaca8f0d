// Searching the layer-core allocation (Stream's space): which allowed core runs each inter-core
// group whose mapping entry leaves a choice. Every candidate is scored by the simulator.
//   fixed: the mapping file's choices; a free group takes the first core its entry allows;
//   ga:    NSGA-II (Deb et al. 2002) over the free genes, objectives (latency, energy); the
//          initial population holds the fixed allocation, every single-core allocation and the
//          round-robin one, the rest random; binary tournaments on (front, crowding), uniform
//          crossover, per-gene mutation 1/genes; offspring scored in parallel; results stored by
//          index, so any thread count gives the same answer for a seed;
//   milp:  a CBC model: binary x[g][c] (group g on core c), minimise the largest core load
//          (sum of the node cycles of its groups) plus 1e-9 x energy; the answer is simulated.
#pragma once
#include <cstdint>
#include <functional>
#include <stop_token>
#include <string>
#include <vector>

#include "tessel/schedule/nodes.h"
#include "tessel/schedule/schedule.h"

namespace tessel {

struct Gene {
  int layer = 0;
  int group = 0;
  std::vector<int> choices;  // core ids the entry allows
};

// The free (layer, group) choices, in layer index then group order.
std::vector<Gene> FreeGenes(const NodeGraph& graph);
// The allocation with fixed groups as the file says and free gene i set to choices[pick[i]].
Allocation MakeAllocation(const NodeGraph& graph, const std::vector<Gene>& genes,
                          const std::vector<int>& pick);
// pick for the fixed search: every free gene on its first choice.
std::vector<int> FirstChoices(const std::vector<Gene>& genes);

struct Score {
  std::int64_t latency_cycles = 0;
  double energy_pJ = 0;
};
using Scorer = std::function<Score(const Allocation&)>;

struct GaOptions {
  int generations = 4;
  int population = 16;
  std::uint64_t seed = 0;
  int threads = 1;
  std::function<void(int generation, int generations, const Score& best)> progress;
  std::stop_token stop;  // checked before each allocation is simulated (common/cancel.h)
};

struct SearchOutcome {
  std::vector<int> best;  // gene picks of the lowest-latency allocation (ties: lower energy)
  Score best_score;
  std::vector<std::pair<std::vector<int>, Score>> pareto;  // sorted by latency
  int evaluations = 0;                                     // distinct allocations simulated
};

SearchOutcome GeneticSearch(const NodeGraph& graph, const std::vector<Gene>& genes,
                            const Scorer& score, const GaOptions& options);

// `cost(node, core)`: cycles and energy of a node on a core (from the cost table).
SearchOutcome MilpSearch(const NodeGraph& graph, const std::vector<Gene>& genes,
                         const std::function<Score(int node, int core)>& cost, const Scorer& score,
                         int threads);

}  // namespace tessel
