// Internal to the ONNX reader: a parsed, checked, topologically ordered and shape-inferred model,
// with what the folding passes decided about each tensor and node. Only src/tessel/io/onnx_*.cc
// include this header (it brings in protobuf).
#pragma once

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "tessel/io/onnx_reader.h"

namespace tessel::io::onnx_detail {

// A tensor's shape after inference. `known` when every extent is a positive integer; otherwise
// `unknown_dim` is the first extent that is not (-1 when not even the rank is known) and
// `symbol` its symbolic name, if it has one.
struct TensorShape {
  std::vector<std::int64_t> dims;
  bool known = false;
  int unknown_dim = -1;
  std::string symbol;
};

struct Model {
  std::string file;  // prefixes every message
  onnx::ModelProto proto;
  // Per node of proto.graph(), in topological order: the name its layer gets.
  std::vector<std::string> labels;
  std::unordered_map<std::string, TensorShape> shapes;  // after shape inference
  std::unordered_set<std::string> graph_inputs;         // model inputs that are not initializers
  // Weights and folded values. LoadModel puts in the model inputs read only through weight slots
  // (see IsWeightSlot in onnx_model.cc); FoldConstants adds the rest.
  std::unordered_set<std::string> constants;
  std::unordered_map<std::string, std::string> aliases;  // tensor -> the tensor it equals
  std::vector<bool> folded;  // per node: produces no layer (constant, alias or folded BN)

  const onnx::NodeProto& node(int index) const { return proto.graph().node(index); }
  int node_count() const { return proto.graph().node_size(); }
  // Follows `aliases` to the tensor that actually holds the value.
  const std::string& Resolve(const std::string& tensor) const;
};

// Steps 1-5 of onnx_reader.h: parse, check, order, fix input shapes, infer shapes.
Model LoadModel(const std::string& bytes, const std::string& file, const OnnxOptions& options);

// Step 6: fills constants, aliases and folded.
void FoldConstants(Model& model);

// The operator types LoadModel accepts (domain ai.onnx), sorted.
std::vector<std::string> SupportedOps();

// "node 'conv1' (Conv)" for messages.
std::string NodeRef(const Model& model, int index);

}  // namespace tessel::io::onnx_detail
