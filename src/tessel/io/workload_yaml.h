// Layer-list workloads in YAML: tessel's own format (docs/workloads.md) and CoSA's workload
// directories (layers.yaml naming one flat-problem file per layer).
#pragma once

#include <string>

#include "tessel/workload/workload.h"

namespace tessel::io {

// tessel's layer list:
//
//   name: my-net            # optional; default: the file's stem
//   layers:                 # or the list alone as the whole document
//   - {name: conv1, op: Conv, R: 3, S: 3, P: 56, Q: 56, C: 64, K: 64, N: 1, Wstride: 1}
//   - {name: relu1, op: Relu, elements: 200704}
//   - {name: fc, op: Gemm, M: 1, N: 1000, K: 2048, inputs: [relu1]}
//   - {name: mine, op: Custom, problem: {shape: {...}, instance: {...}}}
//
// A layer has either CoSA's flat conv keys (R S P Q C K N, or M for K, with Wstride Hstride
// Wdilation Hdilation; op defaults to Conv), GEMM keys for op Gemm / MatMul (M N K, and B for a
// batched matmul), a Timeloop `problem:` (shape + instance, or the flat form), or, for a layer
// without MACs, `elements` (or `input_elements` and `output_elements`). `groups` (or `repeat`)
// repeats the problem; `inputs` names the producer layers (default: the previous layer; [] for
// none). Errors are UserErrors `file:line:col: message`; a cycle names its layers.
Workload LoadWorkloadYaml(const std::string& path);
Workload LoadWorkloadYamlString(const std::string& text, const std::string& name);

// A CoSA workload directory (e.g. cosa/workloads/resnet50_graph): `layers.yaml` (or, failing
// that, `unique_layers.yaml`) lists layer names; each NAME.yaml beside it holds `problem:` in
// CoSA's flat cnn-layer form (output channels named K) or Timeloop's form. CoSA's lists carry no
// graph: the layers are chained in list order. The workload is named after the directory, less
// a "_graph" suffix.
Workload LoadCosaWorkload(const std::string& dir);

}  // namespace tessel::io
