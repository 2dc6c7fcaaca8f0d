#include "tessel/api/schedule.h"

#include "tessel/common/error.h"
#include "tessel/io/bundled.h"
#include "tessel/io/stream/stream_hardware.h"
#include "tessel/io/stream/stream_mapping.h"
#include "tessel/io/workload_source.h"
#include "tessel/mapper/mapper.h"
#include "tessel/report/schedule_json.h"

namespace tessel::api {

bool IsBundledSchedule(const ScheduleRequest& request) {
  return request.arch.empty() && request.workload.empty() && request.mapping.empty();
}

ScheduleRequest WithScheduleDefaults(ScheduleRequest request) {
  if (!IsBundledSchedule(request)) return request;
  const std::string dir = BundledExamplesDir() + "/multicore";
  request.arch = dir + "/hardware/tpu_like_quad_core.yaml";
  request.workload = dir + "/workload/resnet18.onnx";
  request.mapping = dir + "/mapping/tpu_like_quad_core_ga.yaml";
  if (request.search == "fixed") request.search = "ga";
  return request;
}

ScheduleRun RunScheduleRequest(const ScheduleRequest& given, std::stop_token stop) {
  if (given.threads < 1) throw UserError("--threads must be at least 1");
  if (given.generations < 0) throw UserError("--generations must not be negative");
  if (given.population < 2) throw UserError("--population must be at least 2");
  ScheduleOptions options;
  options.mode = ParseScheduleMode(given.mode);
  options.search = ParseAllocationSearch(given.search);
  const ScheduleRequest request = WithScheduleDefaults(given);
  options.search = ParseAllocationSearch(request.search);
  if (request.arch.empty() || request.workload.empty() || request.mapping.empty())
    throw UserError(
        "give --arch, --workload and --mapping (or none of them for the bundled example)");
  options.threads = request.threads;
  options.ga.generations = request.generations;
  options.ga.population = request.population;
  options.ga.seed = request.seed;
  options.ga.progress = request.ga_progress;
  options.cost.mapper = request.mapper;
  options.cost.mapper_options.time_limit_s = 60;
  options.cost.mapper_options.objective = ParseObjective(request.objective);
  options.cost.mapper_options.stop = stop;
  options.stop = stop;
  ScheduleRun run{io::LoadStreamSystem(request.arch),
                  io::LoadWorkload(request.workload),
                  io::LoadStreamMapping(request.mapping),
                  {},
                  {}};
  run.result = RunSchedule(run.system, run.workload, run.mapping, options);
  run.json = ScheduleToJson(run.system, run.workload, run.result);
  return run;
}

}  // namespace tessel::api
