// The `tessel` executable: parses the command line, runs one command from the table in
// commands.cc and turns failures into messages and exit codes. Nothing else lives here.
//
// Exit codes: 0 success; 2 the user's inputs or command line are wrong (message
// `tessel: error: file:line:col: what is wrong`); 1 anything else (a bug or the environment);
// 128 + signal when SIGINT (130) or SIGTERM (143) stopped it (signals.h).
#include <chrono>
#include <exception>
#include <iostream>
#include <memory>
#include <vector>

#include "cli/command.h"
#include "cli/signals.h"
#include "tessel/common/cancel.h"
#include "tessel/common/error.h"

namespace tessel::cli {
namespace {

// How long a stopped command may take to unwind before the process ends itself.
constexpr std::chrono::milliseconds kStopGrace{800};

int Main(int argc, char** argv, std::stop_token stop) {
  CLI::App app{"tessel: maps DNN layers onto spatial accelerators and tells their cost", "tessel"};
  // No command at all runs the first one (eval) on the bundled default: a first look at the tool.
  app.require_subcommand(0, 1);
  app.set_version_flag("--version", "tessel 0.1.0");

  std::vector<std::unique_ptr<Command>> commands;
  std::vector<CLI::App*> subs;
  for (const CommandEntry& entry : Commands()) {
    commands.push_back(entry.make());
    subs.push_back(app.add_subcommand(entry.name, entry.summary));
    commands.back()->Configure(*subs.back());
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" with exit code 0; real ones are the user's mistake.
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUser;
  }
  for (size_t i = 0; i < subs.size(); ++i)
    if (subs[i]->parsed()) return commands[i]->Run(stop);
  std::cerr << "tessel: no command given: running `tessel " << Commands()[0].name
            << "` on the bundled default (tessel --help lists the commands)\n";
  return commands[0]->Run(stop);
}

}  // namespace
}  // namespace tessel::cli

int main(int argc, char** argv) {
  // First, before any thread exists: every thread inherits the blocked signals.
  tessel::cli::SignalStop signals(tessel::cli::kStopGrace);
  try {
    return tessel::cli::Main(argc, argv, signals.token());
  } catch (const tessel::Interrupted&) {
    std::cerr << "tessel: interrupted\n";
    return 128 + signals.signal();
  } catch (const tessel::UserError& e) {
    std::cerr << "tessel: error: " << e.what() << "\n";
    return tessel::cli::kExitUser;
  } catch (const std::exception& e) {
    std::cerr << "tessel: internal error: " << e.what() << "\n";
    return tessel::cli::kExitInternal;
  }
}
