// Evaluations per second of the analytical cost model on the bundled default (a ResNet-50 3x3
// layer on the Simba-like array). Inputs are loaded once, outside the timed loop.
//
//   cmake --build build --target eval_bench && build/bench/eval_bench
//
// items_per_second is the number to quote in README's performance table.
#include <benchmark/benchmark.h>

#include "tessel/io/bundled.h"
#include "tessel/io/inputs.h"
#include "tessel/model/evaluate.h"

namespace tessel {
namespace {

void BM_EvaluateDefault(benchmark::State& state) {
  const Inputs inputs = LoadInputs(DefaultEvalFiles());
  if (!inputs.mapping) {
    state.SkipWithError("the bundled default has no mapping");
    return;
  }
  for (auto _ : state) {
    Evaluation evaluation = Evaluate(inputs.problem, inputs.arch, *inputs.mapping);
    benchmark::DoNotOptimize(evaluation);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EvaluateDefault);

void BM_CheckAndEvaluateDefault(benchmark::State& state) {
  // What a mapper pays per candidate: the structural check, then the full evaluation.
  const Inputs inputs = LoadInputs(DefaultEvalFiles());
  if (!inputs.mapping) {
    state.SkipWithError("the bundled default has no mapping");
    return;
  }
  for (auto _ : state) {
    std::string reason = CheckMappingStructure(inputs.problem, inputs.arch, *inputs.mapping);
    benchmark::DoNotOptimize(reason);
    Evaluation evaluation = Evaluate(inputs.problem, inputs.arch, *inputs.mapping);
    benchmark::DoNotOptimize(evaluation);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CheckAndEvaluateDefault);

}  // namespace
}  // namespace tessel
