#include "tessel/sweep/plan.h"

#include <algorithm>
#include <numeric>

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

std::string CanonicalText(const std::vector<std::optional<std::string>>& known) {
  std::string text;
  for (const std::optional<std::string>& line : known)
    if (line) text += *line + "\n";
  return text;
}

}  // namespace tessel::sweep
