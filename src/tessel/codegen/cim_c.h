// C code from a tuned compute-in-memory schedule: per layer, a C function that executes the
// schedule as the crossbar would, in integer arithmetic only, so it is exact.
//
// What the emitted code does (docs/cim.md, "Code generation"):
//   program  weights [G*K][C][KH][KW] (unsigned, < 2^weight_bits) into one weight copy's cells:
//            weight rows (c, kh, kw) of a group tiled by rows_used onto wordlines, filters by
//            filters_per_array onto columns, each weight sliced into ceil(weight_bits /
//            cell_bits) cells of cell_bits side by side (least significant slice first); with
//            groups_per_array = n > 1, n groups block-diagonally in one array.
//   run      for every pixel band (pixel_tiles), every batch, every copy: one input vector
//            (unsigned inputs, < 2^input_bits) applied dac_bits at a time (least significant
//            first); at each step every array of the copy is read (all its used rows driven at
//            once), every used column converted by the ADC, the results shifted by slice and step
//            and added into the row tile's partial sums; the row tiles' partial sums are merged
//            when the vector is done. It counts the array reads and ADC conversions it performs.
// Every `sample`-th vector of the schedule's order is computed (1: all); the others are skipped
// (not counted, outputs untouched), so very large layers can be checked in part.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "tessel/arch/cim_arch.h"
#include "tessel/model/cim_layer.h"
#include "tessel/model/cim_model.h"
#include "tessel/tuner/cim_network.h"
#include "tessel/workload/workload.h"

namespace tessel {

struct CimCLayer {
  CimLayer layer;
  CimSchedule schedule;  // copies and pixel_tiles as cim-refined reads them
};

struct EmittedFile {
  std::string name;  // file name, no directory
  std::string text;
};

// The C identifier prefix of layer `index` named `name`: "l<index, 2 digits>_" + the name with
// every character outside [A-Za-z0-9_] replaced by '_'.
std::string CimCPrefix(int index, const std::string& name);

// tessel_cim.h (the counts struct, per layer its sizes and functions), one <prefix>.c per layer,
// and driver.c (random inputs and weights, every layer run and checked against a naive
// convolution, counts printed). Throws UserError when the chip's precisions do not fit the
// emitted types (cell_bits <= 8, weight_bits and input_bits <= 32).
std::vector<EmittedFile> EmitCimC(std::span<const CimCLayer> layers, const CimArch& arch);

// The tuned schedules of `result` (resident and reprogrammed layers, workload order) as layers to
// emit; `model_name` is the model that tuned them (cim-formula schedules run with one copy and
// one pixel tile).
std::vector<CimCLayer> CimCLayersOf(const Workload& workload, const CimNetworkResult& result,
                                    const std::string& model_name);

}  // namespace tessel
