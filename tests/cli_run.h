// Running the built `tessel` executable from a test: captured stdout/stderr, the exit code, and
// scratch directories that clean up after themselves.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#ifndef TESSEL_BINARY
#error "TESSEL_BINARY must name the built tessel executable"
#endif

namespace tessel::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// The whole file, byte for byte ("" when it cannot be read).
std::string ReadFile(const std::filesystem::path& path);

// Replaces the file's contents with `text`, byte for byte.
void WriteFile(const std::filesystem::path& path, const std::string& text);

// A fresh empty directory, removed with everything in it when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  // The path of `name` in the directory, as a string to splice into a command line.
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }
  // The names of the entries in the directory, sorted.
  std::vector<std::string> Files() const;

 private:
  std::filesystem::path path_;
};

// Runs `tessel ARGS` in `cwd` with stdin closed; ARGS is shell-quoted by the caller.
RunResult RunTessel(const std::string& args,
                    const std::filesystem::path& cwd = std::filesystem::current_path());

}  // namespace tessel::testing
