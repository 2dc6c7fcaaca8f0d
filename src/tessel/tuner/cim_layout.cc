#include "tessel/tuner/cim_layout.h"

#include <optional>
#include <tuple>
#include <vector>

namespace tessel {
namespace {

std::int64_t CeilDiv(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// One copy of `s` at pixel_tiles = 1, evaluated by the model of `mode` on `arch` with as many
// more PEs (all allocated) as the copy needs: whether the network has room for the layout is
// the allocation's question (CheckNetworkFits, the ladders), not this one's.
TimingResult EvaluateOneCopy(const CimLayer& layer, CimSchedule s, CimArch arch, CimMode mode) {
  const std::int64_t arrays = ArraysPerCopy(layer, s);
  if (arrays > arch.TotalArrays()) {
    arch.pes = CeilDiv(arrays, arch.ArraysPerPe());
    s.pes = arch.pes;
  }
  s.copies = 1;
  s.pixel_tiles = 1;
  return mode == CimMode::kRefined ? EvaluateCimRefined(layer, s, arch)
                                   : EvaluateCimFormula(layer, s, arch);
}

std::vector<std::int64_t> SuggestedValues(const std::vector<Knob>& knobs, std::string_view name) {
  for (const Knob& k : knobs)
    if (k.name == name) return k.suggested;
  return {1};
}

}  // namespace

CimStartLayout StartLayout(const CimLayer& layer, const CimArch& arch, CimMode mode) {
  CimStartLayout start;
  start.schedule = ToCimSchedule(Schedule{}, layer, arch, mode);
  start.schedule.copies = 1;
  start.schedule.pixel_tiles = 1;
  const TimingResult at_default = EvaluateOneCopy(layer, start.schedule, arch, mode);
  if (at_default.ok()) return start;

  const std::vector<Knob> knobs = CimKnobs(layer, arch, mode);
  const std::vector<std::int64_t> groups =
      layer.groups > 1 ? SuggestedValues(knobs, kKnobGroupsPerArray) : std::vector<std::int64_t>{1};
  // Best so far: (arrays per copy, cycles, energy, -rows_used, -filters_per_array), smallest wins.
  std::optional<std::tuple<std::int64_t, std::int64_t, double, std::int64_t, std::int64_t>> best;
  std::int64_t tried = 0;
  for (std::int64_t rows : SuggestedValues(knobs, kKnobRowsUsed))
    for (std::int64_t filters : SuggestedValues(knobs, kKnobFiltersPerArray))
      for (std::int64_t g : groups) {
        CimSchedule s = start.schedule;
        s.rows_used = rows;
        s.filters_per_array = filters;
        s.groups_per_array = g;
        ++tried;
        const TimingResult r = EvaluateOneCopy(layer, s, arch, mode);
        if (!r.ok()) continue;
        const auto key =
            std::make_tuple(ArraysPerCopy(layer, s), r.cycles, r.energy_pJ, -rows, -filters);
        if (best && !(key < *best)) continue;
        best = key;
        start.schedule = s;
        start.is_default = false;
      }
  if (!best)
    start.invalid_reason = "layer '" + layer.name +
                           "': no layout of its weights is valid on chip '" + arch.name + "' (" +
                           std::to_string(tried) +
                           " rows_used x filters_per_array values tried); at the default layout: " +
                           at_default.invalid_reason;
  return start;
}

}  // namespace tessel
