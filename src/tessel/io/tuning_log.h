// Tuning logs: the records of `tessel tune --log FILE`, one JSON object per
// line, appended as a run goes and replayed by the next run on the same file
// (tuner/evaluation_cache.h).
//
//   {"layer": str, "schedule": {"knobs": {"<knob>": int, ...}[, "mapping":
//   MAPPING]},
//    "cycles": int, "energy_pJ": float}
//   {"layer": str, "schedule": {...}, "invalid": str}          (a schedule the
//   model rejected)
//
// "layer" is LayerKey (model, arch fingerprint, layer shape). MAPPING lists the
// storage levels innermost first: [{"temporal": [[dim, factor], ...],
// "spatial": [[dim, factor, "X"|"Y"], ...], "keep": [bool, ...]}], loops
// innermost first, dims as indices into the problem's dimensions. energy_pJ is
// written with 17 significant digits, so a replayed cost equals the computed
// one bit for bit. Blank lines are ignored.
#pragma once

#include <fstream>
#include <string>
#include <vector>

#include "tessel/tuner/evaluation_cache.h"

namespace tessel::io {

// The records of the log at `path`; none when the file does not exist (a new
// log). Throws UserError `path:line: message` on the first malformed line; an
// unterminated last line that does not parse (a killed run's unfinished
// record) is skipped.
std::vector<TuningRecord> ReadTuningLog(const std::string& path);

// Same, from text; `name` labels it in messages.
std::vector<TuningRecord> ParseTuningLog(const std::string& text, const std::string& name);

// One record as one line, '\n' included.
std::string FormatTuningRecord(const TuningRecord& record);

// Appends records to the log at `path` one at a time as a run makes them, each flushed at once,
// so a run stopped at any moment keeps every record it finished. Opening it drops an unfinished
// last line (a run killed in mid-write) and creates the file when missing.
class TuningLogAppender {
 public:
  explicit TuningLogAppender(const std::string& path);  // throws UserError when it cannot open
  void Append(const TuningRecord& record);              // throws UserError when it cannot write

 private:
  std::string path_;
  std::ofstream out_;
};

// Appends `records` to the log at `path` (created when missing) and flushes.
// Throws UserError when the file cannot be written.
void AppendTuningLog(const std::string& path, const std::vector<TuningRecord>& records);

}  // namespace tessel::io
