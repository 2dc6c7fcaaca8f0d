// A small mixed-integer-programming facade: build a model once, solve it with any backend.
// Backends: COIN-OR CBC (default) and GLPK (optional, GPL-3: behind the CMake option
// TESSEL_WITH_GLPK). "Infeasible", "time-out" and "solver error" are different outcomes.
#pragma once

#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace tessel {

inline constexpr double kInfinity = std::numeric_limits<double>::infinity();

struct MipVariable {
  std::string name;
  double lower = 0;
  double upper = kInfinity;
  bool integer = false;
};

struct MipTerm {
  int var = 0;
  double coef = 1;
};

// lower <= sum(coef * x) <= upper; use -kInfinity / kInfinity for one-sided rows.
struct MipConstraint {
  std::string name;
  std::vector<MipTerm> terms;
  double lower = -kInfinity;
  double upper = kInfinity;
};

class MipModel {
 public:
  int AddVariable(const std::string& name, double lower, double upper, bool integer);
  int AddBinary(const std::string& name) { return AddVariable(name, 0, 1, true); }
  // Terms may repeat a variable (the coefficients add up). A term naming a variable not yet
  // added is a bug in the caller: AddConstraint and SetObjective throw std::out_of_range.
  void AddConstraint(const std::string& name, std::vector<MipTerm> terms, double lower,
                     double upper);
  // Minimise sum(coef * x) + constant.
  void SetObjective(std::vector<MipTerm> terms, double constant = 0);

  const std::vector<MipVariable>& variables() const { return variables_; }
  const std::vector<MipConstraint>& constraints() const { return constraints_; }
  const std::vector<MipTerm>& objective() const { return objective_; }
  double objective_constant() const { return objective_constant_; }

 private:
  std::vector<MipVariable> variables_;
  std::vector<MipConstraint> constraints_;
  std::vector<MipTerm> objective_;
  double objective_constant_ = 0;
};

enum class MipStatus {
  kOptimal,     // proven optimal within the gap
  kFeasible,    // an incumbent, stopped for a reason other than time (e.g. node limit)
  kTimeLimit,   // stopped at the time limit; `values` holds the incumbent if has_solution
  kInfeasible,  // proven infeasible
  kUnbounded,
  kError,  // the solver failed; `message` says how
};

const char* ToString(MipStatus status);

struct MipOptions {
  double time_limit_s = 60;  // wall-clock seconds for the whole Solve; infinity for none
  double relative_gap = 1e-6;
  // A hint. Both backends currently search on one thread: Debian's CBC has a parallel tree
  // search, but it was slower on CoSA-sized models (<100 integers) even in its deterministic
  // mode. Parallelism comes from solving several models at once, which both backends support.
  int threads = 1;
  // Branch-and-bound nodes before stopping with the incumbent (status kFeasible); <= 0: no
  // limit. Unlike the time limit it stops at the same point on every run, so callers that must be
  // deterministic use it. CBC only: GLPK has no node limit and ignores it.
  long max_nodes = 0;
  bool verbose = false;  // the backend's own log on stdout
};

struct MipResult {
  MipStatus status = MipStatus::kError;
  bool has_solution = false;
  // One per variable when has_solution; integer variables hold exact integers.
  std::vector<double> values;
  double objective = 0;  // of `values`, constant included, when has_solution
  double seconds = 0;    // wall time of the Solve call (steady clock)
  std::string message;   // why, for kError and some other outcomes; may be empty
};

class MipSolver {
 public:
  virtual ~MipSolver() = default;
  virtual std::string name() const = 0;
  // Thread-safe: may be called from several threads at once on different models.
  virtual MipResult Solve(const MipModel& model, const MipOptions& options) const = 0;
};

// "cbc" or "glpk" (when built with it). Throws UserError naming the available backends.
std::unique_ptr<MipSolver> MakeMipSolver(const std::string& backend);
std::vector<std::string> AvailableMipSolvers();

}  // namespace tessel
