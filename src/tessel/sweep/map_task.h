// One `map` task of a sweep: a workload mapped onto one point's accelerator.
#pragma once

#include "tessel/mapper/mapper.h"
#include "tessel/network/network_map.h"
#include "tessel/sweep/summary.h"
#include "tessel/workload/workload.h"

namespace tessel::sweep {

// Maps `workload` onto `target` with `mapper` on ONE thread (the sweep's parallelism is across
// tasks), so the summary depends only on the inputs and options. A workload with no valid
// mapping on this point is a result (Summary::ok false, with the mapper's reason), not an error:
// a sweep explores designs, and some designs do not fit.
Summary RunMapTask(const Workload& workload, const NetworkTarget& target, const Mapper& mapper,
                   const MapperOptions& options);

// A relative cost estimate of mapping `workload`, for handing out large tasks first: the sum over
// its distinct MAC shapes of log2(MACs) (a mapper's effort grows with the prime factors to place,
// and a shape's factor count grows with the log of its size).
double EstimateMapCost(const Workload& workload);

}  // namespace tessel::sweep
