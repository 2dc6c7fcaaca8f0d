// Internal to the ONNX evaluator (evaluate.cc): helpers the kernels share and the kernel tables.
// Kernels live in kernels_math.cc (element-wise arithmetic, comparisons, casts, reductions) and
// kernels_shape.cc (shapes, indexing and data movement).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tessel/io/onnx/evaluate.h"

namespace tessel::io::onnx_detail::kernels {

using Inputs = std::vector<Operand>;
using Kernel = std::vector<Value> (*)(const onnx::NodeProto&, const Inputs&);
using KernelTable = std::map<std::string, Kernel>;

void AddMathKernels(KernelTable& table);
void AddShapeKernels(KernelTable& table);

// Input i's value; NotEvaluable when absent or unknown.
const Value& In(const Inputs& inputs, size_t i);
// Input i's value, or null when the input is absent (an empty name or past the end).
const Value* Optional(const Inputs& inputs, size_t i);

const onnx::AttributeProto* Attr(const onnx::NodeProto& node, const std::string& name);
std::int64_t IntAttr(const onnx::NodeProto& node, const std::string& name, std::int64_t fallback);
double FloatAttr(const onnx::NodeProto& node, const std::string& name, double fallback);
std::string StringAttr(const onnx::NodeProto& node, const std::string& name,
                       const std::string& fallback);
std::vector<std::int64_t> IntsAttr(const onnx::NodeProto& node, const std::string& name);

// The first element (a scalar input such as Range's start); NotEvaluable when it is empty.
std::int64_t ScalarInt(const Value& value);
double ScalarReal(const Value& value);
// Every element as an integer (a 1-D list of axes, a shape, indices).
std::vector<std::int64_t> IntsOf(const Value& value);
// `axis` in [-rank, rank) made non-negative; NotEvaluable otherwise (always for rank 0).
std::int64_t NormalizeAxis(std::int64_t axis, std::int64_t rank);
// Row-major strides of `shape`, in elements.
std::vector<std::int64_t> Strides(const std::vector<std::int64_t>& shape);
// Numpy multidirectional broadcasting of the shapes; NotEvaluable when they are incompatible.
std::vector<std::int64_t> BroadcastShapes(const std::vector<std::vector<std::int64_t>>& shapes);

// Maps flat indices of a broadcast output to flat indices of one input.
class BroadcastIndex {
 public:
  BroadcastIndex(const std::vector<std::int64_t>& in_shape,
                 const std::vector<std::int64_t>& out_shape);
  std::int64_t operator()(std::int64_t out_flat) const;

 private:
  std::vector<std::int64_t> out_strides_;  // per output axis
  std::vector<std::int64_t> in_strides_;   // per output axis; 0 where the input broadcasts
  std::vector<std::int64_t> out_shape_;
};

// A value of `type` and `shape` (storage allocated, checked against the cap).
Value MakeValue(int type, std::vector<std::int64_t> shape);
// A 1-D INT64 value.
Value IntVector(const std::vector<std::int64_t>& values);

}  // namespace tessel::io::onnx_detail::kernels
