// The compute-in-memory timing models: how long and how much energy a conv or matmul layer takes
// on a crossbar chip (arch/cim_arch.h), given a schedule of the layer onto the arrays.
//
// The weights of a layer form a matrix of k*k*C rows by K filters. A schedule lays it onto
// arrays: `rows_used` wordlines per array (a tile of the k*k*C rows) and `filters_per_array`
// whole filters side by side (each taking ceil(weight_bits / cell_bits) columns). All arrays of
// a weight copy apply one input vector at once; that "batch" takes ceil(input_bits / dac_bits)
// array reads. The W*H*N input vectors of the layer are shared out over the copies.
//
//   cim-formula  The published crossbar timing formula, exactly (real-valued inside the ceil):
//                  total = number_batch * cycle_batch + pipeline_cycles (6),
//                  cycle_batch = input_bits / dac_bits,
//                  number_batch = ceil((kkC / rows_used) * (K / filters_per_array) * W*H*N
//                                      / (arrays_per_cu * CUs)),  CUs = pes * cus.
//                It shares arrays fractionally between copies (an optimistic bound).
//   cim-refined  Whole weight copies packed into CUs and PEs with a ceiling at every level,
//                copies spanning several PEs when one PE is too small, pixel tiling across PE
//                groups, ADC time-multiplexing, buffer capacity, energy per component. Never
//                fewer cycles than the whole-copy bound; rejects a layer one copy of which needs
//                more arrays than the chip has.
// docs/cim.md derives both and states every modelling choice.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tessel/arch/cim_arch.h"
#include "tessel/model/cim_layer.h"
#include "tessel/model/timing_model.h"

namespace tessel {

enum class CimMode { kFormula, kRefined };

// Knob names, as Schedule::knobs and the JSON spell them.
inline constexpr std::string_view kKnobRowsUsed = "rows_used";
inline constexpr std::string_view kKnobFiltersPerArray = "filters_per_array";
inline constexpr std::string_view kKnobCopies = "copies";
inline constexpr std::string_view kKnobPes = "pes";
inline constexpr std::string_view kKnobCus = "cus";
inline constexpr std::string_view kKnobPixelTiles = "pixel_tiles";
// Grouped convs only: 1 = every group on arrays of its own, the groups side by side; n > 1 = n
// whole groups stacked block-diagonally in one array (each on its own rows and columns).
inline constexpr std::string_view kKnobGroupsPerArray = "groups_per_array";

// A CIM schedule as plain numbers. cim-formula reads rows_used, filters_per_array, pes, cus,
// groups_per_array; cim-refined reads all seven.
struct CimSchedule {
  std::int64_t rows_used = 1;          // wordlines used per array: 1..min(array_rows, k*k*C)
  std::int64_t filters_per_array = 1;  // whole filters per array: 1..MaxFiltersPerArray()
  std::int64_t copies = 1;             // whole weight copies on the chip
  std::int64_t pes = 1;                // PEs allocated to the layer
  std::int64_t cus = 1;                // CUs used in each allocated PE
  std::int64_t pixel_tiles = 1;        // bands of output rows, each on its own group of PEs
  std::int64_t groups_per_array = 1;   // grouped convs: groups stacked in one array (1 = none)
};

// How one weight copy of a layer lies on arrays under a schedule.
//   groups_per_array = 1: every group tiled on its own arrays, row_tiles = ceil(k*k*C /
//     rows_used) by column_tiles = ceil(K / filters_per_array), arrays = G * row_tiles *
//     column_tiles; a full array uses rows_used rows and filters_per_array filters.
//   groups_per_array = n > 1: n whole groups block-diagonally in one array (n*k*k*C rows, n*K
//     filters), row_tiles = column_tiles = 1, arrays = ceil(G / n). rows_used and
//     filters_per_array are not read (each group takes all its rows and filters).
struct CimTiling {
  std::int64_t row_tiles = 1;     // per group
  std::int64_t column_tiles = 1;  // per group
  std::int64_t groups_per_array = 1;
  std::int64_t arrays_per_copy = 1;
  std::int64_t rows_per_array = 1;     // wordlines a full array uses
  std::int64_t filters_per_array = 1;  // filters a full array holds
  // Wordlines driven per input vector over the whole copy (rows of every array, summed).
  std::int64_t DrivenRows(const CimLayer& layer) const {
    return layer.groups * layer.WeightRows() * column_tiles;
  }
};
CimTiling TileCopy(const CimLayer& layer, const CimSchedule& schedule);

// Most groups one array holds stacked: min(G, floor(rows / k*k*C), floor(filters_max / K)),
// at least 1.
std::int64_t MaxGroupsPerArray(const CimLayer& layer, const CimArch& arch);

// The knobs of `mode` for `layer` on `arch`, in the order above (formula: no copies, no
// pixel_tiles; groups_per_array only for a grouped layer). Defaults: rows_used = min(array_rows,
// k*k*C), filters_per_array = MaxFiltersPerArray(), pes and cus = all of the chip; refined:
// copies = as many whole copies as the whole chip holds (at most W*H*N), pixel_tiles = 1;
// groups_per_array = MaxGroupsPerArray (the densest).
std::vector<Knob> CimKnobs(const CimLayer& layer, const CimArch& arch, CimMode mode);

// `schedule`'s knob values with the defaults of CimKnobs for those it leaves out. Assumes
// CheckKnobs(CimKnobs(...), schedule) passed.
CimSchedule ToCimSchedule(const Schedule& schedule, const CimLayer& layer, const CimArch& arch,
                          CimMode mode);
// The knobs `mode` reads for `layer`, by name.
Schedule FromCimSchedule(const CimSchedule& schedule, const CimLayer& layer, CimMode mode);

// Arrays one whole weight copy occupies: TileCopy(layer, schedule).arrays_per_copy
// (ceil(k*k*C / rows_used) * ceil(K / filters_per_array) for an ungrouped layer).
std::int64_t ArraysPerCopy(const CimLayer& layer, const CimSchedule& schedule);

// "" when one copy, laid out as densely as the arrays allow, fits on the chip; else
// "layer 'NAME' does not fit on chip 'ARCH': ..." with the numbers.
std::string CheckLayerFits(const CimLayer& layer, const CimArch& arch);

// How whole copies of `arrays_per_copy` arrays pack into `pes` PEs using `cus` CUs each.
struct CimPlacement {
  std::int64_t copies_per_pe = 0;  // 0 when one copy spans several PEs
  std::int64_t cus_per_copy = 0;   // ceil(arrays_per_copy / arrays_per_cu)
  std::int64_t pes_per_copy = 1;   // ceil(cus_per_copy / cus); 1 when copies share a PE
  std::int64_t capacity = 0;       // whole copies that fit in the allocation
};
CimPlacement PlaceCopies(std::int64_t arrays_per_copy, std::int64_t pes, std::int64_t cus,
                         const CimArch& arch);

// The models themselves. Preconditions: CheckCimArch(arch) is empty, the schedule's knobs are in
// their CimKnobs ranges. Invalid combinations give TimingResult::invalid_reason.
TimingResult EvaluateCimFormula(const CimLayer& layer, const CimSchedule& schedule,
                                const CimArch& arch);
TimingResult EvaluateCimRefined(const CimLayer& layer, const CimSchedule& schedule,
                                const CimArch& arch);

// A whole network resident on one chip at once: every layer's copies x arrays per copy, summed,
// must not exceed the chip's arrays.
struct ArrayBudget {
  std::vector<std::int64_t> arrays_per_layer;  // copies * ArraysPerCopy, parallel to the layers
  std::int64_t arrays_used = 0;
  std::int64_t arrays_available = 0;  // arch.TotalArrays()
  std::string invalid_reason;         // "" when arrays_used <= arrays_available
  bool ok() const { return invalid_reason.empty(); }
};
// `layers` and `schedules` are parallel.
ArrayBudget CheckArrayBudget(std::span<const CimLayer> layers,
                             std::span<const CimSchedule> schedules, const CimArch& arch);

// cim-formula / cim-refined behind the TimingModel interface: the layer is a Problem read by
// ToCimLayer, the arch must be a CimArch.
class CimTimingModel final : public TimingModel {
 public:
  explicit CimTimingModel(CimMode mode) : mode_(mode) {}
  std::string_view Name() const override;
  std::string_view Description() const override;
  std::string Supports(const Problem& layer, ArchRef arch) const override;
  std::vector<Knob> Knobs(const Problem& layer, ArchRef arch) const override;
  TimingResult Evaluate(const Problem& layer, const Schedule& schedule,
                        ArchRef arch) const override;

 private:
  CimMode mode_;
};

}  // namespace tessel
