// CoSA's one-shot scheduling problem (Huang et al., ISCA 2021) as a mixed-integer program in log
// space, derived from the mapspace alone: no constant belongs to one accelerator.
//
// Variables: for every level l, dimension d, distinct prime p of d and kind k (temporal, spatial X,
// spatial Y where level l can fan out) an integer exponent e[l,d,p,k] in [0, multiplicity of p].
// Aggregating a dimension's identical primes into one integer removes the symmetry of CoSA's
// one-binary-per-factor form, which open solvers cannot prune.
//   factors:   sum over (l, k) of e[l,d,p,k] = multiplicity(d, p)
//   fan-out:   sum of ln(p) e[l,*,*,X] <= ln(max fan-out X of l), the same for Y
//   capacity:  for each level with a capacity and each tensor it keeps,
//              ln(tile) = sum over levels <= l of ln(p) e[.,d,p,*] for the tensor's dimensions
//              <= ln(capacity / number of tensors kept there)
//              (a product of window dimensions bounds a sliding-window extent from above, so
//              every solution fits; the exact model and the polish then recover what was lost)
//   traffic:   ln(words a kept level receives) = ln(tensor) - ln(relevant spatial factors above)
//              + ln(irrelevant temporal factors above its parent): CoSA's data-movement term,
//              with the parent's irrelevant loops assumed innermost (stationary)
//   compute:   ln(temporal iterations) = ln(MACs) - ln(spatial factors)
// Objective (weights adjustable): latency minimises z >= ln(compute cycles) and
// z >= ln(backing-store words / bandwidth); energy minimises weighted traffic; both add CoSA's
// utilisation term (larger tiles) with a small weight.
#pragma once

#include <vector>

#include "tessel/mapper/mapper.h"
#include "tessel/mapper/tiling.h"
#include "tessel/solver/mip.h"

namespace tessel {

struct CosaWeights {
  double compute = 1.0;       // ln(temporal iterations)
  double traffic = 1.0;       // ln(words moved between kept levels)
  double utilization = 0.05;  // -ln(tile sizes): prefer filling buffers
};

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
};

CosaFormulation BuildCosaFormulation(const MapSpace& space, Objective objective,
                                     const CosaWeights& weights);

// The factors of a solution, with each level's loops ordered so that dimensions irrelevant to
// the tensors kept just below come innermost (stationary); the order search refines this.
Tiling DecodeCosaSolution(const MapSpace& space, const CosaFormulation& formulation,
                          const std::vector<double>& values);

}  // namespace tessel
