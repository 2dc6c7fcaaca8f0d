// Backend-independent pieces of the MIP facade, shared by the CBC and GLPK backends only: model
// checks both backends need before handing data to a C library that aborts on bad input, sparse
// rows without duplicate columns, and the uniform finishing of a solution.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "tessel/solver/mip.h"

namespace tessel::solver_internal {

// Wall time since construction, in seconds, on the monotonic clock.
class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double Seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

// A row or objective with each variable at most once (duplicates summed, exact zeros dropped),
// sorted by variable index. GLPK aborts on duplicate indices; CoinPackedMatrix rejects them.
struct SparseRow {
  std::vector<int> index;
  std::vector<double> value;
};
SparseRow Canonical(const std::vector<MipTerm>& terms);

// The decision for models no backend should see: non-finite coefficients or NaN bounds
// (kError), a variable or row whose lower bound exceeds its upper bound (kInfeasible), and models
// without variables (evaluated directly). nullopt means "hand it to the backend".
std::optional<MipResult> Precheck(const MipModel& model);

// The time limit in seconds as a backend should use it: >= 0, and kInfinity for "none".
double EffectiveTimeLimit(const MipOptions& options);

// Sets result->values, ->objective and ->has_solution from a backend's primal point (one value
// per variable). The point is first checked against every bound and row with a tolerance of
// 1e-6 relative to the row's magnitude: a violation is a backend failure, never a result, so the
// status becomes kError and the message names the row. Integer variables are then rounded to
// exact integers (backends return them within ~1e-6) and the objective is recomputed from the
// rounded point, constant included, so values and objective always agree.
void FinishSolution(const MipModel& model, const double* primal, MipResult* result);

}  // namespace tessel::solver_internal
