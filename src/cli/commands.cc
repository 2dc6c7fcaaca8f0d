// The command table. To add a command: write <name>_command.cc with a Make<Name>Command()
// factory, declare it here and add one row.
#include <array>

#include "cli/command.h"

namespace tessel::cli {

std::unique_ptr<Command> MakeEvalCommand();
std::unique_ptr<Command> MakeMapCommand();
std::unique_ptr<Command> MakeReportCommand();
std::unique_ptr<Command> MakeScheduleCommand();
std::unique_ptr<Command> MakeSweepCommand();
std::unique_ptr<Command> MakeTuneCommand();

std::span<const CommandEntry> Commands() {
  static const std::array<CommandEntry, 6> kCommands = {{
      {"eval", "Cost of one given mapping (Timeloop-compatible YAML inputs)", &MakeEvalCommand},
      {"map", "Best mapping of a layer or a whole network (cosa MIP, random, exhaustive)",
       &MakeMapCommand},
      {"report", "HTML report of a network mapping result (tessel map --workload --json)",
       &MakeReportCommand},
      {"schedule", "Whole network on a multi-core accelerator (Stream inputs; fixed, ga, milp)",
       &MakeScheduleCommand},
      {"sweep", "Design-space sweep of an arch's parameters, in one process or under mpirun",
       &MakeSweepCommand},
      {"tune", "Auto-schedule a network against a timing model (CIM or Timeloop)", &MakeTuneCommand},
  }};
  return kCommands;
}

}  // namespace tessel::cli
