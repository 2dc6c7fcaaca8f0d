// cim-refined: the crossbar timing formula with whole weight copies and the ceilings real
// hardware imposes.
//
//   arrays_per_copy = ceil(kkC / rows_used) * ceil(K / filters_per_array)      (whole arrays)
//   copies pack into CUs, CUs into PEs (PlaceCopies), a ceiling at each level
//   band_rows       = ceil(N*H / pixel_tiles); each band has copies / pixel_tiles copies
//   batches         = ceil(band_rows * W / (copies / pixel_tiles))
//   cycles_per_step = max(1, ceil(conversions per ADC per step / adc samples per cycle))
//   cycles          = batches * steps * cycles_per_step + pipeline_cycles
//                     + (pes_per_copy - 1) * inter_pe_cycles
//
// Every term is >= its cim-formula counterpart, so cycles >= the whole-copy bound
// ceil(W*H*N / floor(chip arrays / densest arrays_per_copy)) * steps + pipeline_cycles >= the
// formula's cycles. docs/cim.md explains each choice.
#include <algorithm>

#include "tessel/model/cim_activity.h"
#include "tessel/model/cim_model.h"

namespace tessel {
namespace {

// Where the copies go; filled by Place, which also says why a schedule cannot be placed.
struct Layout {
  CimTiling tiling;
  std::int64_t arrays_per_copy = 0;
  CimPlacement placement;
  std::int64_t copies_per_band = 0;
  std::int64_t pes_per_band = 0;
  std::int64_t pes_used = 0;
};

std::string Place(const CimLayer& layer, const CimSchedule& s, const CimArch& arch, Layout* out) {
  const std::string who = "layer '" + layer.name + "': ";
  out->tiling = TileCopy(layer, s);
  out->arrays_per_copy = out->tiling.arrays_per_copy;
  out->placement = PlaceCopies(out->arrays_per_copy, s.pes, s.cus, arch);
  const std::string allocation = std::to_string(s.pes) + " PEs x " + std::to_string(s.cus) +
                                 " CUs x " + std::to_string(arch.arrays_per_cu) + " arrays";
  if (out->placement.capacity == 0)
    return who + "one weight copy of " + std::to_string(out->arrays_per_copy) +
           " arrays does not fit in the allocated " + allocation;
  if (s.copies > out->placement.capacity)
    return who + "copies=" + std::to_string(s.copies) + " exceed the " +
           std::to_string(out->placement.capacity) + " whole copies of " +
           std::to_string(out->arrays_per_copy) + " arrays that fit in " + allocation;
  const std::int64_t rows = layer.batch * layer.out_h;
  if (s.pixel_tiles > rows)
    return who + "pixel_tiles=" + std::to_string(s.pixel_tiles) + " exceed the " +
           std::to_string(rows) + " output rows (N*H)";
  if (s.copies % s.pixel_tiles != 0)
    return who + "copies=" + std::to_string(s.copies) +
           " must be a multiple of pixel_tiles=" + std::to_string(s.pixel_tiles) +
           " (every band gets the same number of copies)";
  out->copies_per_band = s.copies / s.pixel_tiles;
  const CimPlacement& p = out->placement;
  out->pes_per_band = p.copies_per_pe > 0 ? CeilDiv(out->copies_per_band, p.copies_per_pe)
                                          : out->copies_per_band * p.pes_per_copy;
  out->pes_used = s.pixel_tiles * out->pes_per_band;
  if (out->pes_used > s.pes)
    return who + "pixel_tiles=" + std::to_string(s.pixel_tiles) + " bands of " +
           std::to_string(out->copies_per_band) + " copies need " + std::to_string(out->pes_used) +
           " PEs but pes=" + std::to_string(s.pes);
  return "";
}

// The CU buffers must hold one batch: the distinct input words its arrays apply, and the
// partial sums its arrays produce (input_bits-bit words, the next layer's input precision).
std::string CheckCuBuffers(const CimLayer& layer, const CimArch& arch, const Layout& layout) {
  const std::int64_t a = layout.arrays_per_copy;
  const CimTiling& t = layout.tiling;
  const bool shared_cu = a <= arch.arrays_per_cu;
  // Copies sharing a CU work on different vectors; arrays of one copy in one CU share the
  // inputs of a row tile when they hold its column tiles side by side.
  const std::int64_t copy_inputs = layer.groups * layer.WeightRows();
  const std::int64_t input_words =
      shared_cu
          ? (arch.arrays_per_cu / a) * copy_inputs
          : std::min(copy_inputs, CeilDiv(arch.arrays_per_cu, t.column_tiles) * t.rows_per_array);
  const std::int64_t arrays_used = shared_cu ? (arch.arrays_per_cu / a) * a : arch.arrays_per_cu;
  const std::int64_t output_words = arrays_used * t.filters_per_array;
  const std::int64_t input_bytes = CeilDiv(input_words * arch.input_bits, 8);
  const std::int64_t output_bytes = CeilDiv(output_words * arch.input_bits, 8);
  const std::string who = "layer '" + layer.name + "': ";
  if (input_bytes > arch.cu_input_buffer_bytes)
    return who + "one batch applies " + std::to_string(input_words) + " distinct input words (" +
           std::to_string(input_bytes) + " bytes) in a CU but its input buffer holds " +
           std::to_string(arch.cu_input_buffer_bytes) + " bytes; use fewer rows_used";
  if (output_bytes > arch.cu_output_buffer_bytes)
    return who + "one batch produces " + std::to_string(output_words) + " partial sums (" +
           std::to_string(output_bytes) + " bytes) in a CU but its output buffer holds " +
           std::to_string(arch.cu_output_buffer_bytes) + " bytes; use fewer filters_per_array";
  return "";
}

// Input words delivered into PE buffers: every PE of a band gets the band's share of the input
// plus the halo rows a band boundary repeats ((kernel_h - 1) * dilation + 1 - stride rows).
std::int64_t InputWordsDelivered(const CimLayer& layer, const CimSchedule& s,
                                 const Layout& layout) {
  const std::int64_t whole = layer.InputWords();
  std::int64_t per_band = whole;
  if (s.pixel_tiles > 1) {
    const std::int64_t halo_rows =
        std::max<std::int64_t>(0, (layer.kernel_h - 1) * layer.dilation_h + 1 - layer.stride_h);
    const std::int64_t halo = halo_rows * layer.InputW() * layer.in_channels * layer.groups;
    per_band = std::min(whole, CeilDiv(whole, s.pixel_tiles) + halo);
  }
  return s.pixel_tiles * layout.pes_per_band * per_band;
}

}  // namespace

TimingResult EvaluateCimRefined(const CimLayer& layer, const CimSchedule& s, const CimArch& arch) {
  TimingResult result;
  result.invalid_reason = CheckCimScheduleRanges(s, layer, arch);
  if (result.ok()) result.invalid_reason = CheckLayerFits(layer, arch);
  Layout layout;
  if (result.ok()) result.invalid_reason = Place(layer, s, arch, &layout);
  if (result.ok()) result.invalid_reason = CheckCuBuffers(layer, arch, layout);
  if (!result.ok()) return result;

  const std::int64_t band_rows = CeilDiv(layer.batch * layer.out_h, s.pixel_tiles);
  const std::int64_t batches = CeilDiv(band_rows * layer.out_w, layout.copies_per_band);
  // ADC time-multiplexing: an array's used columns spread evenly over its ADCs (the placement
  // of filters across column groups is free); conversions beyond one cycle's worth serialize.
  const std::int64_t used_columns = layout.tiling.filters_per_array * arch.WeightSlices();
  const std::int64_t conversions_per_adc = CeilDiv(used_columns, arch.AdcsPerArray());
  const std::int64_t cycles_per_step =
      std::max<std::int64_t>(1, CeilDiv(conversions_per_adc, arch.adc_samples_per_cycle));
  const std::int64_t cycle_batch = arch.InputSteps() * cycles_per_step;
  const std::int64_t inter_pe = (layout.placement.pes_per_copy - 1) * arch.inter_pe_cycles;
  result.cycles = batches * cycle_batch + arch.pipeline_cycles + inter_pe;

  result.counts = {{"weight_rows", layer.WeightRows()},
                   {"filters", layer.TotalFilters()},
                   {"output_vectors", layer.OutputVectors()},
                   {"row_tiles", layout.tiling.row_tiles},
                   {"column_tiles", layout.tiling.column_tiles},
                   {"arrays_per_copy", layout.arrays_per_copy},
                   {"copies", s.copies},
                   {"copy_capacity", layout.placement.capacity},
                   {"arrays_used", s.copies * layout.arrays_per_copy},
                   {"pes_per_copy", layout.placement.pes_per_copy},
                   {"pes_used", layout.pes_used},
                   {"copies_per_band", layout.copies_per_band},
                   {"batches", batches},
                   {"steps_per_batch", arch.InputSteps()},
                   {"conversions_per_adc_per_step", conversions_per_adc},
                   {"cycles_per_step", cycles_per_step},
                   {"cycle_batch", cycle_batch},
                   {"pipeline_cycles", arch.pipeline_cycles},
                   {"inter_pe_cycles", inter_pe}};
  const std::int64_t cross_pe_partial_sums =
      layer.OutputVectors() * layer.TotalFilters() * (layout.placement.pes_per_copy - 1);
  AddActivity(LayerActivity(layer, layout.tiling, InputWordsDelivered(layer, s, layout),
                            cross_pe_partial_sums, arch),
              arch, &result);
  return result;
}

}  // namespace tessel
