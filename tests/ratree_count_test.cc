// The RA-tree space size: s_2(n) against a count of the trees it stands for, computed here by a
// different method, and topological-order counts against closed forms.
#include "tessel/schedule/ratree_count.h"

#include <gtest/gtest.h>

#include <string>

namespace tessel {
namespace {

std::string ToDecimal(unsigned __int128 v) {
  if (v == 0) return "0";
  std::string s;
  while (v > 0) s.insert(s.begin(), char('0' + int(v % 10))), v /= 10;
  return s;
}

// Plane trees with n leaves whose inner nodes have >= 2 children, each inner node an S or a T
// cut (the weight 2 of s_2): t(1) = 1, t(n) = 2 x (sum over compositions of n into >= 2 parts of
// the product of t(part)). p(n) sums over compositions into >= 1 parts: p(n) = t(n) + q(n),
// q(n) = sum_{j<n} t(j) p(n - j). 128-bit integers hold t(30) (about 1e28).
TEST(RaTreeCountTest, SmallSchroederMatchesTreeCountUpTo30) {
  const int kMax = 30;
  std::vector<unsigned __int128> t(kMax + 1, 0), p(kMax + 1, 0);
  p[0] = 1;
  for (int n = 1; n <= kMax; ++n) {
    unsigned __int128 q = 0;
    for (int j = 1; j < n; ++j) q += t[j] * p[n - j];
    t[n] = n == 1 ? 1 : 2 * q;
    p[n] = t[n] + q;
  }
  for (int n = 1; n <= kMax; ++n) EXPECT_EQ(SmallSchroeder2(n).ToString(), ToDecimal(t[n])) << n;
}

TEST(RaTreeCountTest, PublishedValues) {
  // OEIS A107841 shifted by one, as SET's note lists them.
  const char* expected[] = {"1",    "2",     "10",     "62",      "430",
                            "3194", "24850", "199910", "1649350", "13879538"};
  for (int n = 1; n <= 10; ++n) EXPECT_EQ(SmallSchroeder2(n).ToString(), expected[n - 1]);
}

TEST(RaTreeCountTest, BigUintArithmetic) {
  BigUint a(999999999999ULL);
  a.MulSmall(1000000007ULL);
  EXPECT_EQ(a.ToString(), "1000000006998999999993");  // 999999999999 x 1000000007
  BigUint b = a * a;
  EXPECT_EQ(b.ToString(), "1000000013998000048972000999902014000000049");
  a.DivSmall(1000000007ULL);
  EXPECT_EQ(a.ToString(), "999999999999");
  BigUint c(5);
  c -= BigUint(5);
  EXPECT_EQ(c.ToString(), "0");
}

Workload Dag(int n, const std::vector<std::pair<int, int>>& edges) {
  Workload w("dag");
  for (int i = 0; i < n; ++i) {
    Layer l;
    l.name = "l" + std::to_string(i);
    l.op = "Relu";
    w.AddLayer(l);
  }
  for (auto [a, b] : edges) w.AddEdge(a, b);
  return w;
}

TEST(RaTreeCountTest, TopologicalOrders) {
  EXPECT_EQ(CountTopologicalOrders(Dag(5, {{0, 1}, {1, 2}, {2, 3}, {3, 4}})).count.ToString(), "1");
  // Two independent chains of 3 and 4 layers: C(7, 3) = 35 interleavings.
  OrderCount two = CountTopologicalOrders(Dag(7, {{0, 1}, {1, 2}, {3, 4}, {4, 5}, {5, 6}}));
  EXPECT_EQ(two.count.ToString(), "35");
  EXPECT_TRUE(two.exact);
  // A diamond a -> {b, c} -> d: 2.
  EXPECT_EQ(CountTopologicalOrders(Dag(4, {{0, 1}, {0, 2}, {1, 3}, {2, 3}})).count.ToString(), "2");
  // 12 independent layers: 12! = 479001600.
  EXPECT_EQ(CountTopologicalOrders(Dag(12, {})).count.ToString(), "479001600");
  // Too many states: the bound n! and exact = false.
  OrderCount bound = CountTopologicalOrders(Dag(12, {}), 100);
  EXPECT_FALSE(bound.exact);
  EXPECT_EQ(bound.count.ToString(), "479001600");
}

}  // namespace
}  // namespace tessel
