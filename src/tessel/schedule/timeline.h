// A resource whose use varies over time: a link's bandwidth or a core's memory. Usage is a step
// function of time (cycles); a request asks for `amount` over [t, t + duration) (duration
// kForever for a reservation whose end is not known yet) and gets the earliest t at which the
// usage stays within the capacity.
#pragma once
#include <cstdint>
#include <limits>
#include <map>
#include <vector>

namespace tessel {

inline constexpr std::int64_t kForever = std::numeric_limits<std::int64_t>::max() / 4;
inline constexpr std::int64_t kNever = -1;

class Timeline {
 public:
  explicit Timeline(double capacity = 0) : capacity_(capacity) {}
  double capacity() const { return capacity_; }
  // Adds `amount` over [from, to) (to = kForever: from `from` on).
  void Add(std::int64_t from, std::int64_t to, double amount);
  // Earliest t >= from such that usage + amount <= capacity over [t, t + duration), or kNever
  // when there is none (only possible for duration kForever, or amount > capacity).
  std::int64_t EarliestFit(std::int64_t from, std::int64_t duration, double amount) const;
  double UsageAt(std::int64_t t) const;
  double Peak() const;
  // (time, usage) at every change, in time order.
  std::vector<std::pair<std::int64_t, double>> Steps() const;

 private:
  double capacity_;
  std::map<std::int64_t, double> level_;  // usage from this time until the next key
};

}  // namespace tessel
