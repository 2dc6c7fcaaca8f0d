#include "tessel/schedule/tiled_system.h"

#include <cstdlib>

namespace tessel {

// Strips of `stride` columns, left to right; inside a strip rows go top to bottom, and the
// columns of a row snake (left to right on even rows of the strip, right to left on odd ones),
// so that consecutive numbers are neighbours.
std::pair<int, int> TiledSystem::Position(int t) const {
  const int width = std::max(1, std::min(stride, mesh_x));
  const int full_strip = width * mesh_y;
  const int strip = t / full_strip;
  const int x0 = strip * width;
  const int w = std::min(width, mesh_x - x0);
  const int r = t - strip * full_strip;
  const int y = r / w;
  const int c = r % w;
  const int x = x0 + (y % 2 == 0 ? c : w - 1 - c);
  return {x, y};
}

std::int64_t TiledSystem::BufferBytes() const {
  const std::vector<StorageLevel>& levels = tile.timeloop->arch.storage;
  const StorageLevel& top = levels[levels.size() - 2];
  if (!top.size_words) return 0;
  return *top.size_words * top.word_bits / 8 * top.instances;
}

// Link id: 4 * router + direction (0 +x, 1 -x, 2 +y, 3 -y), router = y * mesh_x + x.
void TiledSystem::RouteXY(int x0, int y0, int x1, int y1, std::vector<int>* out) const {
  int x = x0, y = y0;
  while (x != x1) {
    const int dir = x1 > x ? 0 : 1;
    out->push_back(4 * (y * mesh_x + x) + dir);
    x += x1 > x ? 1 : -1;
  }
  while (y != y1) {
    const int dir = y1 > y ? 2 : 3;
    out->push_back(4 * (y * mesh_x + x) + dir);
    y += y1 > y ? 1 : -1;
  }
}

std::pair<int, int> TiledSystem::NearestPort(int x, int y) const {
  std::pair<int, int> best = dram_ports.front();
  int best_hops = -1;
  for (const auto& [px, py] : dram_ports) {
    int hops = std::abs(px - x) + std::abs(py - y);
    if (best_hops < 0 || hops < best_hops) best_hops = hops, best = {px, py};
  }
  return best;
}

void TiledSystem::Check() const {
  if (mesh_x < 1 || mesh_y < 1)
    throw UserError(where, "the mesh needs at least one tile in each direction");
  if (dram_ports.empty())
    throw UserError(where, "the mesh has no DRAM port: off-chip data has no way in or out");
  for (const auto& [x, y] : dram_ports)
    if (x < 0 || y < 0 || x >= mesh_x || y >= mesh_y)
      throw UserError(where, "DRAM port (" + std::to_string(x) + ", " + std::to_string(y) +
                                 ") is not a router of the " + std::to_string(mesh_x) + "x" +
                                 std::to_string(mesh_y) + " mesh");
  if (link_bytes <= 0 || dram_bytes <= 0)
    throw UserError(where, "NoC and DRAM bandwidths must be positive");
}

}  // namespace tessel
