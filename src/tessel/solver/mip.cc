#include "tessel/solver/mip.h"

#include <algorithm>
#include <cmath>
#include <locale>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "tessel/common/error.h"
#include "tessel/solver/cbc_solver.h"
#include "tessel/solver/mip_internal.h"
#ifdef TESSEL_HAVE_GLPK
#include "tessel/solver/glpk_solver.h"
#endif

namespace tessel {

namespace {

// A term naming a variable the model does not have is a bug in the code building the model.
void CheckTerms(const std::vector<MipTerm>& terms, size_t num_variables, const std::string& where) {
  for (const MipTerm& term : terms) {
    if (term.var < 0 || static_cast<size_t>(term.var) >= num_variables) {
      throw std::out_of_range("MipModel: " + where + " refers to variable " +
                              std::to_string(term.var) + " but the model has " +
                              std::to_string(num_variables));
    }
  }
}

}  // namespace

int MipModel::AddVariable(const std::string& name, double lower, double upper, bool integer) {
  variables_.push_back(MipVariable{name, lower, upper, integer});
  return static_cast<int>(variables_.size()) - 1;
}

void MipModel::AddConstraint(const std::string& name, std::vector<MipTerm> terms, double lower,
                             double upper) {
  CheckTerms(terms, variables_.size(), "constraint '" + name + "'");
  constraints_.push_back(MipConstraint{name, std::move(terms), lower, upper});
}

void MipModel::SetObjective(std::vector<MipTerm> terms, double constant) {
  CheckTerms(terms, variables_.size(), "the objective");
  objective_ = std::move(terms);
  objective_constant_ = constant;
}

const char* ToString(MipStatus status) {
  switch (status) {
    case MipStatus::kOptimal:
      return "optimal";
    case MipStatus::kFeasible:
      return "feasible";
    case MipStatus::kTimeLimit:
      return "time limit";
    case MipStatus::kInfeasible:
      return "infeasible";
    case MipStatus::kUnbounded:
      return "unbounded";
    case MipStatus::kError:
      return "error";
  }
  return "unknown";
}

std::vector<std::string> AvailableMipSolvers() {
  std::vector<std::string> names = {"cbc"};
#ifdef TESSEL_HAVE_GLPK
  names.push_back("glpk");
#endif
  return names;
}

std::unique_ptr<MipSolver> MakeMipSolver(const std::string& backend) {
  if (backend == "cbc") return MakeCbcSolver();
#ifdef TESSEL_HAVE_GLPK
  if (backend == "glpk") return MakeGlpkSolver();
#endif
  std::string available;
  for (const std::string& name : AvailableMipSolvers()) {
    available += (available.empty() ? "" : ", ") + name;
  }
  throw UserError("unknown MIP solver '" + backend + "'; available: " + available);
}

namespace solver_internal {

namespace {

std::string RowName(const MipModel& model, size_t row) {
  const std::string& name = model.constraints()[row].name;
  return name.empty() ? "row " + std::to_string(row) : "row '" + name + "'";
}

std::string VariableName(const MipModel& model, size_t var) {
  const std::string& name = model.variables()[var].name;
  return name.empty() ? "variable " + std::to_string(var) : "variable '" + name + "'";
}

bool AllFinite(const std::vector<MipTerm>& terms) {
  return std::all_of(terms.begin(), terms.end(),
                     [](const MipTerm& t) { return std::isfinite(t.coef); });
}

MipResult Decided(MipStatus status, std::string message) {
  MipResult result;
  result.status = status;
  result.message = std::move(message);
  return result;
}

// Shortest readable form ("2", "0.5", "1e+30"), unlike std::to_string's "2.000000".
std::string Number(double value) {
  std::ostringstream out;
  out.imbue(std::locale::classic());  // "0.5" whatever the global locale
  out << value;
  return out.str();
}

// Whether some finite value lies in [lower, upper] (not the case for [inf, inf]).
bool BoundsAdmitAValue(double lower, double upper) {
  return lower <= upper && lower < kInfinity && upper > -kInfinity;
}

// How far `value` lies outside [lower, upper]; 0 inside.
double Violation(double value, double lower, double upper) {
  return std::max({0.0, lower - value, value - upper});
}

}  // namespace

SparseRow Canonical(const std::vector<MipTerm>& terms) {
  std::vector<MipTerm> sorted = terms;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const MipTerm& a, const MipTerm& b) { return a.var < b.var; });
  SparseRow row;
  for (const MipTerm& term : sorted) {
    if (!row.index.empty() && row.index.back() == term.var) {
      row.value.back() += term.coef;
    } else {
      row.index.push_back(term.var);
      row.value.push_back(term.coef);
    }
  }
  // Drop the zeros last: a duplicate pair may cancel out.
  SparseRow nonzero;
  for (size_t i = 0; i < row.index.size(); ++i) {
    if (row.value[i] == 0) continue;
    nonzero.index.push_back(row.index[i]);
    nonzero.value.push_back(row.value[i]);
  }
  return nonzero;
}

std::optional<MipResult> Precheck(const MipModel& model) {
  const auto& vars = model.variables();
  const auto& rows = model.constraints();
  if (!AllFinite(model.objective()) || !std::isfinite(model.objective_constant())) {
    return Decided(MipStatus::kError, "the objective has a non-finite coefficient");
  }
  for (size_t i = 0; i < vars.size(); ++i) {
    if (std::isnan(vars[i].lower) || std::isnan(vars[i].upper)) {
      return Decided(MipStatus::kError, VariableName(model, i) + " has a NaN bound");
    }
    if (!BoundsAdmitAValue(vars[i].lower, vars[i].upper)) {
      return Decided(MipStatus::kInfeasible, VariableName(model, i) + " has lower bound " +
                                                 Number(vars[i].lower) + " > upper " +
                                                 Number(vars[i].upper));
    }
  }
  for (size_t r = 0; r < rows.size(); ++r) {
    if (!AllFinite(rows[r].terms)) {
      return Decided(MipStatus::kError, RowName(model, r) + " has a non-finite coefficient");
    }
    if (std::isnan(rows[r].lower) || std::isnan(rows[r].upper)) {
      return Decided(MipStatus::kError, RowName(model, r) + " has a NaN bound");
    }
    if (!BoundsAdmitAValue(rows[r].lower, rows[r].upper)) {
      return Decided(MipStatus::kInfeasible, RowName(model, r) + " has lower bound " +
                                                 Number(rows[r].lower) + " > upper " +
                                                 Number(rows[r].upper));
    }
  }
  if (!vars.empty()) return std::nullopt;
  // No variables: every row is the constant 0.
  for (size_t r = 0; r < rows.size(); ++r) {
    if (Violation(0, rows[r].lower, rows[r].upper) > 0) {
      return Decided(MipStatus::kInfeasible, RowName(model, r) + " cannot hold: it has no terms");
    }
  }
  MipResult result = Decided(MipStatus::kOptimal, "the model has no variables");
  result.has_solution = true;
  result.objective = model.objective_constant();
  return result;
}

double EffectiveTimeLimit(const MipOptions& options) {
  if (std::isnan(options.time_limit_s)) return kInfinity;
  return std::max(0.0, options.time_limit_s);
}

void FinishSolution(const MipModel& model, const double* primal, MipResult* result) {
  const auto& vars = model.variables();
  std::vector<double> values(primal, primal + vars.size());
  // A relative tolerance: solvers stop at ~1e-7 primal and ~1e-6 integer infeasibility.
  auto tolerance = [](double magnitude) { return 1e-6 * (1 + magnitude); };
  for (size_t i = 0; i < vars.size(); ++i) {
    double off = Violation(values[i], vars[i].lower, vars[i].upper);
    if (!std::isfinite(values[i]) || off > tolerance(std::abs(values[i]))) {
      *result = Decided(MipStatus::kError, "the solver returned " + VariableName(model, i) + " = " +
                                               Number(values[i]) + ", outside its bounds");
      return;
    }
  }
  for (size_t r = 0; r < model.constraints().size(); ++r) {
    const MipConstraint& row = model.constraints()[r];
    double activity = 0, magnitude = 0;
    for (const MipTerm& t : row.terms) {
      activity += t.coef * values[t.var];
      magnitude += std::abs(t.coef * values[t.var]);
    }
    double off = Violation(activity, row.lower, row.upper);
    if (off > tolerance(magnitude)) {
      *result = Decided(MipStatus::kError, "the solver returned a point violating " +
                                               RowName(model, r) + " by " + Number(off));
      return;
    }
  }
  for (size_t i = 0; i < vars.size(); ++i) {
    if (vars[i].integer) values[i] = std::round(values[i]);
  }
  double objective = model.objective_constant();
  for (const MipTerm& t : model.objective()) objective += t.coef * values[t.var];
  result->values = std::move(values);
  result->objective = objective;
  result->has_solution = true;
}

}  // namespace solver_internal

}  // namespace tessel
