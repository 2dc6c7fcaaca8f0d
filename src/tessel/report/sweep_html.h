// The HTML report of a sweep (`tessel sweep --html`): the Pareto front of latency against energy
// over the points, each point's totals over the sweep's workloads (hover shows its parameters),
// and one pair of plots per parameter (cycles and energy against its values). Hand-written SVG,
// no script, no external resource.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace tessel {

// One point of the sweep, totalled over its workloads.
struct SweepPointTotal {
  std::int64_t point = 0;
  nlohmann::ordered_json params;  // {name: value}
  double cycles = 0;              // sum over the workloads (they run one after another)
  double energy_pJ = 0;
  bool ok = true;  // false when some workload had no valid mapping (then not plotted)
};

// Totals per point from result lines (report/sweep_json.h), in point order.
std::vector<SweepPointTotal> SweepTotals(const std::vector<nlohmann::ordered_json>& lines);

// Indices into `totals` of the Pareto-optimal points (no other ok point is at most as slow and
// at most as hungry and better in one), by increasing cycles.
std::vector<int> ParetoFront(const std::vector<SweepPointTotal>& totals);

// The page. `title` names the sweep file; `parameters` in the sweep's order.
std::string SweepReportHtml(const std::vector<nlohmann::ordered_json>& lines,
                            const std::vector<std::string>& parameters, const std::string& title);

}  // namespace tessel
