// SET's tile allocation against brute force: on random instances the slowest child's share
// max_i w_i / k_i equals the minimum over every allocation of the tiles.
#include <gtest/gtest.h>

#include <functional>
#include <random>

#include "tessel/common/rng.h"
#include "tessel/schedule/tile_allocation.h"

namespace tessel {
namespace {

double BruteForce(const std::vector<double>& work, int tiles) {
  double best = 1e300;
  std::vector<int> k(work.size(), 1);
  std::function<void(size_t, int)> go = [&](size_t i, int left) {
    if (i + 1 == work.size()) {
      k[i] = left;
      best = std::min(best, SlowestShare(work, k));
      return;
    }
    for (int t = 1; t <= left - int(work.size() - i - 1); ++t) {
      k[i] = t;
      go(i + 1, left - t);
    }
  };
  go(0, tiles);
  return best;
}

TEST(RaTreeAllocTest, EqualsBruteForceOn2000RandomInstances) {
  std::mt19937_64 rng(12345);
  for (int trial = 0; trial < 2000; ++trial) {
    const int n = 1 + static_cast<int>(UniformBelow(rng, 6));
    const int tiles = n + static_cast<int>(UniformBelow(rng, 20));
    std::vector<double> work;
    for (int i = 0; i < n; ++i)
      work.push_back(double(1 + UniformBelow(rng, trial % 2 ? 1000 : 20)));
    std::vector<int> alloc = AllocateTiles(work, tiles);
    ASSERT_EQ(alloc.size(), work.size());
    int sum = 0;
    for (int a : alloc) {
      sum += a;
      EXPECT_GE(a, 1);
    }
    EXPECT_EQ(sum, tiles);
    EXPECT_DOUBLE_EQ(SlowestShare(work, alloc), BruteForce(work, tiles))
        << "trial " << trial << " tiles " << tiles;
  }
}

TEST(RaTreeAllocTest, HandWorkedCases) {
  // 64 tiles, work 3:1: floors 48 and 16, nothing spare.
  EXPECT_EQ(AllocateTiles({3, 1}, 64), (std::vector<int>{48, 16}));
  // 10 tiles, work 1:1:1: floors 3, 3, 3; the spare tile to the first slowest (lowest index).
  EXPECT_EQ(AllocateTiles({1, 1, 1}, 10), (std::vector<int>{4, 3, 3}));
  // A tiny child gets one tile; the rest share the other 7 by 5:2 -> 5, 2.
  EXPECT_EQ(AllocateTiles({500, 200, 1}, 8), (std::vector<int>{5, 2, 1}));
  EXPECT_TRUE(AllocateTiles({1, 1, 1}, 2).empty());
}

}  // namespace
}  // namespace tessel
