#include "tessel/workload/workload.h"

#include <algorithm>
#include <functional>
#include <queue>
#include <stdexcept>
#include <utility>

#include "tessel/common/error.h"

namespace tessel {
namespace {

// Inserts `value` into the sorted vector `list` unless it is already there.
void InsertSorted(std::vector<int>& list, int value) {
  auto it = std::lower_bound(list.begin(), list.end(), value);
  if (it == list.end() || *it != value) list.insert(it, value);
}

// Among `remaining` layers (those Kahn's algorithm could not order), every layer has a producer
// that is also remaining, so walking producers backwards must revisit a layer: the walk from its
// first visit on is a cycle. Returns it in data-flow order.
std::vector<int> FindCycle(const std::vector<Layer>& layers, const std::vector<bool>& remaining) {
  int start =
      static_cast<int>(std::find(remaining.begin(), remaining.end(), true) - remaining.begin());
  std::vector<int> position(layers.size(), -1);
  std::vector<int> walk;
  int current = start;
  while (position[current] < 0) {
    position[current] = static_cast<int>(walk.size());
    walk.push_back(current);
    for (int producer : layers[current].producers) {
      if (remaining[producer]) {
        current = producer;
        break;
      }
    }
  }
  std::vector<int> cycle(walk.begin() + position[current], walk.end());
  std::reverse(cycle.begin(), cycle.end());  // the walk went against the edges
  // Start at the lowest index, so the message does not depend on where the walk began.
  std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
  return cycle;
}

}  // namespace

std::string_view LayerKindName(LayerKind kind) {
  switch (kind) {
    case LayerKind::kConv:
      return "conv";
    case LayerKind::kMatMul:
      return "matmul";
    case LayerKind::kOtherMac:
      return "other-mac";
    case LayerKind::kNoMac:
      return "no-mac";
  }
  return "?";
}

std::int64_t Layer::Macs() const { return HasMacs() ? problem.TotalOperations() * repeat : 0; }

int Workload::LayerIndex(std::string_view layer_name) const {
  auto it = index_of_.find(std::string(layer_name));
  return it == index_of_.end() ? -1 : it->second;
}

int Workload::AddLayer(Layer layer) {
  if (layer.name.empty())
    throw UserError("workload '" + name_ + "': a layer has an empty name; every layer needs one");
  if (index_of_.count(layer.name))
    throw UserError("workload '" + name_ + "': two layers are named '" + layer.name +
                    "'; layer names must be unique");
  if (layer.repeat < 1)
    throw UserError("workload '" + name_ + "': layer '" + layer.name + "' has repeat " +
                    std::to_string(layer.repeat) + "; repeat must be at least 1");
  layer.producers.clear();
  layer.consumers.clear();
  const int index = size();
  index_of_.emplace(layer.name, index);
  layers_.push_back(std::move(layer));
  return index;
}

void Workload::AddEdge(int producer, int consumer) {
  if (producer < 0 || producer >= size() || consumer < 0 || consumer >= size())
    throw std::out_of_range("Workload::AddEdge: layer index out of range");
  InsertSorted(layers_[producer].consumers, consumer);
  InsertSorted(layers_[consumer].producers, producer);
}

std::vector<int> Workload::TopologicalOrder() const {
  // Kahn's algorithm with a min-heap of ready layers, so the order is deterministic.
  std::vector<int> waiting(layers_.size());
  std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
  for (int i = 0; i < size(); ++i) {
    waiting[i] = static_cast<int>(layers_[i].producers.size());
    if (waiting[i] == 0) ready.push(i);
  }
  std::vector<int> order;
  order.reserve(layers_.size());
  while (!ready.empty()) {
    int layer = ready.top();
    ready.pop();
    order.push_back(layer);
    for (int consumer : layers_[layer].consumers)
      if (--waiting[consumer] == 0) ready.push(consumer);
  }
  if (order.size() == layers_.size()) return order;

  std::vector<bool> remaining(layers_.size(), true);
  for (int layer : order) remaining[layer] = false;
  std::vector<int> cycle = FindCycle(layers_, remaining);
  std::string path;
  for (int layer : cycle) path += layers_[layer].name + " -> ";
  path += layers_[cycle.front()].name;
  throw UserError("workload '" + name_ + "': the layers form a cycle: " + path +
                  "; a workload must be acyclic");
}

std::vector<int> Workload::MacLayers() const {
  std::vector<int> result;
  for (int i = 0; i < size(); ++i)
    if (layers_[i].HasMacs()) result.push_back(i);
  return result;
}

std::int64_t Workload::TotalMacs() const {
  std::int64_t total = 0;
  for (const Layer& layer : layers_) total += layer.Macs();
  return total;
}

std::string ShapeKey(const Problem& problem) {
  std::string key;
  for (const Dimension& dim : problem.dims) key += dim.name + "=" + std::to_string(dim.bound) + " ";
  key += "|";
  for (const DataSpace& space : problem.data_spaces) {
    key += " " + space.name + (space.read_write ? "(rw)" : "");
    for (const Rank& rank : space.ranks) {
      key += "[";
      for (size_t t = 0; t < rank.terms.size(); ++t) {
        const ProjectionTerm& term = rank.terms[t];
        if (t > 0) key += "+";
        if (term.coefficient != 1) key += std::to_string(term.coefficient) + "*";
        key += problem.dims.at(term.dim).name;
      }
      key += "]";
    }
  }
  return key;
}

std::vector<ShapeGroup> DistinctShapes(const Workload& workload) {
  std::vector<ShapeGroup> groups;
  std::unordered_map<std::string, size_t> group_of;
  for (int index : workload.MacLayers()) {
    std::string key = ShapeKey(workload.layer(index).problem);
    auto [it, inserted] = group_of.emplace(key, groups.size());
    if (inserted) groups.push_back({std::move(key), {}});
    groups[it->second].layers.push_back(index);
  }
  return groups;
}

}  // namespace tessel
