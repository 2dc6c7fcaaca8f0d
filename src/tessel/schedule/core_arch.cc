#include "tessel/schedule/core_arch.h"

#include <algorithm>
#include <numeric>

namespace tessel {
namespace {

constexpr int kWordBits = 8;

// Instances of `m` along D1 (x) and along the other array dimensions (y).
std::pair<std::int64_t, std::int64_t> MeshOf(const Core& core, const CoreMemory& m) {
  std::int64_t x = 1, y = 1;
  for (size_t d = 0; d < core.array_dims.size(); ++d) {
    bool served = std::find(m.served_dims.begin(), m.served_dims.end(), core.array_dims[d]) !=
                  m.served_dims.end();
    if (served || core.array_sizes[d] == 0) continue;
    (d == 0 ? x : y) *= core.array_sizes[d];
  }
  return {x, y};
}

StorageLevel LevelOf(const CoreMemory& m) {
  StorageLevel level;
  level.name = m.name;
  level.klass = "SRAM";
  level.size_words = m.size_bits / kWordBits;
  level.word_bits = kWordBits;
  if (m.shared_port) {
    level.shared_bandwidth = double(m.read_bits) / kWordBits;
  } else {
    if (m.read_bits > 0) level.read_bandwidth = double(m.read_bits) / kWordBits;
    if (m.write_bits > 0) level.write_bandwidth = double(m.write_bits) / kWordBits;
  }
  const double read_bits = std::max<std::int64_t>(m.read_bits, kWordBits);
  const double write_bits = std::max<std::int64_t>(m.write_bits, kWordBits);
  level.energy.read_pJ = m.read_pJ * kWordBits / read_bits;
  level.energy.fill_pJ = m.write_pJ * kWordBits / write_bits;
  level.energy.update_pJ = level.energy.fill_pJ;
  level.energy_source = "core file";
  return level;
}

std::vector<std::pair<std::string, bool>> KeepOf(const CoreMemory& m) {
  return {{"Weights", m.Holds("I2")}, {"Inputs", m.Holds("I1")}, {"Outputs", m.Holds("O")}};
}

CoreArch TimeloopCoreArch(const Core& core, bool blocking, double outer_bits) {
  CoreArch out;
  out.arch = core.timeloop->arch;
  out.constraints = core.timeloop->constraints;
  StorageLevel& top = out.arch.storage.back();
  if (blocking) {
    const double words = outer_bits / top.word_bits;
    top.shared_bandwidth = top.shared_bandwidth ? std::min(*top.shared_bandwidth, words) : words;
  } else {
    top.name = "delivered";
    top.energy = StorageEnergy{};
    top.read_bandwidth = top.write_bandwidth = top.shared_bandwidth = std::nullopt;
  }
  out.top_levels = {static_cast<int>(out.arch.storage.size()) - 2};
  return out;
}

}  // namespace

CoreArch MakeCoreArch(const Core& core, bool blocking, double outer_bits, const Core* offchip) {
  if (core.timeloop) return TimeloopCoreArch(core, blocking, outer_bits);
  CoreArch out;
  Arch& arch = out.arch;
  arch.name = core.name;
  arch.arithmetic.instances = std::max<std::int64_t>(1, core.Lanes());
  arch.arithmetic.mesh_x =
      core.array_sizes.empty() ? 1 : std::max<std::int64_t>(1, core.array_sizes[0]);
  arch.arithmetic.mesh_y = arch.arithmetic.instances / arch.arithmetic.mesh_x;
  arch.arithmetic.word_bits = kWordBits;
  arch.arithmetic.compute_pJ = core.mac_pJ;
  arch.arithmetic.energy_source = "core file";

  std::vector<int> order(core.memories.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return core.Instances(core.memories[a]) > core.Instances(core.memories[b]);
  });
  std::int64_t child_x = arch.arithmetic.mesh_x, child_y = arch.arithmetic.mesh_y;
  for (int m : order) {
    StorageLevel level = LevelOf(core.memories[m]);
    auto [x, y] = MeshOf(core, core.memories[m]);
    if (child_x % x != 0 || child_y % y != 0) x = child_x, y = child_y, out.replicated = true;
    level.mesh_x = x, level.mesh_y = y, level.instances = x * y;
    child_x = x, child_y = y;
    arch.storage.push_back(level);
    out.keep.push_back(KeepOf(core.memories[m]));
  }

  StorageLevel outer;
  outer.word_bits = kWordBits;
  outer.shared_bandwidth = outer_bits / kWordBits;
  outer.energy_source = "core file";
  if (blocking && offchip != nullptr && !offchip->TopMemories().empty()) {
    const CoreMemory& dram = offchip->memories[offchip->TopMemories().back()];
    outer.name = "offchip";
    outer.klass = "DRAM";
    outer.is_dram = true;
    const double bits = std::max<std::int64_t>(dram.read_bits, kWordBits);
    outer.energy.read_pJ = dram.read_pJ * kWordBits / bits;
    outer.energy.fill_pJ = dram.write_pJ * kWordBits / bits;
    outer.energy.update_pJ = outer.energy.fill_pJ;
  } else {
    outer.name = "delivered";
    outer.klass = "dummy_storage_outer";
  }
  arch.storage.push_back(outer);
  out.keep.push_back({{"Weights", true}, {"Inputs", true}, {"Outputs", true}});
  for (int m : core.TopMemories())
    out.top_levels.push_back(arch.StorageIndex(core.memories[m].name));
  return out;
}

}  // namespace tessel
