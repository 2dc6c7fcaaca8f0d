#include "tessel/mapper/mapspace_sampling.h"

#include <map>

#include "tessel/common/rng.h"

namespace tessel {

namespace {

// Fan-out redraws before giving up on rejection and demoting what overflows (keeps a draw's cost
// bounded on meshes that almost nothing fits).
constexpr int kMaxFactorDraws = 64;

// A uniformly random composition of `total` identical items into counts.size() ordered parts (stars
// and bars: every composition equally likely).
void UniformComposition(std::mt19937_64& rng, int total, std::vector<int>& counts) {
  const int parts = static_cast<int>(counts.size());
  std::fill(counts.begin(), counts.end(), 0);
  // Choose which of the total + parts - 1 positions hold the parts - 1 bars (Floyd's sampling),
  // then count the stars between bars.
  const int positions = total + parts - 1;
  std::vector<bool> bar(positions, false);
  for (int j = positions - (parts - 1); j < positions; ++j) {
    int t = static_cast<int>(UniformBelow(rng, static_cast<std::uint64_t>(j) + 1));
    bar[bar[t] ? j : t] = true;
  }
  int part = 0;
  for (int i = 0; i < positions; ++i) {
    if (bar[i]) {
      ++part;
    } else {
      ++counts[part];
    }
  }
}

}  // namespace

RandomMappingDrawer::RandomMappingDrawer(const MapSpace& space)
    : space_(space),
      table_(space.num_levels(), static_cast<int>(space.problem.dims.size())),
      orders_(space.num_levels()),
      mapping_(EmptyMapping(space)) {
  for (std::size_t d = 0; d < space.prime_factors.size(); ++d) {
    // The primes left once the fixed factors are taken out.
    std::int64_t fixed = 1;
    for (const LevelConstraints& level : space.constraints.levels)
      fixed *= std::max<std::int64_t>(1, level.temporal[d].exact) *
               std::max<std::int64_t>(1, level.spatial[d].exact);
    std::map<std::int64_t, int> multiplicity;
    for (std::int64_t p : PrimeFactors(space.problem.dims[d].bound / fixed)) ++multiplicity[p];
    for (const auto& [p, m] : multiplicity) powers_.push_back({static_cast<int>(d), p, m});
  }
  // Per dimension, the slots its factors may go to: a level's temporal slot, and its spatial
  // slot where it fans out, unless a constraint fixes the factor there (set in DrawFactors).
  const int dims = static_cast<int>(space.problem.dims.size());
  slots_.resize(dims);
  for (int d = 0; d < dims; ++d) {
    for (int l = 0; l < space.num_levels(); ++l) {
      const LevelConstraints& level = space.constraints.levels[l];
      if (level.temporal[d].exact == 0) slots_[d].push_back({l, false});
      if (space.CanFanOut(l) && level.spatial[d].exact == 0) slots_[d].push_back({l, true});
    }
  }
}

bool RandomMappingDrawer::PlaceFixedFactors() {
  const int dims = static_cast<int>(space_.problem.dims.size());
  for (int l = 0; l < space_.num_levels(); ++l) {
    const LevelConstraints& level = space_.constraints.levels[l];
    for (int d = 0; d < dims; ++d) {
      if (level.temporal[d].exact > 1)
        table_.at(l, d, FactorTable::kTemporal) = level.temporal[d].exact;
      const std::int64_t spatial = level.spatial[d].exact;
      if (spatial <= 1) continue;
      const bool x = space_.max_fanout_x[l] > 1 && space_.AllowsAxis(l, d, SpatialAxis::kX);
      const int kind = x ? FactorTable::kSpatialX : FactorTable::kSpatialY;
      table_.at(l, d, kind) = spatial;
      (kind == FactorTable::kSpatialX ? fanout_x_ : fanout_y_)[l] *= spatial;
    }
  }
  return true;
}

bool RandomMappingDrawer::DrawFactors(std::mt19937_64& rng) {
  table_.Reset();
  fanout_x_.assign(space_.num_levels(), 1);
  fanout_y_.assign(space_.num_levels(), 1);
  PlaceFixedFactors();
  for (const PrimePower& power : powers_) {
    const std::vector<Slot>& slots = slots_[power.dim];
    if (slots.empty()) continue;  // every factor fixed: the mapspace checked they multiply out
    counts_.resize(slots.size());
    UniformComposition(rng, power.remaining, counts_);
    for (std::size_t s = 0; s < slots.size(); ++s) {
      const int level = slots[s].level;
      for (int i = 0; i < counts_[s]; ++i) {
        int kind = FactorTable::kTemporal;
        if (slots[s].spatial) {
          bool x = space_.max_fanout_x[level] > 1 &&
                   space_.AllowsAxis(level, power.dim, SpatialAxis::kX);
          bool y = space_.max_fanout_y[level] > 1 &&
                   space_.AllowsAxis(level, power.dim, SpatialAxis::kY);
          kind = (x && (!y || UniformBelow(rng, 2) == 0)) ? FactorTable::kSpatialX
                                                          : FactorTable::kSpatialY;
          (kind == FactorTable::kSpatialX ? fanout_x_ : fanout_y_)[level] *= power.prime;
        }
        table_.at(level, power.dim, kind) *= power.prime;
      }
    }
  }
  for (int l = 0; l < space_.num_levels(); ++l)
    if (fanout_x_[l] > space_.max_fanout_x[l] || fanout_y_[l] > space_.max_fanout_y[l])
      return false;
  return FactorsAllowed();
}

bool RandomMappingDrawer::FactorsAllowed() const {
  const int dims = static_cast<int>(space_.problem.dims.size());
  for (int l = 0; l < space_.num_levels(); ++l)
    for (int d = 0; d < dims; ++d)
      if (!space_.AllowsTemporal(l, d, table_.at(l, d, FactorTable::kTemporal)) ||
          !space_.AllowsSpatial(
              l, d,
              table_.at(l, d, FactorTable::kSpatialX) * table_.at(l, d, FactorTable::kSpatialY)))
        return false;
  return true;
}

void RandomMappingDrawer::DrawKeep(std::mt19937_64& rng) {
  for (int l = 0; l < space_.num_levels(); ++l)
    for (std::size_t v = 0; v < space_.keep[l].size(); ++v)
      mapping_.levels[l].keep[v] =
          space_.keep_free[l][v] ? UniformBelow(rng, 2) == 0 : space_.keep[l][v];
}

void RandomMappingDrawer::DemoteOverflowingSpatial() {
  const int dims = static_cast<int>(space_.problem.dims.size());
  for (int l = 0; l < space_.num_levels(); ++l) {
    for (int kind : {FactorTable::kSpatialX, FactorTable::kSpatialY}) {
      const std::int64_t limit =
          kind == FactorTable::kSpatialX ? space_.max_fanout_x[l] : space_.max_fanout_y[l];
      std::int64_t product = 1;
      for (int d = 0; d < dims; ++d) {
        std::int64_t& f = table_.at(l, d, kind);
        if (product * f > limit) {
          table_.at(l, d, FactorTable::kTemporal) *= f;
          f = 1;
        }
        product *= f;
      }
    }
  }
}

const Mapping& RandomMappingDrawer::Draw(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  bool fits = false;
  for (int attempt = 0; attempt < kMaxFactorDraws && !fits; ++attempt) fits = DrawFactors(rng);
  if (!fits) DemoteOverflowingSpatial();
  const int dims = static_cast<int>(space_.problem.dims.size());
  for (int l = 0; l < space_.num_levels(); ++l) {
    orders_[l].clear();
    for (int d = 0; d < dims; ++d)
      if (table_.at(l, d, FactorTable::kTemporal) > 1) orders_[l].push_back(d);
    Shuffle(rng, orders_[l]);
    ApplyLoopOrder(space_.constraints.levels[l].temporal_order, orders_[l]);
  }
  WriteLoops(space_, table_, orders_, mapping_);
  DrawKeep(rng);
  return mapping_;
}

}  // namespace tessel
