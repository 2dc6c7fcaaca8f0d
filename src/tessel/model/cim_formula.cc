// cim-formula: the published crossbar timing formula, exactly.
//
//   total_cycles = number_batch * cycle_batch + 6
//   cycle_batch  = input_bits / DAC_bits
//   number_batch = ceil( (k*k*C / used_wordlines) * (K / filters_per_array) * W*H*N
//                        / (arrays_per_CU * CUs) )
//
// The divisions inside the ceil are real-valued; they are evaluated here as one exact rational
// ceil(numerator / denominator) in 128-bit integers, so no rounding can move a result across an
// integer. cycle_batch is ceil(input_bits / dac_bits), which is the formula's value whenever
// dac_bits divides input_bits (every published configuration; a DAC step cannot be fractional).
// The "+ 6" is CimArch::pipeline_cycles (6 by default).
#include "tessel/model/cim_activity.h"
#include "tessel/model/cim_model.h"

namespace tessel {

TimingResult EvaluateCimFormula(const CimLayer& layer, const CimSchedule& s, const CimArch& arch) {
  TimingResult result;
  result.invalid_reason = CheckCimScheduleRanges(s, layer, arch);
  if (!result.ok()) return result;
  const std::int64_t cus = s.pes * s.cus;
  const CimTiling tiling = TileCopy(layer, s);
  using Wide = unsigned __int128;
  // (kkC / rows_used) * (K / filters) * G * WHN / (arrays_per_cu * CUs), as one fraction; with
  // n groups stacked per array the copy is G / n arrays: G * WHN / (n * arrays_per_cu * CUs).
  const bool stacked = tiling.groups_per_array > 1;
  const Wide numerator =
      static_cast<Wide>(layer.groups) * static_cast<Wide>(layer.OutputVectors()) *
      (stacked ? Wide{1}
               : static_cast<Wide>(layer.WeightRows()) * static_cast<Wide>(layer.out_channels));
  const Wide denominator =
      static_cast<Wide>(arch.arrays_per_cu) * static_cast<Wide>(cus) *
      (stacked ? static_cast<Wide>(tiling.groups_per_array)
               : static_cast<Wide>(s.rows_used) * static_cast<Wide>(s.filters_per_array));
  const auto number_batch = static_cast<std::int64_t>((numerator + denominator - 1) / denominator);
  const std::int64_t cycle_batch = arch.InputSteps();

  result.cycles = number_batch * cycle_batch + arch.pipeline_cycles;
  result.counts = {{"weight_rows", layer.WeightRows()},
                   {"filters", layer.TotalFilters()},
                   {"output_vectors", layer.OutputVectors()},
                   {"arrays_per_cu", arch.arrays_per_cu},
                   {"cus", cus},
                   {"number_batch", number_batch},
                   {"cycle_batch", cycle_batch},
                   {"pipeline_cycles", arch.pipeline_cycles}};
  // Energy: the formula has none. The same per-component counts as cim-refined, for the arrays
  // the schedule's tiles physically occupy, with every input word delivered to a PE buffer once.
  AddActivity(LayerActivity(layer, tiling, layer.InputWords(), 0, arch), arch, &result);
  return result;
}

}  // namespace tessel
