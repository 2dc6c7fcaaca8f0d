#include "tessel/api/map.h"

#include <algorithm>
#include <filesystem>
#include <thread>

#include "tessel/common/cancel.h"
#include "tessel/common/error.h"
#include "tessel/io/arch_inputs.h"
#include "tessel/io/bundled.h"
#include "tessel/io/input_paths.h"
#include "tessel/io/workload_source.h"
#include "tessel/report/json_report.h"
#include "tessel/report/mapping_json.h"
#include "tessel/report/network_json.h"

namespace tessel::api {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDefaultWorkload = "resnet50";

// A name for an arch that has none: its file's stem, or its directory's name for a file
// called arch.yaml (examples/simba/arch.yaml -> "simba").
std::string ArchLabel(const std::string& path) {
  const fs::path file(path);
  const std::string stem = file.stem().string();
  const std::string dir = file.parent_path().filename().string();
  return (stem == "arch" || stem == "architecture") && !dir.empty() ? dir : stem;
}

io::WorkloadSourceOptions SourceOptions(const NetworkRequest& request) {
  if (request.batch < 1) throw UserError("--batch must be at least 1");
  io::WorkloadSourceOptions options;
  options.zoo.batch = request.batch;
  for (const std::string& text : request.input_shapes) {
    auto [name, dims] = io::ParseInputShape(text);
    options.onnx.input_shapes[name] = dims;
  }
  return options;
}

}  // namespace

MapperOptions MapperOptionsFor(const MapRequest& request) {
  MapperOptions options = request.options;
  options.objective = ParseObjective(request.objective);
  if (!request.cosa_weights.empty())
    options.cosa_weights =
        ParseCosaWeights(request.cosa_weights, DefaultCosaWeights(options.objective));
  return options;
}

MapperResult MapLayer(const MapSpace& space, const MapRequest& request, std::stop_token stop) {
  MapperOptions options = MapperOptionsFor(request);
  if (stop.stop_possible()) options.stop = stop;
  std::unique_ptr<Mapper> mapper = MakeMapper(request.mapper);
  MapperResult result = mapper->Map(space, options);
  ThrowIfStopped(options.stop);  // a search cut short by a stop request is not reported
  if (result.status == MapperStatus::kNoMapping)
    throw UserError("no valid mapping found: " + result.message);
  return result;
}

nlohmann::ordered_json MapLayerJson(const MapSpace& space, const MapperResult& result,
                                    const MapRequest& request, bool timings) {
  nlohmann::ordered_json json = CostToJson(space.problem, space.arch, result.evaluation.cost);
  json["mapper"] = request.mapper;
  json["objective"] = request.objective;
  if (timings) json["mapper_seconds"] = ReproducibleDouble(result.seconds);
  json["status"] = ToString(result.status);
  json["proven_optimal"] = result.proven_optimal;
  json["mapping"] = MappingToJson(space.problem, space.arch, result.mapping);
  return json;
}

std::vector<std::string> BundledSimbaFiles() {
  const std::string dir = BundledExamplesDir();
  if (dir.empty())
    throw UserError("the bundled examples are missing (examples/simba); give --arch files");
  return {(fs::path(dir) / "simba" / "arch.yaml").string(),
          (fs::path(dir) / "simba" / "mapspace.yaml").string()};
}

NetworkInputs LoadNetworkInputs(const NetworkRequest& request) {
  Workload workload = LoadNetworkWorkload(request);
  return {std::move(workload), LoadNetworkTarget(request)};
}

Workload LoadNetworkWorkload(const NetworkRequest& request) {
  const std::string spec = request.workload.empty() ? kDefaultWorkload : request.workload;
  return io::LoadWorkload(spec, SourceOptions(request));
}

NetworkTarget LoadNetworkTarget(const NetworkRequest& request) {
  const std::vector<std::string> arch_files =
      request.arch_files.empty() ? BundledSimbaFiles() : io::ExpandInputPaths(request.arch_files);
  io::ArchInputs arch = io::LoadArchInputs(arch_files);
  if (arch.target.arch.name.empty()) arch.target.arch.name = ArchLabel(arch_files.front());
  return std::move(arch.target);
}

NetworkMapRun MapNetworkInputs(
    const NetworkInputs& inputs, const MapRequest& request, int threads,
    const std::function<void(int done, int total, const std::string& layer)>& progress,
    std::stop_token stop) {
  std::unique_ptr<Mapper> mapper = MakeMapper(request.mapper);
  NetworkMapOptions options;
  options.mapper = MapperOptionsFor(request);
  if (stop.stop_possible()) options.mapper.stop = stop;
  options.threads =
      threads > 0 ? threads : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  options.progress = progress;
  NetworkMapRun run;
  run.result = MapNetwork(inputs.workload, inputs.target, *mapper, options);
  run.threads = options.threads;
  run.json = NetworkToJson(inputs.workload, inputs.target, run.result,
                           {request.mapper, ToString(options.mapper.objective)});
  return run;
}

}  // namespace tessel::api
