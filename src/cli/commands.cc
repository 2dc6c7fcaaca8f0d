// The command table. To add a command: write <name>_command.cc with a Make<Name>Command()
// factory, declare it here and add one row.
#include <array>

#include "cli/command.h"

namespace tessel::cli {

std::unique_ptr<Command> MakeEvalCommand();
std::unique_ptr<Command> MakeMapCommand();
std::unique_ptr<Command> MakeReportCommand();

std::span<const CommandEntry> Commands() {
  static const std::array<CommandEntry, 3> kCommands = {{
      {"eval", "Cost of one given mapping (Timeloop-compatible YAML inputs)", &MakeEvalCommand},
      {"map", "Best mapping of one layer (cosa MIP, random or exhaustive search)", &MakeMapCommand},
      {"report", "HTML report of a network mapping result (tessel map --workload --json)",
       &MakeReportCommand},
      // Planned: schedule, tune.
  }};
  return kCommands;
}

}  // namespace tessel::cli
