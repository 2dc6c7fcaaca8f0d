#include "tessel/api/ratree.h"

#include "tessel/common/error.h"
#include "tessel/io/bundled.h"
#include "tessel/io/tiled/mesh_yaml.h"
#include "tessel/io/workload_source.h"
#include "tessel/mapper/mapper.h"
#include "tessel/report/ratree_json.h"

namespace tessel::api {

RaTreeOptions MakeRaTreeOptions(const RaTreeRequest& request) {
  if (request.threads < 1) throw UserError("--threads must be at least 1");
  if (request.rounds < 0) throw UserError("--rounds must not be negative");
  if (request.batch < 1) throw UserError("--batch must be at least 1");
  RaTreeOptions options;
  options.batch = request.batch;
  options.threads = request.threads;
  options.anneal.objective = ParseObjective(request.objective);
  options.anneal.rounds = request.rounds;
  options.anneal.seed = request.seed;
  options.cost.mapper = request.mapper;
  options.cost.mapper_options.objective = Objective::kEdp;
  options.cost.mapper_options.samples = request.samples;
  options.polish = request.polish;
  // With --mapper cosa: one weight set, without CoSA's utilisation term, as the command does.
  CosaWeights weights = DefaultCosaWeights(Objective::kEdp);
  weights.utilization = 0;
  options.cost.mapper_options.cosa_weights = weights;
  options.cost.mapper_options.time_limit_s = 60;
  options.tree_text = request.tree_text;
  options.tree_file = request.tree_file;
  return options;
}

RaTreeRun RunRaTreeRequest(const RaTreeRequest& request, std::stop_token stop) {
  RaTreeRun run;
  run.options = MakeRaTreeOptions(request);
  run.system = io::LoadTiledSystem(request.arch.empty() ? BundledExamplesDir() + "/mesh/mesh.yaml"
                                                        : request.arch);
  const Workload network =
      io::LoadWorkload(request.workload.empty() ? "resnet50" : request.workload);
  run.result = RunRaTree(run.system, network, run.options, stop);
  run.json = RaTreeToJson(run.system, run.result, run.options);
  return run;
}

}  // namespace tessel::api
