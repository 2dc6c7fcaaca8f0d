#include "cli/tune_timeloop.h"

#include "fmt/format.h"

namespace tessel::cli {

std::string FormatTimeloopTune(const Workload& w, const TimeloopNetworkResult& r) {
  std::string out =
      fmt::format("{:<28} {:>12} {:>16} {:>6}\n", "layer", "cycles", "energy_pJ", "util");
  for (const TimeloopLayerTune& t : r.layers)
    out += fmt::format("{:<28} {:>12} {:>16.6g} {:>6.3f}\n", w.layer(t.layer).name, t.cycles,
                       t.energy_pJ, t.utilization);
  out += fmt::format("total: {} cycles, {:.6g} pJ; slowest layer {} ({} cycles)\n", r.total_cycles,
                     r.total_energy_pJ, w.layer(r.layers[r.bottleneck].layer).name,
                     r.layers[r.bottleneck].cycles);
  return out;
}

}  // namespace tessel::cli
