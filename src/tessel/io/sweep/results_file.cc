#include "tessel/io/sweep/results_file.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_map>

#include "fmt/format.h"
#include "tessel/common/error.h"

namespace tessel::io {
namespace {

// The key's (point, workload) as the line's own JSON says them, for the message when the rest
// of the key differs.
std::string Identity(const nlohmann::json& line) {
  if (!line.is_object() || !line.contains("point") || !line.contains("workload")) return "";
  return fmt::format("point {} workload {}", line["point"].dump(), line["workload"].dump());
}

}  // namespace

ResumedResults ReadSweepResults(const std::string& path, const std::vector<std::string>& keys) {
  ResumedResults resumed;
  resumed.known.assign(keys.size(), std::nullopt);
  std::ifstream in(path, std::ios::binary);
  if (!in) return resumed;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();

  // A key is `{"point":N,"workload":"W","params":{...}`: the map finds a line's task by it.
  std::unordered_map<std::string, int> task_of;
  for (size_t i = 0; i < keys.size(); ++i) task_of.emplace(keys[i], static_cast<int>(i));
  std::vector<int> order;  // tasks in file order
  size_t start = 0;
  for (int number = 1; start < text.size(); ++number) {
    const size_t end = text.find('\n', start);
    if (end == std::string::npos) {  // cut short by a kill mid-write: run that task again
      resumed.intact = false;
      break;
    }
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    const size_t params = line.find("\"params\":");
    const size_t close = params == std::string::npos ? params : line.find("},\"status\"", params);
    auto found =
        close == std::string::npos ? task_of.end() : task_of.find(line.substr(0, close + 1));
    if (found == task_of.end()) {
      const nlohmann::json parsed = nlohmann::json::parse(line, nullptr, false);
      const std::string identity = parsed.is_discarded() ? "" : Identity(parsed);
      throw UserError(SourceLocation{path, number, 0},
                      identity.empty() ? "not a sweep result line; give another --out"
                                       : identity +
                                             " is not a point of this sweep (other parameters or "
                                             "workloads): the file comes from another sweep; give "
                                             "another --out");
    }
    if (nlohmann::json::parse(line, nullptr, false).is_discarded())
      throw UserError(SourceLocation{path, number, 0}, "not a sweep result line (bad JSON)");
    const int task = found->second;
    ++resumed.lines;
    if (resumed.known[task]) {
      resumed.intact = false;  // a duplicate: the rewrite keeps one
      continue;
    }
    resumed.known[task] = line;
    order.push_back(task);
  }
  resumed.canonical = resumed.intact;
  for (int i = 0; i < static_cast<int>(order.size()); ++i)
    if (order[i] != i) resumed.canonical = false;
  return resumed;
}

}  // namespace tessel::io
