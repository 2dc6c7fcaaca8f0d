#include "tessel/schedule/tile_block_mapper.h"

#include <memory>

#include "tessel/mapper/local_search.h"
#include "tessel/mapper/tiling.h"
#include "tessel/mapping/mapspace.h"

namespace tessel {

TileBlockCost MapTileBlock(const Problem& block, const Core& tile, const NodeCostOptions& options,
                           std::int64_t polish) {
  CoreArch ca = MakeCoreArch(tile, false, 1e18, nullptr);
  MapSpace space = MakeMapSpace(block, ca.arch, DataflowConstraints(block, ca, {}));
  MapperOptions mo = options.mapper_options;
  mo.threads = 1;
  MapperResult result = MakeMapper(options.mapper)->Map(space, mo);
  if (result.status == MapperStatus::kNoMapping)
    throw UserError("no valid mapping of a tile block of shape " + ShapeKey(block) + " on '" +
                    tile.name + "': " + result.message);
  Evaluation eval = result.evaluation;
  if (polish > 0) {
    SearchLimits limits;
    limits.max_evaluations = polish;
    SearchResult better =
        ImproveTiling(space, TilingFromMapping(space, result.mapping), mo.objective, limits);
    if (better.evaluation.ok()) eval = better.evaluation;
  }
  const Cost& c = eval.cost;
  TileBlockCost out;
  out.cycles = std::max<std::int64_t>(1, c.cycles);
  out.pJ = c.energy_pJ - c.levels.back().energy_pJ;
  const int gb = static_cast<int>(ca.arch.storage.size()) - 2;
  for (const TensorStats& t : c.levels[gb].tensors)
    out.buffer_bytes += t.utilized_capacity * ca.arch.storage[gb].word_bits / 8;
  return out;
}

}  // namespace tessel
