#include "tessel/tuner/cim_network.h"

#include <algorithm>
#include <optional>

#include "tessel/common/error.h"
#include "tessel/common/parallel.h"
#include "tessel/common/rng.h"
#include "tessel/model/cim_layer.h"
#include "tessel/model/cim_model.h"
#include "tessel/workload/layer_shapes.h"

namespace tessel {
namespace {

// One MAC layer as a pipeline stage: how its resource knob turns into arrays,
// how far it goes, and its costs through the cache. Layouts are schedules whose
// resource knob is a placeholder.
class Stage {
 public:
  Stage(int layer, const Problem& problem, const TimingModel& model, const CimArch& arch,
        std::string layer_key, EvaluationCache& cache)
      : layer_(layer),
        problem_(&problem),
        model_(&model),
        arch_(&arch),
        refined_(model.Name() == "cim-refined"),
        key_(std::move(layer_key)),
        cache_(&cache) {
    ToCimLayer(problem, &cim_);
    knobs_ = model.Knobs(problem, &arch);
    for (const Knob& k : knobs_)
      if (k.name == Resource()) resource_max_ = k.max;
  }

  int layer() const { return layer_; }
  const std::string& name() const { return problem_->name; }
  std::string_view Resource() const { return refined_ ? kKnobCopies : kKnobPes; }
  const std::vector<Knob>& knobs() const { return knobs_; }
  CimMode mode() const { return refined_ ? CimMode::kRefined : CimMode::kFormula; }

  Schedule DefaultLayout() const {
    Schedule s = model_->DefaultSchedule(*problem_, arch_);
    s.Set(Resource(), 1);
    return s;
  }

  // Arrays one step of the resource takes: pixel_tiles copies, or one PE's used
  // CUs.
  std::int64_t Unit(const Schedule& layout) const {
    const CimSchedule s = ToCimSchedule(layout, cim_, *arch_, mode());
    return refined_ ? s.pixel_tiles * ArraysPerCopy(cim_, s) : s.cus * arch_->arrays_per_cu;
  }

  // The most steps the layout's allocation holds (copies within the placement
  // capacity and the PEs of the layout; pes within the chip). 0 when none.
  std::int64_t MaxSteps(const Schedule& layout) const {
    const CimSchedule s = ToCimSchedule(layout, cim_, *arch_, mode());
    if (!refined_) return resource_max_;
    const CimPlacement p = PlaceCopies(ArraysPerCopy(cim_, s), s.pes, s.cus, *arch_);
    std::int64_t m = std::min(resource_max_, p.capacity) / s.pixel_tiles;
    const std::int64_t pes_per_band = s.pes / s.pixel_tiles;  // each band's PE group
    m = std::min(
        m, p.copies_per_pe > 0 ? pes_per_band * p.copies_per_pe : pes_per_band / p.pes_per_copy);
    return std::max<std::int64_t>(m, 0);
  }

  Schedule Complete(const Schedule& layout, std::int64_t steps) const {
    Schedule s = layout;
    const std::int64_t tiles = ToCimSchedule(layout, cim_, *arch_, mode()).pixel_tiles;
    s.Set(Resource(), refined_ ? steps * tiles : steps);
    return s;
  }

  TimingResult Cost(const Schedule& schedule) const {
    return cache_->Evaluate(key_, schedule, [this](const Schedule& s) {
      return model_->Evaluate(*problem_, s, arch_);
    });
  }

  // The layout with 1 .. (as many steps as fit in `max_arrays`), evaluated on
  // `threads` threads; options tagged with their step count. Invalid steps are
  // left out.
  std::vector<StageOption> Ladder(const Schedule& layout, std::int64_t max_arrays,
                                  int threads) const {
    const std::int64_t unit = Unit(layout);
    const std::int64_t steps = std::min(MaxSteps(layout), max_arrays / unit);
    std::vector<TimingResult> results(std::max<std::int64_t>(steps, 0));
    const int workers = static_cast<int>(std::clamp<std::int64_t>(steps, 1, threads));
    RunOnThreads(workers, [&](int w) {
      for (std::int64_t m = w + 1; m <= steps; m += workers)
        results[m - 1] = Cost(Complete(layout, m));
    });
    std::vector<StageOption> ladder;
    for (std::int64_t m = 1; m <= steps; ++m) {
      const TimingResult& r = results[m - 1];
      if (r.ok()) ladder.push_back({m * unit, r.cycles, r.energy_pJ, static_cast<int>(m)});
    }
    return ladder;
  }

 private:
  int layer_;
  const Problem* problem_;
  const TimingModel* model_;
  const CimArch* arch_;
  bool refined_;
  std::string key_;
  EvaluationCache* cache_;
  CimLayer cim_;
  std::vector<Knob> knobs_;
  std::int64_t resource_max_ = 1;
};

std::vector<Stage> MakeStages(const Workload& workload, const TimingModel& model,
                              const CimArch& arch, const std::string& arch_key,
                              EvaluationCache& cache) {
  std::vector<Stage> stages;
  for (int index : workload.MacLayers()) {
    const Layer& layer = workload.layer(index);
    const std::optional<ConvShape> conv = AsConvShape(layer.problem);
    const std::int64_t groups = (conv ? conv->G : 1) * layer.repeat;
    if (groups != 1)
      throw UserError("layer '" + layer.name +
                      "': grouped convolutions (groups=" + std::to_string(groups) +
                      ") are not supported by model '" + std::string(model.Name()) + "'");
    if (std::string why = model.Supports(layer.problem, &arch); !why.empty())
      throw UserError(
          why.find(layer.name) == std::string::npos ? "layer '" + layer.name + "': " + why : why);
    stages.emplace_back(index, layer.problem, model, arch,
                        LayerKey(model.Name(), arch_key, layer.problem), cache);
  }
  if (stages.empty())
    throw UserError("workload '" + workload.name() + "' has no conv or matmul layer to tune");
  return stages;
}

// One copy of every layer (default layouts) must fit, else nothing can be
// allocated.
void CheckNetworkFits(const Workload& workload, const std::vector<Stage>& stages,
                      const std::vector<Schedule>& layouts, const CimArch& arch) {
  std::int64_t used = 0;
  std::size_t largest = 0;
  std::vector<std::int64_t> units;
  for (std::size_t i = 0; i < stages.size(); ++i) {
    units.push_back(stages[i].Unit(layouts[i]));
    used += units.back();
    if (units[i] > units[largest]) largest = i;
  }
  if (used <= arch.TotalArrays()) return;
  throw UserError("workload '" + workload.name() + "' does not fit on chip '" + arch.name +
                  "': one weight copy of each of its " + std::to_string(stages.size()) +
                  " layers needs " + std::to_string(used) + " arrays but the chip has " +
                  std::to_string(arch.TotalArrays()) + "; the largest is layer '" +
                  stages[largest].name() + "' with " + std::to_string(units[largest]) + " arrays");
}

Allocation Allocate(const std::vector<std::vector<StageOption>>& options, std::int64_t budget,
                    NetworkObjective objective) {
  return objective == NetworkObjective::kBottleneck ? MinimiseBottleneck(options, budget)
                                                    : MinimiseTotal(options, budget);
}

// The stages an allocation picks from per-stage (layout, options) lists.
struct Choices {
  std::vector<std::vector<StageOption>> options;  // per stage
  std::vector<std::vector<Schedule>> layouts;     // per stage, parallel to options: the layout
};

std::vector<CimStage> Decode(const std::vector<Stage>& stages, const Choices& choices,
                             const Allocation& a) {
  std::vector<CimStage> out;
  for (std::size_t i = 0; i < stages.size() && a.feasible(); ++i) {
    const StageOption& o = choices.options[i][a.pick[i]];
    out.push_back({stages[i].layer(), stages[i].Complete(choices.layouts[i][a.pick[i]], o.tag),
                   o.arrays, o.cycles, o.energy_pJ});
  }
  return out;
}

void AddLadder(const Stage& stage, const Schedule& layout, std::int64_t max_arrays, int threads,
               std::size_t i, Choices& choices) {
  for (const StageOption& o : stage.Ladder(layout, max_arrays, threads)) {
    choices.options[i].push_back(o);
    choices.layouts[i].push_back(layout);
  }
}

// Step 5 for one stage: the best layouts at `share` arrays, best first (the
// default excluded).
std::vector<Schedule> TuneLayout(const Stage& stage, std::int64_t share,
                                 const EvolutionOptions& options, std::int64_t* trials) {
  Schedule pinned;
  pinned.Set(stage.Resource(), 1);
  KnobSpace space(stage.knobs(), pinned);
  auto score = [&](const Schedule& layout) {
    const std::int64_t steps = std::min(stage.MaxSteps(layout), share / stage.Unit(layout));
    if (steps < 1) return TuneScore{};
    const TimingResult r = stage.Cost(stage.Complete(layout, steps));
    if (!r.ok()) return TuneScore{};
    return TuneScore{static_cast<double>(r.cycles), r.energy_pJ};
  };
  EvolutionResult result = Evolve(space, score, options);
  *trials += result.trials;
  const std::string default_key = ScheduleKey(stage.DefaultLayout());
  std::vector<Schedule> best;
  for (const ScoredSchedule& s : result.ranked)
    if (s.score.valid() && best.size() < 2 && ScheduleKey(s.schedule) != default_key)
      best.push_back(s.schedule);
  return best;
}

}  // namespace

NetworkObjective ParseNetworkObjective(const std::string& name) {
  if (name == "bottleneck") return NetworkObjective::kBottleneck;
  if (name == "total") return NetworkObjective::kTotal;
  throw UserError("unknown objective '" + name + "'; the objectives are: bottleneck, total");
}

const char* ToString(NetworkObjective objective) {
  return objective == NetworkObjective::kBottleneck ? "bottleneck" : "total";
}

CimNetworkResult TuneCimNetwork(const Workload& workload, const TimingModel& model,
                                const CimArch& arch, const std::string& arch_key,
                                EvaluationCache& cache, const CimNetworkOptions& options) {
  const std::vector<Stage> stages = MakeStages(workload, model, arch, arch_key, cache);
  const std::size_t n = stages.size();
  const std::int64_t budget = arch.TotalArrays();
  const int threads = std::max(1, options.evolution.threads);
  std::vector<Schedule> defaults;
  std::int64_t minimum = 0;  // arrays of one step of every stage
  for (const Stage& s : stages) {
    defaults.push_back(s.DefaultLayout());
    minimum += s.Unit(defaults.back());
  }
  CheckNetworkFits(workload, stages, defaults, arch);

  CimNetworkResult result;
  result.resource_knob = std::string(stages.front().Resource());
  result.arrays_available = budget;
  Choices choices{std::vector<std::vector<StageOption>>(n), std::vector<std::vector<Schedule>>(n)};
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t room = budget - minimum + stages[i].Unit(defaults[i]);
    AddLadder(stages[i], defaults[i], room, threads, i, choices);
  }
  result.greedy_allocation = GreedyDuplication(choices.options, budget);
  result.greedy = Decode(stages, choices, result.greedy_allocation);
  result.first_allocation = Allocate(choices.options, budget, options.objective);
  result.first = Decode(stages, choices, result.first_allocation);

  for (std::size_t i = 0; i < n && options.evolution.trials > 1; ++i) {
    EvolutionOptions evolution = options.evolution;
    evolution.seed = TaskSeed(options.evolution.seed, i);
    const std::int64_t share = result.first[i].arrays;
    for (const Schedule& layout : TuneLayout(stages[i], share, evolution, &result.layout_trials)) {
      const std::int64_t room = budget - minimum + stages[i].Unit(defaults[i]);
      AddLadder(stages[i], layout, room, threads, i, choices);
    }
    if (options.progress)
      options.progress(static_cast<int>(i) + 1, static_cast<int>(n), stages[i].name());
  }
  result.tuned_allocation = Allocate(choices.options, budget, options.objective);
  result.tuned = Decode(stages, choices, result.tuned_allocation);
  return result;
}

}  // namespace tessel
