// The evaluation pipeline: structure check, nest, access counts, capacity, latency, energy.
#include "tessel/model/evaluate.h"

#include <algorithm>
#include <cmath>

#include "fmt/format.h"
#include "tessel/model/access_counts.h"
#include "tessel/model/nest.h"

namespace tessel {

namespace {

std::string CheckCapacities(const Problem& problem, const Arch& arch, const Cost& cost) {
  for (size_t s = 0; s < arch.storage.size(); ++s) {
    std::optional<std::int64_t> capacity = arch.storage[s].EffectiveSizeWords();
    if (!capacity) continue;
    std::int64_t used = 0;
    bool overflow = false;  // more than 2^63-1 words: over any capacity
    for (const TensorStats& t : cost.levels[s].tensors)
      if (t.kept) overflow |= __builtin_add_overflow(used, t.utilized_capacity, &used);
    if (!overflow && used <= *capacity) continue;
    std::string parts;
    for (size_t ds = 0; ds < problem.data_spaces.size(); ++ds) {
      const TensorStats& t = cost.levels[s].tensors[ds];
      if (!t.kept) continue;
      parts += fmt::format("{}{} {}", parts.empty() ? "" : ", ", problem.data_spaces[ds].name,
                           t.utilized_capacity);
    }
    return fmt::format(
        "level {}: tiles of {} words ({}) exceed its capacity of {} words", arch.storage[s].name,
        overflow ? std::string("more than 2^63-1") : std::to_string(used), parts, *capacity);
  }
  return "";
}

// Written so that it cannot overflow for any a >= 0.
std::int64_t CeilDiv(std::int64_t a, std::int64_t b) { return b <= 1 ? a : a / b + (a % b != 0); }

// Cycles a level needs to move its words at its bandwidths while the MACs take compute_cycles;
// -1 when they exceed 2^63-1 (a tiny bandwidth).
std::int64_t LevelCycles(const StorageLevel& level, const LevelStats& stats,
                         std::int64_t compute_cycles) {
  double read_words = 0, write_words = 0;
  for (const TensorStats& t : stats.tensors) {
    read_words += static_cast<double>(t.reads);
    write_words += static_cast<double>(t.fills + t.updates);
  }
  double cycles = static_cast<double>(compute_cycles);
  auto limit = [&](const std::optional<double>& bandwidth, double words) {
    if (bandwidth && *bandwidth > 0) cycles = std::max(cycles, words / *bandwidth);
  };
  limit(level.read_bandwidth, read_words);
  limit(level.write_bandwidth, write_words);
  limit(level.shared_bandwidth, read_words + write_words);
  cycles = std::ceil(cycles);
  return cycles < 0x1p63 ? static_cast<std::int64_t>(cycles) : -1;
}

// Energy of one level in pJ: vector accesses (block_size words each) per instance, times the
// clusters in use (instances sharing a wide row pay for one access), plus leakage of the
// instances in use over the run (timeloop-model leaves idle instances out; see simba_like).
void AddLevelEnergy(const StorageLevel& level, std::int64_t cycles, LevelStats& stats) {
  stats.energy_pJ = 0;
  std::int64_t instances_in_use = 0;
  for (TensorStats& t : stats.tensors) {
    if (!t.kept) continue;
    instances_in_use = std::max(instances_in_use, t.utilized_instances);
    double per_instance =
        static_cast<double>(CeilDiv(t.reads, level.block_size)) * level.energy.read_pJ +
        static_cast<double>(CeilDiv(t.fills, level.block_size)) * level.energy.fill_pJ +
        static_cast<double>(CeilDiv(t.updates, level.block_size)) * level.energy.update_pJ;
    std::int64_t clusters = level.instances / std::max<std::int64_t>(1, level.cluster_size);
    t.energy_pJ = per_instance * static_cast<double>(std::min(t.utilized_instances, clusters));
    stats.energy_pJ += t.energy_pJ;
  }
  stats.leak_pJ = level.energy.leak_pJ * static_cast<double>(cycles) *
                  static_cast<double>(instances_in_use);
  stats.energy_pJ += stats.leak_pJ;
}

}  // namespace

Evaluation Evaluate(const Problem& problem, const Arch& arch, const Mapping& mapping) {
  Evaluation result;
  result.invalid_reason = CheckMappingStructure(problem, arch, mapping);
  if (!result.ok()) return result;

  Nest nest = BuildNest(problem, mapping);
  Cost& cost = result.cost;
  cost.levels.resize(arch.storage.size());
  for (size_t s = 0; s < arch.storage.size(); ++s) {
    cost.levels[s].name = arch.storage[s].name;
    cost.levels[s].instances = arch.storage[s].instances;
    cost.levels[s].tensors.resize(problem.data_spaces.size());
  }
  for (size_t ds = 0; ds < problem.data_spaces.size(); ++ds) {
    result.invalid_reason =
        CountAccesses(problem, mapping, nest, static_cast<int>(ds), cost.levels);
    if (!result.ok()) return result;
  }
  result.invalid_reason = CheckCapacities(problem, arch, cost);
  if (!result.ok()) return result;

  cost.computes = problem.TotalOperations();
  cost.utilized_macs = nest.spatial_instances;
  cost.compute_cycles = nest.temporal_iterations;
  cost.cycles = cost.compute_cycles;
  for (size_t s = 0; s < arch.storage.size(); ++s) {
    cost.levels[s].cycles = LevelCycles(arch.storage[s], cost.levels[s], cost.compute_cycles);
    if (cost.levels[s].cycles < 0) {
      result.invalid_reason =
          fmt::format("level {}: moving its words at its bandwidth takes more than 2^63-1 cycles",
                      arch.storage[s].name);
      return result;
    }
    cost.cycles = std::max(cost.cycles, cost.levels[s].cycles);
  }
  cost.utilization = static_cast<double>(cost.computes) /
                     static_cast<double>(arch.arithmetic.instances) /
                     static_cast<double>(cost.cycles);
  cost.mac_energy_pJ = static_cast<double>(cost.computes) * arch.arithmetic.compute_pJ;
  cost.energy_pJ = cost.mac_energy_pJ;
  for (size_t s = 0; s < arch.storage.size(); ++s) {
    AddLevelEnergy(arch.storage[s], cost.cycles, cost.levels[s]);
    cost.energy_pJ += cost.levels[s].energy_pJ;
  }
  cost.energy_is_estimate = !arch.EnergiesFromErt();
  return result;
}

}  // namespace tessel
