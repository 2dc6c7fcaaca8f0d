// Pipeline: resolve defaults -> load the workload and the arch -> map the network (a pool of
// threads, one mapper run per distinct layer shape) -> print a per-layer table -> build the JSON
// and, from it, the HTML report -> write both atomically. Nothing is written on any error.
#include "cli/map_network.h"

#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <thread>

#include "cli/command.h"
#include "cli/files.h"
#include "fmt/format.h"
#include "tessel/api/map.h"
#include "tessel/common/error.h"
#include "tessel/io/arch_inputs.h"
#include "tessel/io/bundled.h"
#include "tessel/io/workload_source.h"
#include "tessel/network/network_map.h"
#include "tessel/report/html_report.h"
#include "tessel/report/json_report.h"
#include "tessel/report/network_json.h"

namespace tessel::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDefaultJson = "tessel_map.json";
constexpr const char* kDefaultHtml = "tessel_report.html";

// A one-line progress bar redrawn in place; only ever used when stderr is a terminal.
void DrawProgress(const std::string& workload, int done, int total, const std::string& layer) {
  constexpr int kWidth = 30;
  const int filled = total > 0 ? done * kWidth / total : kWidth;
  std::cerr << fmt::format("\r\033[Kmapping {} [{}{}] {}/{} shapes ({})", workload,
                           std::string(filled, '#'), std::string(kWidth - filled, '.'), done, total,
                           layer)
            << std::flush;
}

std::string Where(const std::string& path) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(path, ec);
  return ec ? path : absolute.lexically_normal().string();
}

void PrintTable(const nlohmann::ordered_json& json) {
  std::cout << fmt::format("{:<28} {:<18} {:>14} {:>14} {:>7} {:>12}  {}\n", "layer", "op",
                           "cycles", "compute bound", "util", "energy uJ", "method");
  for (const auto& layer : json["layers"]) {
    std::cout << fmt::format(
        "{:<28} {:<18} {:>14} {:>14} {:>6.1f}% {:>12.3f}  {}\n", layer["name"].get<std::string>(),
        layer["op"].get<std::string>(), layer["cycles"].get<std::int64_t>(),
        layer["compute_bound_cycles"].get<std::int64_t>(), 100 * layer["utilization"].get<double>(),
        layer["energy_pJ"].get<double>() / 1e6, layer["method"].get<std::string>());
  }
}

void PrintSummary(const nlohmann::ordered_json& json, const NetworkMapResult& result, int threads) {
  const auto& total = json["total"];
  std::cout << fmt::format(
      "\n{}: {} layers ({} with MACs, {} distinct shapes mapped with {})\n"
      "Cycles:      {}  (compute bound {}, utilization {:.2f} %)\n"
      "Energy:      {:.2f} pJ = {:.3f} uJ\n"
      "Mapped in {:.2f} s on {} thread{}\n",
      json["workload"].get<std::string>(), total["layers"].get<int>(),
      total["mac_layers"].get<int>(), json["shapes"].get<int>(), json["mapper"].get<std::string>(),
      total["cycles"].get<std::int64_t>(), total["compute_bound_cycles"].get<std::int64_t>(),
      100 * total["utilization"].get<double>(), total["energy_pJ"].get<double>(),
      total["energy_pJ"].get<double>() / 1e6, result.seconds, threads, threads == 1 ? "" : "s");
  if (json["energy_is_estimate"].get<bool>())
    std::cout << "Note: energies are estimates (no ERT for some components).\n";
}

}  // namespace

void AddNetworkMapOptions(CLI::App& sub, NetworkMapArgs* args) {
  sub.add_option("--arch", args->arch_files,
                 "Network mode: architecture + constraints/mapspace (+ ERT) YAML files or "
                 "directories (default: the bundled Simba-like arch, examples/simba)");
  sub.add_option("--workload", args->workload,
                 "Network mode: a bundled network (resnet50, ...), an .onnx model, a .yaml layer "
                 "list or cosa:NAME (default: resnet50)");
  sub.add_option("--input-shape", args->input_shapes,
                 "Network mode, ONNX: fix a model input's shape, NAME=D0,D1,...");
  sub.add_option("--batch", args->batch, "Network mode, bundled networks: batch size")
      ->capture_default_str();
  sub.add_option("--html", args->html_path, "Network mode: write the HTML report to this file");
}

int RunNetworkMap(const NetworkMapArgs& args, const NetworkMapperArgs& mapper_args) {
  if (!mapper_args.mapping_path.empty())
    throw UserError("--mapping-out is for one layer (FILE...), not for --workload");
  if (mapper_args.threads < 0) throw UserError("--threads must be at least 1");
  std::string json_path = mapper_args.json_path, html_path = args.html_path;
  if (json_path.empty() && html_path.empty()) {
    json_path = kDefaultJson;
    html_path = kDefaultHtml;
  }

  // Load, map and build the JSON: api/map.h (the Python module calls it too).
  const api::NetworkInputs inputs =
      api::LoadNetworkInputs({args.workload, args.arch_files, args.input_shapes, args.batch});
  const Workload& workload = inputs.workload;
  std::function<void(int, int, const std::string&)> progress;
  const bool bar = ::isatty(STDERR_FILENO) == 1;
  if (bar) {
    DrawProgress(workload.name(), 0, static_cast<int>(DistinctShapes(workload).size()), "...");
    progress = [&](int done, int total, const std::string& layer) {
      DrawProgress(workload.name(), done, total, layer);
    };
  }
  const api::MapRequest request{mapper_args.mapper, mapper_args.objective, mapper_args.options,
                                ""};
  const api::NetworkMapRun run =
      api::MapNetworkInputs(inputs, request, mapper_args.threads, progress);
  if (bar) std::cerr << "\r\033[K" << std::flush;
  const nlohmann::ordered_json& json = run.json;
  PrintTable(json);
  PrintSummary(json, run.result, run.threads);
  // Both outputs are built before either is written: a failure leaves no file behind.
  const std::string html = html_path.empty() ? "" : NetworkReportHtml(json, "the mapping result");
  if (!json_path.empty()) WriteFileAtomically(json_path, DumpJson(json));
  try {
    if (!html_path.empty()) WriteFileAtomically(html_path, html);
  } catch (...) {
    std::error_code ignored;
    if (!json_path.empty()) fs::remove(json_path, ignored);  // all outputs or none
    throw;
  }
  if (!json_path.empty()) std::cout << "Wrote " << Where(json_path) << " (mapping result, JSON)\n";
  if (!html_path.empty()) std::cout << "Wrote " << Where(html_path) << " (report, HTML)\n";
  std::cout.flush();
  return std::cout ? kExitOk : kExitInternal;
}

}  // namespace tessel::cli
