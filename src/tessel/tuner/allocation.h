// Sharing a chip's arrays among the stages of a layer pipeline: each stage
// (layer) picks one of its options (a complete schedule using `arrays` arrays
// and taking `cycles`), the arrays of all picks must fit the chip, and the
// pipeline is as fast as its slowest stage.
//
//   MinimiseBottleneck  exact: the least T such that every stage has an option
//   of at most T
//                       cycles and the cheapest such options fit (binary search
//                       over the candidate T values; feasibility is monotone in
//                       T), then, among all allocations with bottleneck T, the
//                       least total cycles (a multiple-choice knapsack solved
//                       exactly by dynamic programming over arrays), then the
//                       least energy.
//   MinimiseTotal       exact: the least total cycles (the same knapsack
//   without the bound). GreedyDuplication   the baseline: start at each stage's
//   first option (one copy), repeatedly
//                       move the slowest stage (ties: the first) to its next
//                       option while that fits; stop at the first move that
//                       does not fit or when the slowest stage has no next
//                       option.
//
// Pure functions of their inputs; no model is called here (the options carry
// their costs).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tessel {

struct StageOption {
  std::int64_t arrays = 0;  // arrays the stage occupies with this option
  std::int64_t cycles = 0;
  double energy_pJ = 0;
  int tag = 0;  // the caller's index of the option (e.g. layout and copies)
};

struct ArrayAllocation {
  std::vector<int> pick;  // per stage, an index into its option list; empty when infeasible
  std::int64_t arrays_used = 0;
  std::int64_t bottleneck_cycles = 0;
  int bottleneck_stage = -1;  // the first stage with bottleneck_cycles
  std::int64_t total_cycles = 0;
  double energy_pJ = 0;
  bool feasible() const { return !pick.empty(); }
};

// The options of one stage that can be best for some budget: sorted by arrays
// ascending with cycles strictly descending (for equal cycles the fewest
// arrays, then the least energy). The returned options keep their tags.
std::vector<StageOption> ParetoOptions(std::vector<StageOption> options);

// `stages[i]` lists stage i's options (any order). Infeasible (empty pick) when
// even the cheapest options exceed `budget`.
ArrayAllocation MinimiseBottleneck(const std::vector<std::vector<StageOption>>& stages,
                                   std::int64_t budget);
ArrayAllocation MinimiseTotal(const std::vector<std::vector<StageOption>>& stages,
                              std::int64_t budget);
// `ladders[i]` is stage i's options in the order the greedy climbs them (copies
// 1, 2, ...).
ArrayAllocation GreedyDuplication(const std::vector<std::vector<StageOption>>& ladders,
                                  std::int64_t budget);

// Fills arrays_used, bottleneck, total and energy of `a` from its picks.
void Summarise(const std::vector<std::vector<StageOption>>& stages, ArrayAllocation& a);

}  // namespace tessel
