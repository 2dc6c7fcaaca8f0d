#include "tessel/io/bundled.h"

#include <filesystem>
#include <system_error>

#include "tessel/common/error.h"

#ifndef TESSEL_EXAMPLES_DIR
#define TESSEL_EXAMPLES_DIR ""
#endif

namespace tessel {
namespace {

namespace fs = std::filesystem;

const char* const kDefaultEvalFiles[] = {"arch.yaml", "problem.yaml", "mapping.yaml", "ERT.yaml"};

bool HasDefaultExample(const fs::path& examples) {
  std::error_code ec;
  return fs::is_regular_file(examples / "default" / "mapping.yaml", ec);
}

}  // namespace

std::string BundledExamplesDir() {
  // The build tree's own sources first: a developer's edits to examples/ show up at once.
  std::vector<fs::path> candidates;
  if (TESSEL_EXAMPLES_DIR[0] != '\0') candidates.emplace_back(TESSEL_EXAMPLES_DIR);
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);  // Linux; else skipped
  if (!ec) {
    candidates.push_back(exe.parent_path() / ".." / "share" / "tessel" / "examples");
    candidates.push_back(exe.parent_path() / ".." / "examples");
  }
  for (const fs::path& dir : candidates)
    if (HasDefaultExample(dir)) return dir.lexically_normal().string();
  return "";
}

std::vector<std::string> DefaultEvalFiles() {
  std::string dir = BundledExamplesDir();
  if (dir.empty())
    throw UserError("the bundled examples are missing (looked in " TESSEL_EXAMPLES_DIR
                    " and beside the executable); give the input files on the command line");
  std::vector<std::string> files;
  for (const char* name : kDefaultEvalFiles)
    files.push_back((fs::path(dir) / "default" / name).string());
  return files;
}

}  // namespace tessel
