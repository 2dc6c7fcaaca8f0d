#include "tessel/schedule/timeline.h"

#include <algorithm>

namespace tessel {
namespace {
constexpr double kSlack = 1e-6;
}

double Timeline::UsageAt(std::int64_t t) const {
  auto it = level_.upper_bound(t);
  if (it == level_.begin()) return 0;
  return std::prev(it)->second;
}

void Timeline::Add(std::int64_t from, std::int64_t to, double amount) {
  if (to <= from || amount == 0) return;
  if (!level_.count(from)) level_[from] = UsageAt(from);
  if (to < kForever && !level_.count(to)) level_[to] = UsageAt(to);
  for (auto it = level_.find(from); it != level_.end() && it->first < to; ++it)
    it->second += amount;
}

std::int64_t Timeline::EarliestFit(std::int64_t from, std::int64_t duration, double amount) const {
  if (amount > capacity_ + kSlack) return kNever;
  std::int64_t t = from;
  double usage = UsageAt(t);
  auto it = level_.upper_bound(t);
  // Invariant: [t, it->first) has usage `usage`; the candidate window starts at t.
  while (true) {
    if (usage + amount > capacity_ + kSlack) {
      if (it == level_.end()) return kNever;
      t = it->first;
      usage = it->second;
      ++it;
      continue;
    }
    // Usage fits at t; check the rest of the window.
    auto scan = it;
    bool ok = true;
    const std::int64_t end = duration >= kForever ? kForever : t + duration;
    for (; scan != level_.end() && scan->first < end; ++scan) {
      if (scan->second + amount > capacity_ + kSlack) {
        ok = false;
        break;
      }
    }
    if (ok) return t;
    t = scan->first;
    usage = scan->second;
    it = std::next(scan);
  }
}

double Timeline::Peak() const {
  double peak = 0;
  for (const auto& [t, usage] : level_) peak = std::max(peak, usage);
  return peak;
}

std::vector<std::pair<std::int64_t, double>> Timeline::Steps() const {
  return {level_.begin(), level_.end()};
}

}  // namespace tessel
