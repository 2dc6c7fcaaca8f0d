#include "tessel/schedule/nodes.h"

#include <algorithm>
#include <cmath>

namespace tessel {

const char* ToString(ScheduleMode mode) {
  return mode == ScheduleMode::kFused ? "fused" : "layer-by-layer";
}

namespace {

std::int64_t Bound(const Problem& p, const char* dim) {
  int d = p.DimIndex(dim);
  return d < 0 ? 1 : p.dims[d].bound;
}

std::int64_t CoefficientValue(const Problem& p, const char* name) {
  for (const tessel::Coefficient& c : p.coefficients)
    if (c.name == name) return c.value;
  return 1;
}

LayerGeometry GeometryOf(const Layer& layer, const std::vector<LayerGeometry>& geometry) {
  LayerGeometry g;
  if (layer.kind == LayerKind::kConv) {
    // Output channels: M per group times the groups (a grouped conv is one problem with G).
    g.channels = Bound(layer.problem, "M") * Bound(layer.problem, "G") * layer.repeat;
    g.rows = Bound(layer.problem, "Q");
    g.cols = Bound(layer.problem, "P") * Bound(layer.problem, "N");
    return g;
  }
  if (layer.kind == LayerKind::kMatMul) {
    g.channels = Bound(layer.problem, "N");
    g.cols = std::max<std::int64_t>(1, layer.output_elements / g.channels);
    return g;
  }
  const std::int64_t out = std::max<std::int64_t>(1, layer.output_elements);
  g.channels = out;
  if (!layer.producers.empty()) {
    std::int64_t c = geometry[layer.producers.front()].channels;
    if (c > 0 && out % c == 0) {
      std::int64_t side = static_cast<std::int64_t>(std::llround(std::sqrt(double(out / c))));
      if (side * side == out / c) return {c, side, side};
      return {c, 1, out / c};
    }
  }
  return g;
}

// [begin, end) of part `i` of `n` over `size` (sizes differ by at most one).
std::pair<std::int64_t, std::int64_t> Part(std::int64_t size, std::int64_t n, std::int64_t i) {
  return {size * i / n, size * (i + 1) / n};
}

struct Box {
  std::int64_t c0, c1, y0, y1;
};

// How many parts a tiling asks for along channels and rows (other dimensions: not split).
struct Split {
  std::int64_t channels = 1, rows = 1;
};

Split ReadSplit(const std::vector<TilingFactor>& tiling, const LayerGeometry& g, int cores,
                const Layer& layer, std::vector<std::string>* warnings) {
  Split s;
  for (const TilingFactor& f : tiling) {
    const bool channel = f.dim == "K" || f.dim == "G";
    // Stream names the generic dimensions of element-wise layers D and H: rows here.
    const bool row = f.dim == "OY" || (!layer.HasMacs() && (f.dim == "D" || f.dim == "H"));
    std::int64_t extent = channel ? g.channels : row ? g.rows : 1;
    std::int64_t parts = f.parts == TilingFactor::kAll        ? extent
                         : f.parts == TilingFactor::kWildcard ? cores
                                                              : f.parts;
    if (!channel && !row) {
      if (parts > 1)
        warnings->push_back(f.where.ToString() + ": layer '" + layer.name + "': tiling over " +
                            f.dim + " is not supported; the layer is not split along it");
      continue;
    }
    if (layer.kind == LayerKind::kOtherMac) continue;
    if (layer.kind == LayerKind::kMatMul && row) continue;
    (channel ? s.channels : s.rows) *= parts;
  }
  s.channels = std::clamp<std::int64_t>(s.channels, 1, g.channels);
  s.rows = std::clamp<std::int64_t>(s.rows, 1, g.rows);
  return s;
}

void FillWork(const Layer& layer, const LayerGeometry& g, const Box& b, CompNode& n) {
  n.c0 = b.c0, n.c1 = b.c1, n.y0 = b.y0, n.y1 = b.y1;
  const std::int64_t volume = (b.c1 - b.c0) * (b.y1 - b.y0) * g.cols;
  n.output_elements = volume;
  if (!layer.HasMacs()) {
    const std::int64_t total = g.channels * g.rows * g.cols;
    n.input_elements = layer.input_elements * volume / std::max<std::int64_t>(1, total);
    return;
  }
  n.problem = layer.problem;
  n.repeat = layer.repeat;
  auto set = [&](const char* dim, std::int64_t bound) {
    int d = n.problem.DimIndex(dim);
    if (d >= 0) n.problem.dims[d].bound = bound;
  };
  if (layer.kind == LayerKind::kConv) {
    const std::int64_t m = Bound(layer.problem, "M");
    if (Bound(layer.problem, "G") > 1) {  // grouped: a channel range is whole groups or part of one
      set("G", std::max<std::int64_t>(1, (b.c1 - b.c0) / m));
      if (b.c1 - b.c0 < m) set("M", b.c1 - b.c0);
    } else if (layer.repeat > 1) {  // a layer repeated as identical copies (YAML `groups:`)
      n.repeat = std::max<std::int64_t>(1, (b.c1 - b.c0) / m);
      if (b.c1 - b.c0 < m) set("M", b.c1 - b.c0);
    } else {
      set("M", b.c1 - b.c0);
    }
    set("Q", b.y1 - b.y0);
  } else if (layer.kind == LayerKind::kMatMul) {
    set("N", b.c1 - b.c0);
  }
  n.macs = n.problem.TotalOperations() * n.repeat;
  int inputs = n.problem.DataSpaceIndex("Inputs");
  int weights = n.problem.DataSpaceIndex("Weights");
  n.input_elements = inputs >= 0 ? n.problem.DataSpaceSize(inputs) * n.repeat : 0;
  n.weight_bits = weights >= 0 ? n.problem.DataSpaceSize(weights) * n.repeat * kElementBits : 0;
}

// The rows [lo, hi] of producer output (`rows` long) that consumer rows [y0, y1) read.
std::pair<std::int64_t, std::int64_t> InputRows(const Layer& consumer, const LayerGeometry& cg,
                                                std::int64_t rows, std::int64_t y0,
                                                std::int64_t y1) {
  std::int64_t lo = 0, hi = rows - 1;
  if (consumer.kind == LayerKind::kConv) {
    const std::int64_t s = CoefficientValue(consumer.problem, "Hstride");
    const std::int64_t d = CoefficientValue(consumer.problem, "Hdilation");
    const std::int64_t window = (Bound(consumer.problem, "S") - 1) * d;
    lo = y0 * s - consumer.pads[0];
    hi = (y1 - 1) * s + window - consumer.pads[0];
  } else if (!consumer.HasMacs() && cg.rows > 1) {
    // Proportional window; a downsampling layer (pooling) reads one halo row on each side.
    const std::int64_t halo = rows > cg.rows ? 1 : 0;
    lo = y0 * rows / cg.rows - halo;
    hi = (y1 * rows + cg.rows - 1) / cg.rows - 1 + halo;
  }
  return {std::max<std::int64_t>(lo, 0), std::min(hi, rows - 1)};
}

void AddDependencies(const Workload& workload, NodeGraph& graph) {
  for (CompNode& n : graph.nodes) {
    const Layer& layer = workload.layer(n.layer);
    if (layer.producers.empty()) n.network_input_bits = n.input_elements * kElementBits;
    for (int p : layer.producers) {
      const LayerGeometry& pg = graph.geometry[p];
      auto [lo, hi] = InputRows(layer, graph.geometry[n.layer], pg.rows, n.y0, n.y1);
      std::int64_t c0 = 0, c1 = pg.channels;
      if (!layer.HasMacs() && pg.channels == graph.geometry[n.layer].channels) c0 = n.c0, c1 = n.c1;
      for (const auto& group : graph.layers[p].nodes)
        for (int id : group) {
          const CompNode& m = graph.nodes[id];
          if (m.y0 <= hi && m.y1 > lo && m.c0 < c1 && m.c1 > c0) n.deps.push_back(id);
        }
    }
    std::sort(n.deps.begin(), n.deps.end());
    n.deps.erase(std::unique(n.deps.begin(), n.deps.end()), n.deps.end());
  }
}

// Whether one group's weights exceed the smallest memory among the cores the layer may use: such
// a layer streams them from off-chip memory, and every tile would stream them again, so it is not
// tiled within a core.
bool WeightsExceedMemory(const Layer& layer, const LayerGeometry& g, const Split& inter,
                         const std::vector<int>& allowed, const System& system) {
  if (!layer.HasMacs()) return false;
  CompNode whole;
  FillWork(layer, g, {0, (g.channels + inter.channels - 1) / inter.channels, 0, g.rows}, whole);
  std::int64_t smallest = -1;
  for (int id : allowed)
    if (system.CoreIndex(id) >= 0) {
      std::int64_t bits = system.core(id).MemoryBits();
      smallest = smallest < 0 ? bits : std::min(smallest, bits);
    }
  return smallest >= 0 && whole.weight_bits > smallest;
}

}  // namespace

NodeGraph BuildNodeGraph(const Workload& workload, const LayerMapping& mapping,
                         const System& system, ScheduleMode mode,
                         std::vector<std::string>* warnings) {
  NodeGraph graph;
  graph.order = workload.TopologicalOrder();
  graph.topo_position.assign(workload.size(), 0);
  graph.geometry.assign(workload.size(), {});
  graph.layers.assign(workload.size(), {});
  for (size_t i = 0; i < graph.order.size(); ++i) graph.topo_position[graph.order[i]] = int(i);
  for (int l : graph.order) graph.geometry[l] = GeometryOf(workload.layer(l), graph.geometry);
  for (int l : graph.order) {
    const Layer& layer = workload.layer(l);
    const LayerGeometry& g = graph.geometry[l];
    LayerSplit& split = graph.layers[l];
    split.entry = &MatchEntry(mapping, layer);
    split.allowed = split.entry->core_allocation;
    const int cores = static_cast<int>(split.allowed.size());
    Split inter = ReadSplit(split.entry->inter_core_tiling, g, cores, layer, warnings);
    Split intra = mode == ScheduleMode::kFused
                      ? ReadSplit(split.entry->intra_core_tiling, g, cores, layer, warnings)
                      : Split{};
    if (WeightsExceedMemory(layer, g, inter, split.allowed, system)) intra = Split{};
    split.groups = static_cast<int>(inter.channels * inter.rows);
    split.fixed = cores == split.groups;
    split.nodes.assign(split.groups, {});
    for (std::int64_t gc = 0; gc < inter.channels; ++gc)
      for (std::int64_t gr = 0; gr < inter.rows; ++gr) {
        auto [c0, c1] = Part(g.channels, inter.channels, gc);
        auto [r0, r1] = Part(g.rows, inter.rows, gr);
        const int group = static_cast<int>(gc * inter.rows + gr);
        std::int64_t tc = std::min(intra.channels, c1 - c0), tr = std::min(intra.rows, r1 - r0);
        for (std::int64_t ty = 0; ty < tr; ++ty)
          for (std::int64_t tcc = 0; tcc < tc; ++tcc) {
            auto [a0, a1] = Part(c1 - c0, tc, tcc);
            auto [b0, b1] = Part(r1 - r0, tr, ty);
            CompNode n;
            n.id = static_cast<int>(graph.nodes.size());
            n.layer = l;
            n.group = group;
            n.tile = static_cast<int>(split.nodes[group].size());
            FillWork(layer, g, {c0 + a0, c0 + a1, r0 + b0, r0 + b1}, n);
            split.nodes[group].push_back(n.id);
            graph.nodes.push_back(std::move(n));
          }
      }
  }
  AddDependencies(workload, graph);
  return graph;
}

}  // namespace tessel
