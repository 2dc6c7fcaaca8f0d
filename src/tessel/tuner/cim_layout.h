// The layout a CIM network stage starts from (tuner/cim_network.h steps 2-4, and the layout a
// reprogrammed layer is written in).
//
// The model's default layout is the densest one (model/cim_model.h: rows_used = min(array rows,
// k*k*C), filters_per_array = all an array's columns hold). On a chip whose CU buffers are small
// for its arrays that layout can be invalid: e.g. 256x256 arrays of 2-bit cells hold 32 16-bit
// filters, 8 arrays per CU then produce 8 x 32 = 256 partial sums of 16 bits = 512 bytes per
// batch, more than a 256-byte CU output buffer. A stage must then start from a layout that is
// valid, or the network cannot be placed at all.
#pragma once

#include <string>

#include "tessel/arch/cim_arch.h"
#include "tessel/model/cim_layer.h"
#include "tessel/model/cim_model.h"

namespace tessel {

struct CimStartLayout {
  // The model's defaults except rows_used, filters_per_array and groups_per_array; copies = 1,
  // pixel_tiles = 1 (cim-refined).
  CimSchedule schedule;
  bool is_default = true;      // schedule is the model's default layout
  std::string invalid_reason;  // "" when valid; else why no layout tried is valid
  bool ok() const { return invalid_reason.empty(); }
};

// The model's default layout when one copy of it is valid on `arch`; else, among the
// rows_used x filters_per_array (x groups_per_array) values the model's knobs suggest (powers of
// two, balanced tiles, defaults), the valid one with the fewest arrays per copy (ties: fewest
// cycles, then least energy, then the most rows_used, then the most filters_per_array). When
// none is valid, invalid_reason is "layer 'NAME': no layout of its weights is valid on chip
// 'ARCH' (N rows_used x filters_per_array values tried); at the default layout: <the model's
// reason>".
CimStartLayout StartLayout(const CimLayer& layer, const CimArch& arch, CimMode mode);

}  // namespace tessel
