#include "tessel/report/sweep_json.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "tessel/report/json_report.h"

namespace tessel {
namespace {

nlohmann::ordered_json KeyJson(std::int64_t point, const std::string& workload,
                               const SweepValues& values) {
  nlohmann::ordered_json json;
  json["point"] = point;
  json["workload"] = workload;
  nlohmann::ordered_json params = nlohmann::ordered_json::object();
  for (const auto& [name, text] : values) params[name] = SweepValueJson(text);
  json["params"] = params;
  return json;
}

}  // namespace

nlohmann::ordered_json SweepValueJson(const std::string& text) {
  if (text.empty()) return text;
  char* end = nullptr;
  errno = 0;
  const long long integer = std::strtoll(text.c_str(), &end, 10);
  if (end == text.c_str() + text.size() && errno != ERANGE)
    return static_cast<std::int64_t>(integer);
  const double number = std::strtod(text.c_str(), &end);
  if (end == text.c_str() + text.size() && std::isfinite(number)) return ReproducibleDouble(number);
  return text;
}

std::string SweepResultKey(std::int64_t point, const std::string& workload,
                           const SweepValues& values) {
  std::string key = KeyJson(point, workload, values).dump();
  key.pop_back();  // the closing brace: the line goes on with its other keys
  return key;
}

std::string SweepResultLine(std::int64_t point, const std::string& workload,
                            const SweepValues& values, const sweep::Summary& summary) {
  nlohmann::ordered_json json = KeyJson(point, workload, values);
  json["status"] = summary.ok ? "ok" : "no-mapping";
  if (!summary.ok) json["error"] = summary.error;
  json["cycles"] = summary.cycles;
  json["energy_pJ"] = ReproducibleDouble(summary.energy_pJ);
  json["utilization"] = ReproducibleDouble(summary.utilization);
  json["macs"] = summary.macs;
  json["compute_bound_cycles"] = summary.compute_bound_cycles;
  json["layers"] = summary.layers;
  json["mac_units"] = summary.size.mac_units;
  json["onchip_bits"] = summary.size.onchip_bits;
  nlohmann::ordered_json levels = nlohmann::ordered_json::object();
  for (const auto& [name, bits] : summary.size.level_bits) levels[name] = bits;
  json["level_bits"] = levels;
  return json.dump();
}

std::string SweepResultLine(std::int64_t point, const std::string& workload,
                            const SweepValues& values, const sweep::CommandSummary& summary) {
  nlohmann::ordered_json json = KeyJson(point, workload, values);
  json["status"] = summary.status;
  if (summary.status != "ok") json["error"] = summary.error;
  json["cycles"] = summary.cycles;
  json["energy_pJ"] = ReproducibleDouble(summary.energy_pJ);
  json["edp"] = ReproducibleDouble(static_cast<double>(summary.cycles) * summary.energy_pJ);
  json["utilization"] = ReproducibleDouble(summary.utilization);
  json["macs"] = summary.macs;
  for (const auto& [name, value] : summary.sizes) json[name] = value;
  return json.dump();
}

}  // namespace tessel
