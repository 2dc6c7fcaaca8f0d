#include "tessel/schedule/tile_allocation.h"

#include <algorithm>
#include <cmath>

namespace tessel {

double SlowestShare(const std::vector<double>& work, const std::vector<int>& tiles) {
  double worst = 0;
  for (size_t i = 0; i < work.size(); ++i) worst = std::max(worst, work[i] / tiles[i]);
  return worst;
}

std::vector<int> AllocateTiles(const std::vector<double>& work, int tiles) {
  const int n = static_cast<int>(work.size());
  if (n == 0 || n > tiles) return {};
  double total = 0;
  for (double w : work) total += w;
  std::vector<int> alloc(n);
  int used = 0;
  for (int i = 0; i < n; ++i) {
    alloc[i] = std::max(1, static_cast<int>(std::floor(work[i] * (tiles - n) / total)));
    used += alloc[i];
  }
  // Spare tiles, one at a time, to the currently slowest child (cross-multiplied: exact).
  for (; used < tiles; ++used) {
    int best = 0;
    for (int i = 1; i < n; ++i)
      if (work[i] * alloc[best] > work[best] * alloc[i]) best = i;
    ++alloc[best];
  }
  return alloc;
}

}  // namespace tessel
