// `tessel map` as library calls, shared by the CLI (cli/map_command.cc, cli/map_network.cc) and
// the Python module (src/python): one layer's best mapping, or a whole network's, and the JSON
// the CLI writes for each.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <stop_token>
#include <string>
#include <vector>

#include "tessel/mapper/mapper.h"
#include "tessel/mapping/mapspace.h"
#include "tessel/network/network_map.h"
#include "tessel/workload/workload.h"

namespace tessel::api {

// The mapper and its settings, named as on the command line.
struct MapRequest {
  std::string mapper = "cosa";        // cosa | random | exhaustive
  std::string objective = "latency";  // latency | energy | edp
  // time_limit_s, samples, seed, threads, solver, stop; `objective` is filled in from the name
  // here by MapperOptionsFor, and `cosa_weights` when the text below is given.
  MapperOptions options;
  std::string cosa_weights;  // "traffic=0.5,..." over the objective's defaults; "": options'
};

// request.options with the parsed objective and cosa weights. Throws UserError on a bad name.
MapperOptions MapperOptionsFor(const MapRequest& request);

// Runs the mapper on one layer's mapspace. Throws UserError "no valid mapping found: <why>" when
// it finds none, and Interrupted when `stop` (or, when `stop` cannot stop, options.stop) was
// requested: a search cut short is not a result.
MapperResult MapLayer(const MapSpace& space, const MapRequest& request, std::stop_token stop = {});

// What `tessel map FILE... --json` writes: CostToJson plus mapper, objective, mapper_seconds
// (only with `timings`), status, proven_optimal and the mapping.
nlohmann::ordered_json MapLayerJson(const MapSpace& space, const MapperResult& result,
                                    const MapRequest& request, bool timings);

// A network and the accelerator it is mapped onto, as `tessel map --workload` reads them.
struct NetworkRequest {
  std::string workload;                   // zoo name, .onnx, .yaml, cosa:NAME; "": resnet50
  std::vector<std::string> arch_files;    // files or directories; empty: examples/simba
  std::vector<std::string> input_shapes;  // ONNX: NAME=D0,D1,...
  std::int64_t batch = 1;                 // zoo networks
};

struct NetworkInputs {
  Workload workload;
  NetworkTarget target;  // arch named after its first file when the YAML names none
};

// Loads the workload, then the arch. Throws UserError on bad input (batch < 1 first).
NetworkInputs LoadNetworkInputs(const NetworkRequest& request);
// The two halves of LoadNetworkInputs.
Workload LoadNetworkWorkload(const NetworkRequest& request);
NetworkTarget LoadNetworkTarget(const NetworkRequest& request);

// The bundled Simba-like accelerator: examples/simba/{arch,mapspace}.yaml.
std::vector<std::string> BundledSimbaFiles();

struct NetworkMapRun {
  NetworkMapResult result;
  int threads = 1;              // layers mapped at once
  nlohmann::ordered_json json;  // NetworkToJson: what `tessel map --workload --json` writes
};

// Maps every layer (`threads` < 1: all hardware threads) and builds the JSON. `progress` as
// NetworkMapOptions::progress. Throws UserError on a bad mapper or objective name or a layer
// without a valid mapping, and Interrupted (between layers) once `stop` (or, when `stop` cannot
// stop, request.options.stop) is requested.
NetworkMapRun MapNetworkInputs(
    const NetworkInputs& inputs, const MapRequest& request, int threads,
    const std::function<void(int done, int total, const std::string& layer)>& progress = {},
    std::stop_token stop = {});

}  // namespace tessel::api
