#include "tessel/mapper/mapspace_sampling.h"

#include <random>

#include "tessel/common/rng.h"

namespace tessel {

RandomMappingDrawer::RandomMappingDrawer(const MapSpace& space)
    : space_(space),
      table_(space.num_levels(), static_cast<int>(space.problem.dims.size())),
      orders_(space.num_levels()),
      mapping_(EmptyMapping(space)) {
  for (std::size_t d = 0; d < space.prime_factors.size(); ++d)
    for (std::int64_t p : space.prime_factors[d]) primes_.emplace_back(static_cast<int>(d), p);
}

const Mapping& RandomMappingDrawer::Draw(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const int levels = space_.num_levels();
  table_.Reset();
  fanout_x_.assign(levels, 1);
  fanout_y_.assign(levels, 1);
  // Placing the factors in random order keeps early dimensions from taking all the fan-out.
  shuffled_ = primes_;
  Shuffle(rng, shuffled_);
  for (const auto& [dim, prime] : shuffled_) {
    int level = static_cast<int>(UniformBelow(rng, levels));
    int kind = FactorTable::kTemporal;
    if (space_.CanFanOut(level) && UniformBelow(rng, 2) == 1) {
      bool x_ok = fanout_x_[level] * prime <= space_.max_fanout_x[level];
      bool y_ok = fanout_y_[level] * prime <= space_.max_fanout_y[level];
      if (x_ok && y_ok) {
        kind = UniformBelow(rng, 2) == 0 ? FactorTable::kSpatialX : FactorTable::kSpatialY;
      } else if (x_ok) {
        kind = FactorTable::kSpatialX;
      } else if (y_ok) {
        kind = FactorTable::kSpatialY;
      }
      if (kind == FactorTable::kSpatialX) fanout_x_[level] *= prime;
      if (kind == FactorTable::kSpatialY) fanout_y_[level] *= prime;
    }
    table_.at(level, dim, kind) *= prime;
  }
  const int dims = static_cast<int>(space_.problem.dims.size());
  for (int l = 0; l < levels; ++l) {
    orders_[l].clear();
    for (int d = 0; d < dims; ++d)
      if (table_.at(l, d, FactorTable::kTemporal) > 1) orders_[l].push_back(d);
    Shuffle(rng, orders_[l]);
  }
  WriteLoops(space_, table_, orders_, mapping_);
  return mapping_;
}

}  // namespace tessel
