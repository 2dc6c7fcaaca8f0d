// Which cores each layer may use and how it is split: Stream's mapping file as data, and the rule
// that picks the entry of a layer (exact layer name, then operator type case-insensitively, then
// `default`).
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tessel/common/error.h"
#include "tessel/schedule/system.h"
#include "tessel/workload/workload.h"

namespace tessel {

// One `[DIM, N]` of a tiling: split Stream dimension DIM into N parts. N may be kAll (as many
// parts as DIM is long) or kWildcard (`*`: as many parts as the entry allows cores).
struct TilingFactor {
  static constexpr std::int64_t kAll = -1;
  static constexpr std::int64_t kWildcard = -2;
  std::string dim;  // Stream's names: K, C, OY, OX, FY, FX, B, G, ...
  std::int64_t parts = 1;
  SourceLocation where;
};

struct LayerMappingEntry {
  std::string name;  // a layer name, an operator type, or "default"
  std::vector<int> core_allocation;
  std::vector<TilingFactor> inter_core_tiling;
  std::vector<TilingFactor> intra_core_tiling;
  // `spatial_mapping` of the entry: replaces the core's dataflow for the layers it matches.
  std::vector<DataflowEntry> spatial_mapping;
  SourceLocation where;
};

struct LayerMapping {
  std::string file;
  std::vector<LayerMappingEntry> entries;  // in file order
};

// The entry of `layer`: the entry named exactly as the layer, else the one named as its operator
// type (case-insensitive; Stream's aliases: "pooling" also matches MaxPool / AveragePool /
// GlobalAveragePool, "simd" every operator without MACs), else `default`. Throws UserError
// `file: no mapping entry matches layer 'X' (op Conv) and there is no 'default' entry`.
const LayerMappingEntry& MatchEntry(const LayerMapping& mapping, const Layer& layer);

// Checks every entry's cores against the system: each must exist and be able to compute.
void CheckMappingAgainstSystem(const LayerMapping& mapping, const System& system);

}  // namespace tessel
