#include "tessel/sweep/plan.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace tessel::sweep {

std::vector<Task> CanonicalTasks(int points, int workloads) {
  std::vector<Task> tasks;
  tasks.reserve(static_cast<size_t>(points) * workloads);
  for (int p = 0; p < points; ++p)
    for (int w = 0; w < workloads; ++w) tasks.push_back({p, w});
  return tasks;
}

std::vector<int> DispatchOrder(const std::vector<double>& cost, const std::vector<bool>& skip) {
  std::vector<int> order;
  for (int i = 0; i < static_cast<int>(cost.size()); ++i)
    if (!skip[i]) order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return cost[a] > cost[b]; });
  return order;
}

int KnownPrefix(const std::vector<std::optional<std::string>>& known) {
  int prefix = 0;
  while (prefix < static_cast<int>(known.size()) && known[prefix]) ++prefix;
  return prefix;
}

OrderedLog::OrderedLog(std::vector<std::optional<std::string>> known, int written,
                       std::function<void(const std::string&)> append)
    : lines_(std::move(known)), written_(written), append_(std::move(append)) {
  if (written_ > KnownPrefix(lines_))
    throw std::invalid_argument("OrderedLog: written lines must be a known prefix");
  Flush();
}

void OrderedLog::Add(int task, std::string line) {
  if (task < 0 || task >= total()) throw std::out_of_range("OrderedLog: no such task");
  if (task < written_ || lines_[task]) return;  // already known: a duplicate never reaches disk
  lines_[task] = std::move(line);
  Flush();
}

void OrderedLog::Flush() {
  while (written_ < total() && lines_[written_]) {
    append_(*lines_[written_]);
    ++written_;
  }
}

}  // namespace tessel::sweep
