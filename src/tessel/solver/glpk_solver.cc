#include "tessel/solver/glpk_solver.h"

#include <glpk.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "tessel/solver/mip_internal.h"

namespace tessel {

namespace {

using solver_internal::Canonical;
using solver_internal::SparseRow;
using solver_internal::Stopwatch;

struct ProbDeleter {
  void operator()(glp_prob* prob) const { glp_delete_prob(prob); }
};
using ProbPtr = std::unique_ptr<glp_prob, ProbDeleter>;

// GLPK's bound kinds. Precheck has ruled out lower > upper, NaN, lower = +inf and upper = -inf.
int BoundKind(double lower, double upper) {
  bool has_lower = lower > -kInfinity;
  bool has_upper = upper < kInfinity;
  if (has_lower && has_upper) return lower == upper ? GLP_FX : GLP_DB;
  if (has_lower) return GLP_LO;
  if (has_upper) return GLP_UP;
  return GLP_FR;
}

// Copies the model into GLPK. GLPK indexes rows and columns from 1 and ignores element 0 of the
// index/value arrays; it aborts the process on a duplicate index, hence Canonical.
void LoadModel(const MipModel& model, glp_prob* prob) {
  glp_set_obj_dir(prob, GLP_MIN);
  const auto& vars = model.variables();
  glp_add_cols(prob, static_cast<int>(vars.size()));
  for (size_t i = 0; i < vars.size(); ++i) {
    int col = static_cast<int>(i) + 1;
    glp_set_col_bnds(prob, col, BoundKind(vars[i].lower, vars[i].upper), vars[i].lower,
                     vars[i].upper);
    glp_set_col_kind(prob, col, vars[i].integer ? GLP_IV : GLP_CV);
  }
  SparseRow objective = Canonical(model.objective());
  for (size_t k = 0; k < objective.index.size(); ++k) {
    glp_set_obj_coef(prob, objective.index[k] + 1, objective.value[k]);
  }
  const auto& rows = model.constraints();
  if (rows.empty()) return;
  glp_add_rows(prob, static_cast<int>(rows.size()));
  std::vector<int> index;
  std::vector<double> value;
  for (size_t r = 0; r < rows.size(); ++r) {
    int row = static_cast<int>(r) + 1;
    glp_set_row_bnds(prob, row, BoundKind(rows[r].lower, rows[r].upper), rows[r].lower,
                     rows[r].upper);
    SparseRow sparse = Canonical(rows[r].terms);
    index.assign(1, 0);
    value.assign(1, 0.0);
    for (size_t k = 0; k < sparse.index.size(); ++k) {
      index.push_back(sparse.index[k] + 1);
      value.push_back(sparse.value[k]);
    }
    glp_set_mat_row(prob, row, static_cast<int>(sparse.index.size()), index.data(), value.data());
  }
}

// Milliseconds for GLPK's int tm_lim; INT_MAX is GLPK's "no limit".
int ToMilliseconds(double seconds) {
  double ms = std::ceil(std::max(0.0, seconds) * 1000);
  return ms >= static_cast<double>(INT_MAX) ? INT_MAX : static_cast<int>(ms);
}

// GLP_ENODFS means the LP relaxation has no dual feasible solution: unbounded if it is primal
// feasible, infeasible otherwise. A primal simplex without presolve tells the two apart.
MipResult ClassifyDualInfeasible(glp_prob* prob, bool verbose, int time_limit_ms) {
  glp_smcp simplex;
  glp_init_smcp(&simplex);
  simplex.msg_lev = verbose ? GLP_MSG_ON : GLP_MSG_OFF;
  simplex.tm_lim = time_limit_ms;
  MipResult result;
  int code = glp_simplex(prob, &simplex);
  int status = glp_get_status(prob);
  if (code == 0 && status == GLP_NOFEAS) {
    result.status = MipStatus::kInfeasible;
  } else if (code == 0 && status == GLP_UNBND) {
    result.status = MipStatus::kUnbounded;
    result.message = "the LP relaxation is unbounded";
  } else if (code == GLP_ETMLIM) {
    result.status = MipStatus::kTimeLimit;
    result.message = "the LP relaxation is unbounded or infeasible (time limit reached)";
  } else {
    result.status = MipStatus::kError;
    result.message = "GLPK: the LP relaxation is unbounded or infeasible (glp_simplex returned " +
                     std::to_string(code) + ")";
  }
  return result;
}

MipResult Interpret(const MipModel& model, glp_prob* prob, int code) {
  MipResult result;
  int mip_status = glp_mip_status(prob);
  bool incumbent = mip_status == GLP_OPT || mip_status == GLP_FEAS;
  switch (code) {
    case 0:
      // Search completed: GLP_OPT, or GLP_NOFEAS when no integer point exists.
      if (mip_status == GLP_NOFEAS) {
        result.status = MipStatus::kInfeasible;
        return result;
      }
      result.status = incumbent ? MipStatus::kOptimal : MipStatus::kError;
      break;
    case GLP_EMIPGAP:  // stopped because the incumbent is within mip_gap: optimal by contract
      result.status = MipStatus::kOptimal;
      break;
    case GLP_ETMLIM:
      result.status = MipStatus::kTimeLimit;
      break;
    case GLP_ENOPFS:  // the presolver proved the LP relaxation infeasible
      result.status = MipStatus::kInfeasible;
      return result;
    default:
      result.status = MipStatus::kError;
      break;
  }
  if (result.status == MipStatus::kError) {
    result.message = "GLPK: glp_intopt returned " + std::to_string(code) + " with MIP status " +
                     std::to_string(mip_status);
    return result;
  }
  if (!incumbent) return result;  // time limit without an integer point
  std::vector<double> primal(model.variables().size());
  for (size_t i = 0; i < primal.size(); ++i) {
    primal[i] = glp_mip_col_val(prob, static_cast<int>(i) + 1);
  }
  solver_internal::FinishSolution(model, primal.data(), &result);
  return result;
}

class GlpkMipSolver : public MipSolver {
 public:
  std::string name() const override { return "glpk"; }

  MipResult Solve(const MipModel& model, const MipOptions& options) const override {
    Stopwatch clock;
    MipResult result;
    if (std::optional<MipResult> decided = solver_internal::Precheck(model)) {
      result = *decided;
    } else {
      result = Optimize(model, options, clock);
      // The calling thread's GLPK environment (thread-local in GLPK 5.0) holds nothing of
      // tessel's any more: free it rather than leak it when the thread ends. Only this backend
      // uses GLPK, so no other object in the thread can be invalidated.
      glp_free_env();
    }
    result.seconds = clock.Seconds();
    return result;
  }

 private:
  static MipResult Optimize(const MipModel& model, const MipOptions& options,
                            const Stopwatch& clock) {
    // Terminal output is a per-environment, hence per-thread, switch: it silences the few
    // messages msg_lev does not cover and affects no other thread.
    glp_term_out(options.verbose ? GLP_ON : GLP_OFF);
    ProbPtr prob(glp_create_prob());
    LoadModel(model, prob.get());

    glp_iocp parm;
    glp_init_iocp(&parm);
    parm.msg_lev = options.verbose ? GLP_MSG_ON : GLP_MSG_OFF;
    parm.presolve = GLP_ON;  // also lets glp_intopt solve the LP relaxation itself
    parm.mip_gap = std::max(0.0, options.relative_gap);
    // MIR cuts only. On the CoSA formulations of every third resnet50/vgg16/resnext50 layer
    // they cut GLPK's CPU time from 9.2/1.9/8.6 s to 5.0/0.63/1.1 s; Gomory cuts, the
    // feasibility pump and pseudo-cost branching each made those runs slower.
    parm.mir_cuts = GLP_ON;
    double limit = solver_internal::EffectiveTimeLimit(options);
    parm.tm_lim = ToMilliseconds(limit - clock.Seconds());
    int code = glp_intopt(prob.get(), &parm);
    if (code == GLP_ENODFS) {
      return ClassifyDualInfeasible(prob.get(), options.verbose,
                                    ToMilliseconds(limit - clock.Seconds()));
    }
    return Interpret(model, prob.get(), code);
  }
};

}  // namespace

std::unique_ptr<MipSolver> MakeGlpkSolver() { return std::make_unique<GlpkMipSolver>(); }

}  // namespace tessel
