// Fuzz target: the ONNX reader (io/onnx/reader.h) on serialized models. The model's directory
// (for external data) is one that does not exist, so external data is never found.
// A UserError is the expected answer to bad input; anything else is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "tessel/common/error.h"
#include "tessel/io/onnx/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    tessel::io::ReadOnnxModel(std::string(reinterpret_cast<const char*>(data), size),
                              "/nonexistent-tessel-fuzz/model.onnx");
  } catch (const tessel::UserError&) {
  }
  return 0;
}
