// The JSON of `tessel schedule --search ratree`: the tree, SET's baselines beside it, the space
// size and where every layer runs. No wall-clock time or thread count appears, so the same
// inputs and seed give byte-identical output.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "tessel/schedule/ratree_run.h"

namespace tessel {

nlohmann::ordered_json RaTreeToJson(const TiledSystem& system, const RaTreeResult& result,
                                    const RaTreeOptions& options);

}  // namespace tessel
