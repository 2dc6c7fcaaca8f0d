// File helpers shared by the commands.
#pragma once

#include <string>
#include <vector>

namespace tessel::cli {

// Command-line input paths to files to load: a directory stands for its *.yaml / *.yml files in
// name order. Throws UserError naming the first path that is missing or unreadable.
std::vector<std::string> ExpandInputPaths(const std::vector<std::string>& paths);

// Writes `contents` to `path` through a temporary file in the same directory and a rename, so a
// reader (or a crash) never sees a half-written file. Throws UserError when it cannot.
void WriteFileAtomically(const std::string& path, const std::string& contents);

}  // namespace tessel::cli
