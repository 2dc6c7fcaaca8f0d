// Wall time of `tessel schedule`'s engine end to end on Stream's own inputs (tests/data/stream),
// beside Stream's measured run times on this machine kind (shared/reference/README.md: lab1 105 s
// (307 s on a busier run), lab3 118 s (411 s), tpu_like_quad_core + ResNet-18 with the GA 235 s).
// Issue 9's bars on 2 cores: lab1 <= 3 s, lab3 <= 5 s, ResNet-18 with `ga` <= 30 s.
//
//   cmake --build build --target schedule_bench
//   build/bench/schedule_bench
//
// Each iteration reads the files, maps every distinct (tile shape, core) with cosa, searches and
// simulates from scratch (no cache survives). Counters: the schedule's latency (cycles), energy
// (pJ) and the number of allocations simulated, so the table can quote them beside the time.
#include <benchmark/benchmark.h>

#include <string>

#include "tessel/io/stream/stream_hardware.h"
#include "tessel/io/stream/stream_mapping.h"
#include "tessel/io/workload_source.h"
#include "tessel/schedule/schedule_run.h"

namespace tessel {
namespace {

const std::string kStream = std::string(TESSEL_TEST_DATA_DIR) + "/stream";

void Schedule(benchmark::State& state, const std::string& arch, const std::string& workload,
              const std::string& mapping, ScheduleMode mode, AllocationSearch search,
              int generations, int population) {
  ScheduleOptions options;
  options.mode = mode;
  options.search = search;
  options.threads = static_cast<int>(state.range(0));
  options.ga.generations = generations;
  options.ga.population = population;
  ScheduleResult result;
  for (auto _ : state) {
    System system = io::LoadStreamSystem(kStream + "/" + arch);
    Workload w = io::LoadWorkload(kStream + "/" + workload);
    LayerMapping m = io::LoadStreamMapping(kStream + "/" + mapping);
    result = RunSchedule(system, w, m, options);
    benchmark::DoNotOptimize(result.schedule.latency_cycles);
  }
  state.counters["latency_cycles"] = double(result.schedule.latency_cycles);
  state.counters["energy_pJ"] = result.schedule.energy_pJ();
  state.counters["allocations"] = result.evaluations;
  state.counters["cost_entries"] = result.cost_entries;
}

void BM_Lab1LayerByLayer(benchmark::State& state) {
  Schedule(state, "lab1/inputs/hardware/hda_bus.yaml", "lab1/inputs/workload/4_convs.onnx",
           "lab1/inputs/mapping/mapping.yaml", ScheduleMode::kLayerByLayer,
           AllocationSearch::kFixed, 0, 2);
}
void BM_Lab2LayerByLayerKSplit(benchmark::State& state) {
  Schedule(state, "lab2/inputs/hardware/hda_bus.yaml", "lab2/inputs/workload/4_convs.onnx",
           "lab2/inputs/mapping/mapping.yaml", ScheduleMode::kLayerByLayer,
           AllocationSearch::kFixed, 0, 2);
}
// Stream's lab3 settings: fused, GA 4 generations x 4 individuals.
void BM_Lab3FusedGa(benchmark::State& state) {
  Schedule(state, "lab3/inputs/hardware/hda_bus.yaml", "lab3/inputs/workload/4_convs.onnx",
           "lab3/inputs/mapping/mapping.yaml", ScheduleMode::kFused, AllocationSearch::kGa, 4, 4);
}
void BM_Lab3FusedMilp(benchmark::State& state) {
  Schedule(state, "lab3/inputs/hardware/hda_bus.yaml", "lab3/inputs/workload/4_convs.onnx",
           "lab3/inputs/mapping/mapping.yaml", ScheduleMode::kFused, AllocationSearch::kMilp, 0, 2);
}
// tessel's defaults: GA 4 generations x 16 individuals.
void BM_ResNet18QuadCoreGa(benchmark::State& state) {
  Schedule(state, "examples/hardware/tpu_like_quad_core.yaml", "examples/workload/resnet18.onnx",
           "examples/mapping/tpu_like_quad_core_ga.yaml", ScheduleMode::kFused,
           AllocationSearch::kGa, 4, 16);
}
void BM_ResNet18QuadCoreMilp(benchmark::State& state) {
  Schedule(state, "examples/hardware/tpu_like_quad_core.yaml", "examples/workload/resnet18.onnx",
           "examples/mapping/tpu_like_quad_core_ga.yaml", ScheduleMode::kFused,
           AllocationSearch::kMilp, 0, 2);
}

BENCHMARK(BM_Lab1LayerByLayer)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_Lab2LayerByLayerKSplit)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_Lab3FusedGa)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_Lab3FusedMilp)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_ResNet18QuadCoreGa)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_ResNet18QuadCoreMilp)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace tessel
