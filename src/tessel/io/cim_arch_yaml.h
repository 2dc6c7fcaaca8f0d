// Reader for compute-in-memory chip descriptions (arch/cim_arch.h):
//
//   cim_architecture:
//     name: isaac-like               # optional; default: the file's stem
//     pes: 168                       # PEs per chip
//     cus_per_pe: 12                 # CUs per PE
//     arrays_per_cu: 8               # crossbar arrays per CU
//     array: {rows: 128, columns: 128, cell_bits: 2}
//     weight_bits: 16
//     input_bits: 16
//     dac_bits: 1
//     adc: {bits: 8, columns_per_adc: 128, samples_per_cycle: 128}   # or adcs_per_array: 1
//     pipeline_cycles: 6             # optional, default 6 (the timing formula's constant)
//     inter_pe_cycles: 1             # optional, default 1
//     buffers: {cu_input_bytes: 2048, cu_output_bytes: 256, pe_bytes: 65536}
//     energy_pJ: {array_read: 30, dac: 0.39, adc: 1.56, shift_add: 0.02,
//                 cu_input_buffer: 1.9, cu_output_buffer: 0.18, pe_buffer: 1.3}
//
// Keys are matched with hyphens and underscores alike. Every key is required unless marked
// optional above; unknown keys are errors that list the valid ones; counts must be integers.
// Every error is a UserError `file:line:col: message` pointing at the offending key or value,
// including the relations CheckCimArch checks (weight_bits >= cell_bits, ...).
#pragma once

#include <string>

#include "tessel/arch/cim_arch.h"
#include "tessel/io/yaml_util.h"

namespace tessel::io {

// Reads the document's `cim_architecture:` section. `default_name` names a chip without `name:`.
CimArch ParseCimArch(const YNode& document, const std::string& default_name);

// Loads and validates a CIM chip file.
CimArch LoadCimArchFile(const std::string& path);

// Same, from text; `name` labels it in messages (tests, embedded examples).
CimArch ParseCimArchString(const std::string& text, const std::string& name);

// The bundled ISAAC-like chip, examples/cim/isaac_like.yaml, found as io/bundled.h finds the
// examples. Throws UserError when it is missing.
std::string BundledCimArchPath();

}  // namespace tessel::io
