#include "tessel/report/ratree_json.h"

#include <cmath>

#include "tessel/report/json_report.h"
#include "tessel/report/schedule_json.h"

namespace tessel {
namespace {

// SET's formulas' figures (the search's estimate).
nlohmann::ordered_json EstimateJson(const RaCost& c) {
  nlohmann::ordered_json j;
  j["valid"] = c.valid;
  if (!c.valid) {
    j["why"] = c.why;
    return j;
  }
  j["latency_cycles"] = std::llround(c.latency_cycles);
  j["energy_pJ"] = c.energy_pJ();
  j["edp"] = c.latency_cycles * c.energy_pJ();
  j["tile_pJ"] = c.tile_pJ;
  j["noc_pJ"] = c.noc_pJ;
  j["dram_pJ"] = c.dram_pJ;
  j["dram_bytes"] = c.dram_bytes;
  return j;
}

}  // namespace

nlohmann::ordered_json RaTreeToJson(const TiledSystem& system, const RaTreeResult& r,
                                    const RaTreeOptions& options) {
  nlohmann::ordered_json j;
  j["search"] = options.tree_text ? "given" : "ratree";
  j["system"] = {{"name", system.name},
                 {"mesh", {system.mesh_x, system.mesh_y}},
                 {"stride", system.stride},
                 {"tile", system.tile.name},
                 {"buffer_bytes", system.BufferBytes()},
                 {"link_bytes_per_cycle", system.link_bytes},
                 {"dram_bytes_per_cycle", system.dram_bytes},
                 {"dram_ports", system.dram_ports.size()}};
  j["workload"] = r.workload.name();
  j["batch"] = options.batch;
  j["objective"] = ToString(options.anneal.objective);
  j["seed"] = options.anneal.seed;
  j["rounds"] = options.anneal.rounds;
  j["chains"] = options.anneal.chains;
  // The simulator's figures (the replay of the answer), the formulas' under "estimate".
  const RaSimulated& best = r.best().simulated;
  j["latency_cycles"] = best.latency_cycles;
  j["energy_pJ"] = ReproducibleDouble(best.energy_pJ());
  j["edp"] = ReproducibleDouble(double(best.latency_cycles) * best.energy_pJ());
  j["estimate"] = EstimateJson(r.best().cost);
  j["ra_tree"] = PrintRaTree(r.best().tree, r.workload);
  nlohmann::ordered_json methods = nlohmann::ordered_json::object();
  for (const RaMethod& m : r.methods) {
    const RaSimulated& sim = m.simulated;
    methods[m.name] = {{"latency_cycles", sim.latency_cycles},
                       {"energy_pJ", ReproducibleDouble(sim.energy_pJ())},
                       {"edp", ReproducibleDouble(double(sim.latency_cycles) * sim.energy_pJ())},
                       {"energy_breakdown_pJ",
                        {{"cores", ReproducibleDouble(sim.core_pJ)},
                         {"links", ReproducibleDouble(sim.link_pJ)},
                         {"offchip", ReproducibleDouble(sim.offchip_pJ)}}},
                       {"nodes", sim.nodes},
                       {"transfers", sim.transfers},
                       {"tree", PrintRaTree(m.tree, r.workload)},
                       {"estimate", EstimateJson(m.cost)}};
  }
  j["methods"] = methods;
  j["replayed"] = r.replayed;
  j["space"] = {{"leaves", r.space.leaves},
                {"trees", r.space.trees.ToString()},
                {"topological_orders", r.space.orders.count.ToString()},
                {"exact", r.space.orders.exact}};
  nlohmann::ordered_json layers = nlohmann::ordered_json::array();
  for (int l = 0; l < r.workload.size(); ++l) {
    const LeafPlacement& p = r.placement[l];
    const LayerOnTiles& c = r.layer_costs[l];
    layers.push_back({{"name", r.workload.layer(l).name},
                      {"op", r.workload.layer(l).op},
                      {"macs", r.workload.layer(l).Macs()},
                      {"tiles", p.tiles},
                      {"batch", p.batch},
                      {"passes", p.passes},
                      {"split",
                       {{"K", c.split.k},
                        {"B", c.split.b},
                        {"H", c.split.h},
                        {"W", c.split.w},
                        {"efficiency", c.split.efficiency}}},
                      {"segment", r.segment_of[l]},
                      {"cycles_per_pass", c.cycles},
                      {"buffer_bytes", c.buffer_bytes}});
  }
  j["layers"] = layers;
  // The formulas' view of one pass of the root's batch: the segments in turn (the tree runs batch /
  // root batch passes); their sum x root_passes is estimate.latency_cycles.
  nlohmann::ordered_json segments = nlohmann::ordered_json::array();
  double start = 0;
  for (const RaCost& s : r.segments) {
    segments.push_back({{"start_cycle", std::llround(start)},
                        {"latency_cycles", std::llround(s.latency_cycles)},
                        {"energy_pJ", s.energy_pJ()}});
    start += s.latency_cycles;
  }
  j["root_passes"] = options.batch / r.best().tree.batch;
  j["segments"] = segments;
  j["evaluations"] = r.evaluations;
  j["mapped_blocks"] = r.mapped_blocks;
  // The simulator's schedule of the answer: issue 9's JSON (checkable from the JSON alone).
  if (r.replay) {
    const nlohmann::ordered_json sim =
        ScheduleToJson(r.replay->system, r.workload, r.replay->result);
    for (const char* key : {"energy_breakdown_pJ", "macs", "cost_entries", "cores", "links",
                            "nodes", "transfers", "allocation", "warnings"})
      j[key] = sim.at(key);
  }
  return j;
}

}  // namespace tessel
