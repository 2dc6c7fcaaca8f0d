// Step 7 of the ONNX reader: one layer per remaining node.
#include "tessel/io/onnx_layers.h"

#include <algorithm>

#include "tessel/common/error.h"
#include "tessel/workload/layer_shapes.h"

namespace tessel::io::onnx_detail {
namespace {

[[noreturn]] void FailAt(const Model& model, int index, const std::string& message) {
  throw UserError(SourceLocation{model.file, 0, 0}, NodeRef(model, index) + ": " + message);
}

// The static shape of `tensor`, read by (or written by) node `index` as `role` ("input 0").
const std::vector<std::int64_t>& KnownShape(const Model& model, int index,
                                            const std::string& tensor, const std::string& role) {
  const std::string& resolved = model.Resolve(tensor);
  auto it = model.shapes.find(resolved);
  if (it != model.shapes.end() && it->second.known) return it->second.dims;
  std::string why = "its rank is unknown";
  if (it != model.shapes.end() && it->second.unknown_dim >= 0)
    why = "dimension " + std::to_string(it->second.unknown_dim) +
          (it->second.symbol.empty() ? " is unknown" : " is '" + it->second.symbol + "'");
  throw UserError(SourceLocation{model.file, 0, 0},
                  "cannot infer the shape of tensor '" + resolved + "' (" + role + " of " +
                      NodeRef(model, index) + "): " + why +
                      "; give the model inputs static shapes with input_shapes");
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

// An ints attribute with `count` entries, or `fallback` repeated when absent.
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

// Sum of the elements of the node's non-constant inputs and of its outputs.
void CountElements(const Model& model, int index, Layer& layer) {
  const onnx::NodeProto& node = model.node(index);
  layer.input_elements = 0;
  layer.output_elements = 0;
  for (int slot = 0; slot < node.input_size(); ++slot) {
    const std::string& input = node.input(slot);
    if (input.empty() || model.constants.count(model.Resolve(input))) continue;
    layer.input_elements +=
        Elements(KnownShape(model, index, input, "input " + std::to_string(slot)));
  }
  for (int slot = 0; slot < node.output_size(); ++slot) {
    const std::string& output = node.output(slot);
    if (output.empty()) continue;
    layer.output_elements +=
        Elements(KnownShape(model, index, output, "output " + std::to_string(slot)));
  }
}

// Padding {begin_h, begin_w, end_h, end_w} from pads or auto_pad, for `spatial` axes given the
// input extents, kernel, strides and dilations (ONNX Conv semantics).
std::vector<std::int64_t> ConvPads(const Model& model, int index,
                                   const std::vector<std::int64_t>& in,
                                   const std::vector<std::int64_t>& kernel,
                                   const std::vector<std::int64_t>& strides,
                                   const std::vector<std::int64_t>& dilations) {
  const size_t spatial = in.size();
  const onnx::AttributeProto* auto_pad = FindAttribute(model.node(index), "auto_pad");
  const std::string mode = auto_pad ? auto_pad->s() : "NOTSET";
  if (mode == "NOTSET") return IntsAttribute(model, index, "pads", 2 * spatial, 0);
  std::vector<std::int64_t> pads(2 * spatial, 0);
  if (mode == "VALID") return pads;
  if (mode != "SAME_UPPER" && mode != "SAME_LOWER")
    FailAt(model, index,
           "auto_pad '" + mode + "' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID");
  for (size_t d = 0; d < spatial; ++d) {
    const std::int64_t out = (in[d] + strides[d] - 1) / strides[d];
    const std::int64_t total = std::max<std::int64_t>(
        0, (out - 1) * strides[d] + (kernel[d] - 1) * dilations[d] + 1 - in[d]);
    const std::int64_t small = total / 2, large = total - total / 2;
    pads[d] = mode == "SAME_UPPER" ? small : large;
    pads[d + spatial] = mode == "SAME_UPPER" ? large : small;
  }
  return pads;
}

Layer ConvLayer(const Model& model, int index) {
  const onnx::NodeProto& node = model.node(index);
  if (node.input_size() < 2) FailAt(model, index, "Conv needs an input and a weight tensor");
  const auto& x = KnownShape(model, index, node.input(0), "input 0");
  const auto& w = KnownShape(model, index, node.input(1), "input 1");
  if (x.size() != 3 && x.size() != 4)
    FailAt(model, index,
           "a Conv over " + std::to_string(static_cast<int>(x.size()) - 2) +
               " spatial dimensions is not supported (1-D and 2-D are)");
  if (w.size() != x.size()) FailAt(model, index, "the weight's rank differs from the input's");
  const size_t spatial = x.size() - 2;
  std::vector<std::int64_t> in(x.begin() + 2, x.end()), kernel(w.begin() + 2, w.end());
  if (IntsAttribute(model, index, "kernel_shape", spatial, 0) != kernel &&
      FindAttribute(node, "kernel_shape"))
    FailAt(model, index, "kernel_shape disagrees with the weight tensor's shape");
  const auto strides = IntsAttribute(model, index, "strides", spatial, 1);
  const auto dilations = IntsAttribute(model, index, "dilations", spatial, 1);
  const auto pads = ConvPads(model, index, in, kernel, strides, dilations);
  ConvSpec spec;
  spec.batch = x[0];
  spec.in_channels = x[1];
  spec.out_channels = w[0];
  spec.groups = IntAttribute(node, "group", 1);
  if (w[1] * spec.groups != x[1])
    FailAt(model, index,
           "the weight has " + std::to_string(w[1]) + " input channels per group, " +
               "but the input has " + std::to_string(x[1]) + " channels in " +
               std::to_string(spec.groups) + " groups");
  const size_t h = spatial == 2 ? 0 : spatial;  // index of the height axis; none for 1-D
  const size_t wd = spatial - 1;                // width: the last spatial axis
  spec.in_w = in[wd];
  spec.kernel_w = kernel[wd];
  spec.stride_w = strides[wd];
  spec.dilation_w = dilations[wd];
  spec.pad_left = pads[wd];
  spec.pad_right = pads[wd + spatial];
  if (h < spatial) {
    spec.in_h = in[h];
    spec.kernel_h = kernel[h];
    spec.stride_h = strides[h];
    spec.dilation_h = dilations[h];
    spec.pad_top = pads[h];
    spec.pad_bottom = pads[h + spatial];
  }
  try {
    return MakeConvLayer(model.labels[index], spec);
  } catch (const UserError& e) {
    throw UserError(SourceLocation{model.file, 0, 0}, e.what());
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
// [2,1,..] x [1,3,..], are approximated by giving both operands the full batch).
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

Layer NodeToLayer(const Model& model, int index) {
  const std::string& op = model.node(index).op_type();
  Layer layer;
  if (op == "Conv") {
    layer = ConvLayer(model, index);
  } else if (op == "Gemm") {
    layer = GemmLayer(model, index);
  } else if (op == "MatMul") {
    layer = MatMulLayer(model, index);
  } else {
    layer = MakeNoMacLayer(model.labels[index], op, 0, 0);
  }
  CountElements(model, index, layer);
  return layer;
}

}  // namespace tessel::io::onnx_detail
