#include "tessel/schedule/ratree_eval.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "tessel/schedule/tile_allocation.h"

namespace tessel {

double RaObjective(const RaCost& cost, Objective objective) {
  if (!cost.valid) return std::numeric_limits<double>::infinity();
  switch (objective) {
    case Objective::kLatency:
      return cost.latency_cycles;
    case Objective::kEnergy:
      return cost.energy_pJ();
    case Objective::kEdp:
      return cost.latency_cycles * cost.energy_pJ();
  }
  return cost.latency_cycles * cost.energy_pJ();
}

namespace {

struct Step {
  const RaNode* cut;
  int child;
};

struct LeafInfo {
  int layer = -1;
  int first_tile = 0, tiles = 1;
  std::int64_t batch = 1;  // samples per run
  std::vector<Step> path;  // cuts from the segment root down, with the child taken
};

// One segment's walk: tile groups, leaf batches, S-cut stages, and the invalid reason if any.
class SegmentWalk {
 public:
  SegmentWalk(const TiledSystem& system, const Workload& workload)
      : system_(system), workload_(workload), where_(workload.size(), -1) {
    const Arch& arch = system.tile.timeloop->arch;
    macs_per_op_ = double(arch.arithmetic.instances) / std::max(1.0, system.vector_ops);
  }

  void Walk(const RaNode& node, int first, int count, std::int64_t batch, std::vector<Step>* path) {
    if (!why.empty()) return;
    if (node.kind == RaKind::kLeaf) {
      where_[node.layer] = static_cast<int>(leaves.size());
      leaves.push_back({node.layer, first, count, batch, *path});
      return;
    }
    std::vector<int> alloc(node.children.size(), count);
    if (node.kind == RaKind::kS) {
      std::vector<double> work;
      for (const RaNode& c : node.children) work.push_back(Work(c));
      alloc = AllocateTiles(work, count);
      if (alloc.empty()) {
        why = "an S cut has " + std::to_string(node.children.size()) + " children and only " +
              std::to_string(count) + " tiles";
        return;
      }
      double total = 0;
      for (double w : work) total += w;
      const double utilisation = total / count / SlowestShare(work, alloc);
      if (utilisation < 0.75) {
        why = "an S cut uses its " + std::to_string(count) + " tiles at " +
              std::to_string(int(utilisation * 100)) + "% (below 75%)";
        return;
      }
      Stages(node);
    }
    int start = first;
    for (size_t i = 0; i < node.children.size(); ++i) {
      path->push_back({&node, static_cast<int>(i)});
      Walk(node.children[i], start, alloc[i], node.batch, path);
      path->pop_back();
      if (node.kind == RaKind::kS) start += alloc[i];
    }
  }

  double Work(const RaNode& node) const {
    if (node.kind != RaKind::kLeaf) {
      double w = 0;
      for (const RaNode& c : node.children) w += Work(c);
      return w;
    }
    const Layer& l = workload_.layer(node.layer);
    if (l.HasMacs()) return double(l.Macs());
    return double(std::max(l.input_elements, l.output_elements)) * macs_per_op_;
  }

  // Child j's stage: 1 + the largest stage of an earlier sibling it reads from (1 if none).
  void Stages(const RaNode& cut) {
    std::vector<int> child_of(workload_.size(), -1);
    for (size_t i = 0; i < cut.children.size(); ++i)
      for (int l : RaLeaves(cut.children[i])) child_of[l] = static_cast<int>(i);
    std::vector<int> stage(cut.children.size(), 1);
    for (size_t j = 0; j < cut.children.size(); ++j)
      for (int l : RaLeaves(cut.children[j]))
        for (int p : workload_.layer(l).producers) {
          int i = child_of[p];
          if (i >= 0 && i < static_cast<int>(j)) stage[j] = std::max(stage[j], stage[i] + 1);
        }
    stages_[&cut] = stage;
  }

  int Stage(const RaNode* cut, int child) const { return stages_.at(cut)[child]; }
  int StageCount(const RaNode* cut) const {
    const std::vector<int>& s = stages_.at(cut);
    return *std::max_element(s.begin(), s.end());
  }

  // Whether producer -> consumer data stays on chip (both in this segment).
  bool OnChip(int producer, int consumer) const {
    if (where_[producer] < 0 || where_[consumer] < 0) return false;
    const std::vector<Step>& a = leaves[where_[producer]].path;
    const std::vector<Step>& b = leaves[where_[consumer]].path;
    for (size_t d = 0; d < a.size() && d < b.size(); ++d) {
      if (a[d].child == b[d].child) continue;
      const RaNode* lca = a[d].cut;
      if (lca->kind == RaKind::kT) return b[d].child == a[d].child + 1;
      return Stage(lca, b[d].child) - Stage(lca, a[d].child) <= 1;
    }
    return false;  // a segment that is one leaf: nothing to share
  }

  int LeafOf(int layer) const { return where_[layer]; }

  std::vector<LeafInfo> leaves;
  std::string why;

 private:
  const TiledSystem& system_;
  const Workload& workload_;
  std::vector<int> where_;
  std::map<const RaNode*, std::vector<int>> stages_;
  double macs_per_op_ = 1;
};

// NoC link loads of one segment pass, with multicast trees (a byte once per link).
class LinkLoads {
 public:
  explicit LinkLoads(const TiledSystem& system)
      : system_(system), bytes_(system.LinkCount(), 0), stamp_(system.LinkCount(), 0) {}

  // `bytes` from router `from` to every tile in `to` (tile numbers), as one multicast.
  void Multicast(std::pair<int, int> from, const std::vector<int>& to, double bytes) {
    if (bytes <= 0 || to.empty()) return;
    ++round_;
    route_.clear();
    for (int t : to) {
      auto [x, y] = system_.Position(t);
      system_.RouteXY(from.first, from.second, x, y, &route_);
    }
    for (int link : route_)
      if (stamp_[link] != round_) stamp_[link] = round_, bytes_[link] += bytes, hops_ += bytes;
  }
  // `bytes` from tile `t` to its nearest DRAM port.
  void ToDram(int t, double bytes) {
    auto [x, y] = system_.Position(t);
    auto [px, py] = system_.NearestPort(x, y);
    route_.clear();
    system_.RouteXY(x, y, px, py, &route_);
    for (int link : route_) bytes_[link] += bytes, hops_ += bytes;
  }
  void Scale(double factor) {
    for (double& b : bytes_) b *= factor;
  }
  void Add(const LinkLoads& other) {
    for (size_t i = 0; i < bytes_.size(); ++i) bytes_[i] += other.bytes_[i];
  }
  double Busiest() const { return *std::max_element(bytes_.begin(), bytes_.end()); }
  double byte_hops() const { return hops_; }

 private:
  const TiledSystem& system_;
  std::vector<double> bytes_;
  std::vector<int> stamp_;
  std::vector<int> route_;
  int round_ = 0;
  double hops_ = 0;
};

// Tiles of a leaf's group holding output-channel part `kpart` (or, with kpart < 0, sample / row /
// column part `slot`). Tile j of the group holds channel part j mod K and slot j / K, or with
// `slots_inner` slot j mod S and channel part j / S (S = B x H x W).
std::vector<int> PartTiles(const LeafInfo& leaf, const TileSplit& s, int kpart, int slot,
                           bool slots_inner) {
  std::vector<int> out;
  const int slots = s.b * s.h * s.w;
  const int used = std::min(leaf.tiles, s.k * slots);
  for (int j = 0; j < used; ++j) {
    const int k = slots_inner ? j / slots : j % s.k;
    const int sl = slots_inner ? j % slots : j / s.k;
    if ((kpart >= 0 && k == kpart) || (kpart < 0 && sl == slot)) out.push_back(leaf.first_tile + j);
  }
  return out;
}

std::int64_t Time(const RaNode& node, std::int64_t pass, const SegmentWalk& walk,
                  const std::vector<LayerOnTiles>& leaf_cost) {
  if (node.kind == RaKind::kLeaf) return leaf_cost[walk.LeafOf(node.layer)].cycles;
  const std::int64_t n = pass / node.batch;
  std::int64_t slowest = 0, sum = 0;
  for (const RaNode& c : node.children) {
    std::int64_t t = Time(c, node.batch, walk, leaf_cost);
    slowest = std::max(slowest, t);
    sum += t;
  }
  if (node.kind == RaKind::kT) return n * sum;
  return slowest * (n + walk.StageCount(&node) - 1);
}

}  // namespace

RaEvaluator::RaEvaluator(const TiledSystem& system, const Workload& workload, std::int64_t batch,
                         TileCostTable& costs)
    : system_(system), workload_(workload), batch_(batch), costs_(costs) {}

namespace {

struct LeafTraffic {
  double dram = 0;  // bytes, one run
  double held = 0;  // bytes per tile of on-chip inputs and output kept in the global buffer
};

// One run of `leaf`: its weights, inputs and outputs over the NoC into `one`, and its DRAM bytes.
LeafTraffic LeafData(const TiledSystem& system, const Workload& workload, const SegmentWalk& walk,
                     const LeafInfo& leaf, const LayerOnTiles& c, bool slots_inner,
                     LinkLoads* one) {
  const Layer& layer = workload.layer(leaf.layer);
  const TileSplit& s = c.split;
  const int slots = s.b * s.h * s.w;
  const int used = std::min(leaf.tiles, s.k * slots);
  const auto first = system.Position(leaf.first_tile);
  const auto port = system.NearestPort(first.first, first.second);
  LeafTraffic out;
  for (int k = 0; k < s.k && c.weight_bytes > 0; ++k)
    one->Multicast(port, PartTiles(leaf, s, k, 0, slots_inner), double(c.weight_bytes) / s.k);
  out.dram += double(c.weight_bytes);
  // Inputs: each producer's share of the input bytes (by its output size), or the network's.
  std::int64_t produced = 0;
  for (int p : layer.producers) produced += workload.layer(p).output_elements;
  std::vector<std::pair<int, double>> sources;  // producer (-1: DRAM), bytes
  for (int p : layer.producers)
    sources.emplace_back(walk.OnChip(p, leaf.layer) ? p : -1,
                         double(c.input_bytes) * double(workload.layer(p).output_elements) /
                             double(std::max<std::int64_t>(1, produced)));
  if (layer.producers.empty()) sources.emplace_back(-1, double(c.input_bytes));
  for (const auto& [p, bytes] : sources) {
    (p < 0 ? out.dram : out.held) += p < 0 ? bytes : bytes / used;
    for (int slot = 0; slot < slots; ++slot) {
      std::pair<int, int> from = port;
      if (p >= 0) {
        const LeafInfo& src = walk.leaves[walk.LeafOf(p)];
        from = system.Position(src.first_tile + slot % src.tiles);
      }
      one->Multicast(from, PartTiles(leaf, s, -1, slot, slots_inner), bytes / slots);
    }
  }
  bool to_dram = layer.consumers.empty();
  for (int q : layer.consumers) {
    if (walk.OnChip(leaf.layer, q))
      out.held += double(c.output_bytes) / used;
    else
      to_dram = true;
  }
  if (to_dram) {
    for (int j = 0; j < used; ++j) one->ToDram(leaf.first_tile + j, double(c.output_bytes) / used);
    out.dram += double(c.output_bytes);
  }
  return out;
}

}  // namespace

RaCost RaEvaluator::Segment(const RaNode& segment, std::int64_t pass) {
  const std::string key = PrintRaTree(segment, workload_) + "@" + std::to_string(pass);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = memo_.find(key);
    if (it != memo_.end()) return it->second;
  }
  RaCost cost = CostSegment(segment, pass);
  std::lock_guard<std::mutex> lock(mutex_);
  memo_.emplace(key, cost);
  return cost;
}

RaCost RaEvaluator::CostSegment(const RaNode& segment, std::int64_t pass) {
  RaCost cost;
  SegmentWalk walk(system_, workload_);
  std::vector<Step> path;
  walk.Walk(segment, 0, system_.tiles(), pass, &path);
  if (!walk.why.empty()) {
    cost.valid = false;
    cost.why = walk.why;
    return cost;
  }
  std::vector<LayerOnTiles> leaf_cost;
  for (const LeafInfo& leaf : walk.leaves)
    leaf_cost.push_back(costs_.Get(leaf.layer, leaf.tiles, leaf.batch));
  LinkLoads links(system_);
  const double capacity = double(system_.BufferBytes());
  for (size_t i = 0; i < walk.leaves.size(); ++i) {
    const LeafInfo& leaf = walk.leaves[i];
    const LayerOnTiles& c = leaf_cost[i];
    const double runs = double(pass / leaf.batch);
    // Blocks placed channel parts inner or slots inner, whichever crosses fewer links.
    bool slots_inner = false;
    if (c.split.k > 1 && c.split.b * c.split.h * c.split.w > 1) {
      LinkLoads a(system_), b(system_);
      LeafData(system_, workload_, walk, leaf, c, false, &a);
      LeafData(system_, workload_, walk, leaf, c, true, &b);
      slots_inner = b.byte_hops() < a.byte_hops();
    }
    LinkLoads one(system_);
    const LeafTraffic t = LeafData(system_, workload_, walk, leaf, c, slots_inner, &one);
    if (double(c.buffer_bytes) + t.held > capacity) {
      cost.valid = false;
      cost.why = "layer '" + workload_.layer(leaf.layer).name + "' needs " +
                 std::to_string(std::int64_t(double(c.buffer_bytes) + t.held)) +
                 " bytes per tile (" + std::to_string(c.buffer_bytes) +
                 " for its block), a tile holds " + std::to_string(std::int64_t(capacity));
      return cost;
    }
    cost.tile_pJ += c.tile_pJ * runs;
    cost.dram_bytes += t.dram * runs;
    cost.noc_pJ += one.byte_hops() * runs * system_.noc_pJ_per_byte_hop;
    one.Scale(runs);
    links.Add(one);
  }
  cost.dram_pJ = cost.dram_bytes * system_.dram_pJ_per_byte;
  const double compute = double(Time(segment, pass, walk, leaf_cost));
  cost.latency_cycles = std::max({compute, std::ceil(links.Busiest() / system_.link_bytes),
                                  std::ceil(cost.dram_bytes / system_.dram_bytes)});
  return cost;
}

RaCost RaEvaluator::Evaluate(const RaNode& root) {
  RaCost total;
  std::string why = ValidateRaTree(root, workload_, batch_);
  if (!why.empty()) {
    total.valid = false;
    total.why = why;
    return total;
  }
  const double n = double(batch_ / root.batch);
  for (const RaNode& segment : root.children) {
    RaCost s = Segment(segment, root.batch);
    if (!s.valid) return s;
    total.latency_cycles += n * s.latency_cycles;
    total.tile_pJ += n * s.tile_pJ;
    total.noc_pJ += n * s.noc_pJ;
    total.dram_pJ += n * s.dram_pJ;
    total.dram_bytes += n * s.dram_bytes;
  }
  return total;
}

std::vector<LeafPlacement> RaEvaluator::Placements(const RaNode& root) {
  std::vector<LeafPlacement> out(workload_.size());
  for (const RaNode& segment : root.children) {
    SegmentWalk walk(system_, workload_);
    std::vector<Step> path;
    walk.Walk(segment, 0, system_.tiles(), root.batch, &path);
    for (const LeafInfo& leaf : walk.leaves) {
      LeafPlacement& p = out[leaf.layer];
      for (int t = 0; t < leaf.tiles; ++t) p.tiles.push_back(leaf.first_tile + t);
      p.batch = leaf.batch;
      p.passes = batch_ / leaf.batch;
      p.output_offchip = true;
      for (int q : workload_.layer(leaf.layer).consumers)
        if (walk.OnChip(leaf.layer, q)) p.output_offchip = false;
    }
  }
  return out;
}

}  // namespace tessel
