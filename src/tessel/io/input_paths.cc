#include "tessel/io/input_paths.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "tessel/common/error.h"

namespace tessel::io {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> YamlFilesIn(const fs::path& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    std::string ext = entry.path().extension().string();
    if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml"))
      files.push_back(entry.path().string());
  }
  if (ec) throw UserError(SourceLocation{dir.string()}, "cannot list directory: " + ec.message());
  if (files.empty()) throw UserError(SourceLocation{dir.string()}, "directory has no .yaml file");
  std::sort(files.begin(), files.end());  // directory order is arbitrary; results must not be
  return files;
}

}  // namespace

std::vector<std::string> ExpandInputPaths(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    fs::file_status status = fs::status(path, ec);
    if (fs::is_directory(status)) {
      std::vector<std::string> inside = YamlFilesIn(path);
      files.insert(files.end(), inside.begin(), inside.end());
      continue;
    }
    if (!fs::exists(status)) throw UserError(SourceLocation{path}, "no such file");
    std::ifstream probe(path);
    if (!probe) throw UserError(SourceLocation{path}, "cannot read file");
    files.push_back(path);
  }
  return files;
}

}  // namespace tessel::io
