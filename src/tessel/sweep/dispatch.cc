#include "tessel/sweep/dispatch.h"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>

#include "tessel/common/cancel.h"

namespace tessel::sweep {
namespace {

// Tasks shared by the local threads and the coordinator, and the local results.
class Board {
 public:
  explicit Board(const std::vector<int>& order) : order_(order) {}

  // The next task to hand out, or -1 when none is left or the board is closed.
  int Take() {
    std::lock_guard lock(mutex_);
    if (closed_ || next_ == order_.size()) return -1;
    return order_[next_++];
  }
  void Close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    wake_.notify_all();
  }
  void Put(int task, std::string line) {
    std::lock_guard lock(mutex_);
    results_.push_back({task, std::move(line)});
    wake_.notify_all();
  }
  void Fail(std::exception_ptr error) {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = error;
    closed_ = true;
    wake_.notify_all();
  }
  void ThreadDone() {
    std::lock_guard lock(mutex_);
    ++threads_done_;
    wake_.notify_all();
  }
  // Local results so far (waits up to `timeout` for one when there is none).
  std::deque<std::pair<int, std::string>> Drain(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (results_.empty() && !error_)
      wake_.wait_for(lock, timeout, [&] { return !results_.empty() || error_; });
    return std::exchange(results_, {});
  }
  std::exception_ptr error() {
    std::lock_guard lock(mutex_);
    return error_;
  }
  int threads_done() {
    std::lock_guard lock(mutex_);
    return threads_done_;
  }

 private:
  const std::vector<int>& order_;
  std::mutex mutex_;
  std::condition_variable wake_;
  size_t next_ = 0;
  bool closed_ = false;
  std::deque<std::pair<int, std::string>> results_;
  std::exception_ptr error_;
  int threads_done_ = 0;
};

void LocalThread(Board& board, const TaskRunner& run, std::stop_token stop) {
  try {
    for (int task = board.Take(); task >= 0 && !stop.stop_requested(); task = board.Take())
      board.Put(task, run(task));
  } catch (...) {
    board.Fail(std::current_exception());
  }
  board.ThreadDone();
}

}  // namespace

void Dispatch(const std::vector<int>& order, const TaskRunner& run, Transport* remote,
              const std::function<void(int task, std::string line)>& done,
              const DispatchOptions& options, std::stop_token stop) {
  const int total = static_cast<int>(order.size());
  const int remotes = remote ? remote->workers() : 0;
  const int locals =
      options.local_threads > 0 || remotes == 0 ? std::max(1, options.local_threads) : 0;
  Board board(order);
  std::vector<std::jthread> threads;
  for (int i = 0; i < locals; ++i)
    threads.emplace_back([&](std::stop_token own) {
      std::stop_callback forward(stop, [&] { board.Close(); });
      LocalThread(board, run, own);
    });
  int finished = 0, released = 0;
  auto deliver = [&](int task, std::string line) {
    done(task, std::move(line));
    ++finished;
    if (options.progress) options.progress(finished, total);
  };
  // Poll the remote side briefly and the local board briefly in turn; both waits are short so
  // neither side waits for the other.
  const auto wait = std::chrono::milliseconds(remotes > 0 ? 5 : 50);
  while (finished < total || released < remotes) {
    if (std::exception_ptr error = board.error()) {
      board.Close();
      threads.clear();  // joins
      std::rethrow_exception(error);
    }
    if (stop.stop_requested()) {
      board.Close();
      throw Interrupted();
    }
    for (auto& [task, line] : board.Drain(remotes > 0 ? std::chrono::milliseconds(0) : wait))
      deliver(task, std::move(line));
    if (remotes == 0) {
      if (board.threads_done() == locals && finished < total && !board.error()) {
        // Workers also stop on the token: a stop that came after the check above is still one.
        if (stop.stop_requested()) {
          board.Close();
          throw Interrupted();
        }
        throw std::logic_error("sweep: local workers stopped with tasks left");
      }
      continue;
    }
    std::optional<RemoteMessage> message = remote->Poll(wait);
    if (!message) continue;
    if (message->task >= 0) deliver(message->task, std::move(message->line));
    const int next = board.Take();
    if (next >= 0) {
      remote->Assign(message->worker, next);
    } else {
      remote->Release(message->worker);
      ++released;
    }
  }
}

void WorkerLoop(const TaskRunner& run, int threads, WorkerLink& link, std::stop_token stop) {
  threads = std::max(1, threads);
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<int> queue;
  std::deque<std::pair<int, std::string>> results;
  std::exception_ptr error;
  bool closing = false;
  std::vector<std::jthread> pool;
  for (int i = 0; i < threads; ++i)
    pool.emplace_back([&] {
      while (true) {
        int task = -1;
        {
          std::unique_lock lock(mutex);
          wake.wait(lock, [&] { return closing || !queue.empty(); });
          if (queue.empty()) return;
          task = queue.front();
          queue.pop_front();
        }
        try {
          std::string line = run(task);
          std::lock_guard lock(mutex);
          results.emplace_back(task, std::move(line));
        } catch (...) {
          std::lock_guard lock(mutex);
          if (!error) error = std::current_exception();
        }
      }
    });
  auto close = [&] {
    std::lock_guard lock(mutex);
    closing = true;
    queue.clear();
    wake.notify_all();
  };
  for (int i = 0; i < threads; ++i) link.Send(-1, "");
  int released = 0;
  while (released < threads) {
    if (stop.stop_requested()) break;
    std::deque<std::pair<int, std::string>> done;
    {
      std::lock_guard lock(mutex);
      if (error) {
        closing = true;
        queue.clear();
        wake.notify_all();
        break;
      }
      done.swap(results);
    }
    for (auto& [task, line] : done) link.Send(task, line);
    const std::optional<int> task = link.Receive(std::chrono::milliseconds(5));
    if (!task) continue;
    if (*task == kStopWorker) break;
    if (*task < 0) {
      ++released;
    } else {
      std::lock_guard lock(mutex);
      queue.push_back(*task);
      wake.notify_one();
    }
  }
  close();
  pool.clear();  // joins
  if (error) std::rethrow_exception(error);
}

}  // namespace tessel::sweep
