// The `schedule` and `tune` tasks of a sweep (docs/sweep.md): each runs the command through the
// library API (api::RunScheduleRequest, api::RunRaTreeRequest, api::Tune: what the CLI and the
// Python module call) on one point's inputs, written to a temporary overlay (io/sweep/
// input_overlay.h), and turns what its --json holds into a result line.
#pragma once

#include <string>

#include "tessel/io/sweep/sweep_file.h"

namespace tessel::cli {

// Reads every point's inputs with the command's readers, each value alone and then every point
// (io::CheckSweepInputs): a UserError at the value or parameters before any work starts.
void CheckCommandInputs(const io::SweepFile& sweep);

// Runs `workload` (index into sweep.workloads) on `point` with one thread and returns its result
// line. A point the command finds no result for (the scheduler or tuner rejects it) is a line
// with status no-schedule / no-tuning and the reason, not an error.
std::string RunCommandTask(const io::SweepFile& sweep, const sweep::Point& point, int workload);

}  // namespace tessel::cli
