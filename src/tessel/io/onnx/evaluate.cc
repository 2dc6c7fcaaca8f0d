#include "tessel/io/onnx/evaluate.h"

#include "tessel/io/onnx/kernels.h"

namespace tessel::io::onnx_detail {
namespace kernels {

const Value& In(const Inputs& inputs, size_t i) {
  if (i >= inputs.size() || !inputs[i].value)
    throw NotEvaluable("its input " + std::to_string(i) + " has no value");
  return *inputs[i].value;
}

const Value* Optional(const Inputs& inputs, size_t i) {
  if (i >= inputs.size()) return nullptr;
  if (!inputs[i].value && inputs[i].shape)  // present but not computed
    throw NotEvaluable("its input " + std::to_string(i) + " has no value");
  return inputs[i].value;
}

const onnx::AttributeProto* Attr(const onnx::NodeProto& node, const std::string& name) {
  for (const onnx::AttributeProto& attribute : node.attribute())
    if (attribute.name() == name) return &attribute;
  return nullptr;
}

std::int64_t IntAttr(const onnx::NodeProto& node, const std::string& name, std::int64_t fallback) {
  const onnx::AttributeProto* attribute = Attr(node, name);
  return attribute ? attribute->i() : fallback;
}

double FloatAttr(const onnx::NodeProto& node, const std::string& name, double fallback) {
  const onnx::AttributeProto* attribute = Attr(node, name);
  return attribute ? attribute->f() : fallback;
}

std::string StringAttr(const onnx::NodeProto& node, const std::string& name,
                       const std::string& fallback) {
  const onnx::AttributeProto* attribute = Attr(node, name);
  return attribute ? attribute->s() : fallback;
}

std::vector<std::int64_t> IntsAttr(const onnx::NodeProto& node, const std::string& name) {
  const onnx::AttributeProto* attribute = Attr(node, name);
  if (!attribute) return {};
  return {attribute->ints().begin(), attribute->ints().end()};
}

std::int64_t ScalarInt(const Value& value) {
  if (value.size() < 1) throw NotEvaluable("a scalar input is empty");
  return value.Int(0);
}

double ScalarReal(const Value& value) {
  if (value.size() < 1) throw NotEvaluable("a scalar input is empty");
  return value.Real(0);
}

std::vector<std::int64_t> IntsOf(const Value& value) {
  std::vector<std::int64_t> out(value.size());
  for (std::int64_t i = 0; i < value.size(); ++i) out[i] = value.Int(i);
  return out;
}

std::int64_t NormalizeAxis(std::int64_t axis, std::int64_t rank) {
  if (axis < -rank || axis >= rank)
    throw NotEvaluable("axis " + std::to_string(axis) + " is outside a rank-" +
                       std::to_string(rank) + " tensor");
  return axis < 0 ? axis + rank : axis;
}

std::vector<std::int64_t> Strides(const std::vector<std::int64_t>& shape) {
  std::vector<std::int64_t> strides(shape.size(), 1);
  for (size_t d = shape.size(); d-- > 1;) strides[d - 1] = strides[d] * shape[d];
  return strides;
}

std::vector<std::int64_t> BroadcastShapes(const std::vector<std::vector<std::int64_t>>& shapes) {
  size_t rank = 0;
  for (const auto& shape : shapes) rank = std::max(rank, shape.size());
  std::vector<std::int64_t> out(rank, 1);
  for (const auto& shape : shapes) {
    for (size_t d = 0; d < shape.size(); ++d) {
      std::int64_t& o = out[rank - shape.size() + d];
      const std::int64_t e = shape[d];
      if (e == o || e == 1) continue;
      if (o != 1) throw NotEvaluable("its input shapes do not broadcast");
      o = e;
    }
  }
  return out;
}

BroadcastIndex::BroadcastIndex(const std::vector<std::int64_t>& in_shape,
                               const std::vector<std::int64_t>& out_shape)
    : out_strides_(Strides(out_shape)), in_strides_(out_shape.size(), 0), out_shape_(out_shape) {
  const std::vector<std::int64_t> in_strides = Strides(in_shape);
  const size_t offset = out_shape.size() - in_shape.size();
  for (size_t d = 0; d < in_shape.size(); ++d)
    in_strides_[offset + d] = in_shape[d] == 1 ? 0 : in_strides[d];
}

std::int64_t BroadcastIndex::operator()(std::int64_t out_flat) const {
  std::int64_t in_flat = 0;
  for (size_t d = 0; d < out_shape_.size(); ++d) {
    const std::int64_t coordinate = (out_flat / out_strides_[d]) % out_shape_[d];
    in_flat += coordinate * in_strides_[d];
  }
  return in_flat;
}

Value MakeValue(int type, std::vector<std::int64_t> shape) {
  Value value;
  value.type = type;
  value.Allocate(std::move(shape));
  return value;
}

Value IntVector(const std::vector<std::int64_t>& values) {
  Value value = MakeValue(onnx::TensorProto::INT64, {static_cast<std::int64_t>(values.size())});
  value.ints = values;
  return value;
}

namespace {

const KernelTable& Table() {
  static const KernelTable table = [] {
    KernelTable t;
    AddMathKernels(t);
    AddShapeKernels(t);
    return t;
  }();
  return table;
}

}  // namespace
}  // namespace kernels

bool IsEvaluable(const std::string& op) { return kernels::Table().count(op) > 0; }

bool NeedsOnlyShapes(const std::string& op) { return op == "Shape" || op == "Size"; }

std::vector<Value> EvaluateNode(const onnx::NodeProto& node, const std::vector<Operand>& inputs) {
  auto it = kernels::Table().find(node.op_type());
  if (it == kernels::Table().end())
    throw NotEvaluable("the evaluator does not compute " + node.op_type());
  std::vector<Value> outputs = it->second(node, inputs);
  for (Value& output : outputs) output.Normalize();
  return outputs;
}

}  // namespace tessel::io::onnx_detail
