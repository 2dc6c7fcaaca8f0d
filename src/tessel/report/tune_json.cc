#include "tessel/report/tune_json.h"

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
                const Allocation& a) {
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

Json CimTuneToJson(const Workload& workload, const CimNetworkResult& result,
                   const TuneJsonInfo& info) {
  Json json = Header(workload, info);
  Json layers = Json::array();
  for (const CimStage& s : result.tuned) {
    const Layer& layer = workload.layer(s.layer);
    Json schedule = Json::object();
    for (const auto& [name, value] : s.schedule.knobs) schedule[name] = value;
    layers.push_back({{"name", layer.name},
                      {"op", layer.op},
                      {"cycles", s.cycles},
                      {"energy_pJ", ReproducibleDouble(s.energy_pJ)},
                      {"arrays", s.arrays},
                      {"schedule", schedule}});
  }
  const Allocation& t = result.tuned_allocation;
  json["layers"] = layers;
  json["total"] = {{"cycles", t.total_cycles},
                   {"energy_pJ", ReproducibleDouble(t.energy_pJ)},
                   {"arrays_used", t.arrays_used},
                   {"arrays_available", result.arrays_available}};
  json["bottleneck"] = Bottleneck(workload, result.tuned, t);

  const Allocation& g = result.greedy_allocation;
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

}  // namespace tessel
