// SIGINT and SIGTERM as a stop request for the running command.
//
// The signals are blocked in every thread and taken by one waiting thread (sigtimedwait), so no
// code runs inside a signal handler. On the first signal the waiter prints one line, requests a
// stop on the token the command's long work checks (common/cancel.h), and gives the command
// `grace` to unwind cooperatively; a command still running after that (one CBC solve, say) is
// ended by the waiter itself: it removes the output files being written at that moment
// (files.h: RemoveFilesInFlight) and calls _exit(128 + signal). A second signal ends the
// process at once the same way. Either way no partial output file is left, and log records
// already appended (tuning logs, sweep results) stay: they are flushed as they are written.
#pragma once

#include <atomic>
#include <chrono>
#include <stop_token>
#include <thread>

namespace tessel::cli {

class SignalStop {
 public:
  // Blocks SIGINT and SIGTERM in the calling thread, and so in every thread started after this,
  // and starts the waiter. Construct it first in main, before any other thread exists.
  explicit SignalStop(std::chrono::milliseconds grace);
  // Stops the waiter and unblocks the signals (their default action applies again).
  ~SignalStop();
  SignalStop(const SignalStop&) = delete;
  SignalStop& operator=(const SignalStop&) = delete;

  std::stop_token token() const { return source_.get_token(); }
  // The signal that requested the stop (SIGINT or SIGTERM), 0 before any.
  int signal() const { return signal_.load(); }

 private:
  void Wait();

  std::chrono::milliseconds grace_;
  std::stop_source source_;
  std::atomic<int> signal_{0};
  std::atomic<bool> done_{false};
  std::thread waiter_;
};

}  // namespace tessel::cli
