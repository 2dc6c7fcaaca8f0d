// What a sweep runs and in which order its results are written.
//
// A task is one (point, workload) pair. Tasks are numbered in the canonical order, points in grid
// order and each point's workloads in the sweep file's order; the output file lists results in
// exactly that order, whatever order they were computed in. That is what makes 1 process and K
// MPI ranks write byte-identical files, and what makes resume a matter of keeping a prefix.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace tessel::sweep {

struct Task {
  int point = 0;     // index into the sweep's point list
  int workload = 0;  // index into the sweep's workload list
};

// Tasks in canonical order: task id == position.
std::vector<Task> CanonicalTasks(int points, int workloads);

// The order tasks are handed out: largest estimated cost first (so the last tasks to finish are
// short ones and no worker idles long at the end), ties in canonical order. `cost[i]` is task
// i's estimate (any unit); tasks with `skip[i]` (already done) are left out.
std::vector<int> DispatchOrder(const std::vector<double>& cost, const std::vector<bool>& skip);

// Writes result lines in canonical order as they arrive: a line waits in memory until every
// task before it has been written. Lines are passed to `append` without their newline, one call
// per line, on the thread calling Add.
class OrderedLog {
 public:
  // `known[i]`: task i's result when it is known before the run (a resumed output file);
  // `written` of them, the canonical prefix 0..written-1, are already in the file.
  OrderedLog(std::vector<std::optional<std::string>> known, int written,
             std::function<void(const std::string& line)> append);

  // Task `task`'s result; writes it and every held line that can follow it.
  void Add(int task, std::string line);

  int written() const { return written_; }
  int total() const { return static_cast<int>(lines_.size()); }
  bool complete() const { return written_ == total(); }

 private:
  void Flush();

  std::vector<std::optional<std::string>> lines_;
  int written_ = 0;
  std::function<void(const std::string&)> append_;
};

// The longest canonical prefix of `known` (the number of leading tasks whose result is known).
int KnownPrefix(const std::vector<std::optional<std::string>>& known);

}  // namespace tessel::sweep
