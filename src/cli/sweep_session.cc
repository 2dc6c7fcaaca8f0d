// Which session a sweep runs in. The launcher is recognised by the variables it sets for its
// processes (OpenMPI's mpirun, MPICH/Hydra and Slurm's PMI, PMIx): read here, at the edge, once.
#include "cli/sweep_session.h"

#include <cstdlib>

namespace tessel::cli {

#ifdef TESSEL_HAVE_MPI
std::unique_ptr<SweepSession> StartMpiSession(int threads);  // sweep_mpi.cc
#endif

namespace {

bool LaunchedByMpi() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "PMI_RANK"})
    if (std::getenv(name) != nullptr) return true;
  return false;
}

}  // namespace

std::unique_ptr<SweepSession> StartSweepSession([[maybe_unused]] int threads) {
#ifdef TESSEL_HAVE_MPI
  if (LaunchedByMpi()) return StartMpiSession(threads);
#else
  (void)LaunchedByMpi;
#endif
  return std::make_unique<SweepSession>();
}

}  // namespace tessel::cli
