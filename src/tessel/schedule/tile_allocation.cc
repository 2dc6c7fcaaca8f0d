#include "tessel/schedule/tile_allocation.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace tessel {

double SlowestShare(const std::vector<double>& work, const std::vector<int>& tiles) {
  double worst = 0;
  for (size_t i = 0; i < work.size(); ++i) worst = std::max(worst, work[i] / tiles[i]);
  return worst;
}

std::vector<int> AllocateTiles(const std::vector<double>& work, int tiles) {
  const int n = static_cast<int>(work.size());
  if (n == 0 || n > tiles) return {};
  std::vector<int> alloc(n, 0);
  std::vector<bool> forced(n, false);
  // Children whose proportional share is below one tile get one; the others share the rest.
  for (bool changed = true; changed;) {
    changed = false;
    double free_work = 0;
    int free_tiles = tiles;
    for (int i = 0; i < n; ++i)
      forced[i] ? free_tiles -= 1 : free_work += work[i];
    for (int i = 0; i < n; ++i)
      if (!forced[i] && work[i] * free_tiles < free_work) forced[i] = true, changed = true;
  }
  double free_work = 0;
  int free_tiles = tiles;
  for (int i = 0; i < n; ++i) forced[i] ? free_tiles -= 1 : free_work += work[i];
  int used = 0;
  for (int i = 0; i < n; ++i) {
    alloc[i] = forced[i] ? 1
                         : std::max(1, static_cast<int>(std::floor(free_tiles * work[i] /
                                                                   free_work)));
    used += alloc[i];
  }
  // Spare tiles, one at a time, to the currently slowest child.
  for (; used < tiles; ++used) {
    int best = 0;
    for (int i = 1; i < n; ++i)
      if (work[i] * alloc[best] > work[best] * alloc[i]) best = i;
    ++alloc[best];
  }
  return alloc;
}

}  // namespace tessel
