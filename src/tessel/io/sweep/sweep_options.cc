#include "tessel/io/sweep/sweep_options.h"

#include "tessel/common/error.h"
#include "tessel/mapper/mapper.h"
#include "tessel/model/timing_model.h"
#include "tessel/schedule/schedule_run.h"  // ParseScheduleMode
#include "tessel/tuner/cim_network.h"

namespace tessel::io {
namespace {

// Runs `check` (a parser of the command line's names) and reports its UserError at `node`.
template <typename Check>
void CheckAt(const YNode& node, Check check) {
  if (!node.Valid()) return;
  try {
    check();
  } catch (const UserError& error) {
    node.Fail(error.what());
  }
}

void AtLeast(const YNode& node, std::int64_t value, std::int64_t least, const std::string& key) {
  if (node.Valid() && value < least) node.Fail(key + " must be at least " + std::to_string(least));
}

}  // namespace

SweepMapOptions ReadSweepMapOptions(const YNode& node) {
  SweepMapOptions options;
  if (!node.Valid() || node.IsNull()) return options;
  CheckMapKeys(node, "the map options",
               {"mapper", "objective", "samples", "seed", "time_limit", "solver"});
  if (YNode n = node.Get("mapper"); n.Valid()) options.mapper = n.AsString("mapper");
  if (YNode n = node.Get("objective"); n.Valid()) options.objective = n.AsString("objective");
  if (YNode n = node.Get("samples"); n.Valid()) options.samples = n.AsInt("samples");
  if (YNode n = node.Get("seed"); n.Valid()) options.seed = n.AsInt("seed");
  if (YNode n = node.Get("time_limit"); n.Valid()) options.time_limit_s = n.AsDouble("time_limit");
  if (YNode n = node.Get("solver"); n.Valid()) options.solver = n.AsString("solver");
  try {
    MakeMapper(options.mapper);
    ParseObjective(options.objective);
  } catch (const UserError& error) {
    node.Fail(error.what());
  }
  if (options.samples < 1) node.Get("samples").Fail("samples must be at least 1");
  if (options.time_limit_s <= 0) node.Get("time_limit").Fail("time_limit must be positive");
  return options;
}

SweepScheduleOptions ReadSweepScheduleOptions(const YNode& node) {
  SweepScheduleOptions o;
  if (!node.Valid() || node.IsNull()) return o;
  CheckMapKeys(node, "the schedule options",
               {"search", "mode", "generations", "population", "seed", "mapper", "objective",
                "batch", "rounds", "samples", "polish"});
  const YNode search = node.Get("search"), mode = node.Get("mode"), mapper = node.Get("mapper"),
              objective = node.Get("objective");
  if (search.Valid()) o.search = search.AsString("search");
  if (mode.Valid()) o.mode = mode.AsString("mode");
  if (mapper.Valid()) o.mapper = mapper.AsString("mapper");
  if (objective.Valid()) o.objective = objective.AsString("objective");
  if (YNode n = node.Get("generations"); n.Valid()) o.generations = n.AsInt("generations");
  if (YNode n = node.Get("population"); n.Valid()) o.population = n.AsInt("population");
  if (YNode n = node.Get("seed"); n.Valid()) o.seed = n.AsInt("seed");
  if (YNode n = node.Get("batch"); n.Valid()) o.batch = n.AsInt("batch");
  if (YNode n = node.Get("rounds"); n.Valid()) o.rounds = n.AsInt("rounds");
  if (YNode n = node.Get("samples"); n.Valid()) o.samples = n.AsInt("samples");
  if (YNode n = node.Get("polish"); n.Valid()) o.polish = n.AsInt("polish");
  if (search.Valid() && o.search != "fixed" && o.search != "ga" && o.search != "milp" &&
      !o.ratree())
    search.Fail("search must be one of: fixed, ga, milp, ratree (got '" + o.search + "')");
  CheckAt(mode, [&] { ParseScheduleMode(o.mode); });
  CheckAt(mapper, [&] { MakeMapper(o.mapper); });
  CheckAt(objective, [&] { ParseObjective(o.objective); });
  AtLeast(node.Get("generations"), o.generations, 0, "generations");
  AtLeast(node.Get("population"), o.population, 2, "population");
  AtLeast(node.Get("batch"), o.batch, 1, "batch");
  AtLeast(node.Get("rounds"), o.rounds, 0, "rounds");
  AtLeast(node.Get("samples"), o.samples, 1, "samples");
  AtLeast(node.Get("polish"), o.polish, 0, "polish");
  return o;
}

SweepTuneOptions ReadSweepTuneOptions(const YNode& node) {
  SweepTuneOptions o;
  if (!node.Valid() || node.IsNull()) return o;
  CheckMapKeys(node, "the tune options", {"model", "trials", "seed", "objective", "chips"});
  const YNode model = node.Get("model"), objective = node.Get("objective"),
              chips = node.Get("chips");
  if (model.Valid()) o.model = model.AsString("model");
  if (objective.Valid()) o.objective = objective.AsString("objective");
  if (chips.Valid()) o.chips = chips.AsString("chips");
  if (YNode n = node.Get("trials"); n.Valid()) o.trials = n.AsInt("trials");
  if (YNode n = node.Get("seed"); n.Valid()) o.seed = n.AsInt("seed");
  if (model.Valid() && !MakeTimingModel(o.model)) {
    std::string names;
    for (const std::string& n : TimingModelNames()) names += (names.empty() ? "" : ", ") + n;
    model.Fail("unknown model '" + o.model + "'; the models are: " + names);
  }
  CheckAt(objective, [&] { ParseNetworkObjective(o.objective); });
  if (chips.Valid() && !o.cim()) chips.Fail("chips applies to the CIM models, not to timeloop");
  if (chips.Valid() && o.chips != "auto" &&
      (o.chips.empty() || o.chips.find_first_not_of("0123456789") != std::string::npos ||
       o.chips.find_first_not_of('0') == std::string::npos))
    chips.Fail("chips must be 'auto' or a positive integer, got '" + o.chips + "'");
  AtLeast(node.Get("trials"), o.trials, 1, "trials");
  return o;
}

}  // namespace tessel::io
