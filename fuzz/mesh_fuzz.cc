// Fuzz target: the tiled mesh YAML (io/tiled/mesh_yaml.h) and its Timeloop tile files. The input
// holds the mesh file first and then the tile files (fuzz_files.h); they are written to a
// scratch directory and read from there as `tessel schedule` reads them.
// A UserError is the expected answer to bad input; anything else is a finding.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz_files.h"
#include "tessel/common/error.h"
#include "tessel/io/tiled/mesh_yaml.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<tessel::fuzz::FuzzFile> files = tessel::fuzz::SplitFiles(data, size);
  const std::string dir = tessel::fuzz::WriteScratchFiles(files);
  try {
    tessel::io::LoadTiledSystem(dir + "/" + files.front().name);
  } catch (const tessel::UserError&) {
  }
  return 0;
}
