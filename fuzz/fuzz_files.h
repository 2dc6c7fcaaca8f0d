// Helpers shared by the fuzz targets (docs/reliability.md).
//
// Several readers take more than one file (Timeloop inputs, Stream's system and its core files,
// a mesh and its tile files). A fuzz input holds them all, each starting with a marker line
//
//   #=== NAME
//
// (a YAML comment, so one file's text is also valid on its own). Text before the first marker
// is a file named "input.yaml". NAME is a plain file name: no '/' and no "..".
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tessel::fuzz {

struct FuzzFile {
  std::string name;
  std::string text;
};

// Splits a fuzz input into files at `#=== NAME` lines. Bad names become "input.yaml".
std::vector<FuzzFile> SplitFiles(const std::uint8_t* data, std::size_t size);

// Writes `files` into this process's scratch directory (emptied first; created once under
// /dev/shm or /tmp) and returns the directory's path. Readers that open files by path read them
// from there.
std::string WriteScratchFiles(const std::vector<FuzzFile>& files);

}  // namespace tessel::fuzz
