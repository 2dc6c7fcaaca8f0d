// Energies used when no ERT is given (energy_source "default estimate"). Deterministic and based
// only on a level's own attributes (word bits, block size, capacity, is_dram, class): there are no
// per-accelerator constants. All values are in pJ.
//
// Where the numbers come from (45 nm, M. Horowitz, "Computing's energy problem", ISSCC 2014):
//   * SRAM, one 64-bit access: 10 pJ at 8 KB, 20 pJ at 32 KB, 100 pJ at 1 MB. These fit
//     E(64 bit) = 10 pJ * sqrt(capacity_bytes / 8 KB) (gives 20 pJ and 113 pJ); energy is taken
//     proportional to the bits moved per access (word_bits * block_size). Capacities below 64 B
//     are costed as 64 B, so register files are not free.
//   * DRAM: 8 pJ per bit, the LPDDR4 figure in Accelergy's DRAM table (it is also what the
//     Timeloop exercises' ERTs give: 2048 pJ per 256-bit access). Also used for storage of
//     unknown (unbounded) capacity.
//   * MAC: integer multiply 0.2 pJ at 8 bit, 3.1 pJ at 32 bit (~quadratic in width) plus add
//     0.03 pJ at 8 bit, 0.1 pJ at 32 bit (~linear): 0.2*(b/8)^2 + 0.03*(b/8) pJ.
//   * Leakage 0; timeloopfe's dummy_storage levels cost nothing.
#pragma once

#include "tessel/arch/arch.h"

namespace tessel::io {

StorageEnergy DefaultStorageEnergy(const StorageLevel& level);
double DefaultComputeEnergy(const ArithmeticLevel& level);

// Sets every level's energies to the defaults above, energy_source "default estimate".
void ApplyDefaultEnergies(Arch* arch);

}  // namespace tessel::io
