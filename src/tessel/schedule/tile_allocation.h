// Tile allocation for an S cut (SET's allocation, made exact): `tiles` tiles shared by children of
// relative work w_i, each child >= 1 tile, minimising the slowest child's time max_i w_i / k_i.
//
// Algorithm: every child starts at the floor of its proportional share of tiles - n (at least 1),
// then the spare tiles go one at a time to the child with the lowest allocated / ideal ratio,
// i.e. the largest w_i / k_i (lowest index on ties). Optimal: the start is never above an optimal
// allocation (giving each child floor(w_i (T - n) / W) + 1 tiles already achieves W / (T - n), so
// the optimum t* <= W / (T - n) and an optimal k_i >= w_i / t* >= the start), and from such a
// start the greedy step only ever adds a tile the slowest child needs in every better allocation.
// SET's note floors the share of all T tiles instead, which can overshoot: work 12, 3, 1, 3, 1 on
// 17 tiles floors the first child to 10 where the optimum (9, 3, 1, 3, 1: 1.33) gives it 9.
#pragma once
#include <cstdint>
#include <vector>

namespace tessel {

// Empty when there are more children than tiles. Work values must be > 0.
std::vector<int> AllocateTiles(const std::vector<double>& work, int tiles);

// max_i work[i] / tiles[i].
double SlowestShare(const std::vector<double>& work, const std::vector<int>& tiles);

}  // namespace tessel
