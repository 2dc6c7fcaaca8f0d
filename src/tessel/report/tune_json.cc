#include "tessel/report/tune_json.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "tessel/report/json_report.h"
#include "tessel/report/mapping_json.h"

namespace tessel {
namespace {

using Json = nlohmann::ordered_json;

Json Header(const Workload& workload, const TuneJsonInfo& info) {
  return {{"workload", workload.name()}, {"model", info.model}, {"arch", info.arch},
          {"objective", info.objective}, {"seed", info.seed},   {"trials", info.trials}};
}

Json Bottleneck(const Workload& workload, const std::vector<CimStage>& stages,
                const ArrayAllocation& a) {
  return {{"layer", workload.layer(stages[a.bottleneck_stage].layer).name},
          {"cycles", a.bottleneck_cycles}};
}

}  // namespace

Json TimeloopTuneToJson(const Workload& workload, const NetworkTarget& target,
                        const TimeloopNetworkResult& result, const TuneJsonInfo& info) {
  Json json = Header(workload, info);
  Json layers = Json::array();
  for (const TimeloopLayerTune& t : result.layers) {
    const Layer& layer = workload.layer(t.layer);
    layers.push_back(
        {{"name", layer.name},
         {"op", layer.op},
         {"cycles", t.cycles},
         {"energy_pJ", ReproducibleDouble(t.energy_pJ)},
         {"utilization", ReproducibleDouble(t.utilization)},
         {"repeat", layer.repeat},
         {"schedule",
          {{"mapping", MappingToJson(layer.problem, target.arch, *t.schedule.mapping)}}}});
  }
  json["layers"] = layers;
  json["total"] = {{"cycles", result.total_cycles},
                   {"energy_pJ", ReproducibleDouble(result.total_energy_pJ)}};
  const TimeloopLayerTune& slowest = result.layers[result.bottleneck];
  json["bottleneck"] = {{"layer", workload.layer(slowest.layer).name}, {"cycles", slowest.cycles}};
  return json;
}

static Json CimLayerJson(const Workload& workload, const CimNetworkResult& result,
                         const CimStage& s) {
  const Layer& layer = workload.layer(s.layer);
  Json schedule = Json::object();
  for (const auto& [name, value] : s.schedule.knobs) schedule[name] = value;
  Json json = {{"name", layer.name}, {"op", layer.op},
               {"cycles", s.cycles}, {"energy_pJ", ReproducibleDouble(s.energy_pJ)},
               {"arrays", s.arrays}, {"resident", s.resident}};
  if (result.system.chips > 1) {
    json["chips"] = {s.first_chip, s.last_chip};
    json["link_bytes"] = s.link_bytes;
    json["link_cycles"] = s.link_cycles;
    json["link_energy_pJ"] = ReproducibleDouble(s.link_energy_pJ);
  }
  if (!s.resident) {
    json["passes"] = s.passes;
    json["write_cycles"] = s.write_cycles;
    json["write_energy_pJ"] = ReproducibleDouble(s.write_energy_pJ);
  }
  json["schedule"] = schedule;
  return json;
}

Json CimTuneToJson(const Workload& workload, const CimNetworkResult& result,
                   const TuneJsonInfo& info) {
  Json json = Header(workload, info);
  std::vector<const CimStage*> stages;
  for (const CimStage& s : result.tuned) stages.push_back(&s);
  for (const CimStage& s : result.streamed) stages.push_back(&s);
  std::stable_sort(stages.begin(), stages.end(),
                   [](const CimStage* a, const CimStage* b) { return a->layer < b->layer; });
  Json layers = Json::array();
  for (const CimStage* s : stages) layers.push_back(CimLayerJson(workload, result, *s));
  const CimSystemSummary& sys = result.system;
  json["layers"] = layers;
  json["total"] = {{"cycles", sys.total_cycles},
                   {"energy_pJ", ReproducibleDouble(sys.energy_pJ)},
                   {"arrays_used", sys.arrays_used},
                   {"arrays_available", sys.arrays_available}};
  json["bottleneck"] = {{"layer", sys.bottleneck_layer}, {"cycles", sys.bottleneck_cycles}};
  json["system"] = {{"chips", sys.chips},
                    {"reprogrammed_layers", sys.reprogrammed_layers},
                    {"region_arrays", sys.region_arrays},
                    {"region_cycles", sys.region_cycles},
                    {"write_cycles", sys.write_cycles},
                    {"write_energy_pJ", ReproducibleDouble(sys.write_energy_pJ)},
                    {"cells_written", sys.cells_written},
                    {"link_bytes", sys.link_bytes},
                    {"link_cycles", sys.link_cycles},
                    {"link_energy_pJ", ReproducibleDouble(sys.link_energy_pJ)}};

  const ArrayAllocation& g = result.greedy_allocation;
  Json greedy_layers = Json::array();
  for (const CimStage& s : result.greedy)
    greedy_layers.push_back(
        {{"name", workload.layer(s.layer).name},
         {"cycles", s.cycles},
         {"arrays", s.arrays},
         {result.resource_knob, s.schedule.Get(result.resource_knob).value_or(0)}});
  json["greedy"] = {{"bottleneck", Bottleneck(workload, result.greedy, g)},
                    {"total",
                     {{"cycles", g.total_cycles},
                      {"energy_pJ", ReproducibleDouble(g.energy_pJ)},
                      {"arrays_used", g.arrays_used}}},
                    {"layers", greedy_layers}};
  return json;
}

std::string CimSystemText(const CimNetworkResult& result) {
  const CimSystemSummary& s = result.system;
  std::string out;
  if (s.chips > 1)
    out += fmt::format("system: {} chips, {} link bytes ({} cycles, {:.6g} pJ)\n", s.chips,
                       s.link_bytes, s.link_cycles, s.link_energy_pJ);
  if (s.reprogrammed_layers > 0)
    out += fmt::format(
        "reprogrammed: {} layers through a region of {} arrays, written every inference: {} "
        "cells, {} write cycles, {:.6g} pJ; the region takes {} cycles\n",
        s.reprogrammed_layers, s.region_arrays, s.cells_written, s.write_cycles, s.write_energy_pJ,
        s.region_cycles);
  if (!out.empty())
    out += fmt::format("system: slowest stage {} cycles ({}), total {} cycles, {:.6g} pJ\n",
                       s.bottleneck_cycles, s.bottleneck_layer, s.total_cycles, s.energy_pJ);
  return out;
}

}  // namespace tessel
