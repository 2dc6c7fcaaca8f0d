#include "tessel/io/default_energy.h"

#include <algorithm>
#include <cmath>

namespace tessel::io {
namespace {

constexpr double kSram64BitAt8KB_pJ = 10.0;  // Horowitz ISSCC'14, 45 nm
constexpr double kSramReferenceBytes = 8192.0;
constexpr double kSramMinBytes = 64.0;
constexpr double kDramPerBit_pJ = 8.0;  // Accelergy LPDDR4
constexpr double kMult8Bit_pJ = 0.2;    // Horowitz ISSCC'14, 8-bit integer multiply
constexpr double kAdd8Bit_pJ = 0.03;    // Horowitz ISSCC'14, 8-bit integer add
const char* const kDefaultSource = "default estimate";

}  // namespace

StorageEnergy DefaultStorageEnergy(const StorageLevel& level) {
  StorageEnergy energy;
  if (level.klass == "dummy_storage") return energy;
  const double bits_per_access = static_cast<double>(level.word_bits) * level.block_size;
  double access_pJ = 0;
  if (level.is_dram || !level.size_words) {
    access_pJ = kDramPerBit_pJ * bits_per_access;
  } else {
    const double bytes = static_cast<double>(*level.size_words) * level.word_bits / 8.0;
    const double per_64_bits =
        kSram64BitAt8KB_pJ * std::sqrt(std::max(bytes, kSramMinBytes) / kSramReferenceBytes);
    access_pJ = per_64_bits * bits_per_access / 64.0;
    if (*level.size_words == 0) access_pJ = 0;
  }
  energy.read_pJ = access_pJ;
  energy.fill_pJ = access_pJ;
  energy.update_pJ = access_pJ;
  energy.leak_pJ = 0;
  return energy;
}

double DefaultComputeEnergy(const ArithmeticLevel& level) {
  const double scale = level.word_bits / 8.0;
  return kMult8Bit_pJ * scale * scale + kAdd8Bit_pJ * scale;
}

void ApplyDefaultEnergies(Arch* arch) {
  for (StorageLevel& level : arch->storage) {
    level.energy = DefaultStorageEnergy(level);
    level.energy_source = kDefaultSource;
  }
  arch->arithmetic.compute_pJ = DefaultComputeEnergy(arch->arithmetic);
  arch->arithmetic.energy_source = kDefaultSource;
}

}  // namespace tessel::io
