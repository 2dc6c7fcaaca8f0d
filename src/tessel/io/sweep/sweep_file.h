// The sweep file (docs/sweep.md): base inputs, a command with its options, workloads, and
// parameters to vary, each a path into the inputs with a list or a range of values.
//
//   command: map                        # map | schedule | tune
//   options: {mapper: cosa, objective: latency}   # the command's options (sweep_options.h)
//   inputs: [../simba/arch.yaml, ../simba/mapspace.yaml]   # relative to this file
//   workloads: [layers/res2a_branch2b.yaml, resnet18]      # any --workload SPEC
//   parameters:
//   - name: global_buffer_words
//     path: GlobalBuffer.entries
//     values: [16384, 32768, 65536]
//   - name: pes
//     set: {InputBuffer.instances: 1, WeightBuffer.instances: 8}   # path: factor
//     range: {from: 4, to: 32, times: 2}                           # or step: N
//   - {option: batch, values: [1, 4]}   # schedule, tune: a command option set per point
//   sample: {points: 20, seed: 1}       # optional: a seeded sample of the grid
//
// Everything is checked while reading: unknown keys, paths that match nothing (or several
// places, or a map), values the readers reject; each a UserError `file:line:col: ...` before any
// work starts.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tessel/io/arch_inputs.h"
#include "tessel/io/sweep/sweep_options.h"
#include "tessel/sweep/points.h"
#include "tessel/workload/workload.h"

namespace tessel::io {

struct SweepWorkload {
  std::string spec;  // as resolved (paths made relative to the sweep file's directory)
  Workload workload;
};

class SweepFile {
 public:
  std::string path;
  std::string command = "map";    // map | schedule | tune
  SweepMapOptions map;            // command: map
  SweepScheduleOptions schedule;  // command: schedule
  SweepTuneOptions tune;          // command: tune
  std::vector<std::string> input_paths;
  std::vector<SweepWorkload> workloads;  // names unique
  std::vector<sweep::Parameter> parameters;
  std::vector<sweep::Point> points;  // grid order

  // The input documents with `point`'s values written in, as YAML text (one per input file).
  // Thread-safe.
  std::vector<std::string> InputTexts(const sweep::Point& point) const;
  // The command's options at `point`: `options:` with the point's option parameters set.
  SweepScheduleOptions ScheduleOptions(const sweep::Point& point) const;
  SweepTuneOptions TuneOptions(const sweep::Point& point) const;
  // Labels of those texts in error messages: "arch.yaml (sweep point 12)".
  std::vector<std::string> InputNames(const sweep::Point& point) const;
  // (name, value text) of `point`, in parameter order.
  std::vector<std::pair<std::string, std::string>> Values(const sweep::Point& point) const;

  struct Documents;  // the parsed inputs and where each parameter writes
  std::shared_ptr<Documents> documents;
};

// Reads and checks a sweep file, its inputs and workloads. UserError on anything wrong.
SweepFile ReadSweepFile(const std::string& path);

// Loads every point's accelerator (LoadArchInputsFromStrings on InputTexts), checking first each
// value alone and then every combination. A value the inputs reject is a UserError at the value
// in the sweep file, quoting the reader's message; a combination, at the parameters.
std::vector<ArchInputs> LoadSweepArchs(const SweepFile& sweep);

// The same checks with another reader: `load` reads one set of input texts (named as
// SweepFile::InputNames) and throws UserError when it rejects them.
void CheckSweepInputs(const SweepFile& sweep,
                      const std::function<void(const std::vector<std::string>& texts)>& load);

}  // namespace tessel::io
