// Reading a sweep's output file back, to resume: which tasks already have their result line.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace tessel::io {

struct ResumedResults {
  // known[task]: the task's result line (no newline) when the file has it.
  std::vector<std::optional<std::string>> known;
  // True when the file is exactly the lines of the canonical prefix of `known`, each ending in a
  // newline, so appending continues it; false when it must be rewritten first (a last line cut
  // short by a kill, results after a gap, duplicates).
  bool appendable = true;
  int lines = 0;  // complete result lines read
};

// Reads `path` (a missing or empty file: nothing known). `keys[task]` is the text task's result
// line starts with (report/sweep_json.h: SweepResultKey). A last line without its newline is a
// write cut short: ignored (and the file not appendable). Any other line that is not one of
// this sweep's results is a UserError `path:line: ...` (the file belongs to another sweep or is
// not a result file): nothing is overwritten.
ResumedResults ReadSweepResults(const std::string& path, const std::vector<std::string>& keys);

}  // namespace tessel::io
