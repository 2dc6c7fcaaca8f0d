// The functions of the tessel module, named as the CLI's commands. Each calls the same library
// function the CLI calls (src/tessel/api/), so the dicts are the CLI's JSON.
#include "functions.h"

#include <pybind11/stl.h>

#include <thread>

#include "convert.h"
#include "tessel/api/eval.h"
#include "tessel/api/map.h"
#include "tessel/api/schedule.h"
#include "tessel/common/cancel.h"
#include "tessel/common/error.h"
#include "tessel/io/bundled.h"
#include "tessel/io/input_paths.h"
#include "tessel/io/inputs.h"
#include "types.h"

namespace tessel::python {
namespace {

std::shared_ptr<PyInputs> FromInputs(Inputs inputs, std::vector<std::string> files) {
  auto out = std::make_shared<PyInputs>();
  out->problem = std::make_shared<Problem>(std::move(inputs.problem));
  out->arch = std::make_shared<Arch>(std::move(inputs.arch));
  if (inputs.mapping) out->mapping = std::make_shared<Mapping>(std::move(*inputs.mapping));
  out->constraints = std::make_shared<MapConstraints>(std::move(inputs.constraints));
  out->has_ert = inputs.has_ert;
  out->files = std::move(files);
  return out;
}

std::shared_ptr<PyInputs> Load(const std::vector<std::string>& paths) {
  std::vector<std::string> files = paths.empty() ? DefaultEvalFiles() : io::ExpandInputPaths(paths);
  return FromInputs(LoadInputs(files), files);
}

std::shared_ptr<PyInputs> Loads(const std::vector<std::string>& texts,
                                std::vector<std::string> names) {
  if (names.empty())
    for (std::size_t i = 0; i < texts.size(); ++i)
      names.push_back("<string " + std::to_string(i) + ">");
  if (names.size() != texts.size())
    throw py::value_error("loads: give one name per text (or none)");
  return FromInputs(LoadInputsFromStrings(texts, names), {});
}

const PyInputs& Require(const std::shared_ptr<PyInputs>& inputs) {
  if (!inputs) throw py::type_error("expected tessel.Inputs, not None");
  return *inputs;
}

void Warn(const std::vector<std::string>& notes) {
  if (notes.empty()) return;
  py::object warn = py::module_::import("warnings").attr("warn");
  for (const std::string& note : notes) warn(note);
}

// Fast: one evaluation is microseconds, so it runs on the calling thread with the GIL held
// (which also keeps other Python threads from changing the inputs meanwhile).
py::object EvaluatePy(const std::shared_ptr<PyInputs>& given) {
  const PyInputs& in = Require(given);
  RequireConstraintsFit(*in.constraints, *in.arch);
  const api::EvalResult result =
      api::EvaluateMapping(*in.problem, *in.arch, in.mapping.get(), *in.constraints);
  Warn(result.warnings);
  return ToPython(api::EvalJson(*in.problem, *in.arch, result));
}

api::MapRequest MakeMapRequest(const std::string& mapper, const std::string& objective,
                               double time_limit, std::int64_t samples, std::uint64_t seed,
                               int threads, const std::string& solver,
                               const std::string& cosa_weights) {
  if (threads < 1) throw UserError("--threads must be at least 1");
  if (!(time_limit > 0)) throw UserError("--time-limit must be positive");
  if (samples < 1) throw UserError("--samples must be at least 1");
  api::MapRequest request;
  request.mapper = mapper;
  request.objective = objective;
  request.options.time_limit_s = time_limit;
  request.options.samples = samples;
  request.options.seed = seed;
  request.options.threads = threads;
  request.options.solver = solver;
  request.cosa_weights = cosa_weights;
  return request;
}

py::object MapLayerPy(const std::shared_ptr<PyInputs>& given, const std::string& mapper,
                      const std::string& objective, double time_limit, std::int64_t samples,
                      std::uint64_t seed, int threads, const std::string& solver,
                      const std::string& cosa_weights, bool timings) {
  const PyInputs& in = Require(given);
  RequireConstraintsFit(*in.constraints, *in.arch);
  const api::MapRequest request =
      MakeMapRequest(mapper, objective, time_limit, samples, seed, threads, solver, cosa_weights);
  // Copies: the worker never reads what Python may change meanwhile.
  MapSpace space = MakeMapSpace(*in.problem, *in.arch, *in.constraints);
  Warn(space.notes);
  nlohmann::ordered_json json = RunInterruptible([&](std::stop_token stop) {
    const MapperResult result = api::MapLayer(space, request, stop);
    ThrowIfStopped(stop);
    return api::MapLayerJson(space, result, request, timings);
  });
  return ToPython(json);
}

py::object MapNetworkPy(const std::string& workload, const std::vector<std::string>& arch_files,
                        const std::shared_ptr<PyInputs>& arch_inputs, const std::string& mapper,
                        const std::string& objective, int threads, double time_limit,
                        std::int64_t samples, std::uint64_t seed, const std::string& solver,
                        const std::string& cosa_weights, std::int64_t batch,
                        const std::vector<std::string>& input_shapes) {
  if (threads < 0) throw UserError("--threads must be at least 1");
  api::MapRequest request =
      MakeMapRequest(mapper, objective, time_limit, samples, seed, 1, solver, cosa_weights);
  api::NetworkRequest network{workload, arch_files, input_shapes, batch};
  std::optional<NetworkTarget> target;
  if (arch_inputs) {
    RequireConstraintsFit(*arch_inputs->constraints, *arch_inputs->arch);
    target = NetworkTarget{*arch_inputs->arch, *arch_inputs->constraints};
  }
  nlohmann::ordered_json json = RunInterruptible([&](std::stop_token stop) {
    api::NetworkInputs inputs{api::LoadNetworkWorkload(network),
                              target ? *target : api::LoadNetworkTarget(network)};
    api::NetworkMapRun run = api::MapNetworkInputs(inputs, request, threads, {}, stop);
    ThrowIfStopped(stop);
    return std::move(run.json);
  });
  return ToPython(json);
}

py::object SchedulePy(const api::ScheduleRequest& given) {
  api::ScheduleRequest request = given;
  if (request.threads == 0)
    request.threads = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  nlohmann::ordered_json json = RunInterruptible([&](std::stop_token stop) {
    api::ScheduleRun run = api::RunScheduleRequest(request, stop);
    ThrowIfStopped(stop);
    return std::move(run.json);
  });
  return ToPython(json);
}

}  // namespace

void BindFunctions(py::module_& m) {
  m.def("_load", &Load, py::arg("files"));
  m.def("_loads", &Loads, py::arg("texts"), py::arg("names"));
  m.def("default_files", &DefaultEvalFiles,
        "The bundled default's files (examples/default: a ResNet-50 3x3 layer on a Simba-like "
        "accelerator): what tessel.load() and `tessel eval` read with no file.");
  m.def("_evaluate", &EvaluatePy, py::arg("inputs"));
  m.def("_map_layer", &MapLayerPy, py::arg("inputs"), py::arg("mapper"), py::arg("objective"),
        py::arg("time_limit"), py::arg("samples"), py::arg("seed"), py::arg("threads"),
        py::arg("solver"), py::arg("cosa_weights"), py::arg("timings"));
  m.def("_map_network", &MapNetworkPy, py::arg("workload"), py::arg("arch_files"),
        py::arg("arch_inputs"), py::arg("mapper"), py::arg("objective"), py::arg("threads"),
        py::arg("time_limit"), py::arg("samples"), py::arg("seed"), py::arg("solver"),
        py::arg("cosa_weights"), py::arg("batch"), py::arg("input_shapes"));
  m.def(
      "_schedule",
      [](const std::string& arch, const std::string& workload, const std::string& mapping,
         const std::string& search, const std::string& mode, int generations, int population,
         std::uint64_t seed, int threads, const std::string& mapper, const std::string& objective) {
        api::ScheduleRequest request;
        request.arch = arch;
        request.workload = workload;
        request.mapping = mapping;
        request.search = search;
        request.mode = mode;
        request.generations = generations;
        request.population = population;
        request.seed = seed;
        request.threads = threads;
        request.mapper = mapper;
        request.objective = objective;
        return SchedulePy(request);
      },
      py::arg("arch"), py::arg("workload"), py::arg("mapping"), py::arg("search"), py::arg("mode"),
      py::arg("generations"), py::arg("population"), py::arg("seed"), py::arg("threads"),
      py::arg("mapper"), py::arg("objective"));
}

}  // namespace tessel::python
