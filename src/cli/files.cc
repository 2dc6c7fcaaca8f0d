#include "cli/files.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>

#include "tessel/common/error.h"

namespace tessel::cli {
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

// The temporary files being written, for RemoveFilesInFlight. The one process-wide registry of
// the CLI: signals are process-wide, so what an interrupted process must clean up is too.
struct InFlight {
  std::mutex mutex;
  std::set<fs::path> temps;
};

InFlight& Writing() {
  static InFlight in_flight;
  return in_flight;
}

// Registers `temp` for as long as the object lives.
class InFlightFile {
 public:
  explicit InFlightFile(fs::path temp) : temp_(std::move(temp)) {
    std::lock_guard<std::mutex> lock(Writing().mutex);
    Writing().temps.insert(temp_);
  }
  ~InFlightFile() {
    std::lock_guard<std::mutex> lock(Writing().mutex);
    Writing().temps.erase(temp_);
  }
  InFlightFile(const InFlightFile&) = delete;
  InFlightFile& operator=(const InFlightFile&) = delete;

 private:
  fs::path temp_;
};

}  // namespace

void RemoveFilesInFlight() {
  // Locked and never unlocked: the caller _exits next.
  Writing().mutex.lock();
  for (const fs::path& temp : Writing().temps) {
    std::error_code ignored;
    fs::remove(temp, ignored);
  }
}

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

void WriteFileAtomically(const std::string& path, const std::string& contents) {
  fs::path target(path);
  fs::path temp = target;
  temp.replace_filename("." + target.filename().string() + ".tmp" + std::to_string(::getpid()));
  InFlightFile in_flight(temp);
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out)
      throw UserError(SourceLocation{path}, std::string("cannot write: ") + std::strerror(errno));
    out << contents;
    out.flush();
    if (!out) {
      std::error_code ignored;
      fs::remove(temp, ignored);
      throw UserError(SourceLocation{path}, "cannot write: write failed");
    }
  }
  std::error_code ec;
  fs::rename(temp, target, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    throw UserError(SourceLocation{path}, "cannot write: " + ec.message());
  }
}

}  // namespace tessel::cli
