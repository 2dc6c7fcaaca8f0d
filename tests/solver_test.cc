// The MIP facade on every compiled-in backend: small models solved by hand (the calculations are
// in the comments), outcomes other than "optimal", and concurrent solves checked against a
// dynamic-programming reference.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <ostream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "tessel/common/error.h"
#include "tessel/solver/mip.h"

namespace tessel {

// Readable statuses in failure messages (found by argument-dependent lookup).
void PrintTo(MipStatus status, std::ostream* os) { *os << ToString(status); }

namespace {

constexpr double kTolerance = 1e-6;

struct Item {
  int value;
  int weight;
};

// max sum(value x) s.t. sum(weight x) <= capacity, x binary, as min -sum(value x).
MipModel Knapsack(const std::vector<Item>& items, int capacity) {
  MipModel model;
  std::vector<MipTerm> weight, objective;
  for (size_t i = 0; i < items.size(); ++i) {
    int x = model.AddBinary("x" + std::to_string(i));
    weight.push_back({x, static_cast<double>(items[i].weight)});
    objective.push_back({x, -static_cast<double>(items[i].value)});
  }
  model.AddConstraint("capacity", weight, -kInfinity, capacity);
  model.SetObjective(objective);
  return model;
}

// The reference optimum of a 0/1 knapsack: best[c] = best value within capacity c.
int KnapsackByDynamicProgramming(const std::vector<Item>& items, int capacity) {
  std::vector<int> best(capacity + 1, 0);
  for (const Item& item : items) {
    for (int c = capacity; c >= item.weight; --c) {
      best[c] = std::max(best[c], best[c - item.weight] + item.value);
    }
  }
  return best[capacity];
}

// A deterministic 31-bit linear congruential generator (glibc's constants): tests must not
// depend on the standard library's distributions, which differ between implementations.
class Lcg {
 public:
  explicit Lcg(std::uint32_t seed) : state_(seed) {}
  int Uniform(int lo, int hi) {  // in [lo, hi]
    state_ = (state_ * 1103515245u + 12345u) & 0x7fffffffu;
    return lo + static_cast<int>((state_ >> 8) % static_cast<std::uint32_t>(hi - lo + 1));
  }

 private:
  std::uint32_t state_;
};

// Weakly correlated items (value = weight +- 10): the LP bound is tight enough for a fast proof,
// loose enough that branch and bound does real work.
std::vector<Item> CorrelatedItems(std::uint32_t seed, int count) {
  Lcg rng(seed);
  std::vector<Item> items;
  for (int i = 0; i < count; ++i) {
    int weight = rng.Uniform(20, 80);
    items.push_back({weight + rng.Uniform(-10, 10), weight});
  }
  return items;
}

int TotalWeight(const std::vector<Item>& items) {
  int total = 0;
  for (const Item& item : items) total += item.weight;
  return total;
}

class MipSolverTest : public ::testing::TestWithParam<std::string> {
 protected:
  MipResult Solve(const MipModel& model, double time_limit_s = 10) {
    MipOptions options;
    options.time_limit_s = time_limit_s;
    return MakeMipSolver(GetParam())->Solve(model, options);
  }
};

TEST_P(MipSolverTest, NameMatchesTheBackend) {
  EXPECT_EQ(MakeMipSolver(GetParam())->name(), GetParam());
}

// Items (value, weight): A (10, 5), B (40, 4), C (30, 6), D (50, 3); capacity 10.
// Pairs that fit: A+B 50 (w 9), A+D 60 (w 8), B+C 70 (w 10), B+D 90 (w 7), C+D 80 (w 9); no
// triple fits (the lightest, A+B+D, weighs 12). Best: B+D = 90. The LP relaxation takes D, B and
// half of C (105), so the backend has to branch.
TEST_P(MipSolverTest, KnapsackOptimumByHand) {
  MipResult result = Solve(Knapsack({{10, 5}, {40, 4}, {30, 6}, {50, 3}}, 10));
  ASSERT_EQ(result.status, MipStatus::kOptimal) << result.message;
  ASSERT_TRUE(result.has_solution);
  EXPECT_NEAR(result.objective, -90, kTolerance);
  EXPECT_THAT(result.values, ::testing::ElementsAre(0, 1, 0, 1));  // rounded exactly
  EXPECT_GE(result.seconds, 0);
}

// The same knapsack with an objective constant of 100 (reported objective 100 - 90 = 10) and the
// weight row given with duplicate terms: 4 B written as 1 B + 3 B, plus a 0 A that cancels.
TEST_P(MipSolverTest, ObjectiveConstantAndDuplicateTerms) {
  MipModel model;
  for (const char* name : {"A", "B", "C", "D"}) model.AddBinary(name);
  model.AddConstraint("capacity", {{0, 5}, {1, 1}, {2, 6}, {3, 3}, {1, 3}, {0, 2}, {0, -2}},
                      -kInfinity, 10);
  model.SetObjective({{0, -10}, {1, -40}, {2, -30}, {3, -20}, {3, -30}}, 100);
  MipResult result = Solve(model);
  ASSERT_EQ(result.status, MipStatus::kOptimal) << result.message;
  EXPECT_NEAR(result.objective, 10, kTolerance);
  EXPECT_THAT(result.values, ::testing::ElementsAre(0, 1, 0, 1));
}

// Change for 47 cents in coins of 1, 5, 10 and 25 (general integers in [0, 10]) with the fewest
// coins, and exactly two coins of 5 or 10 (a second equality). With one quarter the remaining 22
// is 10+10+1+1 (4 coins), 10+5+7x1 (9) or 5+5+12x1 (14); with none, 47 needs 20 + 27x1. With
// two quarters the total exceeds 47. Best: 25+10+10+1+1, five coins, x = (2, 0, 2, 1).
TEST_P(MipSolverTest, GeneralIntegersWithEqualities) {
  MipModel model;
  int ones = model.AddVariable("ones", 0, 10, true);
  int fives = model.AddVariable("fives", 0, 10, true);
  int tens = model.AddVariable("tens", 0, 10, true);
  int quarters = model.AddVariable("quarters", 0, 10, true);
  model.AddConstraint("amount", {{ones, 1}, {fives, 5}, {tens, 10}, {quarters, 25}}, 47, 47);
  model.AddConstraint("two_middle", {{fives, 1}, {tens, 1}}, 2, 2);
  model.SetObjective({{ones, 1}, {fives, 1}, {tens, 1}, {quarters, 1}});
  MipResult result = Solve(model);
  ASSERT_EQ(result.status, MipStatus::kOptimal) << result.message;
  EXPECT_NEAR(result.objective, 5, kTolerance);
  EXPECT_THAT(result.values, ::testing::ElementsAre(2, 0, 2, 1));
}

// min -x - y s.t. x + 2y <= 4, 3x + y <= 6, x, y >= 0 continuous. The vertices are (0, 0),
// (2, 0), (0, 2) and the crossing of both rows: y = 6 - 3x, x + 12 - 6x = 4, x = 1.6, y = 1.2,
// objective -2.8 (the others give 0, -2, -2). Continuous values are not rounded.
TEST_P(MipSolverTest, LinearProgramWithoutIntegers) {
  MipModel model;
  int x = model.AddVariable("x", 0, kInfinity, false);
  int y = model.AddVariable("y", 0, kInfinity, false);
  model.AddConstraint("r1", {{x, 1}, {y, 2}}, -kInfinity, 4);
  model.AddConstraint("r2", {{x, 3}, {y, 1}}, -kInfinity, 6);
  model.SetObjective({{x, -1}, {y, -1}});
  MipResult result = Solve(model);
  ASSERT_EQ(result.status, MipStatus::kOptimal) << result.message;
  EXPECT_NEAR(result.objective, -2.8, kTolerance);
  ASSERT_EQ(result.values.size(), 2u);
  EXPECT_NEAR(result.values[0], 1.6, kTolerance);
  EXPECT_NEAR(result.values[1], 1.2, kTolerance);
}

// 2x + 2y = 3 has real solutions (x = 1.5) but no integer one: the left side is even.
TEST_P(MipSolverTest, IntegerInfeasibleWithFeasibleRelaxation) {
  MipModel model;
  int x = model.AddVariable("x", 0, 5, true);
  int y = model.AddVariable("y", 0, 5, true);
  model.AddConstraint("odd", {{x, 2}, {y, 2}}, 3, 3);
  model.SetObjective({{x, 1}});
  MipResult result = Solve(model);
  EXPECT_EQ(result.status, MipStatus::kInfeasible) << result.message;
  EXPECT_FALSE(result.has_solution);
}

// x + y >= 3 with x, y binary: even the relaxation is infeasible.
TEST_P(MipSolverTest, InfeasibleRelaxation) {
  MipModel model;
  int x = model.AddBinary("x");
  int y = model.AddBinary("y");
  model.AddConstraint("too_many", {{x, 1}, {y, 1}}, 3, kInfinity);
  model.SetObjective({{x, 1}, {y, 1}});
  EXPECT_EQ(Solve(model).status, MipStatus::kInfeasible);
}

// A variable with lower bound 2 > upper bound 1 is decided before the backend sees it.
TEST_P(MipSolverTest, CrossedBoundsAreInfeasible) {
  MipModel model;
  model.AddVariable("x", 2, 1, true);
  MipResult result = Solve(model);
  EXPECT_EQ(result.status, MipStatus::kInfeasible);
  EXPECT_EQ(result.message, "variable 'x' has lower bound 2 > upper 1");
}

// min -x - y with x integer >= 0, y continuous, x - y <= 1: x = y + 1 grows without bound.
TEST_P(MipSolverTest, Unbounded) {
  MipModel model;
  int x = model.AddVariable("x", 0, kInfinity, true);
  int y = model.AddVariable("y", 0, kInfinity, false);
  model.AddConstraint("link", {{x, 1}, {y, -1}}, -kInfinity, 1);
  model.SetObjective({{x, -1}, {y, -1}});
  MipResult result = Solve(model);
  EXPECT_EQ(result.status, MipStatus::kUnbounded) << result.message;
  EXPECT_FALSE(result.has_solution);
}

// No variables: the objective is its constant, and a row 0 in [1, 2] cannot hold.
TEST_P(MipSolverTest, ModelWithoutVariables) {
  MipModel model;
  model.SetObjective({}, 7);
  MipResult result = Solve(model);
  ASSERT_EQ(result.status, MipStatus::kOptimal);
  EXPECT_TRUE(result.has_solution);
  EXPECT_EQ(result.objective, 7);
  model.AddConstraint("empty", {}, 1, 2);
  EXPECT_EQ(Solve(model).status, MipStatus::kInfeasible);
}

// A market-split instance (Cornuejols and Dawande 1998): 4 equality rows over 30 binaries with
// coefficients in [0, 99] and right-hand sides half the row sums, made always feasible by slacks
// whose sum is minimised. Its LP bound is 0 and branch and bound needs millions of nodes to prove
// any incumbent optimal, far more than 0.05 s allows on any machine. The outcome must be coherent:
// kTimeLimit, and an incumbent, if any, with one value per variable and a matching objective.
TEST_P(MipSolverTest, TimeLimitIsCoherent) {
  constexpr int kRows = 4, kColumns = 30;
  Lcg rng(2024);
  MipModel model;
  std::vector<int> x;
  for (int j = 0; j < kColumns; ++j) x.push_back(model.AddBinary("x" + std::to_string(j)));
  std::vector<MipTerm> objective;
  for (int i = 0; i < kRows; ++i) {
    std::vector<MipTerm> row;
    int sum = 0;
    for (int j = 0; j < kColumns; ++j) {
      int a = rng.Uniform(0, 99);
      row.push_back({x[j], static_cast<double>(a)});
      sum += a;
    }
    int over = model.AddVariable("over" + std::to_string(i), 0, kInfinity, false);
    int under = model.AddVariable("under" + std::to_string(i), 0, kInfinity, false);
    row.push_back({over, -1});
    row.push_back({under, 1});
    objective.push_back({over, 1});
    objective.push_back({under, 1});
    model.AddConstraint("split" + std::to_string(i), row, sum / 2, sum / 2);
  }
  model.SetObjective(objective);
  MipResult result = Solve(model, 0.05);
  ASSERT_EQ(result.status, MipStatus::kTimeLimit) << result.message;
  if (result.has_solution) {
    ASSERT_EQ(result.values.size(), model.variables().size());
    double objective_value = 0;
    for (const MipTerm& t : objective) objective_value += t.coef * result.values[t.var];
    EXPECT_NEAR(result.objective, objective_value, kTolerance);
    EXPECT_GE(result.objective, 0);
  } else {
    EXPECT_TRUE(result.values.empty());
  }
}

// 4 threads x 10 solves of different 30-item knapsacks, each checked against dynamic
// programming. CBC's CbcMain entry points corrupt each other under threads; the facade must not.
TEST_P(MipSolverTest, ConcurrentSolvesGetTheirOwnOptima) {
  constexpr int kThreads = 4, kSolvesPerThread = 10;
  std::unique_ptr<MipSolver> solver = MakeMipSolver(GetParam());  // one shared solver object
  std::vector<std::vector<double>> objectives(kThreads), expected(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int s = 0; s < kSolvesPerThread; ++s) {
        std::vector<Item> items = CorrelatedItems(100 * t + s + 1, 30);
        int capacity = TotalWeight(items) / 2;
        MipOptions options;
        options.time_limit_s = 30;
        MipResult result = solver->Solve(Knapsack(items, capacity), options);
        objectives[t].push_back(result.status == MipStatus::kOptimal ? -result.objective : -1);
        expected[t].push_back(KnapsackByDynamicProgramming(items, capacity));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_THAT(objectives[t], ::testing::Pointwise(::testing::DoubleNear(kTolerance), expected[t]))
        << "thread " << t;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, MipSolverTest, ::testing::ValuesIn(AvailableMipSolvers()),
                         [](const auto& info) { return info.param; });

TEST(MipSolverFactoryTest, UnknownBackendNamesTheAvailableOnes) {
  std::string expected = AvailableMipSolvers().size() == 2
                             ? "unknown MIP solver 'x'; available: cbc, glpk"
                             : "unknown MIP solver 'x'; available: cbc";
  try {
    MakeMipSolver("x");
    FAIL() << "expected a UserError";
  } catch (const UserError& e) {
    EXPECT_EQ(std::string(e.what()), expected);
  }
}

TEST(MipSolverFactoryTest, CbcIsAlwaysAvailable) {
  EXPECT_EQ(AvailableMipSolvers().front(), "cbc");
}

TEST(MipModelTest, TermsMustNameExistingVariables) {
  MipModel model;
  model.AddBinary("x");
  EXPECT_THROW(model.AddConstraint("bad", {{1, 1}}, 0, 1), std::out_of_range);
  EXPECT_THROW(model.SetObjective({{-1, 1}}), std::out_of_range);
}

TEST(MipStatusTest, Names) {
  EXPECT_STREQ(ToString(MipStatus::kOptimal), "optimal");
  EXPECT_STREQ(ToString(MipStatus::kTimeLimit), "time limit");
  EXPECT_STREQ(ToString(MipStatus::kInfeasible), "infeasible");
}

}  // namespace
}  // namespace tessel
