#include "tessel/mapper/exhaustive_search.h"

#include <algorithm>

#include "tessel/model/nest.h"

namespace tessel {

namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::int64_t> Divisors(std::int64_t n) {
  std::vector<std::int64_t> small, large;
  for (std::int64_t i = 1; i * i <= n; ++i) {
    if (n % i != 0) continue;
    small.push_back(i);
    if (i != n / i) large.push_back(n / i);
  }
  small.insert(small.end(), large.rbegin(), large.rend());
  return small;
}

// Relative slack on bound comparisons, so rounding in cycles x pJ never cuts a tie.
constexpr double kBoundSlack = 1e-9;

}  // namespace

RankKey ExhaustiveKey(double objective_value, std::int64_t item, std::int64_t position) {
  return RankKey{SearchScore{objective_value, 0}, item, position};
}

void ExhaustiveShared::Offer(const RankKey& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!(key < incumbent_)) return;
  incumbent_ = key;
  version_.fetch_add(1, std::memory_order_release);
}

void ExhaustiveShared::Refresh(RankKey& cached, std::int64_t& cached_version) const {
  std::int64_t version = version_.load(std::memory_order_acquire);
  if (version == cached_version) return;
  std::lock_guard<std::mutex> lock(mutex_);
  cached = incumbent_;
  cached_version = version_.load(std::memory_order_relaxed);
}

ExhaustivePlan MakeExhaustivePlan(const MapSpace& space, Objective objective,
                                  Clock::time_point deadline) {
  ExhaustivePlan plan;
  plan.space = &space;
  plan.objective = objective;
  plan.deadline = deadline;
  plan.levels = space.num_levels();
  plan.dims = static_cast<int>(space.problem.dims.size());
  plan.depth = plan.levels * plan.dims;
  for (const Dimension& dim : space.problem.dims) plan.divisors.push_back(Divisors(dim.bound));
  for (int l = 0; l < plan.levels; ++l) {
    std::optional<std::int64_t> words = space.arch.storage[l].EffectiveSizeWords();
    ExhaustivePlan::Capacity capacity{l, words.value_or(0), {}};
    for (std::size_t ds = 0; ds < space.keep[l].size(); ++ds) {
      if (space.keep_free[l][ds]) {
        plan.free_keep.emplace_back(l, static_cast<int>(ds));
      } else if (space.keep[l][ds]) {
        capacity.spaces.push_back(static_cast<int>(ds));
      }
    }
    if (words && !capacity.spaces.empty()) plan.capacities.push_back(std::move(capacity));
  }
  for (const DataSpace& ds : space.problem.data_spaces)
    for (const Rank& rank : ds.ranks)
      for (const ProjectionTerm& term : rank.terms)
        if (term.coefficient < 0) plan.tiles_monotone = false;
  plan.fanout_above.assign(plan.levels, 1.0);
  for (int l = plan.levels - 2; l >= 0; --l)
    plan.fanout_above[l] =
        plan.fanout_above[l + 1] *
        static_cast<double>(space.max_fanout_x[l + 1] * space.max_fanout_y[l + 1]);
  plan.operations = static_cast<double>(space.problem.TotalOperations());
  plan.mac_energy_pJ = plan.operations * space.arch.arithmetic.compute_pJ;
  return plan;
}

ExhaustiveWorker::ExhaustiveWorker(const ExhaustivePlan& plan, ExhaustiveShared* shared)
    : plan_(plan),
      space_(*plan.space),
      shared_(shared),
      table_(plan.levels, plan.dims),
      extent_(plan.dims, 1),
      fanout_x_(plan.levels, 1),
      fanout_y_(plan.levels, 1),
      orders_(plan.levels),
      mapping_(EmptyMapping(*plan.space)) {
  for (const Dimension& dim : space_.problem.dims) remaining_.push_back(dim.bound);
}

std::int64_t ExhaustiveWorker::CountNodes(int depth, std::int64_t cap) {
  mode_ = Mode::kCount;
  count_depth_ = depth;
  count_ = 0;
  count_cap_ = cap;
  Visit(0);
  return count_;
}

void ExhaustiveWorker::Run() {
  mode_ = Mode::kTop;
  top_index_ = 0;
  claimed_ = shared_->next_item.fetch_add(1);
  Visit(0);
}

void ExhaustiveWorker::Visit(int k) {
  switch (mode_) {
    case Mode::kCount:
      if (k == count_depth_) {
        ++count_;
        return;
      }
      if (count_ >= count_cap_ || Clock::now() >= plan_.deadline) return;
      break;
    case Mode::kTop:
      if (claimed_ >= plan_.items) return;  // every item is taken: nothing left to visit
      if (k == plan_.split_depth) {
        Claim(k);
        return;
      }
      break;
    case Mode::kItem:
      if (k < plan_.depth && BoundPrunes(BoundAt(k / std::max(1, plan_.dims)))) return;
      break;
  }
  if (shared_->stop.load(std::memory_order_relaxed)) return;
  // Pruned subtrees can be large too: look at the clock now and then, not only per evaluation.
  if ((++visits_ & 1023) == 0 && (Clock::now() >= plan_.deadline || plan_.stop.stop_requested())) {
    shared_->stop.store(true);
    return;
  }
  if (k == plan_.depth) {
    Leaf();
    return;
  }
  Branch(k);
}

// Nodes at the split depth are numbered in enumeration order; each is searched by the one
// worker that claimed its number. Claims only grow, so one pass over the top of the tree
// reaches every claim of this worker.
void ExhaustiveWorker::Claim(int k) {
  std::int64_t index = top_index_++;
  if (index != claimed_) return;
  mode_ = Mode::kItem;
  item_ = index;
  position_ = 0;
  Visit(k);
  mode_ = Mode::kTop;
  claimed_ = shared_->next_item.fetch_add(1);
}

// Decision k places dimension k % dims at level k / dims: a spatial X factor, a spatial Y factor
// and a temporal factor, each a divisor of what is left (the outermost level takes the rest).
// Large factors first: spatial ones so good latency bounds come early, temporal ones so inner
// levels take the biggest tiles that fit (more reuse) before smaller ones.
void ExhaustiveWorker::Branch(int k) {
  const int level = k / plan_.dims, dim = k % plan_.dims;
  const bool outermost = level == plan_.levels - 1;
  const std::int64_t left = remaining_[dim];
  const std::int64_t room_x = space_.max_fanout_x[level] / fanout_x_[level];
  const std::int64_t room_y = space_.max_fanout_y[level] / fanout_y_[level];
  const std::vector<std::int64_t>& divisors = plan_.divisors[dim];
  for (auto x = divisors.rbegin(); x != divisors.rend(); ++x) {
    if (*x > room_x || left % *x != 0) continue;
    if (*x > 1 && !space_.AllowsAxis(level, dim, SpatialAxis::kX)) continue;
    const std::int64_t after_x = left / *x;
    for (auto y = divisors.rbegin(); y != divisors.rend(); ++y) {
      if (*y > room_y || after_x % *y != 0) continue;
      if (*y > 1 && !space_.AllowsAxis(level, dim, SpatialAxis::kY)) continue;
      if (!space_.AllowsSpatial(level, dim, *x * *y)) continue;
      const std::int64_t after_y = after_x / *y;
      if (outermost) {
        if (space_.AllowsTemporal(level, dim, after_y)) Place(k, level, dim, *x, *y, after_y);
        continue;
      }
      for (auto t = divisors.rbegin(); t != divisors.rend(); ++t)
        if (*t <= after_y && after_y % *t == 0 && space_.AllowsTemporal(level, dim, *t))
          Place(k, level, dim, *x, *y, *t);
    }
  }
}

void ExhaustiveWorker::Place(int k, int level, int dim, std::int64_t x, std::int64_t y,
                             std::int64_t t) {
  const std::int64_t product = x * y * t;
  table_.at(level, dim, FactorTable::kSpatialX) = x;
  table_.at(level, dim, FactorTable::kSpatialY) = y;
  table_.at(level, dim, FactorTable::kTemporal) = t;
  remaining_[dim] /= product;
  extent_[dim] *= product;
  fanout_x_[level] *= x;
  fanout_y_[level] *= y;
  spatial_ *= x * y;
  if (Fits(level)) Visit(k + 1);
  spatial_ /= x * y;
  fanout_y_[level] /= y;
  fanout_x_[level] /= x;
  extent_[dim] /= product;
  remaining_[dim] *= product;
  table_.at(level, dim, FactorTable::kSpatialX) = 1;
  table_.at(level, dim, FactorTable::kSpatialY) = 1;
  table_.at(level, dim, FactorTable::kTemporal) = 1;
}

// Whether every level from `from_level` out can still hold its tiles. extent_ is the tile of
// the level being decided so far, and a lower bound of every outer level's tile.
bool ExhaustiveWorker::Fits(int from_level) const {
  if (!plan_.tiles_monotone) return true;
  for (const ExhaustivePlan::Capacity& capacity : plan_.capacities) {
    if (capacity.level < from_level) continue;
    std::int64_t words = 0;
    for (int ds : capacity.spaces)
      words += ProjectedBoxSize(space_.problem.data_spaces[ds], extent_.data());
    if (words > capacity.words) return false;
  }
  return true;
}

// A lower bound of the objective of every completion of the partial allocation, deciding
// `level` now. Cycles >= MACs / (MAC instances in use); the instances still reachable are
// limited both by the free fan-out (this level's room and every outer level's limit) and by the
// factors not yet placed. Energy >= the MACs' energy.
double ExhaustiveWorker::BoundAt(int level) const {
  if (plan_.objective == Objective::kEnergy) return plan_.mac_energy_pJ;
  double room = static_cast<double>(space_.max_fanout_x[level] / fanout_x_[level]) *
                static_cast<double>(space_.max_fanout_y[level] / fanout_y_[level]) *
                plan_.fanout_above[level];
  double unplaced = 1;
  for (std::int64_t r : remaining_) unplaced *= static_cast<double>(r);
  double cycles = plan_.operations / (static_cast<double>(spatial_) * std::min(room, unplaced));
  return plan_.objective == Objective::kLatency ? cycles : cycles * plan_.mac_energy_pJ;
}

// Every candidate below the current node ranks after (item_, position_), and its objective is
// at least `bound`: it cannot win if the bound is worse than the incumbent, or ties it while the
// incumbent comes earlier in the enumeration order (exact comparison: a tie in latency is a tie
// of integers).
bool ExhaustiveWorker::BoundPrunes(double bound) {
  shared_->Refresh(incumbent_, incumbent_version_);
  double best = incumbent_.score.primary;
  if (bound > best * (1 + kBoundSlack)) return true;
  bool incumbent_earlier =
      incumbent_.major < item_ || (incumbent_.major == item_ && incumbent_.minor < position_);
  return bound >= best && incumbent_earlier;
}

// A complete allocation: for every keep choice of the free entries (subset k flips the entries
// of k's bits from the mapspace's default), evaluate every combination of the levels' temporal
// loop orders (odometer over per-level permutations, innermost level fastest) that the
// constraints allow.
void ExhaustiveWorker::Leaf() {
  double bound = BoundAt(plan_.levels - 1);  // exact MAC count in use: nothing left to place
  if (BoundPrunes(bound)) return;
  const std::int64_t choices = std::int64_t{1} << plan_.free_keep.size();
  for (std::int64_t choice = 0; choice < choices; ++choice) {
    for (std::size_t i = 0; i < plan_.free_keep.size(); ++i) {
      const auto [level, space] = plan_.free_keep[i];
      mapping_.levels[level].keep[space] = space_.keep[level][space] != (((choice >> i) & 1) != 0);
    }
    for (int l = 0; l < plan_.levels; ++l) {
      orders_[l].clear();
      for (int d = 0; d < plan_.dims; ++d)
        if (table_.at(l, d, FactorTable::kTemporal) > 1) orders_[l].push_back(d);
    }
    WriteLoops(space_, table_, orders_, mapping_);
    do {
      if (Clock::now() >= plan_.deadline || plan_.stop.stop_requested()) {
        shared_->stop.store(true);
        return;
      }
      if (!SatisfiesConstraints(space_, mapping_)) continue;
      Evaluation evaluation = Evaluate(space_.problem, space_.arch, mapping_);
      ++evaluations_;
      // Capacity, the only check a well-formed candidate can fail, ignores loop order.
      if (!evaluation.ok()) break;
      Consider(evaluation);
      ++position_;
    } while (!BoundPrunes(bound) && NextOrder());
    if (BoundPrunes(bound)) return;
  }
}

bool ExhaustiveWorker::NextOrder() {
  for (int l = 0; l < plan_.levels; ++l) {
    if (orders_[l].size() < 2) continue;
    bool more = std::next_permutation(orders_[l].begin(), orders_[l].end());
    WriteTemporalLoops(table_, l, orders_[l], mapping_);
    if (more) return true;  // else it wrapped to the first order: carry to the next level
  }
  return false;
}

void ExhaustiveWorker::Consider(Evaluation& evaluation) {
  RankKey key = ExhaustiveKey(ObjectiveValue(evaluation.cost, plan_.objective), item_, position_);
  if (!(key < best_key_)) return;
  best_key_ = key;
  best_mapping_ = mapping_;
  best_evaluation_ = std::move(evaluation);
  shared_->Offer(key);
}

}  // namespace tessel
