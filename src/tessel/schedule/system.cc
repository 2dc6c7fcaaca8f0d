#include "tessel/schedule/system.h"

#include <algorithm>
#include <deque>
#include <limits>

namespace tessel {

bool CoreMemory::Holds(const std::string& operand) const {
  return std::find(operands.begin(), operands.end(), operand) != operands.end();
}

const char* ToString(CoreType type) {
  switch (type) {
    case CoreType::kCompute:
      return "compute";
    case CoreType::kPooling:
      return "pooling";
    case CoreType::kSimd:
      return "simd";
    case CoreType::kMemory:
      return "memory";
  }
  return "compute";
}

std::int64_t Core::Lanes() const {
  if (timeloop) return timeloop->arch.arithmetic.instances;
  if (array_sizes.empty()) return 0;
  std::int64_t lanes = 1;
  for (std::int64_t size : array_sizes) lanes *= size;
  return lanes;
}

std::int64_t Core::Instances(const CoreMemory& memory) const {
  std::int64_t instances = 1;
  for (size_t d = 0; d < array_dims.size(); ++d) {
    bool served = std::find(memory.served_dims.begin(), memory.served_dims.end(), array_dims[d]) !=
                  memory.served_dims.end();
    if (!served && array_sizes[d] > 0) instances *= array_sizes[d];
  }
  return instances;
}

std::vector<int> Core::TopMemories() const {
  std::vector<int> tops;
  for (const char* operand : {"I1", "I2", "O"}) {
    int top = -1;
    for (size_t m = 0; m < memories.size(); ++m)
      if (memories[m].Holds(operand)) top = static_cast<int>(m);
    if (top >= 0 && std::find(tops.begin(), tops.end(), top) == tops.end()) tops.push_back(top);
  }
  std::sort(tops.begin(), tops.end());
  return tops;
}

std::int64_t Core::MemoryBits() const {
  if (timeloop) {
    const std::vector<StorageLevel>& levels = timeloop->arch.storage;
    if (levels.size() < 2 || !levels[levels.size() - 2].size_words) return 0;
    const StorageLevel& top = levels[levels.size() - 2];
    return *top.size_words * top.word_bits * top.instances;
  }
  std::int64_t bits = 0;
  for (int m : TopMemories()) bits += memories[m].size_bits;
  return bits;
}

int System::CoreIndex(int id) const {
  if (id >= 0 && id < static_cast<int>(cores.size()) && cores[id].id == id)
    return id;  // ids 0..n-1
  for (size_t i = 0; i < cores.size(); ++i)
    if (cores[i].id == id) return static_cast<int>(i);
  return -1;
}

// Breadth-first search over cores; a link or bus joins every pair of its cores in one hop. Links
// are tried in id order, so among shortest routes the one with the lowest link ids wins.
std::vector<int> System::Route(int from, int to) const {
  if (from == to) return {};
  const int n = static_cast<int>(cores.size());
  std::vector<int> via_link(n, -1), via_core(n, -1);
  std::vector<bool> seen(n, false);
  // The links touching each core, in file order (one pass, not one per visited core).
  std::vector<std::vector<const Link*>> touching(n);
  for (const Link& link : links) {
    if (link.id == offchip_port_link) continue;
    for (int id : link.cores) {
      const int c = CoreIndex(id);
      if (c >= 0 && (touching[c].empty() || touching[c].back() != &link))
        touching[c].push_back(&link);
    }
  }
  std::deque<int> queue = {CoreIndex(from)};
  seen[CoreIndex(from)] = true;
  while (!queue.empty()) {
    int at = queue.front();
    queue.pop_front();
    for (const Link* l : touching[at]) {
      const Link& link = *l;
      for (int next_id : link.cores) {
        int next = CoreIndex(next_id);
        if (next < 0 || seen[next]) continue;
        seen[next] = true;
        via_link[next] = link.id;
        via_core[next] = at;
        queue.push_back(next);
      }
    }
  }
  int target = CoreIndex(to);
  if (!seen[target])
    throw UserError(SourceLocation{file}, "no link or bus connects core " + std::to_string(from) +
                                              " to core " + std::to_string(to));
  std::vector<int> route;
  for (int at = target; via_core[at] >= 0; at = via_core[at]) route.push_back(via_link[at]);
  std::reverse(route.begin(), route.end());
  if (offchip_port_link >= 0) {
    if (from == offchip_core) route.insert(route.begin(), offchip_port_link);
    if (to == offchip_core) route.push_back(offchip_port_link);
  }
  return route;
}

double System::RouteBandwidth(const std::vector<int>& route) const {
  double bandwidth = std::numeric_limits<double>::infinity();
  for (int link : route) bandwidth = std::min(bandwidth, links[link].bandwidth_bits);
  return bandwidth;
}

}  // namespace tessel
