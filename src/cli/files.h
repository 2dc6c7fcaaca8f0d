// File helpers shared by the commands.
#pragma once

#include <string>
#include <vector>

#include "tessel/io/input_paths.h"

namespace tessel::cli {

// Command-line input paths to files to load (io/input_paths.h: a directory stands for its YAML
// files in name order).
using io::ExpandInputPaths;

// Writes `contents` to `path` through a temporary file in the same directory and a rename, so a
// reader (or a crash) never sees a half-written file. Throws UserError when it cannot.
void WriteFileAtomically(const std::string& path, const std::string& contents);

// Removes the temporary files WriteFileAtomically is writing at this moment, for a process about
// to _exit on a signal (signals.h): an output file is then either whole (its rename came first)
// or absent. Safe from any thread; it leaves the registry locked (writers block), so call it
// only right before _exit.
void RemoveFilesInFlight();

}  // namespace tessel::cli
