#include "tessel/schedule/simulator.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <stdexcept>
#include <tuple>

#include "tessel/schedule/simulator_engine.h"

namespace tessel {

const char* ToString(TransferKind kind) {
  switch (kind) {
    case TransferKind::kPrefetch:
      return "prefetch";
    case TransferKind::kStream:
      return "stream";
    case TransferKind::kWriteBack:
      return "write-back";
    case TransferKind::kOutput:
      return "output";
  }
  return "prefetch";
}

std::vector<int> PriorityRanks(const NodeGraph& graph, ScheduleMode mode) {
  std::vector<std::tuple<double, int, int, int, int>> keys;
  for (const CompNode& n : graph.nodes) {
    const double rows = double(std::max<std::int64_t>(1, graph.geometry[n.layer].rows));
    const double frac = mode == ScheduleMode::kFused ? double(n.y1) / rows : 0.0;
    keys.emplace_back(frac, graph.topo_position[n.layer], n.group, n.tile, n.id);
  }
  std::sort(keys.begin(), keys.end());
  std::vector<int> rank(graph.nodes.size());
  for (size_t i = 0; i < keys.size(); ++i) rank[std::get<4>(keys[i])] = static_cast<int>(i);
  return rank;
}

namespace sim {

void Simulator::BuildTensors() {
  needs_.assign(graph_.nodes.size(), {});
  output_tensor_.assign(graph_.nodes.size(), -1);
  std::map<std::tuple<int, int, std::int64_t, std::int64_t>, int> weights;
  for (const CompNode& n : graph_.nodes) {
    const std::string& layer = workload_.layer(n.layer).name;
    output_tensor_[n.id] = static_cast<int>(tensors_.size());
    tensors_.push_back(
        MakeTensor(layer + "#" + std::to_string(n.id), n.output_bits(), "I1", false));
  }
  for (const CompNode& n : graph_.nodes) {
    const std::string& layer = workload_.layer(n.layer).name;
    for (int d : n.deps) needs_[n.id].push_back(output_tensor_[d]);
    if (n.weight_bits > 0) {
      auto key = std::make_tuple(n.layer, n.shared_weights ? -1 : n.group, n.c0, n.c1);
      if (!weights.count(key)) {
        weights[key] = static_cast<int>(tensors_.size());
        tensors_.push_back(MakeTensor(
            layer + ":weights[" + std::to_string(n.c0) + ":" + std::to_string(n.c1) + "]",
            n.weight_bits, "I2", true));
        tensors_.back().shared = n.shared_weights;
      }
      needs_[n.id].push_back(weights[key]);
    }
    if (n.network_input_bits > 0) {
      needs_[n.id].push_back(static_cast<int>(tensors_.size()));
      tensors_.push_back(
          MakeTensor(layer + ":input#" + std::to_string(n.id), n.network_input_bits, "I1", true));
    }
    for (int t : needs_[n.id]) tensors_[t].consumers.push_back(n.id), ++tensors_[t].unscheduled;
  }
}

const CoreMemory* Simulator::TopMemory(int core_id, const std::string& operand) const {
  const Core& core = system_.core(core_id);
  const CoreMemory* top = nullptr;
  for (const CoreMemory& m : core.memories)
    if (m.Holds(operand)) top = &m;
  return top;
}

double Simulator::MemoryAccessPJ(int core_id, const std::string& operand, std::int64_t bits,
                                 bool write) const {
  const CoreMemory* m = TopMemory(core_id, operand);
  if (m == nullptr) return 0;
  std::int64_t width = write ? m->write_bits : m->read_bits;
  if (width <= 0) return 0;
  return double(CeilDiv(double(bits), double(width))) * (write ? m->write_pJ : m->read_pJ);
}

// Reserves `bits` on the core from the earliest time >= from (for `duration`, or until released
// when kForever), evicting unpinned copies while nothing fits.
std::int64_t Simulator::Reserve(int core_id, std::int64_t bits, std::int64_t from,
                                std::int64_t duration, const std::set<int>& pinned) {
  Timeline& memory = memory_[system_.CoreIndex(core_id)];
  while (true) {
    std::int64_t t = memory.EarliestFit(from, duration, double(bits));
    if (t != kNever) {
      memory.Add(t, duration >= kForever ? kForever : t + duration, double(bits));
      return t;
    }
    int victim = -1, victim_rank = -1;
    for (size_t i = 0; i < tensors_.size(); ++i) {
      const TensorState& ts = tensors_[i];
      if (pinned.count(int(i)) || !ts.copies.count(core_id) || ts.unscheduled == 0) continue;
      int next = static_cast<int>(rank_.size());
      for (int c : ts.consumers)
        if (!scheduled_[c]) next = std::min(next, rank_[c]);
      if (next > victim_rank) victim_rank = next, victim = static_cast<int>(i);
    }
    if (victim < 0)
      throw UserError(SourceLocation{system_.file},
                      "core " + std::to_string(core_id) + " cannot hold " + std::to_string(bits) +
                          " more bits (capacity " +
                          std::to_string(std::int64_t(memory.capacity())) +
                          " bits) and nothing can be spilled");
    Evict(victim, core_id);
  }
}

void Simulator::Evict(int tensor, int core_id) {
  TensorState& ts = tensors_[tensor];
  Copy copy = ts.copies.at(core_id);
  std::int64_t release = std::max(copy.ready, copy.last_use);
  if (!ts.in_dram) {
    Transfer& wb = Move(tensor, core_id, system_.offchip_core, copy.ready, {},
                        TransferKind::kWriteBack, nullptr);
    release = std::max(release, wb.end);
    ts.in_dram = true;
    ts.dram_ready = wb.end;
  }
  ts.copies.erase(core_id);
  memory_[system_.CoreIndex(core_id)].Add(release, kForever, -double(ts.bits));
}

// Moves `tensor` from core `from` to core `to` starting no earlier than `earliest`; reserves room
// on `to` unless it is the off-chip core.
// A prefetch of data already crossing a shared link: ride along with an earlier transfer of the
// same tensor from the same source when the new route shares a link with it, has the same
// bandwidth, its other links are free over that transfer's window and the receiving core has room
// from its start (no eviction for a broadcast). Returns null when it cannot.
Transfer* Simulator::JoinBroadcast(int tensor, int from, int to,
                                   const std::vector<int>& for_nodes) {
  TensorState& ts = tensors_[tensor];
  const std::vector<int> route = Route(from, to);
  const double bandwidth = system_.RouteBandwidth(route);
  Timeline& memory = memory_[system_.CoreIndex(to)];
  for (int id : prefetches_[tensor]) {
    const Transfer& prev = out_.transfers[id];
    if (prev.from_core != from || prev.bandwidth_bits != bandwidth) continue;
    std::vector<int> own;
    for (int l : route)
      if (std::find(prev.links.begin(), prev.links.end(), l) == prev.links.end()) own.push_back(l);
    if (own.size() == route.size()) continue;
    const std::int64_t duration = prev.end - prev.start;
    bool fits = memory.EarliestFit(prev.start, kForever, double(ts.bits)) == prev.start;
    for (int l : own)
      fits = fits && links_[l].EarliestFit(prev.start, duration, bandwidth) == prev.start;
    if (!fits) continue;
    Transfer tr = prev;
    tr.id = static_cast<int>(out_.transfers.size());
    tr.to_core = to;
    tr.links = route;
    tr.for_nodes = for_nodes;
    tr.broadcast_of = prev.id;
    memory.Add(tr.start, kForever, double(ts.bits));
    for (int l : own) {
      links_[l].Add(tr.start, tr.end, bandwidth);
      out_.link_pJ += double(ts.bits) * system_.links[l].pJ_per_bit;
    }
    out_.core_pJ += MemoryAccessPJ(to, ts.operand, ts.bits, true);
    ts.copies[to] = Copy{tr.end, tr.end};
    if (from != system_.offchip_core) {
      Copy& source = ts.copies.at(from);
      source.last_use = std::max(source.last_use, tr.end);
    }
    out_.transfers.push_back(std::move(tr));
    return &out_.transfers.back();
  }
  return nullptr;
}

Transfer& Simulator::Move(int tensor, int from, int to, std::int64_t earliest,
                          std::vector<int> for_nodes, TransferKind kind,
                          const std::set<int>* pinned) {
  TensorState& ts = tensors_[tensor];
  if (kind == TransferKind::kPrefetch && to != system_.offchip_core)
    if (Transfer* joined = JoinBroadcast(tensor, from, to, for_nodes)) return *joined;
  Transfer tr;
  tr.id = static_cast<int>(out_.transfers.size());
  tr.tensor = ts.name;
  tr.bits = ts.bits;
  tr.from_core = from, tr.to_core = to;
  tr.links = Route(from, to);
  tr.bandwidth_bits = system_.RouteBandwidth(tr.links);
  tr.for_nodes = std::move(for_nodes);
  tr.kind = kind;
  const std::int64_t duration =
      std::max<std::int64_t>(1, CeilDiv(double(ts.bits), tr.bandwidth_bits));
  std::int64_t t = earliest;
  if (to != system_.offchip_core)
    t = Reserve(to, ts.bits, t, kForever, pinned ? *pinned : std::set<int>{});
  for (bool moved = true; moved;) {
    moved = false;
    for (int l : tr.links) {
      std::int64_t fit = links_[l].EarliestFit(t, duration, tr.bandwidth_bits);
      if (fit > t) t = fit, moved = true;
    }
  }
  for (int l : tr.links) {
    links_[l].Add(t, t + duration, tr.bandwidth_bits);
    out_.link_pJ += double(ts.bits) * system_.links[l].pJ_per_bit;
  }
  tr.start = t, tr.end = t + duration;
  if (from == system_.offchip_core)
    out_.offchip_pJ += MemoryAccessPJ(from, "I1", ts.bits, false);
  else
    out_.core_pJ += MemoryAccessPJ(from, "O", ts.bits, false);
  if (to == system_.offchip_core)
    out_.offchip_pJ += MemoryAccessPJ(to, "O", ts.bits, true);
  else
    out_.core_pJ += MemoryAccessPJ(to, ts.operand, ts.bits, true);
  if (to != system_.offchip_core) ts.copies[to] = Copy{tr.end, tr.end};
  if (from != system_.offchip_core) {
    Copy& source = ts.copies.at(from);
    source.last_use = std::max(source.last_use, tr.end);
  }
  if (kind == TransferKind::kPrefetch) prefetches_[tensor].push_back(tr.id);
  out_.transfers.push_back(std::move(tr));
  return out_.transfers.back();
}

void Simulator::EnsureInDram(int tensor, int for_node) {
  TensorState& ts = tensors_[tensor];
  if (ts.in_dram) return;
  if (ts.copies.empty()) throw std::logic_error("tensor '" + ts.name + "' has no copy");
  int from = ts.copies.begin()->first;
  Transfer& wb = Move(tensor, from, system_.offchip_core, ts.copies.begin()->second.ready,
                      {for_node}, TransferKind::kWriteBack, nullptr);
  ts.in_dram = true;
  ts.dram_ready = wb.end;
}

void Simulator::Release(int tensor) {
  TensorState& ts = tensors_[tensor];
  for (const auto& [core_id, copy] : ts.copies)
    memory_[system_.CoreIndex(core_id)].Add(std::max(copy.ready, copy.last_use), kForever,
                                            -double(ts.bits));
  ts.copies.clear();
}

// Bookkeeping after `node` was placed: its inputs have one consumer less (a tensor with none left
// is released everywhere); a network output, or an output marked output_offchip, is written to
// off-chip memory and then released from the core.
void Simulator::Consume(int node, std::int64_t end) {
  const int core_id = CoreOf(node);
  for (int t : needs_[node]) {
    TensorState& ts = tensors_[t];
    auto it = ts.copies.find(core_id);
    if (it != ts.copies.end()) it->second.last_use = std::max(it->second.last_use, end);
    if (--ts.unscheduled == 0) Release(t);
  }
  TensorState& out = tensors_[output_tensor_[node]];
  const bool offchip = out.consumers.empty() || graph_.nodes[node].output_offchip;
  if (offchip && !out.in_dram && out.copies.count(core_id)) {
    Transfer& tr =
        Move(output_tensor_[node], core_id, system_.offchip_core, end, {},
             out.consumers.empty() ? TransferKind::kOutput : TransferKind::kWriteBack, nullptr);
    out.in_dram = true;
    out.dram_ready = tr.end;
    Release(output_tensor_[node]);
  }
}

// A node that holds its data: every tensor it needs is moved to its core (prefetch), room for its
// output is reserved, then it runs.
void Simulator::ScheduleHeld(int node, std::int64_t not_before) {
  const int core_id = CoreOf(node);
  const NodeCost& cost = costs_.Get(node, core_id);
  std::set<int> pinned(needs_[node].begin(), needs_[node].end());
  pinned.insert(output_tensor_[node]);
  std::int64_t start = std::max(not_before, core_free_[system_.CoreIndex(core_id)]);
  for (int t : needs_[node]) {
    TensorState& ts = tensors_[t];
    auto here = ts.copies.find(core_id);
    if (here != ts.copies.end()) {
      start = std::max(start, here->second.ready);
      continue;
    }
    if (ts.shared) {
      start = std::max(start, FetchShared(t, core_id, node, start, pinned));
      continue;
    }
    int from = system_.offchip_core;
    std::int64_t ready = ts.dram_ready;
    if (!ts.copies.empty())
      from = ts.copies.begin()->first, ready = ts.copies.begin()->second.ready;
    if (from < 0) throw UserError("tensor '" + ts.name + "' has no copy to move");
    const double bandwidth = system_.RouteBandwidth(Route(from, core_id));
    const std::int64_t duration = CeilDiv(double(ts.bits), bandwidth);
    std::int64_t core_free = core_free_[system_.CoreIndex(core_id)];
    std::int64_t earliest = std::max(ready, core_free - duration);
    Transfer& tr = Move(t, from, core_id, earliest, {node}, TransferKind::kPrefetch, &pinned);
    start = std::max(start, tr.end);
  }
  start = Reserve(core_id, tensors_[output_tensor_[node]].bits, start, kForever, pinned);
  tensors_[output_tensor_[node]].copies[core_id] = Copy{start + cost.cycles, start + cost.cycles};
  ScheduledNode& s = out_.nodes[node];
  s = {node, core_id, start, start + cost.cycles, false, cost.core_pJ, 0};
  core_free_[system_.CoreIndex(core_id)] = s.end;
  out_.core_pJ += cost.core_pJ;
}

// A node that streams: its producers' outputs are first written to off-chip memory; it then runs
// while its off-chip reads and writes hold their share of the route's bandwidth.
void Simulator::ScheduleStreaming(int node, std::int64_t not_before) {
  const int core_id = CoreOf(node);
  const NodeCost& cost = costs_.Get(node, core_id);
  std::int64_t t = std::max(not_before, core_free_[system_.CoreIndex(core_id)]);
  for (int tensor : needs_[node]) {
    EnsureInDram(tensor, node);
    t = std::max(t, tensors_[tensor].dram_ready);
  }
  const std::int64_t duration = cost.cycles;
  const std::vector<int> in_route = Route(system_.offchip_core, core_id);
  const std::vector<int> out_route = Route(core_id, system_.offchip_core);
  const double read_rate = double(cost.offchip_read_bits) / double(duration);
  const double write_rate = double(cost.offchip_write_bits) / double(duration);
  std::map<int, double> rate;
  for (int l : in_route) rate[l] += read_rate;
  for (int l : out_route) rate[l] += write_rate;
  std::set<int> pinned(needs_[node].begin(), needs_[node].end());
  Timeline& memory = memory_[system_.CoreIndex(core_id)];
  for (bool moved = true; moved;) {
    moved = false;
    for (const auto& [l, r] : rate) {
      std::int64_t fit = links_[l].EarliestFit(t, duration, std::min(r, links_[l].capacity()));
      if (fit > t) t = fit, moved = true;
    }
    std::int64_t fit = memory.EarliestFit(t, duration, double(cost.top_bits));
    if (fit == kNever) {
      t = Reserve(core_id, cost.top_bits, t, duration, pinned);  // evicts until it fits
      memory.Add(t, t + duration, -double(cost.top_bits));       // placed below for good
      moved = true;
    } else if (fit > t) {
      t = fit, moved = true;
    }
  }
  memory.Add(t, t + duration, double(cost.top_bits));
  for (const auto& [l, r] : rate) {
    links_[l].Add(t, t + duration, std::min(r, links_[l].capacity()));
  }
  auto stream = [&](int from, int to, std::int64_t bits, const std::vector<int>& route, double r) {
    if (bits <= 0) return;
    Transfer tr;
    tr.id = static_cast<int>(out_.transfers.size());
    tr.tensor = workload_.layer(graph_.nodes[node].layer).name +
                (from == core_id ? ":out#" : ":in#") + std::to_string(node);
    tr.bits = bits, tr.from_core = from, tr.to_core = to, tr.links = route;
    tr.start = t, tr.end = t + duration, tr.bandwidth_bits = r, tr.for_nodes = {node};
    tr.kind = TransferKind::kStream;
    for (int l : route) out_.link_pJ += double(bits) * system_.links[l].pJ_per_bit;
    out_.transfers.push_back(std::move(tr));
  };
  stream(system_.offchip_core, core_id, cost.offchip_read_bits, in_route, read_rate);
  stream(core_id, system_.offchip_core, cost.offchip_write_bits, out_route, write_rate);
  TensorState& out = tensors_[output_tensor_[node]];
  out.in_dram = true;
  out.dram_ready = t + duration;
  out_.nodes[node] = {node, core_id, t, t + duration, true, cost.core_pJ, cost.offchip_pJ};
  core_free_[system_.CoreIndex(core_id)] = t + duration;
  out_.core_pJ += cost.core_pJ;
  out_.offchip_pJ += cost.offchip_pJ;
}

SystemSchedule Simulator::Run() {
  BuildTensors();
  for (const Link& link : system_.links) links_.emplace_back(link.bandwidth_bits);
  for (const Core& core : system_.cores) memory_.emplace_back(double(core.MemoryBits()));
  core_free_.assign(system_.cores.size(), 0);
  scheduled_.assign(graph_.nodes.size(), false);
  out_.nodes.assign(graph_.nodes.size(), {});
  std::vector<int> unmet(graph_.nodes.size());
  std::vector<std::vector<int>> consumers(graph_.nodes.size());
  std::set<std::pair<int, int>> ready;
  for (const CompNode& n : graph_.nodes) {
    unmet[n.id] = static_cast<int>(n.deps.size());
    for (int d : n.deps) consumers[d].push_back(n.id);
    if (n.deps.empty()) ready.insert({rank_[n.id], n.id});
  }
  std::vector<std::int64_t> barrier(graph_.order.size() + 1, 0);  // lbl: per topo position
  int barrier_position = -1;
  std::int64_t max_end = 0;
  while (!ready.empty()) {
    const int node = ready.begin()->second;
    ready.erase(ready.begin());
    const CompNode& n = graph_.nodes[node];
    std::int64_t not_before = 0;
    for (int d : n.deps) not_before = std::max(not_before, out_.nodes[d].end);
    if (mode_ == ScheduleMode::kLayerByLayer) {
      int position = graph_.topo_position[n.layer];
      if (position != barrier_position) barrier_position = position, barrier[position] = max_end;
      not_before = std::max(not_before, barrier[position]);
    }
    if (costs_.Blocking(node, CoreOf(node)) && costs_.compulsory_streams())
      ScheduleCompulsoryStream(node, not_before);
    else if (costs_.Blocking(node, CoreOf(node)))
      ScheduleStreaming(node, not_before);
    else
      ScheduleHeld(node, not_before);
    scheduled_[node] = true;
    max_end = std::max(max_end, out_.nodes[node].end);
    Consume(node, out_.nodes[node].end);
    for (int c : consumers[node])
      if (--unmet[c] == 0) ready.insert({rank_[c], c});
  }
  for (const ScheduledNode& s : out_.nodes)
    out_.latency_cycles = std::max(out_.latency_cycles, s.end);
  for (const Transfer& t : out_.transfers)
    out_.latency_cycles = std::max(out_.latency_cycles, t.end);
  for (size_t c = 0; c < system_.cores.size(); ++c) {
    CoreUsage usage;
    usage.capacity_bits = system_.cores[c].MemoryBits();
    for (const auto& [time, bits] : memory_[c].Steps()) {
      usage.steps.emplace_back(time, std::llround(bits));
      usage.peak_bits = std::max(usage.peak_bits, std::int64_t(std::llround(bits)));
    }
    out_.memory.push_back(std::move(usage));
  }
  return std::move(out_);
}

}  // namespace sim

SystemSchedule Simulate(const System& system, const Workload& workload, const NodeGraph& graph,
                        const NodeCostTable& costs, const Allocation& allocation,
                        ScheduleMode mode) {
  return sim::Simulator(system, workload, graph, costs, allocation, mode).Run();
}

}  // namespace tessel
