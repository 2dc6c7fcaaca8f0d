// The JSON of a multi-core schedule (docs/schedule.md lists every key). Times in cycles, sizes in
// bits, energies in pJ; `nodes` and `transfers` are complete, so every validity property can be
// checked from the JSON alone. Key order is fixed and floats are rounded (ReproducibleDouble), so
// the same inputs give byte-identical text.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "tessel/schedule/schedule_run.h"
#include "tessel/schedule/system.h"
#include "tessel/workload/workload.h"

namespace tessel {

nlohmann::ordered_json ScheduleToJson(const System& system, const Workload& workload,
                                      const ScheduleResult& result);

}  // namespace tessel
