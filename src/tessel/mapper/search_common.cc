#include "tessel/mapper/search_common.h"

#include <algorithm>

namespace tessel {

SearchScore ScoreOfCost(const Cost& cost, Objective objective) {
  double other =
      objective == Objective::kLatency ? cost.energy_pJ : static_cast<double>(cost.cycles);
  return {ObjectiveValue(cost, objective), other};
}

bool RankKey::operator<(const RankKey& other) const {
  if (score.primary != other.score.primary) return score.primary < other.score.primary;
  if (score.secondary != other.score.secondary) return score.secondary < other.score.secondary;
  if (major != other.major) return major < other.major;
  return minor < other.minor;
}

Mapping EmptyMapping(const MapSpace& space) {
  Mapping mapping;
  mapping.levels.resize(space.num_levels());
  for (int l = 0; l < space.num_levels(); ++l) mapping.levels[l].keep = space.keep[l];
  return mapping;
}

void WriteTemporalLoops(const FactorTable& table, int level, const std::vector<int>& order,
                        Mapping& mapping) {
  std::vector<Loop>& temporal = mapping.levels[level].temporal;
  temporal.resize(order.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    temporal[i] = Loop{order[i], table.at(level, order[i], FactorTable::kTemporal)};
}

void WriteLoops(const MapSpace& space, const FactorTable& table,
                const std::vector<std::vector<int>>& orders, Mapping& mapping) {
  int dims = static_cast<int>(space.problem.dims.size());
  for (int l = 0; l < space.num_levels(); ++l) {
    WriteTemporalLoops(table, l, orders[l], mapping);
    std::vector<Loop>& spatial = mapping.levels[l].spatial;
    spatial.clear();
    for (int kind : {FactorTable::kSpatialX, FactorTable::kSpatialY}) {
      SpatialAxis axis = kind == FactorTable::kSpatialX ? SpatialAxis::kX : SpatialAxis::kY;
      for (int d = 0; d < dims; ++d)
        if (table.at(l, d, kind) > 1) spatial.push_back(Loop{d, table.at(l, d, kind), axis});
    }
  }
}

std::chrono::steady_clock::time_point DeadlineAfter(std::chrono::steady_clock::time_point start,
                                                    double seconds) {
  // Clamp so a huge limit cannot overflow the clock's representation.
  double capped = std::min(std::max(seconds, 0.0), 1e9);
  return start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                     std::chrono::duration<double>(capped));
}

}  // namespace tessel
