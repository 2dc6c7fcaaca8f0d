// Sweep result lines (JSON Lines, one object per (point, workload), docs/sweep.md):
//
//   {"point": int (grid index), "workload": str, "params": {name: number or str, ...},
//    "status": "ok" | "no-mapping", ["error": str,]
//    "cycles": int, "energy_pJ": num, "utilization": num, "macs": int,
//    "compute_bound_cycles": int, "layers": int,
//    "mac_units": int, "onchip_bits": int, "level_bits": {level: int, ...}}
//
// A `schedule` or `tune` sweep's lines (CommandSummary):
//
//   {"point", "workload", "params", "status": "ok" | "no-schedule" | "no-tuning", ["error",]
//    "cycles": int, "energy_pJ": num, "edp": num (cycles x pJ), "utilization": num,
//    "macs": int, then the command's size figures (ints), e.g. "cores", "mac_units", ...}
//
// Keys in this order, floats rounded to 12 significant digits, no spaces: the same result is the
// same bytes on every rank. A line's identity (what resume matches on) is its first three keys.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "tessel/sweep/summary.h"

namespace tessel {

using SweepValues = std::vector<std::pair<std::string, std::string>>;  // (name, value text)

// The result line, without a newline.
std::string SweepResultLine(std::int64_t point, const std::string& workload,
                            const SweepValues& values, const sweep::Summary& summary);

std::string SweepResultLine(std::int64_t point, const std::string& workload,
                            const SweepValues& values, const sweep::CommandSummary& summary);

// The text every result line of (point, workload, values) starts with.
std::string SweepResultKey(std::int64_t point, const std::string& workload,
                           const SweepValues& values);

// A parameter value as JSON: an integer or a number when the text is one, else the string.
nlohmann::ordered_json SweepValueJson(const std::string& text);

}  // namespace tessel
