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

// A process started with fork/exec in its own process group, stdout and stderr into files
// `stdout` and `stderr` of `dir`; killed (its whole group) if still running when destroyed.
class Child {
 public:
  Child(const std::vector<std::string>& argv, const TempDir& dir);
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  bool running();
  // The exit code, or -signal; SIGKILL after `limit_s` (a hang guard, not a timing assertion).
  int Wait(int limit_s = 120);
  void Signal(int signo);  // to the process (not its group)
  std::string err() const { return ReadFile(err_); }

 private:
  int pid_ = -1;
  bool exited_ = false;
  int code_ = -1;
  std::string err_;
};

// {TESSEL_BINARY, args...}: an argv for Child.
std::vector<std::string> TesselArgv(const std::vector<std::string>& args);

// Runs `tessel ARGS` in `cwd` with stdin closed; ARGS is shell-quoted by the caller.
RunResult RunTessel(const std::string& args,
                    const std::filesystem::path& cwd = std::filesystem::current_path());

}  // namespace tessel::testing
