// Fuzz target: the compute-in-memory chip YAML (io/cim_arch_yaml.h), read and validated.
// A UserError is the expected answer to bad input; anything else is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "tessel/common/error.h"
#include "tessel/io/cim_arch_yaml.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    tessel::io::ParseCimArchString(std::string(reinterpret_cast<const char*>(data), size),
                                   "chip.yaml");
  } catch (const tessel::UserError&) {
  }
  return 0;
}
