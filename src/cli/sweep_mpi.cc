// The MPI session of a sweep: rank 0 coordinates (sweep/dispatch.h: Dispatch), ranks 1..K-1 run
// WorkerLoop. Messages, all on MPI_COMM_WORLD:
//   worker -> 0, tag kResult: chars "<task>\n<line>"; task -1 (and no line) asks for work;
//   0 -> worker, tag kTask:   one int, the task to run, or -1: that request gets no work;
//   0 -> worker, tag kStop:   one int: the sweep was stopped (SIGINT/SIGTERM on rank 0).
// Only the thread that initialised MPI calls it (MPI_THREAD_FUNNELED): on rank 0 the
// coordinating thread, on the others the thread running WorkerLoop; task threads never do.
// Built only when CMake finds MPI (CMakeLists.txt).
#include <mpi.h>

#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "cli/sweep_session.h"

namespace tessel::cli {
namespace {

constexpr int kResult = 1;
constexpr int kTask = 2;
constexpr int kStop = 3;

class MpiSession : public SweepSession, public sweep::Transport, public sweep::WorkerLink {
 public:
  explicit MpiSession(int threads) : threads_(threads) {
    int provided = 0;
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
    if (provided < MPI_THREAD_FUNNELED) throw std::runtime_error("MPI lacks MPI_THREAD_FUNNELED");
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
  ~MpiSession() override { MPI_Finalize(); }

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  bool AllOk(bool ok, bool* root_ok) override {
    int root = ok ? 1 : 0, mine = root, all = 0;
    MPI_Bcast(&root, 1, MPI_INT, 0, MPI_COMM_WORLD);
    MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    *root_ok = root == 1;
    return all == 1;
  }
  sweep::Transport* transport() override { return rank_ == 0 && size_ > 1 ? this : nullptr; }
  sweep::WorkerLink* link() override { return rank_ > 0 ? this : nullptr; }
  void StopWorkers() override {
    // Small messages go eagerly: the send returns whether or not the worker is listening yet.
    int stop = sweep::kStopWorker;
    for (int rank = 1; rank < size_; ++rank)
      MPI_Send(&stop, 1, MPI_INT, rank, kStop, MPI_COMM_WORLD);
  }

  // Transport (rank 0).
  int workers() const override { return (size_ - 1) * threads_; }
  std::optional<sweep::RemoteMessage> Poll(std::chrono::milliseconds timeout) override {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      int flag = 0;
      MPI_Status status;
      MPI_Iprobe(MPI_ANY_SOURCE, kResult, MPI_COMM_WORLD, &flag, &status);
      if (flag) return ReceiveResult(status);
      if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  void Assign(int worker, int task) override {
    MPI_Send(&task, 1, MPI_INT, worker, kTask, MPI_COMM_WORLD);
  }
  void Release(int worker) override { Assign(worker, -1); }

  // WorkerLink (ranks > 0).
  void Send(int task, const std::string& line) override {
    std::string message = std::to_string(task) + "\n" + line;
    MPI_Send(message.data(), static_cast<int>(message.size()), MPI_CHAR, 0, kResult,
             MPI_COMM_WORLD);
  }
  std::optional<int> Receive(std::chrono::milliseconds timeout) override {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      int flag = 0;
      MPI_Status status;
      MPI_Iprobe(0, kStop, MPI_COMM_WORLD, &flag, &status);
      if (flag) {
        int stop = 0;
        MPI_Recv(&stop, 1, MPI_INT, 0, kStop, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        return sweep::kStopWorker;
      }
      MPI_Iprobe(0, kTask, MPI_COMM_WORLD, &flag, &status);
      if (flag) {
        int task = -1;
        MPI_Recv(&task, 1, MPI_INT, 0, kTask, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        return task;
      }
      if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }

 private:
  sweep::RemoteMessage ReceiveResult(const MPI_Status& probed) {
    int count = 0;
    MPI_Get_count(&probed, MPI_CHAR, &count);
    std::vector<char> buffer(static_cast<size_t>(count));
    MPI_Recv(buffer.data(), count, MPI_CHAR, probed.MPI_SOURCE, kResult, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    const std::string message(buffer.begin(), buffer.end());
    const size_t newline = message.find('\n');
    if (newline == std::string::npos) throw std::runtime_error("sweep: malformed MPI message");
    sweep::RemoteMessage result;
    result.worker = probed.MPI_SOURCE;
    result.task = std::stoi(message.substr(0, newline));
    result.line = message.substr(newline + 1);
    return result;
  }

  int threads_ = 1;
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace

std::unique_ptr<SweepSession> StartMpiSession(int threads) {
  return std::make_unique<MpiSession>(threads);
}

}  // namespace tessel::cli
