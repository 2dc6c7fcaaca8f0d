// The C++ side of the Python benchmark (bench/python_eval.py): what one tessel.evaluate(inputs)
// call does in C++ on the bundled default (a ResNet-50 3x3 layer on the Simba-like array), with
// the inputs loaded once outside the timed loop.
//
//   cmake --build build --target api_eval_bench && build/bench/api_eval_bench
//
// BM_ApiEvaluateJson is the reference rate: check + evaluate + the CLI's JSON object
// (api/eval.h), which tessel.evaluate then turns into a dict. BM_Evaluate is the cost model
// alone (eval_bench's number).
#include <benchmark/benchmark.h>

#include "tessel/api/eval.h"
#include "tessel/io/bundled.h"
#include "tessel/io/inputs.h"

namespace tessel {
namespace {

void BM_ApiEvaluateJson(benchmark::State& state) {
  const Inputs inputs = LoadInputs(DefaultEvalFiles());
  for (auto _ : state) {
    const api::EvalResult result = api::EvaluateInputs(inputs);
    nlohmann::ordered_json json = api::EvalJson(inputs.problem, inputs.arch, result);
    benchmark::DoNotOptimize(json);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ApiEvaluateJson);

void BM_Evaluate(benchmark::State& state) {
  const Inputs inputs = LoadInputs(DefaultEvalFiles());
  for (auto _ : state) {
    Evaluation evaluation = Evaluate(inputs.problem, inputs.arch, *inputs.mapping);
    benchmark::DoNotOptimize(evaluation);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Evaluate);

}  // namespace
}  // namespace tessel
