// Stream's hardware description, read as it is: the system file (`cores: {id: core file}`,
// `offchip_core_id`, `unit_energy_cost`, `core_connectivity`) and its core files in ZigZag's format
// (memories with size in bits, r_cost / w_cost, operands I1/I2/O, ports, served_dimensions;
// operational_array; dataflows; core type). docs/schedule.md lists the keys and what each means.
#pragma once
#include <string>

#include "tessel/schedule/system.h"

namespace tessel::io {

// Reads SYSTEM.yaml and every core file it names (paths relative to SYSTEM.yaml's directory).
// Throws UserError `file:line:col: ...` for a missing core file, a link naming an unknown core, a
// zero bandwidth, an unknown key, a dataflow larger than the array, and the like.
System LoadStreamSystem(const std::string& path);

}  // namespace tessel::io
