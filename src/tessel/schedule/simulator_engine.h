// The event-driven simulator's state and steps (simulator.h describes what it does), shared by
// simulator.cc (tensors, transfers, held and streaming nodes) and simulator_stream.cc (shared
// weights and compulsory streams, the RA-tree replay's nodes). Internal to src/tessel/schedule/.
#pragma once
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "tessel/schedule/simulator.h"
#include "tessel/schedule/timeline.h"

namespace tessel::sim {

struct Copy {
  std::int64_t ready = 0;
  std::int64_t last_use = 0;
};

struct TensorState {
  std::string name;
  std::int64_t bits = 0;
  const char* operand = "I1";  // the memory operand it occupies on a consumer's core
  bool in_dram = false;
  bool shared = false;  // weights shared by the tiles of a channel part (CompNode::shared_weights)
  std::int64_t dram_ready = 0;
  std::map<int, Copy> copies;  // core id -> live copy
  std::vector<int> consumers;
  int unscheduled = 0;
};

inline TensorState MakeTensor(std::string name, std::int64_t bits, const char* operand,
                              bool in_dram) {
  TensorState t;
  t.name = std::move(name);
  t.bits = bits;
  t.operand = operand;
  t.in_dram = in_dram;
  return t;
}

inline std::int64_t CeilDiv(double a, double b) {
  return static_cast<std::int64_t>(std::ceil(a / b));
}

// A compulsory stream's plan: its earliest start, the tensors pinned on its core, its flows (from
// core, to core, bits over the run), the buffer bits its mapping holds, whether it keeps its
// output.
struct StreamPlan {
  std::int64_t start = 0;
  std::set<int> pinned;
  std::vector<std::tuple<int, int, std::int64_t>> flows;
  std::int64_t top_bits = 0;
  bool keep = false;
};

class Simulator {
 public:
  Simulator(const System& system, const Workload& workload, const NodeGraph& graph,
            const NodeCostTable& costs, const Allocation& allocation, ScheduleMode mode)
      : system_(system),
        workload_(workload),
        graph_(graph),
        costs_(costs),
        allocation_(allocation),
        mode_(mode),
        rank_(graph.priority.empty() ? PriorityRanks(graph, mode) : graph.priority) {}

  SystemSchedule Run();

 private:
  int CoreOf(int node) const {
    const CompNode& n = graph_.nodes[node];
    return allocation_.cores[n.layer][n.group];
  }
  void BuildTensors();
  const CoreMemory* TopMemory(int core_id, const std::string& operand) const;
  double MemoryAccessPJ(int core_id, const std::string& operand, std::int64_t bits,
                        bool write) const;
  std::int64_t Reserve(int core_id, std::int64_t bits, std::int64_t from, std::int64_t duration,
                       const std::set<int>& pinned);
  void Evict(int tensor, int core_id);
  Transfer& Move(int tensor, int from, int to, std::int64_t earliest, std::vector<int> for_nodes,
                 TransferKind kind, const std::set<int>* pinned);
  Transfer* JoinBroadcast(int tensor, int from, int to, const std::vector<int>& for_nodes);
  void EnsureInDram(int tensor, int for_node);
  std::int64_t FetchShared(int tensor, int core_id, int node, std::int64_t earliest,
                           const std::set<int>& pinned);
  void ScheduleHeld(int node, std::int64_t not_before);
  void ScheduleStreaming(int node, std::int64_t not_before);
  StreamPlan PlanCompulsoryStream(int node, std::int64_t not_before);
  void ScheduleCompulsoryStream(int node, std::int64_t not_before);
  void Consume(int node, std::int64_t end);
  void Release(int tensor);
  // system_.Route, memoised (a breadth-first search over every link is costly per transfer).
  const std::vector<int>& Route(int from, int to) {
    auto it = routes_.find({from, to});
    if (it == routes_.end())
      it = routes_.emplace(std::make_pair(from, to), system_.Route(from, to)).first;
    return it->second;
  }

  const System& system_;
  const Workload& workload_;
  const NodeGraph& graph_;
  const NodeCostTable& costs_;
  const Allocation& allocation_;
  ScheduleMode mode_;
  std::vector<int> rank_;
  std::vector<TensorState> tensors_;
  std::vector<int> output_tensor_;
  std::vector<std::vector<int>> needs_;
  std::vector<Timeline> links_;
  std::vector<Timeline> memory_;  // by core index
  std::vector<std::int64_t> core_free_;
  std::vector<bool> scheduled_;
  std::map<int, std::vector<int>> prefetches_;  // tensor -> its original prefetch transfers
  std::map<std::pair<int, int>, std::vector<int>> routes_;  // (from, to) core ids -> route
  SystemSchedule out_;
};

}  // namespace tessel::sim
