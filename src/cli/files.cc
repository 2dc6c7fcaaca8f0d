#include "cli/files.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>

#include "tessel/common/error.h"

namespace tessel::cli {
namespace fs = std::filesystem;
namespace {

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
