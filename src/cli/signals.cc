#include "cli/signals.h"

#include <signal.h>
#include <unistd.h>

#include <cstring>
#include <ctime>
#include <string>

#include "cli/files.h"

namespace tessel::cli {
namespace {

sigset_t StopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

// Waits up to `ms` for SIGINT or SIGTERM; the signal number, or 0 on timeout.
int WaitForSignal(const sigset_t& set, long ms) {
  timespec timeout{ms / 1000, (ms % 1000) * 1000000L};
  int signo = ::sigtimedwait(&set, nullptr, &timeout);
  return signo > 0 ? signo : 0;
}

// write(2) to stderr: usable while other threads hold iostream locks.
void Say(const std::string& text) {
  ssize_t ignored = ::write(STDERR_FILENO, text.data(), text.size());
  (void)ignored;
}

[[noreturn]] void EndNow(int signo) {
  RemoveFilesInFlight();
  ::_exit(128 + signo);
}

}  // namespace

SignalStop::SignalStop(std::chrono::milliseconds grace) : grace_(grace) {
  sigset_t set = StopSignals();
  ::pthread_sigmask(SIG_BLOCK, &set, nullptr);
  waiter_ = std::thread([this] { Wait(); });
}

SignalStop::~SignalStop() {
  done_ = true;
  waiter_.join();
  sigset_t set = StopSignals();
  ::pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

void SignalStop::Wait() {
  const sigset_t set = StopSignals();
  constexpr long kPollMs = 50;  // how soon the destructor's done_ is noticed
  int signo = 0;
  while (!done_ && signo == 0) signo = WaitForSignal(set, kPollMs);
  if (signo == 0) return;
  signal_ = signo;
  Say(std::string("tessel: ") + (signo == SIGINT ? "SIGINT" : "SIGTERM") +
      ": stopping (nothing half-written is kept)\n");
  source_.request_stop();
  // The command unwinds (main then destroys this object, setting done_) or its time is up.
  const auto deadline = std::chrono::steady_clock::now() + grace_;
  while (!done_) {
    if (std::chrono::steady_clock::now() >= deadline) EndNow(signo);
    if (int again = WaitForSignal(set, kPollMs); again != 0) EndNow(again);
  }
}

}  // namespace tessel::cli
