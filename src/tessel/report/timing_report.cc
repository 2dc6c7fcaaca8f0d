#include "tessel/report/timing_report.h"

#include <fmt/format.h>

#include "tessel/report/json_report.h"

namespace tessel {

nlohmann::ordered_json TimingResultToJson(std::string_view model, const TimingResult& result,
                                          const Schedule& schedule) {
  using nlohmann::ordered_json;
  ordered_json counts = ordered_json::object();
  for (const auto& [name, value] : result.counts) counts[name] = value;
  ordered_json energy = ordered_json::object();
  for (const auto& [name, pJ] : result.energy_breakdown_pJ) energy[name] = ReproducibleDouble(pJ);
  ordered_json knobs = ordered_json::object();
  for (const auto& [name, value] : schedule.knobs) knobs[name] = value;
  ordered_json out;
  out["cycles"] = result.cycles;
  out["energy_pJ"] = ReproducibleDouble(result.energy_pJ);
  out["model"] = std::string(model);
  out["breakdown"] = {{"counts", std::move(counts)}, {"energy_pJ", std::move(energy)}};
  out["schedule"] = std::move(knobs);
  return out;
}

std::string FormatTimingResult(std::string_view model, std::string_view layer,
                               std::string_view arch, const TimingResult& result,
                               const Schedule& schedule) {
  std::string out =
      fmt::format("Model: {}\nLayer: {}\nArch: {}\n\nSchedule:\n", model, layer, arch);
  for (const auto& [name, value] : schedule.knobs) out += fmt::format("  {:<30} {}\n", name, value);
  out += "\nCounts:\n";
  for (const auto& [name, value] : result.counts) out += fmt::format("  {:<30} {}\n", name, value);
  out += "\nEnergy (pJ):\n";
  for (const auto& [name, pJ] : result.energy_breakdown_pJ)
    out += fmt::format("  {:<30} {:.6g}\n", name, pJ);
  out += fmt::format("\nCycles: {}\nEnergy: {:.6g} pJ\n", result.cycles, result.energy_pJ);
  return out;
}

}  // namespace tessel
