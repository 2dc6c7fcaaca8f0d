// Step 8 of the ONNX reader: one layer per remaining node.
#include "tessel/io/onnx/layers.h"

#include <algorithm>

#include "tessel/common/checked_int.h"
#include "tessel/common/error.h"
#include "tessel/workload/layer_shapes.h"
#include "tessel/workload/problem_size.h"

namespace tessel::io::onnx_detail {
namespace {

// Every tensor of node `index` whose shape is known has at most 2^63-1 elements (a declared
// extent can be anything up to 2^63-1); the layer's dimensions come from these extents.
void CheckTensorSizes(const Model& model, int index) {
  const onnx::NodeProto& node = model.node(index);
  std::vector<std::string> tensors(node.input().begin(), node.input().end());
  tensors.insert(tensors.end(), node.output().begin(), node.output().end());
  for (const std::string& tensor : tensors) {
    const std::vector<std::int64_t>* shape = tensor.empty() ? nullptr : model.KnownShape(tensor);
    if (!shape) continue;
    std::int64_t elements = 1;
    for (const std::int64_t extent : *shape) {
      if (!MulInto(&elements, extent))
        FailAt(model, index,
               "tensor '" + model.Resolve(tensor) + "' has more than 2^63-1 elements");
    }
  }
}

// Sum of the elements of the node's non-constant inputs and of its outputs.
void CountElements(const Model& model, int index, Layer& layer) {
  const onnx::NodeProto& node = model.node(index);
  layer.input_elements = 0;
  layer.output_elements = 0;
  for (int slot = 0; slot < node.input_size(); ++slot) {
    const std::string& input = node.input(slot);
    if (input.empty() || model.constants.count(model.Resolve(input))) continue;
    const std::int64_t elements =
        Elements(KnownShape(model, index, input, "input " + std::to_string(slot)));
    if (!CheckedAdd(layer.input_elements, elements))
      FailAt(model, index, "its inputs have more than 2^63-1 elements in all");
    layer.input_elements += elements;
  }
  for (int slot = 0; slot < node.output_size(); ++slot) {
    const std::string& output = node.output(slot);
    if (output.empty()) continue;
    const std::int64_t elements =
        Elements(KnownShape(model, index, output, "output " + std::to_string(slot)));
    if (!CheckedAdd(layer.output_elements, elements))
      FailAt(model, index, "its outputs have more than 2^63-1 elements in all");
    layer.output_elements += elements;
  }
}

Layer GemmLayer(const Model& model, int index) {
  const onnx::NodeProto& node = model.node(index);
  if (node.input_size() < 2) FailAt(model, index, "Gemm needs two inputs");
  const auto& a = KnownShape(model, index, node.input(0), "input 0");
  const auto& b = KnownShape(model, index, node.input(1), "input 1");
  if (a.size() != 2 || b.size() != 2) FailAt(model, index, "Gemm's A and B must be matrices");
  const bool trans_a = IntAttribute(node, "transA", 0) != 0;
  const bool trans_b = IntAttribute(node, "transB", 0) != 0;
  const std::int64_t m = trans_a ? a[1] : a[0], k = trans_a ? a[0] : a[1];
  const std::int64_t kb = trans_b ? b[1] : b[0], n = trans_b ? b[0] : b[1];
  if (k != kb)
    FailAt(model, index,
           "A has " + std::to_string(k) + " columns but B has " + std::to_string(kb) + " rows");
  return MakeMatMulLayer(model.labels[index], "Gemm", 1, m, n, k);
}

// MatMul with numpy semantics: leading dimensions broadcast. When B has no batch extent (a weight
// matrix shared by every row), the batch folds into M: a plain GEMM. Otherwise a batched matmul
// whose operands carry a B rank only if they have a batch extent (partial broadcasts, e.g.
// [2,1,..] x [1,3,..], are approximated by giving both operands the full batch). Attention's
// Q x K^T and scores x V are such batched products of two activations.
Layer MatMulLayer(const Model& model, int index) {
  const onnx::NodeProto& node = model.node(index);
  if (node.input_size() < 2) FailAt(model, index, "MatMul needs two inputs");
  std::vector<std::int64_t> a = KnownShape(model, index, node.input(0), "input 0");
  std::vector<std::int64_t> b = KnownShape(model, index, node.input(1), "input 1");
  if (a.empty() || b.empty()) FailAt(model, index, "MatMul operands must not be scalars");
  if (a.size() == 1) a.insert(a.begin(), 1);
  if (b.size() == 1) b.push_back(1);
  const std::int64_t m = a[a.size() - 2], k = a.back(), n = b.back();
  if (b[b.size() - 2] != k)
    FailAt(model, index,
           "A has " + std::to_string(k) + " columns but B has " + std::to_string(b[b.size() - 2]) +
               " rows");
  const std::int64_t batch_a = Elements({a.begin(), a.end() - 2});
  const std::int64_t batch_b = Elements({b.begin(), b.end() - 2});
  const size_t rank = std::max(a.size(), b.size()) - 2;
  std::int64_t batch = 1;
  for (size_t d = 0; d < rank; ++d) {
    const std::int64_t ea = d < a.size() - 2 ? a[a.size() - 3 - d] : 1;
    const std::int64_t eb = d < b.size() - 2 ? b[b.size() - 3 - d] : 1;
    batch *= std::max(ea, eb);
  }
  Layer layer =
      MakeMatMulLayer(model.labels[index], "MatMul", 1, batch_b == 1 ? batch * m : m, n, k);
  if (batch_b > 1)
    layer.problem = MakeBatchedMatMulProblem(layer.name, batch, m, n, k, batch_a > 1, true);
  return layer;
}

}  // namespace

const std::vector<std::int64_t>& KnownShape(const Model& model, int index,
                                            const std::string& tensor, const std::string& role) {
  if (const std::vector<std::int64_t>* shape = model.KnownShape(tensor)) return *shape;
  const std::string& resolved = model.Resolve(tensor);
  auto it = model.shapes.find(resolved);
  std::string why = "its rank is unknown";
  if (it != model.shapes.end() && it->second.unknown_dim >= 0)
    why = "dimension " + std::to_string(it->second.unknown_dim) +
          (it->second.symbol.empty() ? " is unknown" : " is '" + it->second.symbol + "'");
  // Every model input is static by now (LoadModel checked), so the cause is inside the graph.
  std::string cause = ExplainUnknownShape(model, resolved);
  if (cause.empty()) cause = "ONNX shape inference could not work it out";
  throw UserError(SourceLocation{model.file, 0, 0},
                  "cannot work out the shape of tensor '" + resolved + "' (" + role + " of " +
                      NodeRef(model, index) + "): " + why + "; " + cause);
}

[[noreturn]] void FailAt(const Model& model, int index, const std::string& message) {
  throw UserError(SourceLocation{model.file, 0, 0}, NodeRef(model, index) + ": " + message);
}

const onnx::AttributeProto* FindAttribute(const onnx::NodeProto& node, const std::string& name) {
  for (const onnx::AttributeProto& attribute : node.attribute())
    if (attribute.name() == name) return &attribute;
  return nullptr;
}

std::int64_t IntAttribute(const onnx::NodeProto& node, const std::string& name,
                          std::int64_t fallback) {
  const onnx::AttributeProto* attribute = FindAttribute(node, name);
  return attribute ? attribute->i() : fallback;
}

std::vector<std::int64_t> IntsAttribute(const Model& model, int index, const std::string& name,
                                        size_t count, std::int64_t fallback) {
  const onnx::AttributeProto* attribute = FindAttribute(model.node(index), name);
  if (!attribute) return std::vector<std::int64_t>(count, fallback);
  std::vector<std::int64_t> values(attribute->ints().begin(), attribute->ints().end());
  if (values.size() != count)
    FailAt(model, index,
           "attribute '" + name + "' has " + std::to_string(values.size()) + " values; " +
               std::to_string(count) + " expected");
  return values;
}

Layer NodeToLayer(const Model& model, int index) {
  const std::string& op = model.node(index).op_type();
  CheckTensorSizes(model, index);
  Layer layer;
  if (op == "Conv") {
    layer = ConvLayer(model, index);
  } else if (op == "ConvTranspose") {
    layer = ConvTransposeLayer(model, index);
  } else if (op == "Gemm") {
    layer = GemmLayer(model, index);
  } else if (op == "MatMul") {
    layer = MatMulLayer(model, index);
  } else if (op == "Einsum") {
    layer = EinsumLayer(model, index);
  } else {
    layer = MakeNoMacLayer(model.labels[index], op, 0, 0);
  }
  if (layer.HasMacs())
    if (const std::string overflow = ProblemSizeOverflow(layer.problem); !overflow.empty())
      FailAt(model, index, overflow);
  CountElements(model, index, layer);
  return layer;
}

}  // namespace tessel::io::onnx_detail
