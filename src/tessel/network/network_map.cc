#include "tessel/network/network_map.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>
#include <thread>

#include "tessel/common/cancel.h"
#include "tessel/common/error.h"
#include "tessel/common/parallel.h"

namespace tessel {
namespace {

std::int64_t CeilDiv(std::int64_t a, std::int64_t b) { return b <= 1 ? a : (a + b - 1) / b; }

// Cycles to move `words` at `words_per_cycle` (over all instances); 0 when nothing moves.
double TransferCycles(double words, std::optional<double> per_instance, std::int64_t instances) {
  if (!per_instance || *per_instance <= 0) return 0;
  return words / (*per_instance * static_cast<double>(std::max<std::int64_t>(1, instances)));
}

// "layer 'a'" or "layers 'a', 'b'".
std::string LayerList(const Workload& workload, const std::vector<int>& layers) {
  std::string names = layers.size() == 1 ? "layer " : "layers ";
  for (size_t i = 0; i < layers.size(); ++i)
    names += (i == 0 ? "'" : ", '") + workload.layer(layers[i]).name + "'";
  return names;
}

int ResolveThreads(int threads) {
  if (threads >= 1) return threads;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

// Maps every group of `shapes` on `threads` workers. Each worker takes the next unmapped group
// (largest problems first, for balance) and writes only its own slot.
void MapShapes(const Workload& workload, const Mapper& mapper, const NetworkMapOptions& options,
               std::vector<ShapeResult>* shapes) {
  std::vector<int> order(shapes->size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  auto macs = [&](int s) { return (*shapes)[s].space.problem.TotalOperations(); };
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return macs(a) > macs(b); });

  MapperOptions per_group = options.mapper;
  per_group.threads = 1;
  std::atomic<size_t> next{0};
  std::mutex progress_mutex;
  int done = 0;
  const int total = static_cast<int>(shapes->size());
  const int threads = std::min(ResolveThreads(options.threads), std::max(1, total));
  RunOnThreads(threads, [&](int) {
    for (size_t i = next++; i < order.size(); i = next++) {
      ThrowIfStopped(per_group.stop);
      ShapeResult& shape = (*shapes)[order[i]];
      shape.result = mapper.Map(shape.space, per_group);
      ThrowIfStopped(per_group.stop);  // a result cut short by the stop is not a result
      if (!options.progress) continue;
      std::lock_guard<std::mutex> lock(progress_mutex);
      options.progress(++done, total, workload.layer(shape.layers.front()).name);
    }
  });
}

}  // namespace

const char* ToString(CostMethod method) {
  return method == CostMethod::kMapped ? "mapped" : "memory-traffic";
}

LayerCost NoMacCost(const Layer& layer, const Arch& arch) {
  if (arch.storage.empty()) throw UserError("architecture '" + arch.name + "' has no storage");
  const StorageLevel& outer = arch.storage.back();
  LayerCost cost;
  cost.method = CostMethod::kMemoryTraffic;
  cost.words_read = layer.input_elements;
  cost.words_written = layer.output_elements;
  cost.level_energy_pJ.assign(arch.storage.size(), 0.0);
  const double read_vectors = static_cast<double>(CeilDiv(cost.words_read, outer.block_size));
  const double write_vectors = static_cast<double>(CeilDiv(cost.words_written, outer.block_size));
  const double energy =
      read_vectors * outer.energy.read_pJ + write_vectors * outer.energy.update_pJ;
  cost.level_energy_pJ.back() = energy;
  cost.energy_pJ = energy;

  const double reads = static_cast<double>(cost.words_read);
  const double writes = static_cast<double>(cost.words_written);
  double cycles =
      std::max({TransferCycles(reads, outer.read_bandwidth, outer.instances),
                TransferCycles(writes, outer.write_bandwidth, outer.instances),
                TransferCycles(reads + writes, outer.shared_bandwidth, outer.instances)});
  if (!outer.read_bandwidth && !outer.write_bandwidth && !outer.shared_bandwidth)
    cycles = TransferCycles(reads + writes, static_cast<double>(outer.block_size), outer.instances);
  cost.cycles = static_cast<std::int64_t>(std::ceil(cycles));
  return cost;
}

LayerCost MappedCost(const Layer& layer, const Arch& arch, const Cost& one_instance) {
  const double repeat = static_cast<double>(layer.repeat);
  LayerCost cost;
  cost.method = CostMethod::kMapped;
  cost.cycles = one_instance.cycles * layer.repeat;
  cost.energy_pJ = one_instance.energy_pJ * repeat;
  cost.mac_energy_pJ = one_instance.mac_energy_pJ * repeat;
  for (const LevelStats& level : one_instance.levels)
    cost.level_energy_pJ.push_back(level.energy_pJ * repeat);
  cost.utilization = one_instance.utilization;
  cost.macs = layer.Macs();
  cost.compute_bound_cycles = CeilDiv(cost.macs, arch.arithmetic.instances);
  return cost;
}

NetworkMapResult MapNetwork(const Workload& workload, const NetworkTarget& target,
                            const Mapper& mapper, const NetworkMapOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  if (workload.size() == 0) throw UserError("workload '" + workload.name() + "' has no layers");
  NetworkMapResult out;
  std::vector<int> shape_of(workload.size(), -1);
  for (ShapeGroup& group : DistinctShapes(workload)) {
    ShapeResult shape;
    shape.key = std::move(group.key);
    shape.layers = std::move(group.layers);
    const Problem& problem = workload.layer(shape.layers.front()).problem;
    try {
      shape.space = MakeMapSpace(problem, target.arch, target.constraints);
    } catch (const UserError& e) {
      throw UserError(LayerList(workload, shape.layers) + ": " + e.what());
    }
    for (int layer : shape.layers) shape_of[layer] = static_cast<int>(out.shapes.size());
    out.shapes.push_back(std::move(shape));
  }
  MapShapes(workload, mapper, options, &out.shapes);

  for (const ShapeResult& shape : out.shapes) {
    if (shape.result.status == MapperStatus::kNoMapping)
      throw UserError(LayerList(workload, shape.layers) +
                      ": no valid mapping found: " + shape.result.message);
  }
  for (int i = 0; i < workload.size(); ++i) {
    const Layer& layer = workload.layer(i);
    NetworkLayerResult result;
    result.layer = i;
    result.shape = shape_of[i];
    result.cost = result.shape < 0 ? NoMacCost(layer, target.arch)
                                   : MappedCost(layer, target.arch,
                                                out.shapes[result.shape].result.evaluation.cost);
    out.total_cycles += result.cost.cycles;
    out.total_energy_pJ += result.cost.energy_pJ;
    out.total_macs += result.cost.macs;
    out.total_compute_bound_cycles += result.cost.compute_bound_cycles;
    out.layers.push_back(std::move(result));
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace tessel
