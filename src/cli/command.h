// The `tessel` executable is a table of subcommands. Each lives in its own file
// (eval_command.cc, ...) and is listed once in commands.cc; main.cc knows none of them.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <span>
#include <stop_token>

namespace tessel::cli {

class Command {
 public:
  virtual ~Command() = default;
  // Declares the command's arguments and options on its subcommand.
  virtual void Configure(CLI::App& sub) = 0;
  // Runs after parsing; returns the process exit code. User errors are thrown as UserError,
  // which main() turns into a message and exit code 2. Long work checks `stop` (SIGINT or
  // SIGTERM, signals.h) and throws tessel::Interrupted, which main() turns into 128 + signal.
  virtual int Run(std::stop_token stop) = 0;
};

struct CommandEntry {
  const char* name;
  const char* summary;
  std::unique_ptr<Command> (*make)();
};

// Every subcommand, in the order `tessel --help` lists them.
std::span<const CommandEntry> Commands();

// Exit codes shared by all commands.
inline constexpr int kExitOk = 0;
inline constexpr int kExitInternal = 1;  // a bug or an environment failure
inline constexpr int kExitUser = 2;      // bad input, invalid mapping, bad command line

}  // namespace tessel::cli
