// Input paths as users give them (command line, Python): a directory stands for its YAML files.
#pragma once

#include <string>
#include <vector>

namespace tessel::io {

// Paths to files to load: a directory stands for its *.yaml / *.yml files in name order. Throws
// UserError naming the first path that is missing or unreadable, or a directory without YAML.
std::vector<std::string> ExpandInputPaths(const std::vector<std::string>& paths);

}  // namespace tessel::io
