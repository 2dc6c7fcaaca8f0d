// The processes a sweep runs in: this one alone, or the ranks of an MPI job (sweep_mpi.cc, built
// when CMake finds MPI). Rank 0 coordinates and writes; the others only run tasks.
#pragma once

#include <memory>
#include <string>

#include "tessel/sweep/dispatch.h"

namespace tessel::cli {

class SweepSession {
 public:
  virtual ~SweepSession() = default;
  virtual int rank() const { return 0; }
  virtual int size() const { return 1; }
  // Collective: every rank says whether its set-up succeeded. Returns whether all did; *root_ok
  // says whether rank 0's did (so the other ranks stay quiet about an error rank 0 reports).
  virtual bool AllOk(bool ok, bool* root_ok) {
    *root_ok = ok;
    return ok;
  }
  // Rank 0 of a job with other ranks: the link to them (`threads` request slots per rank);
  // nullptr in a single process.
  virtual sweep::Transport* transport() { return nullptr; }
  // The other ranks: their link to rank 0.
  virtual sweep::WorkerLink* link() { return nullptr; }
  // Rank 0: tells every other rank the sweep is stopped (WorkerLoop returns once their running
  // tasks end), so that all ranks end through MPI_Finalize rather than an abort.
  virtual void StopWorkers() {}
};

// An MPI session when this process was started by an MPI launcher (mpirun, mpiexec, srun) and
// tessel was built with MPI; otherwise a single process. `threads` per rank.
std::unique_ptr<SweepSession> StartSweepSession(int threads);

}  // namespace tessel::cli
