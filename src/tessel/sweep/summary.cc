#include "tessel/sweep/summary.h"

namespace tessel::sweep {

ArchSize SizeOf(const Arch& arch) {
  ArchSize size;
  size.mac_units = arch.arithmetic.instances;
  for (const StorageLevel& level : arch.storage) {
    if (level.is_dram || !level.size_words) continue;
    const std::int64_t bits = *level.size_words * level.word_bits * level.instances;
    size.level_bits.emplace_back(level.name, bits);
    size.onchip_bits += bits;
  }
  return size;
}

Summary SummarizeNetworkMap(const NetworkMapResult& result, const Arch& arch) {
  Summary summary;
  summary.cycles = result.total_cycles;
  summary.energy_pJ = result.total_energy_pJ;
  summary.macs = result.total_macs;
  summary.compute_bound_cycles = result.total_compute_bound_cycles;
  summary.layers = static_cast<int>(result.layers.size());
  summary.size = SizeOf(arch);
  const double capacity = static_cast<double>(summary.cycles) *
                          static_cast<double>(std::max<std::int64_t>(1, summary.size.mac_units));
  summary.utilization = capacity > 0 ? static_cast<double>(summary.macs) / capacity : 0;
  return summary;
}

Summary FailedSummary(const std::string& error, const Arch& arch) {
  Summary summary;
  summary.ok = false;
  summary.error = error;
  summary.size = SizeOf(arch);
  return summary;
}

}  // namespace tessel::sweep
