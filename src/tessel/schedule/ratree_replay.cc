#include "tessel/schedule/ratree_replay.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <stdexcept>

#include "tessel/common/cancel.h"
#include "tessel/schedule/simulator.h"

namespace tessel {

System MeshToSystem(const TiledSystem& tiled) {
  System s;
  s.name = tiled.name;
  s.file = tiled.file;
  std::map<std::pair<int, int>, int> at;  // router -> tile number
  for (int t = 0; t < tiled.tiles(); ++t) {
    Core c = tiled.tile;
    c.id = t;  // the name stays the tile's: node costs are cached per (core file, name, shape)
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
using Range = std::pair<std::int64_t, std::int64_t>;

Range Part(std::int64_t size, int parts, int i) {
  return {size * i / parts, size * (i + 1) / parts};
}

bool Overlap(Range a, Range b) { return a.first < b.second && b.first < a.second; }

struct Box {
  Range n, c, y, x;  // samples, channels, rows, columns
};

// How one layer is cut: its split dimensions and sizes, parts and the batch of each run.
struct LayerCut {
  SplitDims d;
  bool mac = false;
  std::int64_t C = 1, H = 1, W = 1;
  int K = 1, B = 1, Hs = 1, Ws = 1, used = 1;
  std::int64_t batch = 1;              // samples per run
  std::vector<int> tiles;              // tile numbers of its group
  std::vector<std::vector<int>> runs;  // [run] -> node ids, by group
};

// Builds the node graph of one tree, runs in the tree's execution order (node id = that order).
class ReplayBuilder {
 public:
  ReplayBuilder(const Workload& workload, const std::vector<LeafPlacement>& placement,
                const std::vector<TileSplit>& splits, std::int64_t batch, RaReplay* out)
      : w_(workload), g_(out->result.graph), out_(out) {
    g_.order = w_.TopologicalOrder();
    g_.topo_position.assign(w_.size(), 0);
    for (size_t i = 0; i < g_.order.size(); ++i) g_.topo_position[g_.order[i]] = int(i);
    g_.layers.resize(w_.size());
    g_.geometry.resize(w_.size());
    cuts_.resize(w_.size());
    output_offchip_.assign(w_.size(), false);
    out->result.allocation.cores.resize(w_.size());
    for (int l : g_.order) Setup(l, placement[l], splits[l], batch);
  }

  void Root(const RaNode& root, std::int64_t batch) {
    for (std::int64_t r = 0; r < batch / root.batch; ++r)
      for (const RaNode& segment : root.children) Emit(segment, r * root.batch, root.batch);
    g_.priority.resize(g_.nodes.size());
    std::iota(g_.priority.begin(), g_.priority.end(), 0);
  }

 private:
  void Setup(int l, const LeafPlacement& place, const TileSplit& s, std::int64_t batch) {
    const Layer& layer = w_.layer(l);
    LayerCut& cut = cuts_[l];
    cut.d = SplitDimsOf(layer);
    cut.mac = layer.HasMacs();
    auto bound = [&](int dim) { return dim < 0 ? std::int64_t(1) : layer.problem.dims[dim].bound; };
    cut.C = cut.mac ? bound(cut.d.k) : std::max<std::int64_t>(1, layer.output_elements);
    cut.H = cut.mac ? bound(cut.d.h) : 1;
    cut.W = cut.mac ? bound(cut.d.w) : 1;
    // Layers without MACs: split over channels (their tiles stream element-wise work).
    cut.K = cut.mac ? s.k : int(std::min<std::int64_t>(cut.C, std::int64_t(place.tiles.size())));
    cut.B = cut.mac ? s.b : 1, cut.Hs = cut.mac ? s.h : 1, cut.Ws = cut.mac ? s.w : 1;
    cut.used = std::min(int(place.tiles.size()), cut.K * cut.B * cut.Hs * cut.Ws);
    cut.batch = place.batch;
    cut.tiles.assign(place.tiles.begin(), place.tiles.begin() + cut.used);
    cut.runs.resize(batch / place.batch);
    g_.geometry[l] = {cut.C, cut.H, cut.W};
    out_->entries.push_back(LayerMappingEntry{});
    out_->entries.back().name = layer.name;
    LayerSplit& split = g_.layers[l];
    split.groups = cut.used;
    split.allowed = cut.tiles;
    split.fixed = true;
    split.entry = &out_->entries.back();
    split.nodes.assign(cut.used, {});
    out_->result.allocation.cores[l] = cut.tiles;
    output_offchip_[l] = place.output_offchip && !layer.consumers.empty();
  }

  // `node` over samples [offset, offset + samples).
  void Emit(const RaNode& node, std::int64_t offset, std::int64_t samples) {
    if (node.kind == RaKind::kLeaf) return Run(node.layer, offset, samples);
    for (std::int64_t i = 0; i < samples / node.batch; ++i)
      for (const RaNode& child : node.children) Emit(child, offset + i * node.batch, node.batch);
  }

  void Run(int l, std::int64_t offset, std::int64_t samples) {
    LayerCut& cut = cuts_[l];
    if (samples != cut.batch || offset % samples)
      throw std::logic_error("replay: a run of '" + w_.layer(l).name + "' off its batch");
    const std::int64_t run = offset / samples;
    for (int j = 0; j < cut.used; ++j) {
      const int kp = j % cut.K, slot = j / cut.K;
      const Range n = Part(samples, cut.B, slot % cut.B);
      Box box{{offset + n.first, offset + n.second},
              Part(cut.C, cut.K, kp),
              Part(cut.H, cut.Hs, slot / cut.B % cut.Hs),
              Part(cut.W, cut.Ws, slot / cut.B / cut.Hs)};
      CompNode node = MakeNode(l, box);
      node.group = j;
      node.tile = int(run);
      node.output_offchip = output_offchip_[l];
      node.shared_weights = true;  // the tiles of one channel part share its weights
      g_.layers[l].nodes[j].push_back(node.id);
      cut.runs[run].push_back(node.id);
      boxes_.push_back(box);
      g_.nodes.push_back(std::move(node));
    }
  }

  CompNode MakeNode(int l, const Box& box) const {
    const Layer& layer = w_.layer(l);
    const LayerCut& cut = cuts_[l];
    CompNode n;
    n.id = int(g_.nodes.size());
    n.layer = l;
    const std::int64_t samples = box.n.second - box.n.first;
    const std::int64_t rows = box.y.second - box.y.first, cols = box.x.second - box.x.first;
    if (cut.mac) {
      n.problem = layer.problem;
      if (cut.d.k >= 0) n.problem.dims[cut.d.k].bound = box.c.second - box.c.first;
      if (cut.d.h >= 0) n.problem.dims[cut.d.h].bound = rows;
      if (cut.d.w >= 0) n.problem.dims[cut.d.w].bound = cols;
      n.repeat = samples * layer.repeat;
      n.macs = n.problem.TotalOperations() * n.repeat;
      n.output_elements = (box.c.second - box.c.first) * rows * cols * samples;
      int ws = n.problem.DataSpaceIndex("Weights");
      if (ws >= 0) n.weight_bits = n.problem.DataSpaceSize(ws) * layer.repeat * kElementBits;
    } else {
      n.output_elements = (box.c.second - box.c.first) * samples;
    }
    const double share = cut.mac ? double(rows) * double(cols) / (double(cut.H) * double(cut.W))
                                 : double(box.c.second - box.c.first) / double(cut.C);
    n.input_elements =
        static_cast<std::int64_t>(double(layer.input_elements) * double(samples) * share);
    if (layer.producers.empty()) n.network_input_bits = n.input_elements * kElementBits;
    n.c0 = box.c.first, n.c1 = box.c.second, n.y0 = box.y.first, n.y1 = box.y.second;
    for (int p : layer.producers) Deps(p, l, box, &n.deps);
    std::sort(n.deps.begin(), n.deps.end());
    return n;
  }

  // The nodes of producer `p` whose output block overlaps what a block `box` of `l` reads.
  void Deps(int p, int l, const Box& box, std::vector<int>* deps) const {
    const LayerCut& cut = cuts_[l];
    const LayerCut& pc = cuts_[p];
    const LayerGeometry& pg = g_.geometry[p];
    const Range rows{box.y.first * pg.rows / cut.H - 1,
                     (box.y.second * pg.rows + cut.H - 1) / cut.H + 1};
    const Range cols{box.x.first * pg.cols / cut.W - 1,
                     (box.x.second * pg.cols + cut.W - 1) / cut.W + 1};
    const Range channels{box.c.first * pg.channels / cut.C,
                         (box.c.second * pg.channels + cut.C - 1) / cut.C};
    for (std::int64_t r = box.n.first / pc.batch; r <= (box.n.second - 1) / pc.batch; ++r) {
      if (pc.runs[r].empty())
        throw std::logic_error("replay: '" + w_.layer(l).name + "' runs before its producer '" +
                               w_.layer(p).name + "'");
      for (int q : pc.runs[r]) {
        const Box& pb = boxes_[q];
        const bool need =
            Overlap(pb.n, box.n) &&
            (cut.mac ? Overlap(pb.y, rows) && Overlap(pb.x, cols) : Overlap(pb.c, channels));
        if (need) deps->push_back(q);
      }
    }
  }

  const Workload& w_;
  NodeGraph& g_;
  RaReplay* out_;
  std::vector<LayerCut> cuts_;
  std::vector<Box> boxes_;            // by node id
  std::vector<bool> output_offchip_;  // by layer
};

}  // namespace

void ReplayRaTree(const TiledSystem& tiled, const Workload& workload, const RaNode& tree,
                  const std::vector<LeafPlacement>& placement, const std::vector<TileSplit>& splits,
                  std::int64_t batch, const NodeCostOptions& cost, int threads, RaReplay* out,
                  std::stop_token stop) {
  out->system = MeshToSystem(tiled);
  ReplayBuilder builder(workload, placement, splits, batch, out);
  builder.Root(tree, batch);
  ThrowIfStopped(stop);
  NodeCostOptions options = cost;
  options.threads = threads;
  options.compulsory_streams = true;  // SET's tile model (node_cost.h)
  NodeCostTable costs(out->system, workload, out->result.graph, ScheduleMode::kFused, options);
  costs.Prepare(&out->result.warnings);
  ThrowIfStopped(stop);
  out->result.cost_entries = costs.distinct_entries();
  out->result.options.mode = ScheduleMode::kFused;
  out->result.options.threads = threads;
  out->result.schedule = Simulate(out->system, workload, out->result.graph, costs,
                                  out->result.allocation, ScheduleMode::kFused);
  out->result.evaluations = 1;
  const SystemSchedule& s = out->result.schedule;
  out->result.pareto.push_back({out->result.allocation, Score{s.latency_cycles, s.energy_pJ()}});
}

}  // namespace tessel
