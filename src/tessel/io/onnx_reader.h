// Reading ONNX models into a Workload with the ONNX C++ library (protobuf and ONNX headers stay in
// src/tessel/io/onnx_*.cc). What the reader does, in order:
//   1. parse the protobuf; a file that does not parse, has no graph or has no nodes is rejected;
//   2. list every node whose operator is not supported, in one error;
//   3. order the nodes topologically (a cycle is an error naming its nodes);
//   4. fix model-input shapes from `input_shapes`, then require every model input to be static;
//   5. run ONNX shape inference (with data propagation, so computed Reshape targets resolve);
//   6. fold what a compiler folds: initializers, Constant nodes, graph inputs used only as
//      weights, and nodes computing only from those are constants, not layers; Shape of a
//      statically shaped tensor is a constant; Identity and Dropout are removed;
//      BatchNormalization right after a Conv (the conv's only consumer) is folded into it;
//   7. turn each remaining node into a layer: Conv -> kConv (Timeloop cnn-layer, one group per
//      problem, repeat = groups), Gemm / MatMul -> kMatMul, every other supported op -> kNoMac
//      with its activation element counts. A tensor whose shape is still unknown is an error
//      naming the tensor, its node and the dimension.
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

// The same from the serialized model in `bytes`; `name` labels messages and names the workload.
Workload ReadOnnxModel(const std::string& bytes, const std::string& name,
                       const OnnxOptions& options = {});

// Parses a command-line input shape "NAME=1,3,640,640" into {NAME, {1, 3, 640, 640}}; throws
// UserError when the text is not of that form or an extent is not a positive integer.
std::pair<std::string, std::vector<std::int64_t>> ParseInputShape(std::string_view text);

// The operator types the reader turns into layers (domain ai.onnx), sorted.
std::vector<std::string> SupportedOnnxOps();

}  // namespace tessel::io
