#include "timeloop_stats.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace tessel::testing {

namespace {

std::string Trim(const std::string& s) {
  size_t begin = s.find_first_not_of(" \t");
  size_t end = s.find_last_not_of(" \t\r");
  return begin == std::string::npos ? "" : s.substr(begin, end - begin + 1);
}

// "Key : value" -> (key, value) with both trimmed; false when the line has no colon.
bool SplitKeyValue(const std::string& line, std::string& key, std::string& value) {
  size_t colon = line.find(':');
  if (colon == std::string::npos) return false;
  key = Trim(line.substr(0, colon));
  value = Trim(line.substr(colon + 1));
  return true;
}

}  // namespace

ReferenceStats ReadTimeloopStats(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot open");
  ReferenceStats stats;
  std::string line;
  ReferenceLevel* level = nullptr;
  ReferenceTensor* tensor = nullptr;
  bool in_storage_stats = false;
  bool past_levels = false;  // the later sections repeat "=== Name ===" headers
  double fj_per_compute = 0;
  while (std::getline(in, line)) {
    std::string t = Trim(line), key, value;
    if (t == "Networks") past_levels = true;
    if (!past_levels && t.rfind("=== ", 0) == 0 && t.size() > 8) {
      tensor = nullptr;
      in_storage_stats = false;
      stats.levels.push_back({t.substr(4, t.size() - 8), 0, 0, {}});
      level = &stats.levels.back();
      continue;
    }
    if (past_levels) level = nullptr, tensor = nullptr;
    if (level && t == "STATS") in_storage_stats = true;
    if (level && in_storage_stats && !t.empty() && t.back() == ':' && t.find(' ') == std::string::npos) {
      tensor = &level->tensors[t.substr(0, t.size() - 1)];
      continue;
    }
    if (t.rfind("Computes =", 0) == 0) stats.computes = std::stoll(t.substr(t.find('=') + 1));
    if (!SplitKeyValue(t, key, value)) {
      if (t.rfind("Total", 0) == 0 && t.find('=') != std::string::npos)
        fj_per_compute = std::stod(t.substr(t.find('=') + 1));
      continue;
    }
    if (level && key == "Instances") level->instances = std::stoll(value);
    if (level && key == "Cycles") level->cycles = std::stoll(value);
    if (tensor) {
      if (key == "Utilized capacity") tensor->utilized_capacity = std::stoll(value);
      if (key == "Partition size") tensor->partition_size = std::stoll(value);
      if (key == "Scalar reads (per-instance)") tensor->reads = std::stoll(value);
      if (key == "Scalar fills (per-instance)") tensor->fills = std::stoll(value);
      if (key == "Scalar updates (per-instance)") tensor->updates = std::stoll(value);
    }
    if (!level) {
      if (key == "Cycles") stats.cycles = std::stoll(value);
      if (key == "Utilization") stats.utilization = std::stod(value) / 100.0;
    }
  }
  if (stats.levels.empty()) throw std::runtime_error(path + ": no levels found");
  stats.levels.erase(stats.levels.begin());  // Level 0 is the arithmetic unit
  stats.energy_pJ = fj_per_compute * static_cast<double>(stats.computes) / 1000.0;
  return stats;
}

}  // namespace tessel::testing
