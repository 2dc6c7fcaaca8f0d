#include "tessel/schedule/ratree_replay.h"

#include <algorithm>
#include <map>

#include "tessel/schedule/simulator.h"

namespace tessel {

System MeshToSystem(const TiledSystem& tiled) {
  System s;
  s.name = tiled.name;
  s.file = tiled.file;
  std::map<std::pair<int, int>, int> at;  // router -> tile number
  for (int t = 0; t < tiled.tiles(); ++t) {
    Core c = tiled.tile;
    c.id = t;
    c.name = "tile" + std::to_string(t);
    s.cores.push_back(c);
    at[tiled.Position(t)] = t;
  }
  const std::int64_t port_bits = static_cast<std::int64_t>(tiled.dram_bytes * 8);
  Core dram;
  dram.id = tiled.tiles();
  dram.name = "DRAM";
  dram.type = CoreType::kMemory;
  dram.file = tiled.file;
  CoreMemory m;
  m.name = "DRAM";
  m.size_bits = std::int64_t(1) << 60;
  m.read_bits = m.write_bits = port_bits;
  m.read_pJ = m.write_pJ = tiled.dram_pJ_per_byte * double(port_bits) / 8;
  m.operands = {"I1", "I2", "O"};
  dram.memories.push_back(m);
  s.cores.push_back(dram);
  s.offchip_core = dram.id;
  auto add = [&](std::vector<int> cores, double bits, double pJ_per_bit) {
    Link l;
    l.id = static_cast<int>(s.links.size());
    l.cores = std::move(cores);
    l.bandwidth_bits = bits;
    l.pJ_per_bit = pJ_per_bit;
    l.where = tiled.where;
    s.links.push_back(l);
  };
  for (int y = 0; y < tiled.mesh_y; ++y)
    for (int x = 0; x < tiled.mesh_x; ++x) {
      if (x + 1 < tiled.mesh_x)
        add({at[{x, y}], at[{x + 1, y}]}, tiled.link_bytes * 8, tiled.noc_pJ_per_byte_hop / 8);
      if (y + 1 < tiled.mesh_y)
        add({at[{x, y}], at[{x, y + 1}]}, tiled.link_bytes * 8, tiled.noc_pJ_per_byte_hop / 8);
    }
  for (const auto& p : tiled.dram_ports) add({dram.id, at[p]}, double(port_bits), 0);
  s.offchip_port_link = static_cast<int>(s.links.size());
  add({dram.id}, double(port_bits), 0);
  return s;
}

namespace {

// Part `i` of `size` split into `parts` (sizes differ by at most one): [begin, end).
std::pair<std::int64_t, std::int64_t> Part(std::int64_t size, int parts, int i) {
  return {size * i / parts, size * (i + 1) / parts};
}

bool Overlap(std::pair<std::int64_t, std::int64_t> a, std::pair<std::int64_t, std::int64_t> b) {
  return a.first < b.second && b.first < a.second;
}

struct Box {
  std::pair<std::int64_t, std::int64_t> n, c, y, x;  // samples, channels, rows, columns
};

struct Dims {
  int k = -1, h = -1, w = -1, n = -1;
};

Dims SplitDimsOf(const Layer& layer) {
  const Problem& p = layer.problem;
  Dims d;
  if (layer.kind == LayerKind::kConv)
    d = {p.DimIndex("M"), p.DimIndex("Q"), p.DimIndex("P"), p.DimIndex("N")};
  else if (layer.kind == LayerKind::kMatMul)
    d = {p.DimIndex("N"), p.DimIndex("M"), p.DimIndex("B"), -1};
  return d;
}

}  // namespace

void ReplayRaTree(const TiledSystem& tiled, const RaTreeResult& tree, std::int64_t batch,
                  const NodeCostOptions& cost, int threads, RaReplay* out) {
  const Workload& w = tree.workload;
  out->system = MeshToSystem(tiled);
  NodeGraph& g = out->result.graph;
  g.order = w.TopologicalOrder();
  g.topo_position.assign(w.size(), 0);
  for (size_t i = 0; i < g.order.size(); ++i) g.topo_position[g.order[i]] = static_cast<int>(i);
  g.layers.resize(w.size());
  g.geometry.resize(w.size());
  std::vector<std::vector<Box>> boxes(w.size());
  out->result.allocation.cores.resize(w.size());
  for (int l : g.order) {
    const Layer& layer = w.layer(l);
    const Dims d = SplitDimsOf(layer);
    const TileSplit& s = tree.layer_costs[l].split;
    const std::vector<int>& tiles = tree.placement[l].tiles;
    auto bound = [&](int dim) { return dim < 0 ? std::int64_t(1) : layer.problem.dims[dim].bound; };
    const bool mac = layer.HasMacs();
    const std::int64_t C = mac ? bound(d.k) : std::max<std::int64_t>(1, layer.output_elements);
    const std::int64_t H = mac ? bound(d.h) : 1, W = mac ? bound(d.w) : 1;
    // Layers without MACs: split over channels (their tiles stream element-wise work).
    const int K = mac ? s.k : static_cast<int>(std::min<std::int64_t>(C, tiles.size()));
    const int B = mac ? s.b : 1, Hs = mac ? s.h : 1, Ws = mac ? s.w : 1;
    const int used = std::min(static_cast<int>(tiles.size()), K * B * Hs * Ws);
    g.geometry[l] = {C, H, W};
    out->entries.push_back(LayerMappingEntry{});
    out->entries.back().name = layer.name;
    LayerSplit& split = g.layers[l];
    split.groups = used;
    split.allowed.assign(tiles.begin(), tiles.begin() + used);
    split.fixed = true;
    split.entry = &out->entries.back();
    out->result.allocation.cores[l] = split.allowed;
    for (int j = 0; j < used; ++j) {
      const int kp = j % K, slot = j / K;
      Box box{Part(batch, B, slot % B), Part(C, K, kp), Part(H, Hs, slot / B % Hs),
              Part(W, Ws, slot / B / Hs)};
      CompNode n;
      n.id = static_cast<int>(g.nodes.size());
      n.layer = l;
      n.group = j;
      const std::int64_t samples = box.n.second - box.n.first;
      if (mac) {
        n.problem = layer.problem;
        n.problem.dims[d.k].bound = box.c.second - box.c.first;
        if (d.h >= 0) n.problem.dims[d.h].bound = box.y.second - box.y.first;
        if (d.w >= 0) n.problem.dims[d.w].bound = box.x.second - box.x.first;
        n.repeat = samples * layer.repeat;
        n.macs = n.problem.TotalOperations() * n.repeat;
        n.output_elements = (box.c.second - box.c.first) * (box.y.second - box.y.first) *
                            (box.x.second - box.x.first) * samples;
        int ws = n.problem.DataSpaceIndex("Weights");
        if (ws >= 0) n.weight_bits = n.problem.DataSpaceSize(ws) * layer.repeat * kElementBits;
      } else {
        n.output_elements = (box.c.second - box.c.first) * samples;
      }
      n.input_elements = static_cast<std::int64_t>(
          double(layer.input_elements) * double(samples) *
          (mac ? double(box.y.second - box.y.first) * double(box.x.second - box.x.first) /
                     (double(H) * double(W))
               : double(box.c.second - box.c.first) / double(C)));
      if (layer.producers.empty()) n.network_input_bits = n.input_elements * kElementBits;
      n.c0 = box.c.first, n.c1 = box.c.second, n.y0 = box.y.first, n.y1 = box.y.second;
      // Dependencies: producer blocks overlapping what this block reads.
      for (int p : layer.producers) {
        const LayerGeometry& pg = g.geometry[p];
        for (const auto& group : g.layers[p].nodes)
          for (int q : group) {
            const Box& pb = boxes[p][g.nodes[q].group];
            const std::int64_t lo = box.y.first * pg.rows / H - 1;
            const std::int64_t hi = (box.y.second * pg.rows + H - 1) / H + 1;
            const std::int64_t xlo = box.x.first * pg.cols / W - 1;
            const std::int64_t xhi = (box.x.second * pg.cols + W - 1) / W + 1;
            bool need =
                Overlap(pb.n, box.n) && Overlap(pb.y, {lo, hi}) && Overlap(pb.x, {xlo, xhi});
            if (!mac)
              need =
                  Overlap(pb.n, box.n) && Overlap(pb.c, {box.c.first * pg.channels / C,
                                                         (box.c.second * pg.channels + C - 1) / C});
            if (need) n.deps.push_back(q);
          }
      }
      std::sort(n.deps.begin(), n.deps.end());
      boxes[l].push_back(box);
      split.nodes.push_back({n.id});
      g.nodes.push_back(std::move(n));
    }
  }
  NodeCostOptions options = cost;
  options.threads = threads;
  NodeCostTable costs(out->system, w, g, ScheduleMode::kFused, options);
  costs.Prepare(&out->result.warnings);
  out->result.cost_entries = costs.distinct_entries();
  out->result.options.mode = ScheduleMode::kFused;
  out->result.options.threads = threads;
  out->result.schedule =
      Simulate(out->system, w, g, costs, out->result.allocation, ScheduleMode::kFused);
  out->result.evaluations = 1;
  out->result.pareto.push_back({out->result.allocation, Score{out->result.schedule.latency_cycles,
                                                              out->result.schedule.energy_pJ()}});
}

}  // namespace tessel
