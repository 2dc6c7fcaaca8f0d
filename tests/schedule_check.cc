#include "schedule_check.h"

#include <algorithm>
#include <set>

namespace tessel::testing {
namespace {

using Json = nlohmann::json;

void CheckCores(const Json& s, std::vector<std::string>& bad) {
  std::map<int, std::vector<std::pair<std::int64_t, std::int64_t>>> busy;
  for (const Json& n : s["nodes"]) {
    if (n["end"].get<std::int64_t>() <= n["start"].get<std::int64_t>())
      bad.push_back("node " + n["id"].dump() + " has no duration");
    busy[n["core"].get<int>()].emplace_back(n["start"], n["end"]);
  }
  for (auto& [core, spans] : busy) {
    std::sort(spans.begin(), spans.end());
    for (size_t i = 1; i < spans.size(); ++i)
      if (spans[i].first < spans[i - 1].second)
        bad.push_back("core " + std::to_string(core) + " runs two nodes at " +
                      std::to_string(spans[i].first));
  }
}

void CheckDependencies(const Json& s, std::vector<std::string>& bad) {
  std::map<int, const Json*> node;
  for (const Json& n : s["nodes"]) node[n["id"].get<int>()] = &n;
  for (const Json& n : s["nodes"])
    for (const Json& d : n["depends_on"])
      if ((*node.at(d.get<int>()))["end"].get<std::int64_t>() > n["start"].get<std::int64_t>())
        bad.push_back("node " + n["id"].dump() + " starts before node " + d.dump() + " ends");
  for (const Json& t : s["transfers"])
    for (const Json& f : t["for_nodes"]) {
      const Json& n = *node.at(f.get<int>());
      if (t["kind"] == "stream") {
        if (t["start"].get<std::int64_t>() < n["start"].get<std::int64_t>() ||
            t["end"].get<std::int64_t>() > n["end"].get<std::int64_t>())
          bad.push_back("stream transfer " + t["id"].dump() + " outside its node's run");
      } else if (t["end"].get<std::int64_t>() > n["start"].get<std::int64_t>()) {
        bad.push_back("node " + n["id"].dump() + " starts before transfer " + t["id"].dump() +
                      " arrives");
      }
    }
}

// Sweep over transfer start/end events per link: the held bandwidth never exceeds the link's.
void CheckLinks(const Json& s, std::vector<std::string>& bad) {
  std::map<int, double> capacity;
  for (const Json& l : s["links"]) capacity[l["id"].get<int>()] = l["bandwidth_bits_per_cycle"];
  std::map<int, std::map<std::int64_t, double>> delta;
  for (const Json& t : s["transfers"]) {
    const double rate = t["bandwidth_bits_per_cycle"];
    const double needed = t["bits"].get<double>() /
                          double(t["end"].get<std::int64_t>() - t["start"].get<std::int64_t>());
    if (needed > rate * (1 + 1e-9)) bad.push_back("transfer " + t["id"].dump() + " is too short");
    // A broadcast rides on its original's links: only its other links carry more.
    std::set<int> shared;
    if (t.contains("broadcast_of") && !t["broadcast_of"].is_null()) {
      const Json& original = s["transfers"][t["broadcast_of"].get<int>()];
      if (original["start"] != t["start"] || original["end"] != t["end"] ||
          original["from_core"] != t["from_core"] || original["tensor"] != t["tensor"])
        bad.push_back("broadcast " + t["id"].dump() + " differs from its original");
      for (const Json& l : original["links"]) shared.insert(l.get<int>());
    }
    for (const Json& l : t["links"]) {
      if (shared.count(l.get<int>())) continue;
      delta[l.get<int>()][t["start"]] += rate;
      delta[l.get<int>()][t["end"]] -= rate;
    }
  }
  for (auto& [link, events] : delta) {
    double used = 0;
    for (auto& [time, d] : events) {
      used += d;
      if (used > capacity.at(link) * (1 + 1e-9) + 1e-6)
        bad.push_back("link " + std::to_string(link) + " carries " + std::to_string(used) +
                      " bits/cycle at " + std::to_string(time));
    }
  }
}

void CheckMemoryMacsAllocation(const Json& s, const std::map<std::string, std::int64_t>& macs,
                               std::vector<std::string>& bad) {
  for (const Json& c : s["cores"]) {
    if (c["offchip"].get<bool>()) continue;
    if (c["peak_memory_bits"].get<std::int64_t>() > c["memory_bits"].get<std::int64_t>())
      bad.push_back("core " + c["id"].dump() + " exceeds its memory");
    for (const Json& step : c["memory_steps"])
      if (step[1].get<std::int64_t>() > c["memory_bits"].get<std::int64_t>() ||
          step[1].get<std::int64_t>() < 0)
        bad.push_back("core " + c["id"].dump() + " memory out of range at " + step[0].dump());
  }
  std::map<std::string, std::int64_t> sum;
  std::map<std::string, std::set<int>> allowed;
  for (const Json& a : s["allocation"])
    for (const Json& c : a["allowed"]) allowed[a["layer"]].insert(c.get<int>());
  for (const Json& n : s["nodes"]) {
    sum[n["layer"]] += n["macs"].get<std::int64_t>();
    if (!allowed[n["layer"]].count(n["core"].get<int>()))
      bad.push_back("node " + n["id"].dump() + " runs on a core its layer may not use");
  }
  for (const auto& [layer, m] : macs)
    if (sum[layer] != m)
      bad.push_back("layer " + layer + " has " + std::to_string(sum[layer]) + " MACs, not " +
                    std::to_string(m));
}

}  // namespace

std::vector<std::string> CheckScheduleJson(const nlohmann::json& s,
                                           const std::map<std::string, std::int64_t>& layer_macs) {
  std::vector<std::string> bad;
  CheckCores(s, bad);
  CheckDependencies(s, bad);
  CheckLinks(s, bad);
  CheckMemoryMacsAllocation(s, layer_macs, bad);
  return bad;
}

}  // namespace tessel::testing
