// Stream's mapping file, read as it is: a YAML list of entries (`name`, `core_allocation`,
// `inter_core_tiling` like `[K, "*"]` or `- K, 3`, `intra_core_tiling` like `- OY, all`, optional
// `spatial_mapping`), or the same entries as a map from name to entry (the form in Stream's docs).
// WriteStreamMapping writes the list form back (used by `--save-allocation`).
#pragma once
#include <string>

#include "tessel/schedule/layer_mapping.h"

namespace tessel::io {

// Throws UserError `file:line:col: ...` for unknown keys, a bad tiling or core id, a duplicate
// entry name.
LayerMapping LoadStreamMapping(const std::string& path);
LayerMapping ParseStreamMapping(const std::string& text, const std::string& name);

// The list form of `mapping`, one entry per element, every tiling written as `DIM, N` (`all`
// and `*` as such), so that LoadStreamMapping reads back the same entries.
std::string WriteStreamMapping(const LayerMapping& mapping);

}  // namespace tessel::io
