// Exhaustive search of the mapspace, pruned only where no better mapping can be lost.
//
// The space: every way to split each dimension's bound into factors over (level, temporal /
// spatial X / spatial Y) — enumerated as divisor choices, so each multiset allocation of prime
// factors appears once — and, per level, every order of its temporal loops with factor > 1.
// Levels are decided innermost first, dimension by dimension.
//
// Pruning (all sound):
//  - capacity: a level's tile only grows as outer factors are placed, so a partial allocation
//    whose current extents already overflow some level that keeps data is cut;
//  - fan-out: a spatial product over a level's limit is never generated;
//  - bound: for latency and EDP, cycles >= MACs / (MACs in use), and the most MACs still
//    reachable is known from the unplaced factors and the free fan-out; a branch is cut when its
//    bound is worse than the best mapping found so far, or equal to it while that mapping comes
//    earlier in enumeration order (it would win the tie). Energy has no such bound and is
//    searched without it. Before enumerating, the best of a fixed number of seeded random draws
//    primes the bound.
//
// Ranking: the objective, then enumeration order — no secondary metric, since ties must be
// cuttable for latency, where many mappings share the compute-bound cycle count.
//
// Threads: the enumeration tree is cut at a fixed depth into work items numbered in enumeration
// order; threads claim items dynamically. Ranking by (objective, item, position within the item)
// makes the answer the same for any thread count. With the bound, how many evaluations a run
// needs depends on timing; the answer does not (unless the time limit stops it).
#pragma once

#include <memory>

#include "tessel/mapper/mapper.h"

namespace tessel {

std::unique_ptr<Mapper> MakeExhaustiveMapper();

}  // namespace tessel
