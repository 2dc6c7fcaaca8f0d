#include "tessel/report/schedule_trace.h"

#include "tessel/report/json_report.h"

namespace tessel {
namespace {

using Json = nlohmann::ordered_json;

Json Meta(int pid, int tid, const std::string& what, const std::string& name) {
  Json e;
  e["name"] = what;
  e["ph"] = "M";
  e["pid"] = pid;
  e["tid"] = tid;
  e["args"] = {{"name", name}};
  return e;
}

}  // namespace

std::string ScheduleTraceJson(const nlohmann::ordered_json& s) {
  constexpr int kCores = 0, kLinks = 1;
  Json events = Json::array();
  events.push_back(Meta(kCores, 0, "process_name", "cores"));
  events.push_back(Meta(kLinks, 0, "process_name", "links"));
  for (const Json& c : s.at("cores"))
    events.push_back(Meta(
        kCores, c.at("id").get<int>(), "thread_name",
        "core " + std::to_string(c.at("id").get<int>()) + " " + c.at("name").get<std::string>()));
  for (const Json& l : s.at("links"))
    events.push_back(Meta(kLinks, l.at("id").get<int>(), "thread_name",
                          "link " + std::to_string(l.at("id").get<int>()) + " " +
                              l.at("type").get<std::string>() + " " + l.at("cores").dump()));
  for (const Json& n : s.at("nodes")) {
    Json e;
    e["name"] = n.at("layer");
    e["cat"] = "node";
    e["ph"] = "X";
    e["pid"] = kCores;
    e["tid"] = n.at("core");
    e["ts"] = n.at("start");
    e["dur"] = n.at("end").get<std::int64_t>() - n.at("start").get<std::int64_t>();
    e["args"] = {{"node", n.at("id")}, {"macs", n.at("macs")}, {"depends_on", n.at("depends_on")}};
    events.push_back(e);
  }
  for (const Json& t : s.at("transfers"))
    for (const Json& link : t.at("links")) {
      Json e;
      e["name"] = t.at("tensor");
      e["cat"] = t.at("kind");
      e["ph"] = "X";
      e["pid"] = kLinks;
      e["tid"] = link;
      e["ts"] = t.at("start");
      e["dur"] = t.at("end").get<std::int64_t>() - t.at("start").get<std::int64_t>();
      e["args"] = {{"transfer", t.at("id")},
                   {"bits", t.at("bits")},
                   {"from_core", t.at("from_core")},
                   {"to_core", t.at("to_core")},
                   {"bandwidth_bits_per_cycle", t.at("bandwidth_bits_per_cycle")}};
      events.push_back(e);
    }
  Json trace;
  trace["traceEvents"] = events;
  trace["displayTimeUnit"] = "ns";
  trace["otherData"] = {{"time_unit", "1 us in the viewer = 1 cycle"},
                        {"latency_cycles", s.at("latency_cycles")}};
  return DumpJson(trace);
}

}  // namespace tessel
