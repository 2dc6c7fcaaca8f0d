// What one sweep result says about a (point, workload): the command's totals and the size
// figures the inputs define. Value types; report/sweep_json.h turns them into a result line.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tessel/arch/arch.h"
#include "tessel/network/network_map.h"

namespace tessel::sweep {

// Size figures of an arch, from its own numbers (no area model): MAC units and on-chip storage.
struct ArchSize {
  std::int64_t mac_units = 0;  // arithmetic instances
  // Per storage level other than DRAM and unbounded ones, innermost first: name and capacity in
  // bits over all instances (size_words x word_bits x instances).
  std::vector<std::pair<std::string, std::int64_t>> level_bits;
  std::int64_t onchip_bits = 0;  // the sum of level_bits
};

ArchSize SizeOf(const Arch& arch);

struct Summary {
  bool ok = true;
  std::string error;  // why there is no result (no valid mapping), when !ok
  std::int64_t cycles = 0;
  double energy_pJ = 0;
  double utilization = 0;  // macs / (cycles x mac_units), 0..1
  std::int64_t macs = 0;
  std::int64_t compute_bound_cycles = 0;
  int layers = 0;
  ArchSize size;
};

// The totals of a network mapping on `arch`.
Summary SummarizeNetworkMap(const NetworkMapResult& result, const Arch& arch);

// A (point, workload) that has no result, and why.
Summary FailedSummary(const std::string& error, const Arch& arch);

// What a `schedule` or `tune` result says (docs/sweep.md lists the figures of each command):
// the command's own totals, read from what its --json prints, and size figures of the point's
// inputs.
struct CommandSummary {
  std::string status = "ok";  // "ok", or no-schedule / no-tuning (then `error` says why)
  std::string error;
  std::int64_t cycles = 0;  // schedule: latency_cycles; tune: total.cycles
  double energy_pJ = 0;
  std::int64_t macs = 0;
  double utilization = 0;  // 0..1, as the command defines it (docs/sweep.md)
  // Size figures, in the order the result line lists them (e.g. cores, mac_units, onchip_bits).
  std::vector<std::pair<std::string, std::int64_t>> sizes;
};

}  // namespace tessel::sweep
