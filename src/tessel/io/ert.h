// Accelergy's Energy Reference Table (`ERT:`) applied to an Arch.
//
// A table `System_top_level.PE[0..15].RegisterFile[1..16]` belongs to the level whose name is the
// last dotted component with its [..] range stripped ("RegisterFile"), as in Timeloop's
// Topology::Specs::ParseAccelergyERT. Action names map to Timeloop's operations through its
// priority lists (include/model/topology.hpp):
//   storage read   <- random_read | read
//   storage fill   <- random_fill | random_write | fill | write
//   storage update <- random_update | random_write | update | write
//   storage leak   <- leak
//   compute        <- mac_random | mult_random | mac | mult | compute
// When several entries share an action name (older ERTs list one per argument combination),
// Timeloop keeps the most expensive one, and so do we. Both the v0.3/v0.4 list form
// (`tables: [{name, actions: [...]}]`) and the v0.2 map form (`tables: {name: {action: ...}}`)
// are read. Matched levels get energy_source "ERT"; unmatched levels keep their energies.
#pragma once

#include "tessel/arch/arch.h"
#include "tessel/io/yaml_util.h"

namespace tessel::io {

void ApplyErt(const YNode& ert, Arch* arch);

// "System.PE[0..15].RegisterFile[1..16]" -> "RegisterFile".
std::string ErtComponentName(const std::string& table_name);

}  // namespace tessel::io
