// Wall time of mapping a whole network: ResNet-50 (54 MAC layers, 24 distinct shapes, 122 layers
// in all) on the bundled Simba-like accelerator (examples/simba), every distinct shape mapped once
// by the cosa mapper (one MIP + exact-model polish each) on a pool of threads. The bar:
// <= 10 s on 2 cores, against 54 x 4.2 s for CoSA's published one-shot MIP run layer by layer.
//
//   cmake --build build --target network_map_bench
//   build/bench/network_map_bench --benchmark_filter=BM_MapResNet50Cosa/2
//
// Each iteration maps from scratch (no cache survives across iterations). Counters: shapes mapped,
// layers costed, and the result's total cycles (a check that runs agree).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>

#include "tessel/io/arch_inputs.h"
#include "tessel/network/network_map.h"
#include "tessel/workload/zoo.h"

namespace tessel {
namespace {

namespace fs = std::filesystem;

const NetworkTarget& Simba() {
  static const NetworkTarget target = [] {
    const fs::path simba = fs::path(TESSEL_EXAMPLES_DIR) / "simba";
    return io::LoadArchInputs({(simba / "arch.yaml").string(), (simba / "mapspace.yaml").string()})
        .target;
  }();
  return target;
}

void MapResNet50(benchmark::State& state, const std::string& mapper_name) {
  const Workload resnet = MakeResNet50();
  const auto mapper = MakeMapper(mapper_name);
  NetworkMapOptions options;
  options.threads = static_cast<int>(state.range(0));
  NetworkMapResult result;
  for (auto _ : state) {
    result = MapNetwork(resnet, Simba(), *mapper, options);
    benchmark::DoNotOptimize(result.total_cycles);
  }
  state.counters["shapes"] = static_cast<double>(result.shapes.size());
  state.counters["layers"] = static_cast<double>(result.layers.size());
  state.counters["total_Mcycles"] = static_cast<double>(result.total_cycles) / 1e6;
}

void BM_MapResNet50Cosa(benchmark::State& state) { MapResNet50(state, "cosa"); }
BENCHMARK(BM_MapResNet50Cosa)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();

void BM_MapResNet50Random(benchmark::State& state) { MapResNet50(state, "random"); }
BENCHMARK(BM_MapResNet50Random)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace tessel
