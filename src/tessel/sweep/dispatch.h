// Handing out a sweep's tasks to workers: threads in this process and, under MPI, other ranks.
//
// The coordinator (the thread calling Dispatch: MPI rank 0, or the only process) hands tasks out
// one at a time in the given order to whichever worker asks next (dynamic scheduling), and
// passes every result to `done` on its own thread, so the caller needs no lock to write them.
// The coordinator's process works too: `local_threads` threads run tasks beside it.
//
// Transport is the seam to other processes: an MPI implementation lives with the CLI
// (src/cli/sweep_mpi.cc); the library knows no MPI.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

namespace tessel::sweep {

// A message from a remote worker: `task` -1 asks for work; otherwise `line` is the result of
// `task` and the worker is ready for the next one.
struct RemoteMessage {
  int worker = 0;
  int task = -1;
  std::string line;
};

// The coordinator's side of the remote workers (ranks 1..K-1 under MPI).
class Transport {
 public:
  virtual ~Transport() = default;
  // Request slots: the remote workers times the threads each runs (every slot asks for work
  // and is released once).
  virtual int workers() const = 0;
  // Waits up to `timeout` for one message from any worker.
  virtual std::optional<RemoteMessage> Poll(std::chrono::milliseconds timeout) = 0;
  // Gives `task` to `worker`, which has asked for work.
  virtual void Assign(int worker, int task) = 0;
  // Tells `worker`, which has asked for work, that there is none left.
  virtual void Release(int worker) = 0;
};

// Runs one task and returns its result line. Called concurrently from the local threads.
using TaskRunner = std::function<std::string(int task)>;

struct DispatchOptions {
  int local_threads = 1;  // >= 0; 0 only makes sense with remote workers
  // Called on the coordinator's thread after each result, with the results so far and the total.
  std::function<void(int done, int total)> progress;
};

// Runs every task of `order` exactly once (locally or remotely) and calls done(task, line) for
// each on the calling thread. Throws Interrupted when `stop` is requested, after handing out
// nothing more; an exception from a local task is rethrown after the local threads stopped.
// Remote workers are released (told there is no more work) before a normal return.
void Dispatch(const std::vector<int>& order, const TaskRunner& run, Transport* remote,
              const std::function<void(int task, std::string line)>& done,
              const DispatchOptions& options, std::stop_token stop = {});

// What WorkerLink::Receive returns when the coordinator stopped the sweep.
constexpr int kStopWorker = -2;

// A remote worker's side of the link to the coordinator.
class WorkerLink {
 public:
  virtual ~WorkerLink() = default;
  // Sends a result (which also asks for the next task) or, with task -1, a request for work.
  virtual void Send(int task, const std::string& line) = 0;
  // The coordinator's answer to one request, when one arrives within `timeout`: a task, -1
  // (no work left for that request) or kStopWorker (the sweep was stopped: run nothing more).
  virtual std::optional<int> Receive(std::chrono::milliseconds timeout) = 0;
};

// A remote worker's loop (MPI ranks other than the coordinator): `threads` threads run tasks,
// the calling thread alone talks to the coordinator and keeps one request outstanding per
// thread. Returns when every request was answered with -1, or early when `stop` is requested or
// the coordinator sends kStopWorker (after the tasks already running finished; their results are
// not sent).
// The coordinator must count `threads` request slots for this worker (Transport::workers).
void WorkerLoop(const TaskRunner& run, int threads, WorkerLink& link, std::stop_token stop = {});

}  // namespace tessel::sweep
