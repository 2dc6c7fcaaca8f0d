// Checked 64-bit integer arithmetic for sizes and counts that inputs control (bounds, factors,
// capacities, instance counts). A product that does not fit is reported, never wrapped: callers
// turn it into a UserError or an invalid-mapping reason (docs/reliability.md).
#pragma once

#include <cstdint>
#include <optional>

namespace tessel {

// a * b, or nullopt when the exact product does not fit in int64_t.
inline std::optional<std::int64_t> CheckedMul(std::int64_t a, std::int64_t b) {
  std::int64_t product = 0;
  if (__builtin_mul_overflow(a, b, &product)) return std::nullopt;
  return product;
}

// a + b, or nullopt when the exact sum does not fit in int64_t.
inline std::optional<std::int64_t> CheckedAdd(std::int64_t a, std::int64_t b) {
  std::int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) return std::nullopt;
  return sum;
}

// *accumulator *= factor; false (and *accumulator unchanged) when the product does not fit.
inline bool MulInto(std::int64_t* accumulator, std::int64_t factor) {
  return !__builtin_mul_overflow(*accumulator, factor, accumulator);
}

}  // namespace tessel
