#include "tessel/tuner/cim_network.h"

#include <algorithm>
#include <optional>

#include "tessel/common/cancel.h"
#include "tessel/common/error.h"
#include "tessel/common/parallel.h"
#include "tessel/common/rng.h"
#include "tessel/model/cim_layer.h"
#include "tessel/model/cim_model.h"
#include "tessel/tuner/cim_layout.h"
#include "tessel/tuner/cim_system.h"

namespace tessel {
namespace {

std::int64_t CeilDiv(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

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
    start_ = StartLayout(cim_, arch, mode());
    knobs_ = model.Knobs(problem, &arch);
    for (const Knob& k : knobs_)
      if (k.name == Resource()) resource_max_ = k.max;
  }

  int layer() const { return layer_; }
  const std::string& name() const { return problem_->name; }
  std::string_view Resource() const { return refined_ ? kKnobCopies : kKnobPes; }
  const std::vector<Knob>& knobs() const { return knobs_; }
  CimMode mode() const { return refined_ ? CimMode::kRefined : CimMode::kFormula; }

  // "" when the stage has a valid start layout; else why not (naming the layer).
  const std::string& StartProblem() const { return start_.invalid_reason; }

  // The start layout (cim_layout.h): the model's default unless that is invalid.
  Schedule DefaultLayout() const {
    Schedule s = start_.is_default ? model_->DefaultSchedule(*problem_, arch_)
                                   : FromCimSchedule(start_.schedule, cim_, mode());
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
  CimStartLayout start_;
  std::vector<Knob> knobs_;
  std::int64_t resource_max_ = 1;
};

// Every MAC layer as a CimLayer, in workload order; throws UserError naming a layer the CIM
// models cannot read.
std::vector<CimLayer> ReadCimLayers(const Workload& workload, const TimingModel& model) {
  std::vector<CimLayer> layers;
  for (int index : workload.MacLayers()) {
    const Layer& layer = workload.layer(index);
    if (layer.repeat != 1)
      throw UserError("layer '" + layer.name + "': repeat=" + std::to_string(layer.repeat) +
                      " is not supported by model '" + std::string(model.Name()) +
                      "' (a pipeline stage is one layer; list the instances)");
    CimLayer cim;
    if (std::string why = ToCimLayer(layer.problem, &cim); !why.empty())
      throw UserError(
          why.find(layer.name) == std::string::npos ? "layer '" + layer.name + "': " + why : why);
    layers.push_back(cim);
  }
  if (layers.empty())
    throw UserError("workload '" + workload.name() + "' has no conv or matmul layer to tune");
  return layers;
}

std::vector<Stage> MakeStages(const Workload& workload, const std::vector<int>& indices,
                              const TimingModel& model, const CimArch& arch,
                              const std::string& arch_key, EvaluationCache& cache) {
  std::vector<Stage> stages;
  for (int index : indices) {
    const Layer& layer = workload.layer(index);
    if (std::string why = model.Supports(layer.problem, &arch); !why.empty())
      throw UserError(
          why.find(layer.name) == std::string::npos ? "layer '" + layer.name + "': " + why : why);
    stages.emplace_back(index, layer.problem, model, arch,
                        LayerKey(model.Name(), arch_key, layer.problem), cache);
    if (!stages.back().StartProblem().empty()) throw UserError(stages.back().StartProblem());
  }
  if (stages.empty())
    throw UserError("workload '" + workload.name() + "' has no conv or matmul layer to tune");
  return stages;
}

// One copy of every layer (default layouts) must fit, else nothing can be
// allocated.
void CheckNetworkFits(const Workload& workload, const std::vector<Stage>& stages,
                      const std::vector<Schedule>& layouts, const CimArch& arch,
                      std::int64_t budget) {
  std::int64_t used = 0;
  std::size_t largest = 0;
  std::vector<std::int64_t> units;
  for (std::size_t i = 0; i < stages.size(); ++i) {
    units.push_back(stages[i].Unit(layouts[i]));
    used += units.back();
    if (units[i] > units[largest]) largest = i;
  }
  if (used <= budget) return;
  throw UserError("workload '" + workload.name() + "' does not fit on chip '" + arch.name +
                  "': one weight copy of each of its " + std::to_string(stages.size()) +
                  " layers needs " + std::to_string(used) + " arrays but the chip has " +
                  std::to_string(arch.TotalArrays()) + "; the largest is layer '" +
                  stages[largest].name() + "' with " + std::to_string(units[largest]) + " arrays");
}

ArrayAllocation Allocate(const std::vector<std::vector<StageOption>>& options, std::int64_t budget,
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
                             const ArrayAllocation& a) {
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

// A size for the reprogrammed region and what its layers then take (the region's cycles).
struct RegionChoice {
  std::int64_t arrays = 0;
  std::int64_t cycles = 0;
};

// Lexicographic score of an allocation beside a region: (primary, secondary) by the objective.
std::pair<std::int64_t, std::int64_t> SystemScore(const ArrayAllocation& a, const RegionChoice& r,
                                                  NetworkObjective objective) {
  const std::int64_t bottleneck = std::max(a.bottleneck_cycles, r.cycles);
  const std::int64_t total = a.total_cycles + r.cycles;
  return objective == NetworkObjective::kBottleneck ? std::make_pair(bottleneck, total)
                                                    : std::make_pair(total, bottleneck);
}

// Steps 2-6 of the header over the resident stages and `all` arrays. With `regions` (sizes of
// the reprogrammed region, not empty when layers are reprogrammed), the region is the one whose
// first exact allocation of the rest scores best; result.system.region_arrays is set.
void TuneResidents(const Workload& workload, const std::vector<Stage>& stages, const CimArch& arch,
                   std::int64_t all, const std::vector<RegionChoice>& regions,
                   const CimNetworkOptions& options, CimNetworkResult& result) {
  const std::size_t n = stages.size();
  const int threads = std::max(1, options.evolution.threads);
  std::vector<Schedule> defaults;
  std::int64_t minimum = 0;  // arrays of one step of every stage
  for (const Stage& s : stages) {
    defaults.push_back(s.DefaultLayout());
    minimum += s.Unit(defaults.back());
  }
  std::int64_t smallest_region = regions.empty() ? 0 : regions.front().arrays;
  for (const RegionChoice& r : regions) smallest_region = std::min(smallest_region, r.arrays);
  CheckNetworkFits(workload, stages, defaults, arch, all - smallest_region);

  result.resource_knob = std::string(stages.front().Resource());
  Choices choices{std::vector<std::vector<StageOption>>(n), std::vector<std::vector<Schedule>>(n)};
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t room = all - smallest_region - minimum + stages[i].Unit(defaults[i]);
    AddLadder(stages[i], defaults[i], room, threads, i, choices);
    // Not expected (the start layout's one copy is valid and fits `room`), but never indexed.
    if (choices.options[i].empty())
      throw UserError("layer '" + stages[i].name() + "': no valid schedule of its start layout " +
                      "within " + std::to_string(room) + " arrays of chip '" + arch.name + "'");
  }
  std::int64_t budget = all;
  if (!regions.empty()) {
    std::optional<std::pair<std::int64_t, std::int64_t>> best;
    for (const RegionChoice& r : regions) {
      if (all - r.arrays < minimum) continue;
      const ArrayAllocation a = Allocate(choices.options, all - r.arrays, options.objective);
      if (!a.feasible()) continue;
      const auto score = SystemScore(a, r, options.objective);
      if (!best || score < *best) {
        best = score;
        budget = all - r.arrays;
        result.system.region_arrays = r.arrays;
      }
    }
  }
  result.greedy_allocation = GreedyDuplication(choices.options, budget);
  result.greedy = Decode(stages, choices, result.greedy_allocation);
  result.first_allocation = Allocate(choices.options, budget, options.objective);
  result.first = Decode(stages, choices, result.first_allocation);
  if (!result.first_allocation.feasible())
    throw UserError("workload '" + workload.name() + "': its " + std::to_string(n) +
                    " resident layers cannot share the " + std::to_string(budget) +
                    " arrays left for them on chip '" + arch.name + "'");

  for (std::size_t i = 0; i < n && options.evolution.trials > 1; ++i) {
    ThrowIfStopped(options.evolution.stop);
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
}

// Which layers are reprogrammed: the largest (arrays of one default copy; the first on ties)
// until the others leave a region of at least min(largest reprogrammed copy, budget / 4)
// arrays. Returns the region's arrays; fills `streamed`.
std::int64_t PlanReprogramming(const std::vector<std::int64_t>& units, std::int64_t budget,
                               std::vector<bool>& streamed) {
  std::vector<std::size_t> order(units.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return units[a] > units[b]; });
  std::int64_t resident = 0, largest = 0;
  for (std::int64_t u : units) resident += u;
  for (std::size_t k = 0; k + 1 < order.size(); ++k) {
    if (largest > 0 && resident + std::min(largest, budget / 4) <= budget) break;
    streamed[order[k]] = true;
    resident -= units[order[k]];
    largest = std::max(largest, units[order[k]]);
  }
  return std::max<std::int64_t>(0, std::min(largest, budget - resident));
}

// PlanReprogramming left no arrays for the region: the layers it keeps resident (never all of
// them are reprogrammed) fill the whole system.
[[noreturn]] void ThrowNoRegion(const Workload& workload, const std::vector<CimLayer>& layers,
                                const std::vector<std::int64_t>& units,
                                const std::vector<bool>& streamed, const CimArch& chip,
                                std::int64_t budget) {
  std::int64_t resident = 0;
  std::string first_streamed;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    if (!streamed[i]) resident += units[i];
    if (streamed[i] && first_streamed.empty()) first_streamed = layers[i].name;
  }
  throw UserError("workload '" + workload.name() + "' does not fit on chip '" + chip.name +
                  "' even with reprogramming: its resident layers need " +
                  std::to_string(resident) + " of the " + std::to_string(budget) +
                  " arrays, leaving no region to write layer '" + first_streamed + "' into");
}

// A reprogrammed layer: one copy at the start layout, written then run, in
// ceil(arrays / region) passes when it is larger than the region.
CimStage StreamedStage(int index, const CimLayer& layer, std::int64_t region, const CimArch& chip,
                       CimMode mode) {
  const CimStartLayout start = StartLayout(layer, chip, mode);
  if (!start.ok()) throw UserError(start.invalid_reason);
  CimSchedule s = start.schedule;
  const CimTiling tiling = TileCopy(layer, s);
  const std::int64_t arrays = tiling.arrays_per_copy;
  const CimArch room = SystemArch(chip, ChipsToHold(arrays, chip));
  s.copies = 1;
  s.pixel_tiles = 1;
  s.cus = chip.cus_per_pe;
  s.pes = std::min(room.pes, CeilDiv(arrays, chip.ArraysPerPe()));
  const TimingResult r = mode == CimMode::kRefined ? EvaluateCimRefined(layer, s, room)
                                                   : EvaluateCimFormula(layer, s, room);
  if (!r.ok())
    throw UserError("layer '" + layer.name + "' cannot be reprogrammed: " + r.invalid_reason);
  const WriteCost write = WeightWriteCost(layer, tiling, chip);
  CimStage stage;
  stage.layer = index;
  stage.schedule = FromCimSchedule(s, layer, mode);
  stage.resident = false;
  stage.passes = CeilDiv(arrays, std::max<std::int64_t>(region, 1));
  stage.arrays = std::min(arrays, region);
  stage.write_cycles = write.cycles;
  stage.write_energy_pJ = write.energy_pJ;
  stage.cycles =
      stage.passes * (r.cycles - chip.pipeline_cycles) + chip.pipeline_cycles + write.cycles;
  stage.energy_pJ = r.energy_pJ + write.energy_pJ;
  return stage;
}

// Places every stage on the chips (residents in workload order, then the region), adds link
// costs to the stages, and sums up the system.
void Summarise(const std::vector<CimLayer>& layers, const std::vector<int>& macs,
               const CimArch& chip, const Workload& workload, CimNetworkResult& result) {
  CimSystemSummary& sum = result.system;
  std::vector<CimStage*> all;
  for (CimStage& s : result.tuned) all.push_back(&s);
  for (CimStage& s : result.streamed) all.push_back(&s);
  std::stable_sort(all.begin(), all.end(),
                   [](const CimStage* a, const CimStage* b) { return a->layer < b->layer; });
  std::vector<CimLayer> ordered;
  std::vector<std::int64_t> start, arrays;
  std::int64_t next = 0, resident_arrays = 0;
  for (const CimStage& s : result.tuned) resident_arrays += s.arrays;
  for (CimStage* s : all) {
    const std::size_t k = std::find(macs.begin(), macs.end(), s->layer) - macs.begin();
    ordered.push_back(layers[k]);
    start.push_back(s->resident ? next : resident_arrays);
    arrays.push_back(s->resident ? s->arrays : sum.region_arrays);
    if (s->resident) next += s->arrays;
  }
  const std::vector<ChipSpan> spans = PlaceOnChips(ordered, start, arrays, chip);
  for (std::size_t i = 0; i < all.size(); ++i) {
    CimStage& s = *all[i];
    s.first_chip = spans[i].first_chip;
    s.last_chip = spans[i].last_chip;
    const LinkCost link = LinkTransfer(spans[i].link_words, chip);
    s.link_bytes = link.bytes;
    s.link_cycles = link.cycles;
    s.link_energy_pJ = link.energy_pJ;
    s.cycles += link.cycles;
    s.energy_pJ += link.energy_pJ;
    sum.link_bytes += link.bytes;
    sum.link_cycles += link.cycles;
    sum.link_energy_pJ += link.energy_pJ;
    sum.total_cycles += s.cycles;
    sum.energy_pJ += s.energy_pJ;
    if (s.resident && s.cycles > sum.bottleneck_cycles) {
      sum.bottleneck_cycles = s.cycles;
      sum.bottleneck_layer = workload.layer(s.layer).name;
    }
    if (!s.resident) {
      sum.region_cycles += s.cycles;
      sum.write_cycles += s.write_cycles;
      sum.write_energy_pJ += s.write_energy_pJ;
      sum.cells_written +=
          WeightWriteCost(ordered[i], TileCopy(ordered[i], CimSchedule{}), chip).cells;
    }
  }
  sum.reprogrammed_layers = static_cast<std::int64_t>(result.streamed.size());
  sum.arrays_used = resident_arrays + sum.region_arrays;
  if (sum.region_cycles > sum.bottleneck_cycles) {
    sum.bottleneck_cycles = sum.region_cycles;
    sum.bottleneck_layer = "reprogrammed region";
  }
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
                                const CimArch& chip, const std::string& arch_key,
                                EvaluationCache& cache, const CimNetworkOptions& options) {
  const bool refined = model.Name() == "cim-refined";
  const CimMode mode = refined ? CimMode::kRefined : CimMode::kFormula;
  const std::vector<int> macs = workload.MacLayers();
  const std::vector<CimLayer> layers = ReadCimLayers(workload, model);
  std::vector<std::int64_t> units;  // arrays of one copy at the start layout
  std::int64_t needed = 0;
  for (const CimLayer& l : layers) {
    const CimStartLayout start = StartLayout(l, chip, mode);
    if (!start.ok()) throw UserError(start.invalid_reason);
    units.push_back(ArraysPerCopy(l, start.schedule));
    needed += units.back();
  }
  std::int64_t chips = options.chips < 0 ? chip.chips : options.chips;
  if (chips == 0) chips = refined ? ChipsToHold(needed, chip) : 1;
  if (chips > 1 && chip.link_bytes_per_cycle <= 0)
    throw UserError("chip '" + chip.name + "': " + std::to_string(chips) +
                    " chips need a 'link:' section (bytes_per_cycle, energy_pJ_per_byte)");
  const CimArch system = SystemArch(chip, chips);
  const std::int64_t budget = system.TotalArrays();

  CimNetworkResult result;
  result.system.chips = chips;
  result.system.arrays_available = budget;
  std::vector<bool> streamed(layers.size(), false);
  std::vector<RegionChoice> regions;
  if (refined && needed > budget && chip.write_cycles_per_row > 0) {
    // Region sizes to choose from: the largest useful one, then halves of it.
    const std::int64_t largest_region = PlanReprogramming(units, budget, streamed);
    if (largest_region < 1) ThrowNoRegion(workload, layers, units, streamed, chip, budget);
    for (std::int64_t r = largest_region; r >= 1 && regions.size() < 8; r /= 2) {
      RegionChoice choice{r, 0};
      for (std::size_t i = 0; i < layers.size(); ++i)
        if (streamed[i]) choice.cycles += StreamedStage(macs[i], layers[i], r, chip, mode).cycles;
      regions.push_back(choice);
    }
  }
  std::vector<int> residents;
  for (std::size_t i = 0; i < layers.size(); ++i)
    if (!streamed[i]) residents.push_back(macs[i]);
  const std::string key = chips > 1 ? arch_key + "x" + std::to_string(chips) : arch_key;
  const std::vector<Stage> stages = MakeStages(workload, residents, model, system, key, cache);
  TuneResidents(workload, stages, system, budget, regions, options, result);
  for (std::size_t i = 0; i < layers.size(); ++i)
    if (streamed[i])
      result.streamed.push_back(
          StreamedStage(macs[i], layers[i], result.system.region_arrays, chip, mode));
  result.arrays_available = budget;
  Summarise(layers, macs, chip, workload, result);
  return result;
}

}  // namespace tessel
