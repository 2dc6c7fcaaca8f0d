#include "tessel/tuner/mapping_space.h"

#include <algorithm>
#include <utility>

#include "tessel/common/rng.h"

namespace tessel {
namespace {

struct Slot {
  int level;
  int kind;  // LoopKind
};

}  // namespace

MappingSpace::MappingSpace(const MapSpace& space)
    : space_(space), drawer_(std::make_unique<RandomMappingDrawer>(space)) {}

Schedule MappingSpace::FromTiling(const Tiling& tiling) const {
  Schedule s;
  s.mapping = MappingFromTiling(space_, tiling);
  return s;
}

std::vector<Schedule> MappingSpace::Seeds() const {
  return {FromTiling(ConstrainedStartTiling(space_))};
}

Schedule MappingSpace::Random(std::mt19937_64& rng) const {
  Schedule s;
  s.mapping = drawer_->Draw(rng());
  return s;
}

bool MappingSpace::FitsFanout(const Tiling& t) const {
  for (int l = 0; l < space_.num_levels(); ++l)
    if (t.SpatialProduct(l, kSpatialX) > space_.max_fanout_x[l] ||
        t.SpatialProduct(l, kSpatialY) > space_.max_fanout_y[l])
      return false;
  return true;
}

bool MappingSpace::MoveFactor(Tiling& t, std::mt19937_64& rng) const {
  // Every (dim, slot, prime) that can leave its slot.
  struct Source {
    int dim;
    Slot slot;
    std::int64_t prime;
  };
  std::vector<Source> sources;
  const int dims = static_cast<int>(space_.problem.dims.size());
  for (int d = 0; d < dims; ++d) {
    std::vector<std::int64_t> primes = space_.prime_factors[d];
    primes.erase(std::unique(primes.begin(), primes.end()), primes.end());
    for (int l = 0; l < space_.num_levels(); ++l)
      for (int k = 0; k < kNumLoopKinds; ++k)
        for (std::int64_t p : primes)
          if (t.factor[l][d][k] % p == 0) sources.push_back({d, {l, k}, p});
  }
  if (sources.empty()) return false;
  const Source src = sources[UniformBelow(rng, sources.size())];
  std::vector<Slot> targets;
  for (int l = 0; l < space_.num_levels(); ++l) {
    for (int k = 0; k < kNumLoopKinds; ++k) {
      if (l == src.slot.level && k == src.slot.kind) continue;
      if (k == kSpatialX && t.SpatialProduct(l, kSpatialX) * src.prime > space_.max_fanout_x[l])
        continue;
      if (k == kSpatialY && t.SpatialProduct(l, kSpatialY) * src.prime > space_.max_fanout_y[l])
        continue;
      targets.push_back({l, k});
    }
  }
  if (targets.empty()) return false;
  // Half the moves go to a spatial slot when one has room: parallelism is what latency needs
  // most, and uniform targets would pick temporal slots two times in three.
  std::vector<Slot> spatial;
  for (const Slot& s : targets)
    if (s.kind != kTemporal) spatial.push_back(s);
  const std::vector<Slot>& pool = !spatial.empty() && UniformBelow(rng, 2) == 0 ? spatial : targets;
  const Slot dst = pool[UniformBelow(rng, pool.size())];
  t.factor[src.slot.level][src.dim][src.slot.kind] /= src.prime;
  t.factor[dst.level][src.dim][dst.kind] *= src.prime;
  return true;
}

bool MappingSpace::SwapLoops(Tiling& t, std::mt19937_64& rng) const {
  std::vector<int> levels;
  for (int l = 0; l < space_.num_levels(); ++l) {
    int loops = 0;
    for (int d : t.order[l]) loops += t.factor[l][d][kTemporal] > 1;
    if (loops >= 2) levels.push_back(l);
  }
  if (levels.empty()) return false;
  std::vector<int>& order = t.order[levels[UniformBelow(rng, levels.size())]];
  const int l = static_cast<int>(&order - &t.order[0]);
  std::vector<std::size_t> positions;
  for (std::size_t i = 0; i < order.size(); ++i)
    if (t.factor[l][order[i]][kTemporal] > 1) positions.push_back(i);
  const std::size_t a = UniformBelow(rng, positions.size());
  std::size_t b = UniformBelow(rng, positions.size() - 1);
  if (b >= a) ++b;
  std::swap(order[positions[a]], order[positions[b]]);
  return true;
}

Schedule MappingSpace::Mutate(const Schedule& parent, std::mt19937_64& rng) const {
  Tiling t = TilingFromMapping(space_, *parent.mapping);
  // Two moves in three are factor moves: they change the tiling, the order only its reuse.
  const bool factor_first = UniformBelow(rng, 3) != 0;
  if (factor_first ? !MoveFactor(t, rng) : !SwapLoops(t, rng))
    factor_first ? SwapLoops(t, rng) : MoveFactor(t, rng);
  // A free keep/bypass choice flips now and then, so bypass is searched as well.
  FlipKeep(t, rng);
  Schedule child = FromTiling(t);
  // The architect's constraints bound every move: a child that breaks one is the parent again.
  return SatisfiesConstraints(space_, *child.mapping) ? child : parent;
}

void MappingSpace::FlipKeep(Tiling& t, std::mt19937_64& rng) const {
  std::vector<std::pair<int, int>> free;
  for (int l = 0; l < space_.num_levels(); ++l)
    for (std::size_t v = 0; v < space_.keep_free[l].size(); ++v)
      if (space_.keep_free[l][v]) free.emplace_back(l, static_cast<int>(v));
  if (free.empty() || UniformBelow(rng, 4) != 0) return;
  const auto [level, space] = free[UniformBelow(rng, free.size())];
  t.keep[level][space] = !t.keep[level][space];
}

Schedule MappingSpace::Crossover(const Schedule& a, const Schedule& b, std::mt19937_64& rng) const {
  const Tiling ta = TilingFromMapping(space_, *a.mapping);
  const Tiling tb = TilingFromMapping(space_, *b.mapping);
  Tiling child = ta;
  for (std::size_t d = 0; d < space_.problem.dims.size(); ++d) {
    if (UniformBelow(rng, 2) == 0) continue;
    for (int l = 0; l < space_.num_levels(); ++l) child.factor[l][d] = tb.factor[l][d];
  }
  if (!FitsFanout(child)) return a;
  Schedule out = FromTiling(child);
  return SatisfiesConstraints(space_, *out.mapping) ? out : a;
}

}  // namespace tessel
