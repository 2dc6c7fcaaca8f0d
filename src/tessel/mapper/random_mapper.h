// Random search, the classic baseline (CoSA's "random-5", Timeloop's random mapper): draw
// mappings from the mapspace (mapspace_sampling.h), reject invalid ones, keep the best of the
// first `samples` valid draws.
//
// Determinism: draw i uses a generator seeded from (seed, i), and the answer is taken from the
// first `samples` valid draws in draw order, so it is the same for any thread count (threads
// only evaluate draws ahead). Ties go to the earlier draw. The search gives up after
// kRandomDrawsPerSample x samples draws or at the time limit.
#pragma once

#include <cstdint>
#include <memory>

#include "tessel/mapper/mapper.h"

namespace tessel {

inline constexpr std::int64_t kRandomDrawsPerSample = 1000;

std::unique_ptr<Mapper> MakeRandomMapper();

}  // namespace tessel
