// The size of SET's search space: how many RA-tree structures and how many leaf orders a network
// has.
//
// Structures: an RA tree over n ordered leaves is a T-cut root over one or more segments; below
// it, cut types alternate and every cut has >= 2 children. The count is the weighted small
// Schroeder number s_2(n) (OEIS A107841 shifted by one: 1, 2, 10, 62, 430, ...), exact, with the
// three-term recurrence (n+1) s(n+1) = 5 (2n-1) s(n) - (n-2) s(n-1).
// Orders: the linear extensions of the layer DAG, counted exactly by dynamic programming over the
// down-closed layer sets when there are few enough of them, else bounded from above.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "tessel/workload/workload.h"

namespace tessel {

// A non-negative integer of any size (base 1e9 limbs, least significant first).
class BigUint {
 public:
  BigUint(std::uint64_t value = 0);
  BigUint& operator+=(const BigUint& other);
  BigUint& operator-=(const BigUint& other);  // requires *this >= other
  BigUint& MulSmall(std::uint64_t factor);    // factor < 2^32
  BigUint& DivSmall(std::uint64_t divisor);   // exact or floor; divisor < 2^32
  BigUint operator*(const BigUint& other) const;
  bool operator==(const BigUint& other) const { return limbs_ == other.limbs_; }
  bool operator<(const BigUint& other) const;
  std::string ToString() const;  // decimal

 private:
  void Trim();
  std::vector<std::uint32_t> limbs_;
};

// s_2(n) for n >= 1 (s_2(1) = 1).
BigUint SmallSchroeder2(int n);

struct OrderCount {
  BigUint count;
  bool exact = true;  // false: `count` is an upper bound (a product of factorials, see .cc)
};

// Linear extensions of the workload's DAG. Exact while the number of down-closed sets reached stays
// under `max_states`.
OrderCount CountTopologicalOrders(const Workload& workload, std::int64_t max_states = 2000000);

}  // namespace tessel
