// Reading a sweep's output file back, to resume: which tasks already have their result line.
// The file holds whole lines in any order (results are appended as they arrive; the finished
// file is rewritten in canonical order), and possibly one cut-short last line.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace tessel::io {

struct ResumedResults {
  // known[task]: the task's result line (no newline) when the file has it.
  std::vector<std::optional<std::string>> known;
  // True when every line of the file is whole and no task appears twice, so appending to it
  // is safe; false after a kill cut the last line short (or a duplicate): rewrite it first.
  bool intact = true;
  // True when, moreover, the lines are the first tasks in canonical order (nothing to sort).
  bool canonical = true;
  int lines = 0;  // complete result lines read
};

// Reads `path` (a missing or empty file: nothing known). `keys[task]` is the text task's result
// line starts with (report/sweep_json.h: SweepResultKey). A last line without its newline is a
// write cut short: ignored (and the file not intact). Any other line that is not one of
// this sweep's results is a UserError `path:line: ...` (the file belongs to another sweep or is
// not a result file): nothing is overwritten.
ResumedResults ReadSweepResults(const std::string& path, const std::vector<std::string>& keys);

}  // namespace tessel::io
