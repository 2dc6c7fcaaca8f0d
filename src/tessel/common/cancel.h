// Cooperative cancellation of long work (a network mapping, a schedule search, a tuning run, a
// sweep). The caller owns a std::stop_source; long-running library functions take its
// std::stop_token (a default-constructed token never stops) and call ThrowIfStopped at points
// where stopping leaves nothing half-done: between layers, generations, annealing moves, sweep
// points. The library never installs signal handlers; the CLI turns SIGINT/SIGTERM into a
// stop request and the Python module turns KeyboardInterrupt into one.
//
// Invariant: work that throws Interrupted has written no output file; what it appended to a log
// before the check (tuning records) stays, each record complete.
#pragma once

#include <stdexcept>
#include <stop_token>

namespace tessel {

// Thrown by ThrowIfStopped. Not a UserError: the inputs were fine, the user asked to stop.
class Interrupted : public std::runtime_error {
 public:
  Interrupted() : std::runtime_error("interrupted") {}
};

// Throws Interrupted when a stop was requested on `stop`; cheap (one atomic load).
inline void ThrowIfStopped(const std::stop_token& stop) {
  if (stop.stop_requested()) throw Interrupted();
}

}  // namespace tessel
