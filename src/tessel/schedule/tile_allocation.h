// SET's tile allocation for an S cut: `tiles` tiles shared by children of relative work w_i, each
// child >= 1 tile, minimising the slowest child's time max_i w_i / k_i.
//
// Algorithm (SET's note, Tile-Alloc-Algorithm): give every child the floor of its proportional
// share tiles * w_i / W (at least 1: a child whose share is below one tile gets exactly one and
// the rest is allocated again among the others), then hand the spare tiles one by one to the
// child with the lowest allocated / ideal ratio, i.e. the largest w_i / k_i (lowest index on ties).
#pragma once
#include <cstdint>
#include <vector>

namespace tessel {

// Empty when there are more children than tiles. Work values must be > 0.
std::vector<int> AllocateTiles(const std::vector<double>& work, int tiles);

// max_i work[i] / tiles[i].
double SlowestShare(const std::vector<double>& work, const std::vector<int>& tiles);

}  // namespace tessel
