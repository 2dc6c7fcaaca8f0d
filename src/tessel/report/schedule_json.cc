#include "tessel/report/schedule_json.h"

#include "tessel/report/json_report.h"

namespace tessel {
namespace {

using Json = nlohmann::ordered_json;

Json CoresJson(const System& system, const SystemSchedule& s) {
  Json cores = Json::array();
  for (size_t c = 0; c < system.cores.size(); ++c) {
    const Core& core = system.cores[c];
    Json j;
    j["id"] = core.id;
    j["name"] = core.name;
    j["type"] = core.CanCompute() ? ToString(core.type) : "memory";
    j["offchip"] = core.id == system.offchip_core;
    j["memory_bits"] = core.MemoryBits();
    j["peak_memory_bits"] = s.memory[c].peak_bits;
    Json steps = Json::array();
    for (const auto& [t, bits] : s.memory[c].steps) steps.push_back({t, bits});
    j["memory_steps"] = steps;
    cores.push_back(j);
  }
  return cores;
}

Json LinksJson(const System& system) {
  Json links = Json::array();
  for (const Link& l : system.links) {
    Json j;
    j["id"] = l.id;
    j["type"] = l.id == system.offchip_port_link ? "offchip-port" : l.bus ? "bus" : "link";
    j["cores"] = l.cores;
    j["bandwidth_bits_per_cycle"] = ReproducibleDouble(l.bandwidth_bits);
    j["pJ_per_bit"] = ReproducibleDouble(l.pJ_per_bit);
    links.push_back(j);
  }
  return links;
}

Json NodesJson(const Workload& workload, const ScheduleResult& r) {
  Json nodes = Json::array();
  for (const ScheduledNode& s : r.schedule.nodes) {
    const CompNode& n = r.graph.nodes[s.node];
    Json j;
    j["id"] = n.id;
    j["layer"] = workload.layer(n.layer).name;
    j["group"] = n.group;
    j["tile"] = n.tile;
    j["core"] = s.core;
    j["start"] = s.start;
    j["end"] = s.end;
    j["macs"] = n.macs;
    j["streams"] = s.streams;
    j["energy_pJ"] = ReproducibleDouble(s.core_pJ + s.offchip_pJ);
    j["channels"] = {n.c0, n.c1};
    j["rows"] = {n.y0, n.y1};
    j["depends_on"] = n.deps;
    nodes.push_back(j);
  }
  return nodes;
}

Json TransfersJson(const SystemSchedule& s) {
  Json transfers = Json::array();
  for (const Transfer& t : s.transfers) {
    Json j;
    j["id"] = t.id;
    j["tensor"] = t.tensor;
    j["kind"] = ToString(t.kind);
    j["bits"] = t.bits;
    j["from_core"] = t.from_core;
    j["to_core"] = t.to_core;
    j["links"] = t.links;
    j["start"] = t.start;
    j["end"] = t.end;
    j["bandwidth_bits_per_cycle"] = ReproducibleDouble(t.bandwidth_bits);
    j["for_nodes"] = t.for_nodes;
    j["broadcast_of"] = t.broadcast_of >= 0 ? Json(t.broadcast_of) : Json();
    transfers.push_back(j);
  }
  return transfers;
}

Json AllocationJson(const Workload& workload, const ScheduleResult& r, const Allocation& a) {
  Json out = Json::array();
  for (int l : r.graph.order) {
    Json j;
    j["layer"] = workload.layer(l).name;
    j["op"] = workload.layer(l).op;
    j["cores"] = a.cores[l];
    j["allowed"] = r.graph.layers[l].allowed;
    out.push_back(j);
  }
  return out;
}

}  // namespace

nlohmann::ordered_json ScheduleToJson(const System& system, const Workload& workload,
                                      const ScheduleResult& r) {
  const SystemSchedule& s = r.schedule;
  Json j;
  j["system"] = system.name;
  j["workload"] = workload.name();
  j["mode"] = ToString(r.options.mode);
  j["search"] = ToString(r.options.search);
  j["latency_cycles"] = s.latency_cycles;
  j["energy_pJ"] = ReproducibleDouble(s.energy_pJ());
  j["energy_breakdown_pJ"] = {{"cores", ReproducibleDouble(s.core_pJ)},
                              {"links", ReproducibleDouble(s.link_pJ)},
                              {"offchip", ReproducibleDouble(s.offchip_pJ)}};
  std::int64_t macs = 0;
  for (const CompNode& n : r.graph.nodes) macs += n.macs;
  j["macs"] = macs;
  j["cost_entries"] = r.cost_entries;
  j["evaluations"] = r.evaluations;
  j["cores"] = CoresJson(system, s);
  j["links"] = LinksJson(system);
  j["nodes"] = NodesJson(workload, r);
  j["transfers"] = TransfersJson(s);
  j["allocation"] = AllocationJson(workload, r, r.allocation);
  Json pareto = Json::array();
  for (const ParetoPoint& p : r.pareto)
    pareto.push_back({{"latency_cycles", p.score.latency_cycles},
                      {"energy_pJ", ReproducibleDouble(p.score.energy_pJ)}});
  j["pareto"] = pareto;
  j["warnings"] = r.warnings;
  return j;
}

}  // namespace tessel
