// The CoSA-style one-shot mapper: solve the log-space MIP (cosa_formulation.h) once, then make
// the answer good for the exact model rather than only for the MIP's proxy: pick each level's
// loop order with the exact model and polish the tiling by hill climbing (local_search.h).
#pragma once

#include <memory>

#include "tessel/mapper/cosa_formulation.h"
#include "tessel/mapper/mapper.h"

namespace tessel {

std::unique_ptr<Mapper> MakeCosaMapper();
std::unique_ptr<Mapper> MakeCosaMapper(const CosaWeights& weights);

}  // namespace tessel
