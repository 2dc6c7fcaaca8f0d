#include "tessel/workload/net_builder.h"

#include <stdexcept>

namespace tessel {
namespace {

// The zoo's tables are code: a shape mistake there is a bug, not a user error.
void Expect(bool condition, const std::string& layer, const char* what) {
  if (!condition) throw std::logic_error("zoo layer '" + layer + "': " + what);
}

}  // namespace

Tensor NetBuilder::Add(Layer layer, const std::vector<const Tensor*>& inputs,
                       std::vector<std::int64_t> out_shape) {
  const int index = workload_.AddLayer(std::move(layer));
  for (const Tensor* input : inputs)
    if (input->layer >= 0) workload_.AddEdge(input->layer, index);
  return Tensor{index, std::move(out_shape)};
}

Tensor NetBuilder::Conv(const std::string& name, const Tensor& x, const ConvArgs& args) {
  Expect(x.shape.size() == 4, name, "Conv needs an NCHW input");
  ConvSpec spec;
  spec.batch = x.shape[0];
  spec.in_channels = x.shape[1];
  spec.in_h = x.shape[2];
  spec.in_w = x.shape[3];
  spec.out_channels = args.out_channels;
  spec.kernel_h = spec.kernel_w = args.kernel;
  spec.stride_h = spec.stride_w = args.stride;
  spec.dilation_h = spec.dilation_w = args.dilation;
  spec.pad_top = spec.pad_left = spec.pad_bottom = spec.pad_right = args.pad;
  spec.groups = args.groups;
  Layer layer = MakeConvLayer(name, spec);
  const ConvShape shape = *AsConvShape(layer.problem);
  return Add(std::move(layer), {&x}, {spec.batch, spec.out_channels, shape.Q, shape.P});
}

Tensor NetBuilder::Gemm(const std::string& name, const Tensor& x, std::int64_t out_features) {
  Expect(x.shape.size() == 2, name, "Gemm needs a [batch, features] input");
  Layer layer = MakeMatMulLayer(name, "Gemm", 1, x.shape[0], out_features, x.shape[1]);
  return Add(std::move(layer), {&x}, {x.shape[0], out_features});
}

Tensor NetBuilder::Linear(const std::string& name, const Tensor& x, std::int64_t out_features) {
  Expect(x.shape.size() >= 2, name, "MatMul needs a matrix input");
  const std::int64_t k = x.shape.back();
  const std::int64_t m = x.Elements() / k;
  Layer layer = MakeMatMulLayer(name, "MatMul", 1, m, out_features, k);
  std::vector<std::int64_t> out_shape = x.shape;
  out_shape.back() = out_features;
  return Add(std::move(layer), {&x}, std::move(out_shape));
}

Tensor NetBuilder::BatchedMatMul(const std::string& name, const Tensor& a, const Tensor& b) {
  const size_t rank = a.shape.size();
  Expect(rank >= 3 && b.shape.size() == rank, name, "batched MatMul needs two equal-rank inputs");
  Expect(a.shape[rank - 1] == b.shape[rank - 2], name, "MatMul inner dimensions differ");
  std::int64_t batch = 1;
  for (size_t d = 0; d + 2 < rank; ++d) {
    Expect(a.shape[d] == b.shape[d], name, "MatMul batch dimensions differ");
    batch *= a.shape[d];
  }
  const std::int64_t m = a.shape[rank - 2], k = a.shape[rank - 1], n = b.shape[rank - 1];
  Layer layer = MakeMatMulLayer(name, "MatMul", batch, m, n, k, /*weights_are_activations=*/true);
  std::vector<std::int64_t> out_shape = a.shape;
  out_shape.back() = n;
  return Add(std::move(layer), {&a, &b}, std::move(out_shape));
}

Tensor NetBuilder::Unary(const std::string& op, const std::string& name, const Tensor& x) {
  return Add(MakeNoMacLayer(name, op, x.Elements(), x.Elements()), {&x}, x.shape);
}

Tensor NetBuilder::Binary(const std::string& op, const std::string& name, const Tensor& a,
                          const Tensor& b) {
  Expect(a.shape == b.shape, name, "element-wise inputs differ in shape");
  return Add(MakeNoMacLayer(name, op, a.Elements() + b.Elements(), a.Elements()), {&a, &b},
             a.shape);
}

Tensor NetBuilder::Concat(const std::string& name, const std::vector<Tensor>& parts) {
  Expect(!parts.empty(), name, "Concat needs at least one input");
  std::vector<std::int64_t> out_shape = parts[0].shape;
  std::vector<const Tensor*> inputs;
  std::int64_t elements = 0;
  out_shape[1] = 0;
  for (const Tensor& p : parts) {
    Expect(p.shape.size() == 4 && p.shape[0] == out_shape[0] && p.shape[2] == out_shape[2] &&
               p.shape[3] == out_shape[3],
           name, "Concat inputs differ in N, H or W");
    out_shape[1] += p.shape[1];
    elements += p.Elements();
    inputs.push_back(&p);
  }
  return Add(MakeNoMacLayer(name, "Concat", elements, elements), inputs, out_shape);
}

Tensor NetBuilder::Pool(const std::string& op, const std::string& name, const Tensor& x,
                        std::int64_t kernel, std::int64_t stride, std::int64_t pad) {
  Expect(x.shape.size() == 4, name, "pooling needs an NCHW input");
  const std::int64_t h = ConvOutputSize(x.shape[2], kernel, stride, 1, pad, pad);
  const std::int64_t w = ConvOutputSize(x.shape[3], kernel, stride, 1, pad, pad);
  Expect(h >= 1 && w >= 1, name, "pooling window does not fit");
  std::vector<std::int64_t> out_shape = {x.shape[0], x.shape[1], h, w};
  return Add(MakeNoMacLayer(name, op, x.Elements(), Elements(out_shape)), {&x}, out_shape);
}

Tensor NetBuilder::GlobalAveragePool(const std::string& name, const Tensor& x) {
  Expect(x.shape.size() == 4, name, "GlobalAveragePool needs an NCHW input");
  std::vector<std::int64_t> out_shape = {x.shape[0], x.shape[1], 1, 1};
  return Add(MakeNoMacLayer(name, "GlobalAveragePool", x.Elements(), Elements(out_shape)), {&x},
             out_shape);
}

Tensor NetBuilder::Reshape(const std::string& op, const std::string& name, const Tensor& x,
                           std::vector<std::int64_t> shape) {
  Expect(Elements(shape) == x.Elements(), name, "reshape changes the element count");
  return Add(MakeNoMacLayer(name, op, x.Elements(), x.Elements()), {&x}, std::move(shape));
}

}  // namespace tessel
