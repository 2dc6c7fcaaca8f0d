// The CIM network tuner: time to tune VGG-8 (CIFAR-10) and ResNet-18 on the bundled ISAAC-like
// chip with cim-refined (64 trials per layer, 2 threads, a fresh evaluation cache per
// iteration), and the tuned vs greedy pipeline figures as counters:
//   tuned_bottleneck / greedy_bottleneck  slowest stage, cycles
//   tuned_total / greedy_total            sum of the stages, cycles
//   evaluations                           model evaluations per run
//
//   build/bench/tune_bench --benchmark_filter=BM_TuneNetwork
#include <benchmark/benchmark.h>

#include <filesystem>

#include "tessel/io/bundled.h"
#include "tessel/io/cim_arch_yaml.h"
#include "tessel/io/workload_source.h"
#include "tessel/tuner/cim_network.h"

namespace tessel {
namespace {

void TuneNetwork(benchmark::State& state, const std::string& spec, const std::string& model) {
  const CimArch arch = io::LoadCimArchFile(io::BundledCimArchPath());
  const Workload workload = io::LoadWorkload(spec);
  const std::unique_ptr<TimingModel> timing = MakeTimingModel(model);
  CimNetworkOptions options;
  options.evolution.trials = 64;
  options.evolution.threads = 2;
  CimNetworkResult result;
  std::int64_t evaluations = 0;
  for (auto _ : state) {
    EvaluationCache cache;
    result = TuneCimNetwork(workload, *timing, arch, "isaac", cache, options);
    evaluations = cache.fresh_evaluations();
  }
  state.counters["tuned_bottleneck"] =
      static_cast<double>(result.tuned_allocation.bottleneck_cycles);
  state.counters["greedy_bottleneck"] =
      static_cast<double>(result.greedy_allocation.bottleneck_cycles);
  state.counters["tuned_total"] = static_cast<double>(result.tuned_allocation.total_cycles);
  state.counters["greedy_total"] = static_cast<double>(result.greedy_allocation.total_cycles);
  state.counters["evaluations"] = static_cast<double>(evaluations);
}

std::string Vgg8() {
  return (std::filesystem::path(BundledExamplesDir()) / "cim" / "vgg8_cifar10.yaml").string();
}

void BM_TuneNetworkVgg8(benchmark::State& state) { TuneNetwork(state, Vgg8(), "cim-refined"); }
void BM_TuneNetworkResNet18(benchmark::State& state) {
  TuneNetwork(state, "resnet18", "cim-refined");
}
void BM_TuneNetworkVgg8Formula(benchmark::State& state) {
  TuneNetwork(state, Vgg8(), "cim-formula");
}
void BM_TuneNetworkResNet18Formula(benchmark::State& state) {
  TuneNetwork(state, "resnet18", "cim-formula");
}

BENCHMARK(BM_TuneNetworkVgg8)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_TuneNetworkResNet18)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_TuneNetworkVgg8Formula)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_TuneNetworkResNet18Formula)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace tessel
