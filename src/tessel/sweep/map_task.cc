#include "tessel/sweep/map_task.h"

#include <cmath>

#include "tessel/common/error.h"

namespace tessel::sweep {

Summary RunMapTask(const Workload& workload, const NetworkTarget& target, const Mapper& mapper,
                   const MapperOptions& options) {
  NetworkMapOptions network;
  network.mapper = options;
  network.mapper.threads = 1;
  network.threads = 1;
  try {
    return SummarizeNetworkMap(MapNetwork(workload, target, mapper, network), target.arch);
  } catch (const UserError& error) {
    return FailedSummary(error.what(), target.arch);
  }
}

double EstimateMapCost(const Workload& workload) {
  double cost = 0;
  for (const ShapeGroup& group : DistinctShapes(workload)) {
    const auto macs = static_cast<double>(workload.layers()[group.layers.front()].Macs());
    cost += std::log2(std::max(2.0, macs));
  }
  return cost;
}

}  // namespace tessel::sweep
