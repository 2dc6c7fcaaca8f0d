#include "cli_run.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <thread>

namespace tessel::testing {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "tessel_test.XXXXXX").string();
  path_ = ::mkdtemp(pattern.data());
}

TempDir::~TempDir() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

std::vector<std::string> TempDir::Files() const {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(path_))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

Child::Child(const std::vector<std::string>& argv, const TempDir& dir) : err_(dir / "stderr") {
  pid_ = ::fork();
  if (pid_ == 0) {
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    FILE* out = std::freopen((dir / "stdout").c_str(), "w", stdout);
    FILE* err = std::freopen(err_.c_str(), "w", stderr);
    ::setpgid(0, 0);  // its own group: a kill of the group reaches mpirun's ranks too
    if (out && err) ::execv(args[0], args.data());
    ::_exit(127);
  }
}

Child::~Child() {
  if (pid_ > 0 && !exited_) {
    ::kill(-pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

bool Child::running() {
  if (exited_) return false;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) != pid_) return true;
  exited_ = true;
  code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  return false;
}

int Child::Wait(int limit_s) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point give_up = Clock::now() + std::chrono::seconds(limit_s);
  while (running() && Clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (running()) ::kill(-pid_, SIGKILL);
  while (running()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return code_;
}

void Child::Signal(int signo) { ::kill(pid_, signo); }

std::vector<std::string> TesselArgv(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {TESSEL_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

RunResult RunTessel(const std::string& args, const fs::path& cwd) {
  TempDir capture;
  const fs::path out = capture.path() / "out", err = capture.path() / "err";
  const std::string command = "cd '" + cwd.string() + "' && '" + TESSEL_BINARY + "' " + args +
                              " </dev/null >'" + out.string() + "' 2>'" + err.string() + "'";
  const int status = std::system(command.c_str());
  RunResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = ReadFile(out);
  result.err = ReadFile(err);
  return result;
}

}  // namespace tessel::testing
