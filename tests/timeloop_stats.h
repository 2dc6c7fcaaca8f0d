// A reader for timeloop-model's stats.txt, so tests can compare against Timeloop's own output.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace tessel::testing {

struct ReferenceTensor {
  std::int64_t utilized_capacity = 0;
  std::int64_t partition_size = 0;
  std::int64_t reads = 0;
  std::int64_t fills = 0;
  std::int64_t updates = 0;
};

struct ReferenceLevel {
  std::string name;
  std::int64_t instances = 0;
  std::int64_t cycles = 0;
  std::map<std::string, ReferenceTensor> tensors;
};

struct ReferenceStats {
  std::int64_t cycles = 0;
  std::int64_t computes = 0;
  double utilization = 0;       // 0..1, as printed (2 decimals of a percentage)
  double energy_pJ = 0;         // from "fJ/Compute Total" x computes
  std::vector<ReferenceLevel> levels;  // storage levels in the order printed (innermost first)
};

// Parses the file; throws std::runtime_error when it is not a stats.txt.
ReferenceStats ReadTimeloopStats(const std::string& path);

}  // namespace tessel::testing
