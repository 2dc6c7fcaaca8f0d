#include "tessel/report/network_json.h"

#include "tessel/report/json_report.h"
#include "tessel/report/mapping_json.h"
#include "tessel/report/text_report.h"

namespace tessel {
namespace {

using nlohmann::ordered_json;

ordered_json Dims(const Problem& problem) {
  ordered_json dims = ordered_json::object();
  for (const Dimension& dim : problem.dims) dims[dim.name] = dim.bound;
  return dims;
}

// MAC energy first, then every storage level innermost first.
ordered_json EnergyByLevel(const Arch& arch, const LayerCost& cost) {
  ordered_json levels = ordered_json::object();
  levels[arch.arithmetic.name] = ReproducibleDouble(cost.mac_energy_pJ);
  for (size_t l = 0; l < arch.storage.size(); ++l)
    levels[arch.storage[l].name] =
        ReproducibleDouble(l < cost.level_energy_pJ.size() ? cost.level_energy_pJ[l] : 0.0);
  return levels;
}

ordered_json LayerJson(const Layer& layer, const Arch& arch, const NetworkLayerResult& row,
                       const NetworkMapResult& result) {
  const LayerCost& cost = row.cost;
  ordered_json out;
  out["name"] = layer.name;
  out["op"] = layer.op;
  out["kind"] = std::string(LayerKindName(layer.kind));
  out["method"] = ToString(cost.method);
  out["cycles"] = cost.cycles;
  out["energy_pJ"] = ReproducibleDouble(cost.energy_pJ);
  out["utilization"] = ReproducibleDouble(cost.utilization);
  out["compute_bound_cycles"] = cost.compute_bound_cycles;
  out["macs"] = cost.macs;
  out["repeat"] = layer.repeat;
  out["shape"] = row.shape < 0 ? ordered_json(nullptr) : ordered_json(row.shape);
  out["dims"] = Dims(layer.problem);
  out["input_elements"] = layer.input_elements;
  out["output_elements"] = layer.output_elements;
  out["energy_by_level_pJ"] = EnergyByLevel(arch, cost);
  if (row.shape < 0) {
    out["mapper_status"] = nullptr;
    out["mapping"] = nullptr;
    out["loop_nest"] = nullptr;
    return out;
  }
  const MapperResult& mapped = result.shapes[row.shape].result;
  out["mapper_status"] = ToString(mapped.status);
  out["mapping"] = MappingToJson(layer.problem, arch, mapped.mapping);
  out["loop_nest"] = FormatLoopNest(layer.problem, arch, mapped.mapping, &mapped.evaluation.cost);
  return out;
}

}  // namespace

ordered_json NetworkToJson(const Workload& workload, const NetworkTarget& target,
                           const NetworkMapResult& result, const NetworkJsonInfo& info) {
  const Arch& arch = target.arch;
  ordered_json out;
  out["workload"] = workload.name();
  ordered_json levels = ordered_json::array();
  for (const StorageLevel& level : arch.storage) levels.push_back(level.name);
  out["arch"] = {{"name", arch.name},
                 {"mac_instances", arch.arithmetic.instances},
                 {"levels", std::move(levels)}};
  out["mapper"] = info.mapper;
  out["objective"] = info.objective;
  out["energy_is_estimate"] = !arch.EnergiesFromErt();
  ordered_json layers = ordered_json::array();
  int mac_layers = 0;
  for (const NetworkLayerResult& row : result.layers) {
    layers.push_back(LayerJson(workload.layer(row.layer), arch, row, result));
    if (row.shape >= 0) ++mac_layers;
  }
  out["layers"] = std::move(layers);
  out["shapes"] = result.shapes.size();
  ordered_json total;
  total["cycles"] = result.total_cycles;
  total["energy_pJ"] = ReproducibleDouble(result.total_energy_pJ);
  total["macs"] = result.total_macs;
  total["compute_bound_cycles"] = result.total_compute_bound_cycles;
  total["utilization"] = ReproducibleDouble(
      result.total_cycles > 0 ? static_cast<double>(result.total_compute_bound_cycles) /
                                    static_cast<double>(result.total_cycles)
                              : 0.0);
  total["layers"] = result.layers.size();
  total["mac_layers"] = mac_layers;
  out["total"] = std::move(total);
  return out;
}

}  // namespace tessel
