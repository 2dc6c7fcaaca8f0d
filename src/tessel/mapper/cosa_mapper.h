// The CoSA-style one-shot mapper: solve the log-space MIP (cosa_formulation.h) for a few weight
// sets (and, where keep/bypass is free, with it as MIP variables and fixed at the mapspace's
// starting choice), plus diverse answers with the largest spatial choices forbidden; then make
// each answer good for the exact model rather than only for the MIP's proxy: pick each level's
// loop order with the exact model and polish the tiling by hill climbing (local_search.h). The
// exact model picks the best.
// MapperOptions::cosa_weights sets the MIP's objective weights; by default they follow the
// objective (DefaultCosaWeights). Deterministic: the MIP stops at a node limit, not a clock.
#pragma once

#include <memory>

#include "tessel/mapper/mapper.h"

namespace tessel {

std::unique_ptr<Mapper> MakeCosaMapper();

}  // namespace tessel
