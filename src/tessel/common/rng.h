// Seeded randomness for searches: one generator per task, derived from (seed, task index), so a
// search gives the same answer for any thread count. The draws below are written out rather than
// taken from <random>'s distributions, whose results differ between standard libraries.
#pragma once

#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace tessel {

// SplitMix64's finaliser: a bijective mix of 64 bits (Steele, Lea, Flood 2014).
inline std::uint64_t MixBits(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// The seed of task `index` of a search seeded with `seed`: distinct tasks get unrelated streams.
inline std::uint64_t TaskSeed(std::uint64_t seed, std::uint64_t index) {
  return MixBits(MixBits(seed) ^ MixBits(index + 0x632be59bd9b4e019ULL));
}

// Uniform integer in [0, n), n >= 1, without modulo bias (rejection of the short last bucket).
inline std::uint64_t UniformBelow(std::mt19937_64& rng, std::uint64_t n) {
  std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % n + 1) % n;  // multiple of n, - 1
  std::uint64_t x = rng();
  while (x > limit) x = rng();
  return x % n;
}

// Fisher-Yates shuffle with UniformBelow: the same permutation on every platform.
template <typename T>
void Shuffle(std::mt19937_64& rng, std::vector<T>& items) {
  for (std::size_t i = items.size(); i > 1; --i)
    std::swap(items[i - 1], items[UniformBelow(rng, i)]);
}

}  // namespace tessel
