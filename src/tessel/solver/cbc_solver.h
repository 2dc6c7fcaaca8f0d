// The COIN-OR CBC backend of the MIP facade (EPL-1.0, always built).
#pragma once

#include <memory>

#include "tessel/solver/mip.h"

namespace tessel {

// A CBC solver driving CbcModel::branchAndBound directly on an OsiClpSolverInterface. Each
// Solve builds its own CbcModel, so concurrent solves share nothing (CbcMain0/CbcMain1 and the
// Cbc C API keep static state and are deliberately not used).
std::unique_ptr<MipSolver> MakeCbcSolver();

}  // namespace tessel
