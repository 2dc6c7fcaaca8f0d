// The result of evaluating one mapping: Timeloop's statistics, per storage level and tensor.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tessel {

// Access counts are per instance of the level, in scalar words, as timeloop-model's stats.txt
// reports them ("Scalar reads (per-instance)" etc.).
struct TensorStats {
  bool kept = false;                     // false: the level bypasses this tensor; all zero
  std::int64_t utilized_capacity = 0;    // words of the tile this level holds
  std::int64_t partition_size = 0;       // distinct words one instance holds over the run
  std::int64_t utilized_instances = 0;   // instances that hold a part of the tensor
  std::int64_t reads = 0;
  std::int64_t fills = 0;
  std::int64_t updates = 0;
  double energy_pJ = 0;  // all instances
};

struct LevelStats {
  std::string name;
  std::int64_t instances = 0;  // instances the arch provides
  std::int64_t cycles = 0;     // cycles this level needs given its bandwidths
  std::vector<TensorStats> tensors;  // parallel to Problem::data_spaces
  double leak_pJ = 0;    // all instances over the whole run
  double energy_pJ = 0;  // accesses + leakage, all instances
};

struct Cost {
  std::int64_t cycles = 0;          // max(compute cycles, every level's bandwidth-bound cycles)
  std::int64_t compute_cycles = 0;  // MACs per utilized MAC instance
  std::int64_t computes = 0;        // total MACs
  std::int64_t utilized_macs = 0;   // MAC instances used by the spatial loops
  double utilization = 0;           // (computes / MAC instances) / cycles, in 0..1
  double mac_energy_pJ = 0;
  double energy_pJ = 0;             // total: MACs + every level
  bool energy_is_estimate = false;  // true when some energy came from the default table
  std::vector<LevelStats> levels;   // parallel to Arch::storage, [0] innermost
};

}  // namespace tessel
