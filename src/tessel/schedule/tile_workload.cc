#include "tessel/schedule/tile_workload.h"

#include <set>
#include <string>

namespace tessel {

Workload FuseForTiles(const Workload& workload) {
  static const std::set<std::string> kFused = {
      "Relu",    "LeakyRelu", "Clip",      "Sigmoid",  "Tanh",
      "Gelu",    "Div",       "Dropout",   "Identity", "BatchNormalization",
      "Flatten", "Reshape",   "Transpose", "Squeeze",  "Unsqueeze"};
  const std::vector<int> order = workload.TopologicalOrder();
  std::vector<int> into(workload.size(), -1);  // original layer -> original layer it joins
  for (int l : order) {
    const Layer& layer = workload.layer(l);
    into[l] = l;
    if (!layer.HasMacs() && layer.producers.size() == 1 && kFused.count(layer.op))
      into[l] = into[layer.producers[0]];
  }
  // The fused chain's output is its last layer's (topological order: the last one wins).
  std::vector<std::int64_t> output(workload.size(), 0);
  for (int l : order) output[into[l]] = workload.layer(l).output_elements;
  Workload out(workload.name());
  std::vector<int> index(workload.size(), -1);
  for (int l : order) {
    if (into[l] != l) continue;
    Layer copy = workload.layer(l);
    copy.producers.clear();
    copy.consumers.clear();
    copy.output_elements = output[l];
    index[l] = out.AddLayer(copy);
  }
  for (int l : order) {
    const int kept = index[into[l]];
    for (int p : workload.layer(l).producers)
      if (into[p] != into[l]) out.AddEdge(index[into[p]], kept);
  }
  return out;
}

}  // namespace tessel
