// CoSA's one-shot scheduling problem (Huang et al., ISCA 2021) as a
// mixed-integer program in log space, derived from the mapspace alone: no
// constant belongs to one accelerator.
//
// Variables: for every level l, dimension d, distinct prime p of d and kind k
// (temporal, spatial X, spatial Y where level l can fan out) an integer
// exponent e[l,d,p,k] in [0, multiplicity of p]. Aggregating a dimension's
// identical primes into one integer removes the symmetry of CoSA's
// one-binary-per-factor form, which open solvers cannot prune.
//   factors:   sum over (l, k) of e[l,d,p,k] = multiplicity(d, p)
//   fan-out:   sum of ln(p) e[l,*,*,X] <= ln(max fan-out X of l), the same for
//   Y capacity:  for each level with a capacity and each tensor it keeps,
//              ln(tile) = sum over levels <= l of ln(p) e[.,d,p,*] for the
//              tensor's dimensions
//              <= ln(capacity / number of tensors kept there)
//              (a product of window dimensions bounds a sliding-window extent
//              from above, so every solution fits; the exact model and the
//              polish then recover what was lost)
//   traffic:   ln(words a kept level receives) = ln(tensor) - ln(relevant
//   spatial factors above)
//              + ln(irrelevant temporal factors above its parent): CoSA's
//              data-movement term, with the parent's irrelevant loops assumed
//              innermost (stationary)
//   compute:   ln(temporal iterations) = ln(MACs) - ln(spatial factors)
//   latency:   z >= ln(compute cycles) and, per kept pair, z >= ln(words the
//   parent serves /
//              its read bandwidth), the other tensors' share taken at their
//              size
// Objective: CosaWeights (mapper.h): latency x z + compute x ln(temporal
// iterations) + traffic x ln(words moved) - utilization x ln(tile sizes). The
// traffic term makes CBC's bound weak (a conv layer's solve goes from ~0.1 s to
// seconds), so the latency defaults leave it out and let the bandwidth rows and
// the exact-model polish account for traffic.
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

CosaFormulation BuildCosaFormulation(const MapSpace& space, const CosaWeights& weights,
                                     WindowBound window = WindowBound::kProduct);

// The factors of a solution, with each level's loops ordered so that the
// dimensions irrelevant to the level's stationary tensor come innermost; the
// exact-model order search refines this.
Tiling DecodeCosaSolution(const MapSpace& space, const CosaFormulation& formulation,
                          const std::vector<double>& values);

}  // namespace tessel
