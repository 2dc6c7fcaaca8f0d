// An accelerator: storage levels from innermost (next to the MACs) to outermost (usually DRAM),
// and the arithmetic level. Value types only; readers live in io/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tessel {

// Energy of one action in pJ. For storage the unit is one vector (block_size words) access.
struct StorageEnergy {
  double read_pJ = 0;    // a read served to the child level or the MACs
  double fill_pJ = 0;    // a write arriving from the parent ("write" in an ERT)
  double update_pJ = 0;  // a partial-sum write arriving from the child
  double leak_pJ = 0;    // per instance per cycle
};

struct StorageLevel {
  std::string name;   // as in the inputs, without an instance range: "GlobalBuffer"
  std::string klass;  // the input's class ("SRAM", "DRAM", "regfile", "dummy_storage", ...)
  std::int64_t instances = 1;
  std::int64_t mesh_x = 1;  // physical arrangement of the instances: mesh_x * mesh_y >= instances
  std::int64_t mesh_y = 1;
  std::optional<std::int64_t> size_words;  // capacity in words; nullopt = unbounded (DRAM)
  int word_bits = 16;
  std::int64_t block_size = 1;    // words per vector access
  std::int64_t cluster_size = 1;  // instances sharing one wide row
  double multiple_buffering = 1;  // effective capacity = size / multiple_buffering
  // Bandwidths in words per cycle per instance; nullopt = unlimited.
  std::optional<double> read_bandwidth;
  std::optional<double> write_bandwidth;
  std::optional<double> shared_bandwidth;
  bool is_dram = false;
  StorageEnergy energy;
  // Where the energies came from: "ERT" or "default estimate".
  std::string energy_source = "default estimate";

  std::optional<std::int64_t> EffectiveSizeWords() const;
};

struct ArithmeticLevel {
  std::string name = "MAC";
  std::int64_t instances = 1;
  std::int64_t mesh_x = 1;
  std::int64_t mesh_y = 1;
  int word_bits = 16;
  double compute_pJ = 0;  // energy per MAC
  std::string energy_source = "default estimate";
};

struct Arch {
  std::string name;
  std::vector<StorageLevel> storage;  // [0] is innermost
  ArithmeticLevel arithmetic;

  // Index of the storage level with this name, or -1.
  int StorageIndex(const std::string& level_name) const;
  // True when every energy came from an ERT (else the report says energies are estimates).
  bool EnergiesFromErt() const;
};

}  // namespace tessel
