// Running the built `tessel` executable from a test: captured stdout/stderr, the exit code, and
// scratch directories that clean up after themselves.
#pragma once

#include <filesystem>
#include <string>

#ifndef TESSEL_BINARY
#error "TESSEL_BINARY must name the built tessel executable"
#endif

namespace tessel::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// The whole file ("" when it cannot be read).
std::string ReadFile(const std::filesystem::path& path);

// A fresh empty directory, removed with everything in it when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Runs `tessel ARGS` in `cwd` with stdin closed; ARGS is shell-quoted by the caller.
RunResult RunTessel(const std::string& args,
                    const std::filesystem::path& cwd = std::filesystem::current_path());

}  // namespace tessel::testing
