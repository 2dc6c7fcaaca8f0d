// Internal to the ONNX reader: a parsed, checked, topologically ordered model, with what shape
// inference and the constant evaluator found out about each tensor and node. Only
// src/tessel/io/onnx/*.cc include this header (it brings in protobuf).
#pragma once

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "tessel/io/onnx/reader.h"
#include "tessel/io/onnx/value.h"

namespace tessel::io::onnx_detail {

// A tensor's shape. `known` when every extent is known (a computed value's shape is known even
// with zero extents); otherwise `unknown_dim` is the first extent that is not (-1 when not even
// the rank is known) and `symbol` its symbolic name, if it has one.
struct TensorShape {
  std::vector<std::int64_t> dims;
  bool known = false;
  int unknown_dim = -1;
  std::string symbol;
  int elem_type = 0;  // onnx::TensorProto::DataType; 0 when not known
};

struct Model {
  std::string file;      // prefixes every message
  std::string base_dir;  // where external data files are looked up: the model file's directory
  onnx::ModelProto proto;
  // Per node of proto.graph(), in topological order: the name its layer gets.
  std::vector<std::string> labels;
  std::unordered_map<std::string, int> producer;  // tensor -> node writing it
  std::unordered_map<std::string, const onnx::TensorProto*> initializers;  // into proto
  std::unordered_map<std::string, TensorShape> shapes;  // the latest shape inference
  // Output shapes tessel works out where ONNX 1.12's inference stops short (Einsum: only the
  // rank); given to the next round of inference as value_info.
  std::unordered_map<std::string, std::vector<std::int64_t>> supplied_shapes;
  std::unordered_set<std::string> graph_inputs;  // model inputs that are not initializers

  // Tensors that do not depend on the model's inputs' data: initializers, model inputs read only
  // through weight slots (IsWeightSlot in model.cc), outputs of Constant nodes, of shape-only
  // nodes (Shape, Size) and of nodes reading only constants.
  std::unordered_set<std::string> constants;
  // The constants the evaluator computed (small: see kMaxValueElements).
  std::unordered_map<std::string, Value> values;
  // Constants without a value, and why ("its data is not in the model", "node 'x' (Op) was not
  // evaluated: ...").
  std::unordered_map<std::string, std::string> no_value;

  std::unordered_map<std::string, std::string> aliases;  // tensor -> the tensor it equals
  std::vector<bool> evaluated;                           // per node: every output has a value
  std::vector<bool> folded;  // per node: produces no layer (constant, alias or folded BN)

  const onnx::NodeProto& node(int index) const { return proto.graph().node(index); }
  int node_count() const { return proto.graph().node_size(); }
  // Follows `aliases` to the tensor that actually holds the value.
  const std::string& Resolve(const std::string& tensor) const;
  // The tensor's shape when known, else null.
  const std::vector<std::int64_t>* KnownShape(const std::string& tensor) const;
  // The tensor's value: computed, or read now from an initializer of at most kMaxValueElements
  // elements (and then kept); null when there is none, with the reason in no_value.
  const Value* GetValue(const std::string& tensor);
};

// Parses and checks the model and fixes its input shapes (steps 1-4 of reader.h).
Model LoadModel(const std::string& bytes, const std::string& file, const OnnxOptions& options);

// Step 5: alternates ONNX shape inference (InferShapes) with the constant evaluator until neither
// learns anything new; fills shapes, constants, values, no_value and evaluated.
void EvaluateConstants(Model& model);

// Runs ONNX shape inference over the nodes not yet evaluated, with every computed value as an
// initializer and every other constant declared by its shape only, and refreshes model.shapes.
void InferShapes(Model& model);

// Step 6: fills aliases and folded (constants, Identity / Dropout, BatchNormalization into the
// Conv or ConvTranspose before it).
void FoldConstants(Model& model);

// Step 7: the operators of the nodes that were not folded must be ones tessel supports; every
// node that is not is listed in one UserError.
void CheckOperators(const Model& model);

// The operator types the reader turns into layers (domain ai.onnx), sorted.
std::vector<std::string> SupportedOps();

// Why the shape of `tensor` is unknown, naming the node and the operator that stopped shape
// inference: "node 'r' (Reshape) could not work out its output: its input 1 ('s') ...".
std::string ExplainUnknownShape(const Model& model, const std::string& tensor);

// The shape a ValueInfo's type declares (TensorShape's conventions; made-up "unk__N" symbols
// count as unknown without a name).
TensorShape ShapeOf(const onnx::TypeProto& type);

// "node 'conv1' (Conv)" for messages.
std::string NodeRef(const Model& model, int index);

bool IsDefaultDomain(const std::string& domain);

}  // namespace tessel::io::onnx_detail
