// The simulator's steps for the RA-tree replay's nodes: weights shared by the tiles of a channel
// part, and nodes that stream their compulsory data (simulator_engine.h, node_cost.h).
#include <algorithm>
#include <tuple>

#include "tessel/schedule/simulator_engine.h"

namespace tessel::sim {

// Shared weights (CompNode::shared_weights) onto `core_id` for `node`: ride along a DRAM read of
// them in flight (a multicast: a byte once per link), else copy them from the tile holding them
// that is fewest links away, else read DRAM. Returns when they are there.
std::int64_t Simulator::FetchShared(int tensor, int core_id, int node, std::int64_t earliest,
                                    const std::set<int>& pinned) {
  TensorState& ts = tensors_[tensor];
  if (Transfer* joined = JoinBroadcast(tensor, system_.offchip_core, core_id, {node}))
    return joined->end;
  int from = system_.offchip_core;
  std::int64_t ready = ts.dram_ready;
  size_t hops = 0;
  for (const auto& [c, copy] : ts.copies) {
    const size_t h = Route(c, core_id).size();
    if (from == system_.offchip_core || h < hops) from = c, ready = copy.ready, hops = h;
  }
  const double bandwidth = system_.RouteBandwidth(Route(from, core_id));
  const std::int64_t duration = CeilDiv(double(ts.bits), bandwidth);
  const std::int64_t core_free = core_free_[system_.CoreIndex(core_id)];
  earliest = std::max(ready, std::min(earliest, core_free - duration));
  return Move(tensor, from, core_id, earliest, {node}, TransferKind::kPrefetch, &pinned).end;
}

// A node too large to hold, with compulsory streams (NodeCostOptions, the RA-tree replay): shared
// weights are fetched and held as a held node's are when they fit beside the mapping's buffers
// (else read from DRAM once); each producer's share of the input streams from the tile that holds
// it (on chip, as the tree keeps it) or from DRAM; the output stays on the tile for its consumers
// when the tree keeps it on chip and it fits, else it streams to DRAM. The node runs for its held
// mapping's cycles, at least as long as its busiest link needs for the bits it carries.
// Where a compulsory stream's data come from and go (see below), and the earliest start.
StreamPlan Simulator::PlanCompulsoryStream(int node, std::int64_t not_before) {
  const int core_id = CoreOf(node);
  const NodeCost& cost = costs_.Get(node, core_id);
  const CompNode& n = graph_.nodes[node];
  const double capacity = memory_[system_.CoreIndex(core_id)].capacity();
  const std::int64_t top_bits = std::min(cost.top_bits, std::int64_t(capacity));
  const int dram = system_.offchip_core;
  StreamPlan plan;
  plan.top_bits = top_bits;
  std::int64_t& t = plan.start;
  t = std::max(not_before, core_free_[system_.CoreIndex(core_id)]);
  std::set<int>& pinned = plan.pinned;
  std::vector<std::tuple<int, int, std::int64_t>>& flows = plan.flows;
  std::int64_t dram_read = 0, held_bits = 0, local_bits = 0;
  const std::int64_t input_bits = n.input_elements * kElementBits;
  std::int64_t dep_bits = 0;
  std::set<int> dep_tensors;
  for (int d : n.deps) dep_tensors.insert(output_tensor_[d]);
  for (int tensor : dep_tensors) dep_bits += tensors_[tensor].bits;
  for (int tensor : dep_tensors)
    if (tensors_[tensor].copies.count(core_id)) local_bits += tensors_[tensor].bits;
  const bool local_fits = double(top_bits + local_bits) <= capacity;
  if (!local_fits) local_bits = 0;
  for (int tensor : dep_tensors) {  // each producer's share of the input
    TensorState& ts = tensors_[tensor];
    const std::int64_t share = std::llround(double(input_bits) * double(ts.bits) /
                                            double(std::max<std::int64_t>(1, dep_bits)));
    if (!local_fits && ts.copies.count(core_id)) EnsureInDram(tensor, node);  // spilled
    if (ts.in_dram || ts.copies.empty()) {
      t = std::max(t, ts.dram_ready), dram_read += share;
      continue;
    }
    int from = -1;
    size_t hops = 0;
    for (const auto& [c, copy] : ts.copies)
      if (from < 0 || Route(c, core_id).size() < hops) from = c, hops = Route(c, core_id).size();
    t = std::max(t, ts.copies.at(from).ready);
    pinned.insert(tensor);
    if (from != core_id) flows.emplace_back(from, core_id, share);
  }
  for (int tensor : needs_[node]) {
    const TensorState& ts = tensors_[tensor];
    if (dep_tensors.count(tensor)) continue;
    if (!ts.shared || double(ts.bits + top_bits + local_bits) > capacity) {
      t = std::max(t, ts.dram_ready), dram_read += ts.bits;  // the network input, or weights
      continue;
    }
    pinned.insert(tensor), held_bits += ts.bits;
    t = std::max(t, ts.copies.count(core_id) ? ts.copies.at(core_id).ready
                                             : FetchShared(tensor, core_id, node, t, pinned));
  }
  const std::int64_t out_bits = n.output_bits();
  plan.keep = !n.output_offchip && !tensors_[output_tensor_[n.id]].consumers.empty() &&
              double(held_bits + top_bits + local_bits + out_bits) <= capacity;
  if (dram_read > 0) flows.emplace_back(dram, core_id, dram_read);
  if (!plan.keep) flows.emplace_back(core_id, dram, out_bits);
  return plan;
}

void Simulator::ScheduleCompulsoryStream(int node, std::int64_t not_before) {
  const int core_id = CoreOf(node);
  const NodeCost& cost = costs_.Get(node, core_id);
  const CompNode& n = graph_.nodes[node];
  Timeline& memory = memory_[system_.CoreIndex(core_id)];
  const int dram = system_.offchip_core;
  StreamPlan plan = PlanCompulsoryStream(node, not_before);
  std::int64_t t = plan.start;
  const std::int64_t top_bits = plan.top_bits, out_bits = n.output_bits();
  const bool keep = plan.keep;
  const std::set<int>& pinned = plan.pinned;
  const std::vector<std::tuple<int, int, std::int64_t>>& flows = plan.flows;
  std::map<int, std::int64_t> bits_on;  // link -> bits over the run
  std::int64_t duration = std::max<std::int64_t>(1, cost.cycles);
  for (const auto& [from, to, bits] : flows)
    for (int l : Route(from, to)) bits_on[l] += bits;
  for (const auto& [l, bits] : bits_on)
    duration = std::max(duration, CeilDiv(double(bits), system_.links[l].bandwidth_bits));
  const std::int64_t memory_bits = top_bits + (keep ? out_bits : 0);
  for (bool moved = true; moved;) {
    moved = false;
    for (const auto& [l, bits] : bits_on) {
      std::int64_t fit = links_[l].EarliestFit(t, duration, double(bits) / double(duration));
      if (fit > t) t = fit, moved = true;
    }
    std::int64_t fit = memory.EarliestFit(t, keep ? kForever : duration, double(memory_bits));
    if (fit == kNever) {
      t = Reserve(core_id, memory_bits, t, keep ? kForever : duration, pinned);  // evicts
      memory.Add(t, keep ? kForever : t + duration, -double(memory_bits));
      moved = true;
    } else if (fit > t) {
      t = fit, moved = true;
    }
  }
  memory.Add(t, t + duration, double(top_bits));
  for (const auto& [l, bits] : bits_on)
    links_[l].Add(t, t + duration, double(bits) / double(duration));
  double offchip_pJ = 0;
  for (const auto& [from, to, bits] : flows) {
    if (bits <= 0) continue;
    Transfer tr;
    tr.id = static_cast<int>(out_.transfers.size());
    tr.tensor =
        workload_.layer(n.layer).name + (from == core_id ? ":out#" : ":in#") + std::to_string(node);
    tr.bits = bits, tr.from_core = from, tr.to_core = to, tr.links = Route(from, to);
    tr.start = t, tr.end = t + duration, tr.for_nodes = {node};
    tr.bandwidth_bits = double(bits) / double(duration);
    tr.kind = TransferKind::kStream;
    for (int l : tr.links) out_.link_pJ += double(bits) * system_.links[l].pJ_per_bit;
    if (from == dram) offchip_pJ += MemoryAccessPJ(dram, "I1", bits, false);
    if (to == dram) offchip_pJ += MemoryAccessPJ(dram, "O", bits, true);
    if (from != dram && from != core_id) {
      for (int tensor : needs_[node]) {  // the source copies stay until the run ends
        auto it = tensors_[tensor].copies.find(from);
        if (it != tensors_[tensor].copies.end())
          it->second.last_use = std::max(it->second.last_use, t + duration);
      }
    }
    out_.transfers.push_back(std::move(tr));
  }
  TensorState& out = tensors_[output_tensor_[node]];
  if (keep) {
    memory.Add(t, kForever, double(out_bits));
    out.copies[core_id] = Copy{t + duration, t + duration};
  } else {
    out.in_dram = true;
    out.dram_ready = t + duration;
  }
  out_.nodes[node] = {node, core_id, t, t + duration, true, cost.core_pJ, offchip_pJ};
  core_free_[system_.CoreIndex(core_id)] = t + duration;
  out_.core_pJ += cost.core_pJ;
  out_.offchip_pJ += offchip_pJ;
}

}  // namespace tessel::sim
