// The enumeration behind the exhaustive mapper (exhaustive_mapper.h describes the space, the
// pruning and the threading). One ExhaustiveWorker per thread; they share an ExhaustivePlan
// (read-only) and an ExhaustiveShared (atomics).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <mutex>
#include <stop_token>
#include <string>
#include <vector>

#include "tessel/mapper/search_common.h"

namespace tessel {

// Read-only facts about the search, built once.
struct ExhaustivePlan {
  const MapSpace* space = nullptr;
  Objective objective = Objective::kLatency;
  std::chrono::steady_clock::time_point deadline;
  std::stop_token stop;  // a stop request ends the enumeration like the deadline
  int levels = 0;
  int dims = 0;
  int depth = 0;  // decisions in a complete allocation: levels x dims, level-major

  std::vector<std::vector<std::int64_t>> divisors;  // per dimension, of its bound, ascending

  // A level with a finite capacity that keeps some data space whatever the keep choice.
  struct Capacity {
    int level = 0;
    std::int64_t words = 0;
    std::vector<int> spaces;  // data spaces the level must keep
  };
  // The keep entries the mapper chooses, (level, data space); every subset is tried per leaf.
  std::vector<std::pair<int, int>> free_keep;
  std::vector<Capacity> capacities;  // ascending level
  // True when every projection coefficient is >= 0, so tiles grow with extents and a partial
  // allocation's tiles are lower bounds of the final ones (what makes capacity pruning sound).
  bool tiles_monotone = true;

  // For the latency / EDP bound: product over levels above l of their fan-out limits (X x Y).
  std::vector<double> fanout_above;
  double operations = 0;     // MACs of the problem
  double mac_energy_pJ = 0;  // a lower bound of any mapping's energy

  // Work items: the enumeration nodes at split_depth, in enumeration order.
  int split_depth = 0;
  std::int64_t items = 1;  // their number; max() when unknown (too many to count)
};

ExhaustivePlan MakeExhaustivePlan(const MapSpace& space, Objective objective,
                                  std::chrono::steady_clock::time_point deadline);

// The rank of an exhaustive candidate: its objective value, then its place in enumeration order
// (work item, position within the item). No secondary metric: ties go to the earlier mapping,
// which is what lets the bound cut ties too (see BoundPrunes).
RankKey ExhaustiveKey(double objective_value, std::int64_t item, std::int64_t position);

class ExhaustiveShared {
 public:
  // The best candidate any worker (or the seed) has found: used to prune, never to choose the
  // answer, so a worker may read a stale copy (the incumbent only improves: stale is weaker).
  void Offer(const RankKey& key);
  // Refreshes `cached` when the incumbent changed since `cached_version` (cheap when it has not).
  void Refresh(RankKey& cached, std::int64_t& cached_version) const;

  std::atomic<bool> stop{false};  // set when the deadline passed
  std::atomic<std::int64_t> next_item{0};

 private:
  mutable std::mutex mutex_;
  RankKey incumbent_;  // guarded by mutex_
  std::atomic<std::int64_t> version_{0};
};

class ExhaustiveWorker {
 public:
  ExhaustiveWorker(const ExhaustivePlan& plan, ExhaustiveShared* shared);

  // Nodes of the enumeration tree at `depth` (capacity and fan-out pruning only, so the count
  // is deterministic), counting at most up to `cap`.
  std::int64_t CountNodes(int depth, std::int64_t cap);

  // Claims work items until none is left or the search stops.
  void Run();

  bool found() const { return best_key_.major != std::numeric_limits<std::int64_t>::max(); }
  const RankKey& best_key() const { return best_key_; }
  const Mapping& best_mapping() const { return best_mapping_; }
  const Evaluation& best_evaluation() const { return best_evaluation_; }
  std::int64_t evaluations() const { return evaluations_; }

 private:
  enum class Mode { kCount, kTop, kItem };

  void Visit(int k);
  void Claim(int k);
  void Branch(int k);
  void Place(int k, int level, int dim, std::int64_t x, std::int64_t y, std::int64_t t);
  bool Fits(int from_level) const;
  double BoundAt(int level) const;
  bool BoundPrunes(double bound);
  void Leaf();
  bool NextOrder();
  void Consider(Evaluation& evaluation);

  const ExhaustivePlan& plan_;
  const MapSpace& space_;
  ExhaustiveShared* shared_;

  // The partial allocation. extent_[d]: product of d's factors placed so far (all levels up to
  // the one being decided); remaining_[d]: bound / extent_[d], still to place.
  FactorTable table_;
  std::vector<std::int64_t> extent_, remaining_;
  std::vector<std::int64_t> fanout_x_, fanout_y_;  // per level, spatial products placed
  std::int64_t spatial_ = 1;                       // product of all spatial factors placed
  std::vector<std::vector<int>> orders_;           // leaf: temporal order per level
  Mapping mapping_;                                // leaf: the candidate being evaluated

  Mode mode_ = Mode::kItem;
  int count_depth_ = 0;
  std::int64_t count_ = 0, count_cap_ = 0;
  std::int64_t top_index_ = 0;  // next node index at the split depth
  std::int64_t claimed_ = 0;    // the item this worker owns next
  std::int64_t item_ = 0;       // the item being searched
  std::int64_t position_ = 0;   // candidates generated so far in this item

  RankKey incumbent_;  // this worker's copy of the shared incumbent
  std::int64_t incumbent_version_ = -1;
  RankKey best_key_;
  Mapping best_mapping_;
  Evaluation best_evaluation_;
  std::int64_t evaluations_ = 0;
  std::int64_t visits_ = 0;  // tree nodes visited, to pace the clock checks
};

}  // namespace tessel
