#include "tessel/schedule/tile_layer_cost.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "tessel/workload/layer_shapes.h"

namespace tessel {
namespace {

std::int64_t Bound(const Problem& p, int dim) { return dim < 0 ? 1 : p.dims[dim].bound; }

std::int64_t CeilDiv(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

double Efficiency(std::int64_t size, std::int64_t parts) {
  return double(size) / double(parts * CeilDiv(size, parts));
}

std::int64_t WeightBytes(const Layer& layer) {
  int ds = layer.problem.DataSpaceIndex("Weights");
  return ds < 0 ? 0 : layer.problem.DataSpaceSize(ds) * layer.repeat;
}

}  // namespace

SplitDims SplitDimsOf(const Layer& layer) {
  const Problem& p = layer.problem;
  if (layer.kind == LayerKind::kConv && AsConvShape(p)) return {5, 3, 2};  // M|K, Q, P
  if (layer.kind == LayerKind::kMatMul) return {p.DimIndex("N"), p.DimIndex("M"), p.DimIndex("B")};
  return {};
}

TileSplit ChooseSplit(const Layer& layer, int tiles, std::int64_t batch) {
  const SplitDims d = SplitDimsOf(layer);
  const Problem& p = layer.problem;
  const std::int64_t K = Bound(p, d.k), H = Bound(p, d.h), W = Bound(p, d.w);
  const double weights = double(WeightBytes(layer));
  const double inputs = double(layer.input_elements) * double(batch);
  TileSplit best;
  bool have = false, best_good = false;
  double best_bytes = 0;
  for (int k = 1; k <= tiles; ++k) {
    if (tiles % k || k > K) continue;
    for (int b = 1; b <= tiles / k; ++b) {
      if ((tiles / k) % b || b > batch) continue;
      for (int h = 1; h <= tiles / k / b; ++h) {
        if ((tiles / k / b) % h || h > H) continue;
        const int w = tiles / k / b / h;
        if (w > W) continue;
        TileSplit s{k, b, h, w,
                    Efficiency(K, k) * Efficiency(batch, b) * Efficiency(H, h) * Efficiency(W, w)};
        const bool good = s.efficiency >= 0.75;
        const double bytes = weights * double(b * h * w) + inputs * double(k);
        bool better =
            !have || (good && !best_good) ||
            (good == best_good &&
             (bytes < best_bytes || (bytes == best_bytes && s.efficiency > best.efficiency)));
        if (!good && !best_good && have) better = s.efficiency > best.efficiency;
        if (better) best = s, best_bytes = bytes, best_good = good, have = true;
      }
    }
  }
  if (!have) best = TileSplit{1, 1, 1, 1, 1.0 / tiles};  // more tiles than work: one does it all
  return best;
}

TileCostTable::TileCostTable(const TiledSystem& system, const Workload& workload,
                             NodeCostOptions options, std::int64_t polish)
    : system_(system), workload_(workload), options_(std::move(options)), polish_(polish) {}

int TileCostTable::mapped_blocks() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<int>(blocks_.size());
}

TileBlockCost TileCostTable::Block(const Problem& block) {
  const std::string key = ShapeKey(block);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = blocks_.find(key);
    if (it != blocks_.end()) return it->second;
  }
  TileBlockCost cost = MapTileBlock(block, system_.tile, options_, polish_);
  std::lock_guard<std::mutex> lock(mutex_);
  blocks_.emplace(key, cost);
  return cost;
}

LayerOnTiles TileCostTable::Get(int layer_index, int tiles, std::int64_t batch) {
  const auto key = std::make_tuple(layer_index, tiles, batch);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = layers_.find(key);
    if (it != layers_.end()) return it->second;
  }
  const Layer& layer = workload_.layer(layer_index);
  LayerOnTiles out;
  out.input_bytes = layer.input_elements * batch;
  out.output_bytes = layer.output_elements * batch;
  if (!layer.HasMacs()) {
    const std::int64_t ops = std::max(layer.input_elements, layer.output_elements) * batch;
    out.split = TileSplit{1, tiles, 1, 1, 1.0};
    out.cycles = std::max<std::int64_t>(
        1, static_cast<std::int64_t>(std::ceil(double(ops) / (tiles * system_.vector_ops))));
    out.tile_pJ = double(ops) * system_.tile.mac_pJ;
  } else {
    out.split = ChooseSplit(layer, tiles, batch);
    out.weight_bytes = WeightBytes(layer);
    const SplitDims d = SplitDimsOf(layer);
    Problem block = layer.problem;
    if (d.k >= 0) block.dims[d.k].bound = CeilDiv(block.dims[d.k].bound, out.split.k);
    if (d.h >= 0) block.dims[d.h].bound = CeilDiv(block.dims[d.h].bound, out.split.h);
    if (d.w >= 0) block.dims[d.w].bound = CeilDiv(block.dims[d.w].bound, out.split.w);
    const TileBlockCost c = Block(block);
    const std::int64_t runs = CeilDiv(batch, out.split.b) * layer.repeat;
    out.cycles = c.cycles * runs;
    const int used = out.split.k * out.split.b * out.split.h * out.split.w;
    out.tile_pJ = c.pJ * double(runs) * used;
    out.buffer_bytes = c.buffer_bytes;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  layers_.emplace(key, out);
  return out;
}

}  // namespace tessel
