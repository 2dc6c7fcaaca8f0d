// CoSA's one-shot scheduling problem (Huang et al., ISCA 2021) as a mixed-integer program in log
// space, derived from the mapspace alone: no constant belongs to one accelerator.
//
// Variables: for every level l, dimension d, distinct prime p of d and kind k (temporal, spatial
// X, spatial Y where level l can fan out) an integer exponent e[l,d,p,k] in [0, multiplicity of
// p]. Aggregating a dimension's identical primes into one integer removes the symmetry of CoSA's
// one-binary-per-factor form, which open solvers cannot prune. Per level and tensor, a binary
// "stationary" and a continuous "refetch" carry the loop order (below); a binary "keep" where
// the mapspace leaves keep/bypass free.
//   factors:   sum over (l, k) of e[l,d,p,k] = multiplicity(d, p)
//   fan-out:   sum of ln(p) e[l,*,*,X] <= ln(max fan-out X of l), the same for Y
//   capacity:  for each level with a capacity and each tensor it keeps, ln(tile) = sum over
//              levels <= l of ln(p) e[.,d,p,*] over the tensor's dimensions <= ln(capacity /
//              tensors kept there), minus ln(largest coefficient) per strided rank with
//              WindowBound::kSafe; with free keep, enforced only when kept, the count of the
//              other kept tensors taken along its chord (cosa_formulation.cc)
//   order:     refetch[l,v] >= ln(temporal factors at l irrelevant to v) - M stationary[l,v],
//              at most one stationary tensor per level (its irrelevant loops go innermost)
//   latency:   z >= ln(MACs) - ln(spatial factors), and z >= ln(words on a port / bandwidth)
//              for every read, write and shared port, the words per instance as the exact model
//              counts them: reads served to the next kept level below (or the MACs), fills, and
//              updates, on the hops the keep choice makes (cosa_bandwidth.cc)
// Words a parent serves per instance: ln(tensor) - ln(relevant spatial factors above it) +
// refetches (the order variables, and the irrelevant temporal factors above).
// Objective: CosaWeights (mapper.h): latency x z + compute x ln(temporal iterations) + traffic x
// ln(words moved) - utilization x ln(tile sizes). The traffic term makes CBC's bound weak, so the
// latency defaults leave it out; the bandwidth rows and the exact-model polish account for it.
#pragma once

#include <vector>

#include "tessel/mapper/mapper.h"
#include "tessel/mapper/tiling.h"
#include "tessel/solver/mip.h"

namespace tessel {

struct CosaFormulation {
  MipModel model;
  struct Exponent {
    int var;  // index in model
    int level;
    int dim;
    std::int64_t prime;
    LoopKind kind;
  };
  std::vector<Exponent> exponents;
  // Loop order, CoSA's way: at each level at most one tensor is "stationary"
  // (binary var): the loops irrelevant to it go innermost, so they cost it no
  // refetches; for the others, refetch[level][v] (continuous, >= 0) carries
  // ln(their irrelevant temporal factors there). -1 where the level has no
  // temporal loop irrelevant to v.
  std::vector<std::vector<int>> stationary;  // [level][data space] -> var or -1
  std::vector<std::vector<int>> refetch;     // [level][data space] -> var or -1
  // Keep (1) or bypass (0) where the mapspace leaves it free (MapSpace::keep_free), else -1.
  std::vector<std::vector<int>> keep;  // [level][data space] -> binary var or -1
};

// How the capacity rows bound a tile's extent along a rank with coefficients
// (strides, dilations): sum c_i (f_i - 1) + 1. kProduct takes the product of
// the factors f_i, exact for unit coefficients but too small for strided
// windows (5 outputs at stride 4 need 17 inputs); kSafe multiplies it by the
// rank's largest coefficient, never too small but often too large. Neither is
// right for every layer, so the mapper solves both and lets the exact model
// choose.
enum class WindowBound { kProduct, kSafe };

// True when some rank has a coefficient other than 1, i.e. the two bounds
// differ.
bool HasStridedRanks(const Problem& problem);

// Where the mapspace leaves keep/bypass free (MapSpace::keep_free), `free_keep` makes it binary
// variables of the MIP; false fixes it to the mapspace's starting choice (MapSpace::keep).
CosaFormulation BuildCosaFormulation(const MapSpace& space, const CosaWeights& weights,
                                     WindowBound window = WindowBound::kProduct,
                                     bool free_keep = true);

// For diversity: a row that forbids any spatial factor of `dim` at `level` (a branch on the
// spatial choice of a previous solution).
void ForbidSpatial(CosaFormulation& formulation, int level, int dim);

// The factors of a solution, with each level's loops ordered so that the
// dimensions irrelevant to the level's stationary tensor come innermost; the
// exact-model order search refines this.
Tiling DecodeCosaSolution(const MapSpace& space, const CosaFormulation& formulation,
                          const std::vector<double>& values);

}  // namespace tessel
