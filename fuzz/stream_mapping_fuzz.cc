// Fuzz target: Stream's mapping YAML (io/stream/stream_mapping.h), read and written back.
// A UserError is the expected answer to bad input; anything else is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "tessel/common/error.h"
#include "tessel/io/stream/stream_mapping.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const tessel::LayerMapping mapping = tessel::io::ParseStreamMapping(
        std::string(reinterpret_cast<const char*>(data), size), "mapping.yaml");
    tessel::io::WriteStreamMapping(mapping);
  } catch (const tessel::UserError&) {
  }
  return 0;
}
