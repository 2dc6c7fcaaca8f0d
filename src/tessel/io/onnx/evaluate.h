// Internal to the ONNX reader: an evaluator for the constant and shape subgraphs exporters emit
// (Shape -> Gather -> Unsqueeze -> Concat -> Reshape, ConstantOfShape -> Mul -> Equal -> Where,
// Range / Mod / ScatterND masks, ...). It computes one node from the values of its inputs, with
// ONNX semantics for every opset from 7 to 18 (attributes that later opsets turned into inputs,
// such as Slice's starts or Unsqueeze's axes, are read from whichever form the node uses).
//
// Invariant: no kernel allocates more than kMaxValueElements elements per output; an output that
// would be larger is NotEvaluable, never an allocation.
#pragma once

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tessel/io/onnx/value.h"

namespace tessel::io::onnx_detail {

// One input of a node: its value when known, and its shape when known (Shape and Size need only
// the shape). Both null for an absent optional input.
struct Operand {
  const Value* value = nullptr;
  const std::vector<std::int64_t>* shape = nullptr;
};

// Whether the evaluator computes operator `op` (domain ai.onnx).
bool IsEvaluable(const std::string& op);

// Whether `op` needs only the shapes of its inputs, not their values (Shape, Size).
bool NeedsOnlyShapes(const std::string& op);

// The values of node `node`'s outputs, one per output (Dropout's mask output is all true).
// Throws NotEvaluable with the reason ("its input 1 has no value", "it would have 2097152
// elements, over the evaluator's limit of 1048576", "mode 'reflect' is not evaluated", ...).
std::vector<Value> EvaluateNode(const onnx::NodeProto& node, const std::vector<Operand>& inputs);

}  // namespace tessel::io::onnx_detail
