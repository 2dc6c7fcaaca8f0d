// A schedule of computation nodes on the cores of a system, as data: what ran where and when,
// every transfer over the links, memory occupancy per core, and the totals. Produced only by the
// simulator (simulator.h); every property a test checks can be read back from these fields.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace tessel {

// Which core runs each inter-core group of each layer: cores[layer][group] is a core id.
struct Allocation {
  std::vector<std::vector<int>> cores;
  bool operator==(const Allocation&) const = default;
};

struct ScheduledNode {
  int node = 0;
  int core = 0;  // core id
  std::int64_t start = 0, end = 0;
  bool streams = false;  // streams its data from off-chip while it runs (blocking)
  double core_pJ = 0, offchip_pJ = 0;
};

enum class TransferKind {
  kPrefetch,   // into a core before the nodes in for_nodes start
  kStream,     // to or from off-chip while the node in for_nodes runs
  kWriteBack,  // evicted or needed by a streaming node: a core's copy written to off-chip
  kOutput,     // a network output written to off-chip
};
const char* ToString(TransferKind kind);  // "prefetch", "stream", "write-back", "output"

struct Transfer {
  int id = 0;
  std::string tensor;
  std::int64_t bits = 0;
  int from_core = 0, to_core = 0;
  std::vector<int> links;  // link ids on the route, in order
  std::int64_t start = 0, end = 0;
  double bandwidth_bits = 0;  // held on every link of the route over [start, end)
  std::vector<int> for_nodes;
  TransferKind kind = TransferKind::kPrefetch;
  // A broadcast: the same data as transfer `broadcast_of` (same source, same cycles) picked up by
  // one more core; it holds bandwidth only on its links that transfer does not use.
  int broadcast_of = -1;
};

struct CoreUsage {
  std::int64_t capacity_bits = 0;
  std::int64_t peak_bits = 0;
  std::vector<std::pair<std::int64_t, std::int64_t>> steps;  // (time, occupied bits)
};

// What the simulator made of one allocation. (Not named Schedule: that is the tuner's knob
// settings, model/timing_model.h; two classes of one name in one namespace break the ODR.)
struct SystemSchedule {
  std::int64_t latency_cycles = 0;
  double core_pJ = 0, link_pJ = 0, offchip_pJ = 0;
  double energy_pJ() const { return core_pJ + link_pJ + offchip_pJ; }
  std::vector<ScheduledNode> nodes;  // by node id
  std::vector<Transfer> transfers;   // in the order they were scheduled
  std::vector<CoreUsage> memory;     // parallel to System::cores
};

}  // namespace tessel
