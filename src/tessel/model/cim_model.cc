// CIM schedules: knobs, defaults, copy placement, the network array budget, and the
// TimingModel adapter. The two timing models are in cim_formula.cc and cim_refined.cc.
#include "tessel/model/cim_model.h"

#include <algorithm>
#include <set>

#include "tessel/model/cim_activity.h"

namespace tessel {
namespace {

// Values worth sampling first: powers of two, `extra`, the default and the max, all in range.
std::vector<std::int64_t> Suggest(std::int64_t min, std::int64_t max, std::int64_t default_value,
                                  const std::vector<std::int64_t>& extra) {
  std::set<std::int64_t> values = {default_value, min, max};
  for (std::int64_t p = 1; p <= max && p > 0; p *= 2) values.insert(p);
  values.insert(extra.begin(), extra.end());
  std::vector<std::int64_t> out;
  for (std::int64_t v : values)
    if (v >= min && v <= max) out.push_back(v);
  return out;
}

// Tile sizes that split `total` into n balanced tiles, for the smallest few n with tiles <= cap.
std::vector<std::int64_t> BalancedTiles(std::int64_t total, std::int64_t cap) {
  std::vector<std::int64_t> tiles;
  for (std::int64_t n = CeilDiv(total, cap), k = 0; k < 8 && n <= total; ++n, ++k)
    tiles.push_back(CeilDiv(total, n));
  return tiles;
}

std::vector<std::int64_t> Divisors(std::int64_t n) {
  std::vector<std::int64_t> out;
  for (std::int64_t d = 1; d * d <= n; ++d)
    if (n % d == 0) out.insert(out.end(), {d, n / d});
  return out;
}

// The densest layout: every array's rows and columns as full as the layer allows.
CimSchedule DensestLayout(const CimLayer& layer, const CimArch& arch) {
  CimSchedule s;
  s.rows_used = std::min(arch.array_rows, layer.WeightRows());
  s.filters_per_array = arch.MaxFiltersPerArray();
  s.pes = arch.pes;
  s.cus = arch.cus_per_pe;
  // Stacking groups never takes more arrays than side by side: a group then fits one array.
  s.groups_per_array = MaxGroupsPerArray(layer, arch);
  return s;
}

// Whole copies the whole chip holds at the densest layout, at most one per output vector.
std::int64_t MaxCopies(const CimLayer& layer, const CimArch& arch) {
  const std::int64_t arrays = ArraysPerCopy(layer, DensestLayout(layer, arch));
  const std::int64_t capacity = PlaceCopies(arrays, arch.pes, arch.cus_per_pe, arch).capacity;
  return std::max<std::int64_t>(1, std::min(capacity, layer.OutputVectors()));
}

}  // namespace

std::vector<Knob> CimKnobs(const CimLayer& layer, const CimArch& arch, CimMode mode) {
  // Every knob ranges over [1, max]; `extra` are the tuner's first picks besides powers of two.
  auto knob = [](std::string_view name, const char* help, std::int64_t max,
                 std::int64_t default_value, const std::vector<std::int64_t>& extra) {
    return Knob{
        std::string(name), help, 1, max, default_value, Suggest(1, max, default_value, extra)};
  };
  const CimSchedule dense = DensestLayout(layer, arch);
  const std::int64_t copies = MaxCopies(layer, arch);
  std::vector<Knob> knobs;
  knobs.push_back(knob(kKnobRowsUsed, "wordlines used per array: a tile of the k*k*C weight rows",
                       dense.rows_used, dense.rows_used,
                       BalancedTiles(layer.WeightRows(), dense.rows_used)));
  knobs.push_back(knob(kKnobFiltersPerArray,
                       "whole filters side by side in one array (ceil(weight_bits/cell_bits) "
                       "columns each)",
                       dense.filters_per_array, dense.filters_per_array,
                       BalancedTiles(layer.out_channels, dense.filters_per_array)));
  if (mode == CimMode::kRefined)
    knobs.push_back(knob(kKnobCopies,
                         "whole weight copies on the chip, sharing the W*H*N input vectors", copies,
                         copies, Divisors(copies)));
  knobs.push_back(
      knob(kKnobPes, "PEs allocated to the layer", arch.pes, arch.pes, Divisors(arch.pes)));
  knobs.push_back(knob(kKnobCus, "CUs used in each allocated PE", arch.cus_per_pe, arch.cus_per_pe,
                       Divisors(arch.cus_per_pe)));
  if (mode == CimMode::kRefined)
    knobs.push_back(knob(kKnobPixelTiles,
                         "bands of output rows (N*H), each on its own group of PEs and copies",
                         std::min(layer.batch * layer.out_h, copies), 1, Divisors(copies)));
  if (layer.groups > 1)
    knobs.push_back(knob(kKnobGroupsPerArray,
                         "groups stacked block-diagonally in one array (1: each group on arrays "
                         "of its own, side by side)",
                         dense.groups_per_array, dense.groups_per_array, Divisors(layer.groups)));
  return knobs;
}

CimSchedule ToCimSchedule(const Schedule& schedule, const CimLayer& layer, const CimArch& arch,
                          CimMode mode) {
  CimSchedule s;
  for (const Knob& knob : CimKnobs(layer, arch, mode)) {
    const std::int64_t value = schedule.Get(knob.name).value_or(knob.default_value);
    if (knob.name == kKnobRowsUsed) s.rows_used = value;
    if (knob.name == kKnobFiltersPerArray) s.filters_per_array = value;
    if (knob.name == kKnobCopies) s.copies = value;
    if (knob.name == kKnobPes) s.pes = value;
    if (knob.name == kKnobCus) s.cus = value;
    if (knob.name == kKnobPixelTiles) s.pixel_tiles = value;
    if (knob.name == kKnobGroupsPerArray) s.groups_per_array = value;
  }
  return s;
}

Schedule FromCimSchedule(const CimSchedule& s, const CimLayer& layer, CimMode mode) {
  Schedule schedule;
  schedule.Set(kKnobRowsUsed, s.rows_used);
  schedule.Set(kKnobFiltersPerArray, s.filters_per_array);
  if (mode == CimMode::kRefined) schedule.Set(kKnobCopies, s.copies);
  schedule.Set(kKnobPes, s.pes);
  schedule.Set(kKnobCus, s.cus);
  if (mode == CimMode::kRefined) schedule.Set(kKnobPixelTiles, s.pixel_tiles);
  if (layer.groups > 1) schedule.Set(kKnobGroupsPerArray, s.groups_per_array);
  return schedule;
}

CimTiling TileCopy(const CimLayer& layer, const CimSchedule& s) {
  CimTiling t;
  t.groups_per_array = layer.groups > 1 ? s.groups_per_array : 1;
  if (t.groups_per_array > 1) {
    t.arrays_per_copy = CeilDiv(layer.groups, t.groups_per_array);
    t.rows_per_array = t.groups_per_array * layer.WeightRows();
    t.filters_per_array = t.groups_per_array * layer.out_channels;
    return t;
  }
  t.row_tiles = CeilDiv(layer.WeightRows(), s.rows_used);
  t.column_tiles = CeilDiv(layer.out_channels, s.filters_per_array);
  t.arrays_per_copy = layer.groups * t.row_tiles * t.column_tiles;
  t.rows_per_array = std::min(s.rows_used, layer.WeightRows());
  t.filters_per_array = std::min(s.filters_per_array, layer.out_channels);
  return t;
}

std::int64_t MaxGroupsPerArray(const CimLayer& layer, const CimArch& arch) {
  if (layer.groups <= 1) return 1;
  const std::int64_t n = std::min({layer.groups, arch.array_rows / layer.WeightRows(),
                                   arch.MaxFiltersPerArray() / layer.out_channels});
  return std::max<std::int64_t>(1, n);
}

std::int64_t ArraysPerCopy(const CimLayer& layer, const CimSchedule& s) {
  return TileCopy(layer, s).arrays_per_copy;
}

std::string CheckLayerFits(const CimLayer& layer, const CimArch& arch) {
  const CimTiling t = TileCopy(layer, DensestLayout(layer, arch));
  if (t.arrays_per_copy <= arch.TotalArrays()) return "";
  const std::string groups =
      layer.groups > 1 ? std::to_string(layer.groups) + " groups x " : std::string();
  return "layer '" + layer.name + "' does not fit on chip '" + arch.name +
         "': one weight copy needs " + std::to_string(t.arrays_per_copy) + " arrays (" + groups +
         std::to_string(t.row_tiles) + " row tiles of the " + std::to_string(layer.WeightRows()) +
         " weight rows x " + std::to_string(t.column_tiles) + " column tiles of the " +
         std::to_string(layer.out_channels) + " filters) but the chip has " +
         std::to_string(arch.TotalArrays()) + " (" + std::to_string(arch.pes) + " PEs x " +
         std::to_string(arch.cus_per_pe) + " CUs x " + std::to_string(arch.arrays_per_cu) +
         " arrays)";
}

CimPlacement PlaceCopies(std::int64_t arrays_per_copy, std::int64_t pes, std::int64_t cus,
                         const CimArch& arch) {
  CimPlacement p;
  p.cus_per_copy = CeilDiv(arrays_per_copy, arch.arrays_per_cu);
  if (arrays_per_copy <= arch.arrays_per_cu) {
    // Several copies share a CU; the leftover arrays of each CU stay idle.
    p.copies_per_pe = (arch.arrays_per_cu / arrays_per_copy) * cus;
    p.capacity = p.copies_per_pe * pes;
  } else if (p.cus_per_copy <= cus) {
    // A copy takes whole CUs of one PE.
    p.copies_per_pe = cus / p.cus_per_copy;
    p.capacity = p.copies_per_pe * pes;
  } else {
    // A copy spans whole PEs; its partial sums cross PEs.
    p.pes_per_copy = CeilDiv(p.cus_per_copy, cus);
    p.capacity = pes / p.pes_per_copy;
  }
  return p;
}

ArrayBudget CheckArrayBudget(std::span<const CimLayer> layers,
                             std::span<const CimSchedule> schedules, const CimArch& arch) {
  ArrayBudget budget;
  budget.arrays_available = arch.TotalArrays();
  for (size_t i = 0; i < layers.size() && i < schedules.size(); ++i) {
    budget.arrays_per_layer.push_back(schedules[i].copies * ArraysPerCopy(layers[i], schedules[i]));
    budget.arrays_used += budget.arrays_per_layer.back();
  }
  if (layers.size() != schedules.size()) {
    budget.invalid_reason = "the network has " + std::to_string(layers.size()) + " layers but " +
                            std::to_string(schedules.size()) + " schedules";
  } else if (budget.arrays_used > budget.arrays_available) {
    size_t largest = 0;
    for (size_t i = 1; i < layers.size(); ++i)
      if (budget.arrays_per_layer[i] > budget.arrays_per_layer[largest]) largest = i;
    budget.invalid_reason =
        "the network's weight copies need " + std::to_string(budget.arrays_used) +
        " arrays but chip '" + arch.name + "' has " + std::to_string(budget.arrays_available) +
        "; the largest user is layer '" + layers[largest].name + "' with " +
        std::to_string(schedules[largest].copies) + " copies x " +
        std::to_string(ArraysPerCopy(layers[largest], schedules[largest])) + " arrays";
  }
  return budget;
}

std::string_view CimTimingModel::Name() const {
  return mode_ == CimMode::kFormula ? "cim-formula" : "cim-refined";
}

std::string_view CimTimingModel::Description() const {
  return mode_ == CimMode::kFormula
             ? "compute-in-memory crossbar timing formula (fractional array sharing)"
             : "compute-in-memory: whole weight copies, ADC sharing, per-component energy";
}

std::string CimTimingModel::Supports(const Problem& layer, ArchRef arch) const {
  if (!std::holds_alternative<const CimArch*>(arch))
    return "model '" + std::string(Name()) +
           "' needs a compute-in-memory arch (cim_architecture), not a Timeloop arch";
  const CimArch& cim = *std::get<const CimArch*>(arch);
  std::vector<CimArchIssue> issues = CheckCimArch(cim);
  if (!issues.empty()) return "chip '" + cim.name + "': " + issues.front().message;
  CimLayer cim_layer;
  std::string why = ToCimLayer(layer, &cim_layer);
  if (!why.empty() || mode_ == CimMode::kFormula) return why;
  return CheckLayerFits(cim_layer, cim);
}

std::vector<Knob> CimTimingModel::Knobs(const Problem& layer, ArchRef arch) const {
  CimLayer cim_layer;
  ToCimLayer(layer, &cim_layer);
  return CimKnobs(cim_layer, *std::get<const CimArch*>(arch), mode_);
}

TimingResult CimTimingModel::Evaluate(const Problem& layer, const Schedule& schedule,
                                      ArchRef arch) const {
  TimingResult result;
  result.invalid_reason = Supports(layer, arch);
  if (!result.ok()) return result;
  const CimArch& cim = *std::get<const CimArch*>(arch);
  CimLayer cim_layer;
  ToCimLayer(layer, &cim_layer);
  result.invalid_reason = CheckKnobs(CimKnobs(cim_layer, cim, mode_), schedule);
  if (!result.ok()) return result;
  const CimSchedule s = ToCimSchedule(schedule, cim_layer, cim, mode_);
  return mode_ == CimMode::kFormula ? EvaluateCimFormula(cim_layer, s, cim)
                                    : EvaluateCimRefined(cim_layer, s, cim);
}

}  // namespace tessel
