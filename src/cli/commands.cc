// The command table. To add a command: write <name>_command.cc with a Make<Name>Command()
// factory, declare it here and add one row.
#include <array>

#include "cli/command.h"

namespace tessel::cli {

std::unique_ptr<Command> MakeEvalCommand();
std::unique_ptr<Command> MakeMapCommand();

std::span<const CommandEntry> Commands() {
  static const std::array<CommandEntry, 2> kCommands = {{
      {"eval", "Cost of one given mapping (Timeloop-compatible YAML inputs)", &MakeEvalCommand},
      {"map", "Best mapping of one layer (cosa MIP, random or exhaustive search)", &MakeMapCommand},
      // Planned: schedule, tune, report.
  }};
  return kCommands;
}

}  // namespace tessel::cli
