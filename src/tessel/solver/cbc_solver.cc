#include "tessel/solver/cbc_solver.h"

#include <CbcEventHandler.hpp>
#include <CbcHeuristic.hpp>
#include <CbcHeuristicFPump.hpp>
#include <CbcHeuristicGreedy.hpp>
#include <CbcHeuristicLocal.hpp>
#include <CbcModel.hpp>
#include <CglClique.hpp>
#include <CglFlowCover.hpp>
#include <CglGomory.hpp>
#include <CglKnapsackCover.hpp>
#include <CglMixedIntegerRounding2.hpp>
#include <CglProbing.hpp>
#include <ClpSolve.hpp>
#include <CoinError.hpp>
#include <CoinPackedMatrix.hpp>
#include <OsiClpSolverInterface.hpp>
#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tessel/solver/mip_internal.h"

namespace tessel {

namespace {

using solver_internal::Canonical;
using solver_internal::SparseRow;
using solver_internal::Stopwatch;

// CBC polls an event handler after every node and heuristic pass; its own time limit is checked
// less often and is soft (on the 30-binary market-split test a 0.01 s limit stopped at 0.017 s
// without this handler, 0.0105 s with it). The handler stops the search once the facade's
// wall-clock deadline has passed.
class DeadlineHandler : public CbcEventHandler {
 public:
  explicit DeadlineHandler(std::chrono::steady_clock::time_point deadline) : deadline_(deadline) {}
  CbcAction event(CbcEvent /*whichEvent*/) override {
    return std::chrono::steady_clock::now() >= deadline_ ? stop : noAction;
  }
  CbcEventHandler* clone() const override { return new DeadlineHandler(*this); }

 private:
  std::chrono::steady_clock::time_point deadline_;
};

// Copies the model into Clp: bounds beyond Clp's infinity (1e308) mean "none".
void LoadModel(const MipModel& model, OsiClpSolverInterface* lp) {
  const auto& vars = model.variables();
  const int num_cols = static_cast<int>(vars.size());
  const double inf = lp->getInfinity();
  auto clamp = [inf](double bound) { return std::clamp(bound, -inf, inf); };

  std::vector<double> col_lower(num_cols), col_upper(num_cols), cost(num_cols, 0.0);
  for (int i = 0; i < num_cols; ++i) {
    col_lower[i] = clamp(vars[i].lower);
    col_upper[i] = clamp(vars[i].upper);
  }
  SparseRow objective = Canonical(model.objective());
  for (size_t k = 0; k < objective.index.size(); ++k) cost[objective.index[k]] = objective.value[k];

  CoinPackedMatrix matrix(/*colordered=*/false, 0, 0);
  matrix.setDimensions(0, num_cols);
  std::vector<double> row_lower, row_upper;
  for (const MipConstraint& row : model.constraints()) {
    SparseRow sparse = Canonical(row.terms);
    matrix.appendRow(static_cast<int>(sparse.index.size()), sparse.index.data(),
                     sparse.value.data());
    row_lower.push_back(clamp(row.lower));
    row_upper.push_back(clamp(row.upper));
  }
  lp->loadProblem(matrix, col_lower.data(), col_upper.data(), cost.data(), row_lower.data(),
                  row_upper.data());
  for (int i = 0; i < num_cols; ++i) {
    if (vars[i].integer) lp->setInteger(i);
  }
  lp->setObjSense(1);  // minimise
}

// The cut generators of CbcStrategyDefault (howOften -99: at the root, then in the tree only
// where they proved useful) and the cbc executable's cheap default heuristics. Measured on the
// CoSA formulations of every third resnet50/vgg16/alexnet layer (28-73 integers, CPU time):
// none 19.7/12.4/1.3 s with 3 time-outs at 10 s, heuristics only 9.3/7.9/0.45 s, both
// 7.0/5.1/0.24 s. (On synthetic knapsack/assignment models the cuts cost up to 3x; the CoSA
// models are the workload.) Reliability branching (setNumberBeforeTrust) did not help.
void AddCutsAndHeuristics(CbcModel* cbc) {
  CglProbing probing;
  probing.setUsingObjective(true);
  probing.setMaxPass(1);
  probing.setMaxPassRoot(1);
  probing.setMaxProbe(10);
  probing.setMaxLook(10);
  probing.setMaxElements(200);
  probing.setMaxElementsRoot(300);
  CglGomory gomory;
  gomory.setLimit(300);
  CglKnapsackCover knapsack;
  CglClique clique;
  clique.setStarCliqueReport(false);
  clique.setRowCliqueReport(false);
  CglMixedIntegerRounding2 mixed_integer_rounding;
  CglFlowCover flow_cover;
  // addCutGenerator and addHeuristic store clones: the locals may go out of scope.
  cbc->addCutGenerator(&probing, -99, "Probing");
  cbc->addCutGenerator(&gomory, -99, "Gomory");
  cbc->addCutGenerator(&knapsack, -99, "Knapsack");
  cbc->addCutGenerator(&clique, -99, "Clique");
  cbc->addCutGenerator(&mixed_integer_rounding, -99, "MixedIntegerRounding2");
  cbc->addCutGenerator(&flow_cover, -99, "FlowCover");

  CbcRounding rounding(*cbc);
  CbcHeuristicFPump feasibility_pump(*cbc);
  CbcHeuristicGreedyCover greedy_cover(*cbc);
  CbcHeuristicGreedyEquality greedy_equality(*cbc);
  CbcHeuristicLocal local(*cbc);
  cbc->addHeuristic(&rounding);
  cbc->addHeuristic(&feasibility_pump);
  cbc->addHeuristic(&greedy_cover);
  cbc->addHeuristic(&greedy_equality);
  cbc->addHeuristic(&local);
}

MipResult WithStatus(MipStatus status, std::string message = "") {
  MipResult result;
  result.status = status;
  result.message = std::move(message);
  return result;
}

// Solves the LP relaxation with Clp and decides every model it settles: infeasible, unbounded,
// Clp failing, or a pure LP. nullopt means "integers remain: branch". CbcModel::branchAndBound
// cannot be trusted with these cases: on an unbounded relaxation it reports a MIP "proven
// infeasible" and an LP "proven optimal" without a valid point.
//
// The relaxation has no time limit of its own: Clp's wall-clock limit measures from a static
// origin that threads initialise without synchronisation, and tessel's relaxations take
// milliseconds. Branch and bound, where the time goes, has the deadline.
std::optional<MipResult> SolveRelaxation(const MipModel& model, OsiClpSolverInterface* lp) {
  lp->initialSolve();
  if (lp->isProvenPrimalInfeasible()) return WithStatus(MipStatus::kInfeasible);
  if (lp->isProvenDualInfeasible()) {
    // No dual solution: unbounded if some point is feasible. Find out with a zero objective.
    lp->setObjective(std::vector<double>(lp->getNumCols(), 0.0).data());
    lp->resolve();
    if (lp->isProvenPrimalInfeasible()) return WithStatus(MipStatus::kInfeasible);
    if (lp->isProvenOptimal()) {
      return WithStatus(MipStatus::kUnbounded, "the LP relaxation is unbounded");
    }
    return WithStatus(MipStatus::kError, "Clp: the LP relaxation is unbounded or infeasible");
  }
  if (!lp->isProvenOptimal()) {
    return WithStatus(MipStatus::kError, "Clp failed on the LP relaxation (status " +
                                             std::to_string(lp->getModelPtr()->status()) + ")");
  }
  for (const MipVariable& var : model.variables()) {
    if (var.integer) return std::nullopt;
  }
  MipResult result = WithStatus(MipStatus::kOptimal);
  solver_internal::FinishSolution(model, lp->getColSolution(), &result);
  return result;
}

// Reads CBC's final state after branch and bound on a model whose relaxation has an optimum.
MipResult Interpret(const MipModel& model, const CbcModel& cbc, bool past_deadline) {
  MipResult result;
  const double* best = cbc.bestSolution();
  if (cbc.isProvenOptimal() && best != nullptr) {
    result.status = MipStatus::kOptimal;
  } else if (cbc.isProvenInfeasible()) {
    result.status = MipStatus::kInfeasible;
    return result;
  } else if (cbc.isSecondsLimitReached() || past_deadline) {
    result.status = MipStatus::kTimeLimit;
  } else if (cbc.isAbandoned()) {
    result.status = MipStatus::kError;
    result.message = "CBC abandoned the search (numerical difficulties)";
    return result;
  } else if (best != nullptr) {
    result.status = MipStatus::kFeasible;
    result.message = cbc.isNodeLimitReached()
                         ? "node limit reached"
                         : "CBC stopped early (status " + std::to_string(cbc.status()) +
                               ", secondary " + std::to_string(cbc.secondaryStatus()) + ")";
  } else {
    result.status = MipStatus::kError;
    result.message = "CBC stopped without a solution (status " + std::to_string(cbc.status()) +
                     ", secondary " + std::to_string(cbc.secondaryStatus()) + ")";
    return result;
  }
  if (best != nullptr) solver_internal::FinishSolution(model, best, &result);
  return result;
}

// Thread safety, without a lock: every Solve owns its OsiClpSolverInterface and CbcModel, and
// the process-wide state that path touches was removed (Clp's SIGINT handler, Clp's wall-clock
// origin; see above). Valgrind's helgrind on 4 threads x 10 concurrent solves then reports only
// CoinFactorization's debug call counter (a plain static int incremented in factorSparseSmall),
// which no result depends on. CbcMain0/CbcMain1 and the Cbc C API keep parameters in statics
// and are not used.
class CbcMipSolver : public MipSolver {
 public:
  std::string name() const override { return "cbc"; }

  MipResult Solve(const MipModel& model, const MipOptions& options) const override {
    Stopwatch clock;
    MipResult result;
    if (std::optional<MipResult> decided = solver_internal::Precheck(model)) {
      result = *decided;
    } else {
      try {
        result = BranchAndBound(model, options, clock);
      } catch (const CoinError& e) {
        result = MipResult();
        result.message =
            "CBC failed in " + e.className() + "::" + e.methodName() + ": " + e.message();
      }
    }
    result.seconds = clock.Seconds();
    return result;
  }

 private:
  static MipResult BranchAndBound(const MipModel& model, const MipOptions& options,
                                  const Stopwatch& clock) {
    const double limit = solver_internal::EffectiveTimeLimit(options);
    const int log_level = options.verbose ? 1 : 0;
    OsiClpSolverInterface lp;
    lp.messageHandler()->setLogLevel(log_level);
    if (!options.verbose) lp.setHintParam(OsiDoReducePrint, true, OsiHintTry);
    // Special option 2 = 1: no interrupt handling. By default ClpSimplex::initialSolve swaps in
    // a process-wide SIGINT handler pointing at a static "current model": under threads the
    // save/restore pairs interleave (a stale handler can stay installed and swallow Ctrl-C), and
    // even alone it would turn the CLI's Ctrl-C into "stop this LP". Copies of `lp` (CbcModel's
    // solver, the heuristics' clones) inherit the option.
    ClpSolve solve_options;
    solve_options.setSpecialOption(2, 1);
    lp.setSolveOptions(solve_options);
    LoadModel(model, &lp);
    if (std::optional<MipResult> decided = SolveRelaxation(model, &lp)) return *decided;

    CbcModel cbc(lp);  // clones lp, with the relaxation's optimal basis
    cbc.setLogLevel(log_level);
    cbc.solver()->messageHandler()->setLogLevel(log_level);
    cbc.setAllowableFractionGap(std::max(0.0, options.relative_gap));
    if (options.max_nodes > 0) cbc.setMaximumNodes(static_cast<int>(options.max_nodes));
    auto deadline = std::chrono::steady_clock::time_point::max();
    const double left = limit - clock.Seconds();
    if (left < 1e9) {  // else: no limit (and no overflow of time_point)
      cbc.setUseElapsedTime(true);
      cbc.setMaximumSeconds(std::max(0.0, left));
      deadline = std::chrono::steady_clock::now() +
                 std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                     std::chrono::duration<double>(std::max(0.0, left)));
    }
    DeadlineHandler handler(deadline);
    cbc.passInEventHandler(&handler);  // stores a clone
    AddCutsAndHeuristics(&cbc);
    cbc.branchAndBound();
    return Interpret(model, cbc, std::chrono::steady_clock::now() >= deadline);
  }
};

}  // namespace

std::unique_ptr<MipSolver> MakeCbcSolver() { return std::make_unique<CbcMipSolver>(); }

}  // namespace tessel
