// The GLPK backend of the MIP facade. GLPK is GPL-3.0: this file is compiled only when CMake's
// TESSEL_WITH_GLPK is ON (which defines TESSEL_HAVE_GLPK), and linking it makes the binary GPL-3.
#pragma once

#include <memory>

#include "tessel/solver/mip.h"

namespace tessel {

// A GLPK solver using glp_intopt with the MIP presolver. GLPK 5.0 as Debian builds it keeps its
// environment in thread-local storage, so concurrent solves on different threads share nothing.
std::unique_ptr<MipSolver> MakeGlpkSolver();

}  // namespace tessel
