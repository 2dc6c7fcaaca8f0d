// Writing a network down layer by layer, the way a framework's forward() reads: each call adds
// one layer, connects it to the layers that produced its inputs, and returns its output tensor's
// shape so the next call can size itself. Used by the bundled zoo; op names are ONNX's so a zoo
// network and the same network read from ONNX compare layer for layer.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tessel/workload/layer_shapes.h"
#include "tessel/workload/workload.h"

namespace tessel {

// An activation tensor: the layer that produced it (-1 for a network input) and its shape
// (NCHW for images, [batch, tokens, features] for sequences).
struct Tensor {
  int layer = -1;
  std::vector<std::int64_t> shape;

  std::int64_t Elements() const { return tessel::Elements(shape); }
};

// Square-window convolution arguments, PyTorch's Conv2d order.
struct ConvArgs {
  std::int64_t out_channels = 1;
  std::int64_t kernel = 1;
  std::int64_t stride = 1;
  std::int64_t pad = 0;
  std::int64_t groups = 1;
  std::int64_t dilation = 1;
};

class NetBuilder {
 public:
  explicit NetBuilder(std::string name) : workload_(std::move(name)) {}

  Tensor Input(std::vector<std::int64_t> shape) const { return Tensor{-1, std::move(shape)}; }

  // Conv over an NCHW tensor (bias and a following BatchNormalization folded in).
  Tensor Conv(const std::string& name, const Tensor& x, const ConvArgs& args);
  // Fully connected layer (ONNX Gemm) over a [batch, features] tensor.
  Tensor Gemm(const std::string& name, const Tensor& x, std::int64_t out_features);
  // x[..., M, K] times a constant weight matrix [K, N] (ONNX MatMul); leading dims fold into M.
  Tensor Linear(const std::string& name, const Tensor& x, std::int64_t out_features);
  // Batched matmul of two activations a[..., M, K] x b[..., K, N] with equal leading dims.
  Tensor BatchedMatMul(const std::string& name, const Tensor& a, const Tensor& b);

  // Element-wise, shape-preserving op with one activation input (Relu, Clip, Softmax, ...).
  Tensor Unary(const std::string& op, const std::string& name, const Tensor& x);
  // Element-wise op of two activations of the same shape (Add, Mul, ...).
  Tensor Binary(const std::string& op, const std::string& name, const Tensor& a, const Tensor& b);
  // Concatenation of NCHW tensors along channels (ONNX Concat, axis 1); same N, H and W.
  Tensor Concat(const std::string& name, const std::vector<Tensor>& parts);
  // MaxPool / AveragePool with a square window over an NCHW tensor.
  Tensor Pool(const std::string& op, const std::string& name, const Tensor& x, std::int64_t kernel,
              std::int64_t stride, std::int64_t pad);
  // GlobalAveragePool: [N, C, H, W] -> [N, C, 1, 1].
  Tensor GlobalAveragePool(const std::string& name, const Tensor& x);
  // A data-movement op (Flatten, Reshape, Transpose) giving `shape`, with as many elements.
  Tensor Reshape(const std::string& op, const std::string& name, const Tensor& x,
                 std::vector<std::int64_t> shape);

  Workload Finish() { return std::move(workload_); }

 private:
  // Adds `layer`, wires edges from the producers of `inputs`, and returns its output tensor.
  Tensor Add(Layer layer, const std::vector<const Tensor*>& inputs,
             std::vector<std::int64_t> out_shape);

  Workload workload_;
};

}  // namespace tessel
