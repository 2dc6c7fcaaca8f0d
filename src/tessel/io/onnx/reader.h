// Reading ONNX models into a Workload with the ONNX C++ library (protobuf and ONNX headers stay in
// src/tessel/io/onnx/*.cc). What the reader does, in order:
//   1. parse the protobuf; a file that does not parse, has no graph or has no nodes is rejected;
//   2. order the nodes topologically (a cycle is an error naming its nodes);
//   3. check window attributes (strides, dilations, pads, groups) before ONNX's inference sees
//      them;
//   4. fix model-input shapes from `input_shapes`, then require every model input to be static
//      (the only error that suggests --input-shape);
//   5. alternate ONNX shape inference (opsets 7 to 18 as libonnx 1.12 knows them) with an
//      evaluator of constant and shape subgraphs (evaluate.h: Shape, Gather, Slice, Concat,
//      Reshape, Range, Where, ScatterND, ...) until neither learns anything, so shapes computed
//      from shapes or from constant-only chains resolve; constants are evaluated up to
//      kMaxValueElements elements (value.h), larger ones are folded unevaluated. Weights are
//      read only if a shape needs them: external data files are read on demand, and a model
//      whose weights were left out loads from its declared shapes alone;
//   6. fold what a compiler folds: initializers, Constant nodes, graph inputs used only as
//      weights, and nodes computing only from those are constants, not layers; Identity and
//      Dropout are removed; BatchNormalization right after a Conv or ConvTranspose (its only
//      consumer) is folded into it;
//   7. list every surviving node whose operator is not supported, in one error (operators that
//      only build constants are not checked: they were folded);
//   8. turn each remaining node into a layer: Conv -> kConv (Timeloop cnn-layer; a grouped or
//      depthwise conv is ONE problem with a group dimension G), ConvTranspose -> kOtherMac,
//      Gemm / MatMul / Einsum -> kMatMul, every other supported op -> kNoMac with its activation
//      element counts. A tensor whose shape is still unknown is an error naming the tensor, its
//      node, the dimension, and the node and operator that stopped shape inference.
// Layers are named after their nodes (node name, or OpType_index for an unnamed node) and come in
// topological order.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tessel/workload/workload.h"

namespace tessel::io {

struct OnnxOptions {
  // Static shapes for model inputs, by input name. Each replaces the input's declared shape
  // (whose dimensions may be symbolic, e.g. "batch", or missing) before shape inference, and
  // must have the declared rank.
  std::map<std::string, std::vector<std::int64_t>> input_shapes;
};

// Reads an ONNX model file. The workload is named after the file's stem. Every problem with the
// input -- unreadable, corrupt, unsupported, dynamic, empty, cyclic -- is a UserError starting
// with "PATH: ".
Workload ReadOnnxFile(const std::string& path, const OnnxOptions& options = {});

// The same from the serialized model in `bytes`; `name` labels messages and names the workload,
// and its directory is where external data files are looked for.
Workload ReadOnnxModel(const std::string& bytes, const std::string& name,
                       const OnnxOptions& options = {});

// Parses a command-line input shape "NAME=1,3,640,640" into {NAME, {1, 3, 640, 640}}; throws
// UserError when the text is not of that form or an extent is not a positive integer.
std::pair<std::string, std::vector<std::int64_t>> ParseInputShape(std::string_view text);

// The operator types the reader turns into layers (domain ai.onnx), sorted.
std::vector<std::string> SupportedOnnxOps();

}  // namespace tessel::io
