#include "tessel/schedule/ratree_count.h"

#include <algorithm>
#include <map>

namespace tessel {
namespace {
constexpr std::uint32_t kBase = 1000000000u;
}

BigUint::BigUint(std::uint64_t value) {
  while (value > 0) limbs_.push_back(static_cast<std::uint32_t>(value % kBase)), value /= kBase;
}

void BigUint::Trim() {
  while (!limbs_.empty() && limbs_.back() == 0) limbs_.pop_back();
}

BigUint& BigUint::operator+=(const BigUint& other) {
  std::uint64_t carry = 0;
  limbs_.resize(std::max(limbs_.size(), other.limbs_.size()), 0);
  for (size_t i = 0; i < limbs_.size(); ++i) {
    std::uint64_t sum = carry + limbs_[i] + (i < other.limbs_.size() ? other.limbs_[i] : 0);
    limbs_[i] = static_cast<std::uint32_t>(sum % kBase);
    carry = sum / kBase;
  }
  if (carry) limbs_.push_back(static_cast<std::uint32_t>(carry));
  return *this;
}

BigUint& BigUint::operator-=(const BigUint& other) {
  std::int64_t borrow = 0;
  for (size_t i = 0; i < limbs_.size(); ++i) {
    std::int64_t d = std::int64_t(limbs_[i]) - borrow -
                     (i < other.limbs_.size() ? std::int64_t(other.limbs_[i]) : 0);
    borrow = d < 0;
    limbs_[i] = static_cast<std::uint32_t>(d < 0 ? d + kBase : d);
  }
  Trim();
  return *this;
}

BigUint& BigUint::MulSmall(std::uint64_t factor) {
  std::uint64_t carry = 0;
  for (std::uint32_t& limb : limbs_) {
    std::uint64_t p = std::uint64_t(limb) * factor + carry;
    limb = static_cast<std::uint32_t>(p % kBase);
    carry = p / kBase;
  }
  while (carry) limbs_.push_back(static_cast<std::uint32_t>(carry % kBase)), carry /= kBase;
  Trim();
  return *this;
}

BigUint& BigUint::DivSmall(std::uint64_t divisor) {
  std::uint64_t rem = 0;
  for (size_t i = limbs_.size(); i-- > 0;) {
    std::uint64_t cur = rem * kBase + limbs_[i];
    limbs_[i] = static_cast<std::uint32_t>(cur / divisor);
    rem = cur % divisor;
  }
  Trim();
  return *this;
}

BigUint BigUint::operator*(const BigUint& other) const {
  std::vector<std::uint64_t> acc(limbs_.size() + other.limbs_.size() + 1, 0);
  for (size_t i = 0; i < limbs_.size(); ++i) {
    std::uint64_t carry = 0;
    for (size_t j = 0; j < other.limbs_.size() || carry; ++j) {
      std::uint64_t cur =
          acc[i + j] + carry +
          (j < other.limbs_.size() ? std::uint64_t(limbs_[i]) * other.limbs_[j] : 0);
      acc[i + j] = cur % kBase;
      carry = cur / kBase;
    }
  }
  BigUint out;
  for (std::uint64_t v : acc) out.limbs_.push_back(static_cast<std::uint32_t>(v));
  out.Trim();
  return out;
}

bool BigUint::operator<(const BigUint& other) const {
  if (limbs_.size() != other.limbs_.size()) return limbs_.size() < other.limbs_.size();
  for (size_t i = limbs_.size(); i-- > 0;)
    if (limbs_[i] != other.limbs_[i]) return limbs_[i] < other.limbs_[i];
  return false;
}

std::string BigUint::ToString() const {
  if (limbs_.empty()) return "0";
  std::string out = std::to_string(limbs_.back());
  for (size_t i = limbs_.size() - 1; i-- > 0;) {
    std::string part = std::to_string(limbs_[i]);
    out += std::string(9 - part.size(), '0') + part;
  }
  return out;
}

// s(1) = 1, s(2) = 2, (n+1) s(n+1) = 5 (2n-1) s(n) - (n-2) s(n-1): every division is exact.
BigUint SmallSchroeder2(int n) {
  if (n <= 1) return BigUint(1);
  BigUint prev(1), cur(2);  // s(1), s(2)
  for (int k = 2; k < n; ++k) {
    BigUint next = cur;
    next.MulSmall(5 * (2 * k - 1));
    BigUint sub = prev;
    sub.MulSmall(k - 2);
    next -= sub;
    next.DivSmall(k + 1);
    prev = cur;
    cur = next;
  }
  return cur;
}

// Forward dynamic programming over down-closed sets, one size at a time: ways(S + v) += ways(S)
// for every layer v whose producers are all in S. Past `max_states` sets in one level, the bound
// n! (every permutation) is returned instead.
OrderCount CountTopologicalOrders(const Workload& workload, std::int64_t max_states) {
  const int n = workload.size();
  const size_t words = (n + 63) / 64;
  using Set = std::vector<std::uint64_t>;
  std::map<Set, BigUint> level{{Set(words, 0), BigUint(1)}};
  auto has = [](const Set& s, int v) { return (s[v / 64] >> (v % 64)) & 1; };
  for (int size = 0; size < n; ++size) {
    std::map<Set, BigUint> next;
    for (const auto& [set, ways] : level)
      for (int v = 0; v < n; ++v) {
        if (has(set, v)) continue;
        bool ready = true;
        for (int p : workload.layer(v).producers) ready = ready && has(set, p);
        if (!ready) continue;
        Set grown = set;
        grown[v / 64] |= std::uint64_t(1) << (v % 64);
        next[grown] += ways;
      }
    if (static_cast<std::int64_t>(next.size()) > max_states) {
      BigUint bound(1);
      for (int k = 2; k <= n; ++k) bound.MulSmall(k);
      return {bound, false};
    }
    level = std::move(next);
  }
  OrderCount out;
  for (const auto& [set, ways] : level) out.count += ways;
  return out;
}

}  // namespace tessel
