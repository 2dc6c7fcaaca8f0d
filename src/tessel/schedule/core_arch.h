// A core of a multi-core system as a tessel Arch, so that the single-core mappers and the exact
// cost model can cost a computation node on it.
//
// ZigZag describes memories per operand (I1 = layer inputs, I2 = weights, O = outputs), which need
// not form one storage tree. The conversion (docs/schedule.md, "From a ZigZag core to an Arch"):
//   * one storage level per memory; instances = the product of the array dimensions the memory
//     does not serve; levels ordered by instances, most first (file order among equals);
//   * the array is a mesh of D1 (X) by the product of the other dimensions (Y); a level's mesh
//     must divide its inner neighbour's mesh on both axes, and where it does not the level is
//     replicated to its neighbour's mesh (as many instances as its neighbour, same per-instance
//     size, energy and bandwidth, no spatial sharing between them: conservative);
//   * a level keeps exactly the operands it holds (Weights <- I2, Inputs <- I1, Outputs <- O);
//   * every element is 8 bits; capacities are size / 8 words; bandwidths are the port widths / 8
//     words per cycle per instance; energy per word is r_cost (w_cost) x 8 / port width;
//   * on top, one outer level that keeps everything: off-chip DRAM when the node streams its data
//     through the core (`blocking`), else an unbounded, zero-energy "delivered" level standing for
//     the tensors the scheduler has already moved into the core. Its bandwidth is `outer_bits`.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "tessel/arch/arch.h"
#include "tessel/schedule/system.h"

namespace tessel {

struct CoreArch {
  Arch arch;
  // [level] -> per data space name ("Weights", "Inputs", "Outputs"): kept or bypassed.
  std::vector<std::vector<std::pair<std::string, bool>>> keep;
  bool replicated = false;      // some shared memory was replicated (the conversion was not exact)
  std::vector<int> top_levels;  // the levels standing for the core's top memories
  MapConstraints constraints;   // tessel's own form: its constraints (by name); else empty
};

// `outer_bits` is the outer level's bandwidth in bits per cycle; `offchip` is the off-chip core
// (its top memory's energies are the DRAM energies) when `blocking`, else unused.
// tessel's own form (core.timeloop): the Timeloop architecture as it is, its outermost (DRAM)
// level limited to `outer_bits` when streaming, else made the zero-energy "delivered" level.
CoreArch MakeCoreArch(const Core& core, bool blocking, double outer_bits, const Core* offchip);

}  // namespace tessel
