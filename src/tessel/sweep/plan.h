// What a sweep runs and in which order its results are written.
//
// A task is one (point, workload) pair. Tasks are numbered in the canonical order, points in grid
// order and each point's workloads in the sweep file's order; the output file lists results in
// exactly that order, whatever order they were computed in: while the sweep runs, lines are
// appended as results arrive (so a kill loses no finished result), and the finished file is
// rewritten in canonical order. That is what makes 1 process and K MPI ranks, and a resumed run,
// write byte-identical files.
#pragma once

#include <cstdint>
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

// The finished output: every known line in canonical order, each with its newline.
std::string CanonicalText(const std::vector<std::optional<std::string>>& known);

}  // namespace tessel::sweep
