#include "tessel/workload/layer_shapes.h"

#include <algorithm>
#include <utility>

#include "tessel/common/error.h"

namespace tessel {
namespace {

void RequirePositive(const std::string& layer, const char* what, std::int64_t value) {
  if (value < 1)
    throw UserError("layer '" + layer + "': " + what + " is " + std::to_string(value) +
                    "; it must be a positive integer");
}

void RequireNonNegative(const std::string& layer, const char* what, std::int64_t value) {
  if (value < 0)
    throw UserError("layer '" + layer + "': " + what + " is " + std::to_string(value) +
                    "; padding must not be negative");
}

void CheckConvSpec(const std::string& name, const ConvSpec& s) {
  RequirePositive(name, "the batch size", s.batch);
  RequirePositive(name, "the number of input channels", s.in_channels);
  RequirePositive(name, "the input height", s.in_h);
  RequirePositive(name, "the input width", s.in_w);
  RequirePositive(name, "the number of output channels", s.out_channels);
  RequirePositive(name, "the kernel height", s.kernel_h);
  RequirePositive(name, "the kernel width", s.kernel_w);
  RequirePositive(name, "the vertical stride", s.stride_h);
  RequirePositive(name, "the horizontal stride", s.stride_w);
  RequirePositive(name, "the vertical dilation", s.dilation_h);
  RequirePositive(name, "the horizontal dilation", s.dilation_w);
  RequirePositive(name, "the number of groups", s.groups);
  RequireNonNegative(name, "the top padding", s.pad_top);
  RequireNonNegative(name, "the left padding", s.pad_left);
  RequireNonNegative(name, "the bottom padding", s.pad_bottom);
  RequireNonNegative(name, "the right padding", s.pad_right);
  if (s.in_channels % s.groups != 0 || s.out_channels % s.groups != 0)
    throw UserError("layer '" + name + "': " + std::to_string(s.in_channels) + " input and " +
                    std::to_string(s.out_channels) + " output channels are not both divisible by " +
                    std::to_string(s.groups) + " groups");
}

ProjectionTerm Term(int dim) { return ProjectionTerm{dim, 1, ""}; }

// The fields a convolution and a transposed convolution take alike from their spec: kernel
// (R = width, S = height), channels per group, batch, groups, strides and dilations.
template <typename Shape>
Shape KernelFieldsOf(const ConvSpec& s) {
  Shape shape;
  shape.R = s.kernel_w;
  shape.S = s.kernel_h;
  shape.C = s.in_channels / s.groups;
  shape.M = s.out_channels / s.groups;
  shape.N = s.batch;
  shape.G = s.groups;
  shape.w_stride = s.stride_w;
  shape.h_stride = s.stride_h;
  shape.w_dilation = s.dilation_w;
  shape.h_dilation = s.dilation_h;
  return shape;
}

// A layer of either kind with its pads and element counts (tensors of the whole batch).
Layer ConvLikeLayer(const std::string& name, const std::string& op, LayerKind kind, Problem problem,
                    const ConvSpec& s, std::int64_t out_h, std::int64_t out_w) {
  Layer layer;
  layer.name = name;
  layer.op = op;
  layer.kind = kind;
  layer.problem = std::move(problem);
  layer.pads = {s.pad_top, s.pad_left, s.pad_bottom, s.pad_right};
  layer.input_elements = s.batch * s.in_channels * s.in_h * s.in_w;
  layer.output_elements = s.batch * s.out_channels * out_h * out_w;
  return layer;
}

}  // namespace

std::int64_t ConvOutputSize(std::int64_t in, std::int64_t kernel, std::int64_t stride,
                            std::int64_t dilation, std::int64_t pad_begin, std::int64_t pad_end) {
  const std::int64_t span = in + pad_begin + pad_end - dilation * (kernel - 1) - 1;
  if (span < 0) return 0;
  return span / stride + 1;
}

Layer MakeConvLayer(const std::string& name, const ConvSpec& s) {
  CheckConvSpec(name, s);
  const std::int64_t out_h =
      ConvOutputSize(s.in_h, s.kernel_h, s.stride_h, s.dilation_h, s.pad_top, s.pad_bottom);
  const std::int64_t out_w =
      ConvOutputSize(s.in_w, s.kernel_w, s.stride_w, s.dilation_w, s.pad_left, s.pad_right);
  if (out_h < 1 || out_w < 1)
    throw UserError("layer '" + name + "': the " + std::to_string(s.kernel_h) + "x" +
                    std::to_string(s.kernel_w) + " kernel does not fit the padded " +
                    std::to_string(s.in_h) + "x" + std::to_string(s.in_w) + " input");
  ConvShape shape = KernelFieldsOf<ConvShape>(s);
  shape.P = out_w;
  shape.Q = out_h;
  return ConvLikeLayer(name, "Conv", LayerKind::kConv, MakeConvProblem(name, shape), s, out_h,
                       out_w);
}

std::int64_t ConvTransposeOutputSize(std::int64_t in, std::int64_t kernel, std::int64_t stride,
                                     std::int64_t dilation, std::int64_t pad_begin,
                                     std::int64_t pad_end, std::int64_t output_pad) {
  return (in - 1) * stride - pad_begin - pad_end + dilation * (kernel - 1) + output_pad + 1;
}

Problem MakeConvTransposeProblem(const std::string& name, const ConvTransposeShape& s) {
  Problem p;
  p.name = name;
  p.dims = {{"R", s.R}, {"S", s.S}, {"W", s.W}, {"H", s.H}, {"C", s.C}, {"M", s.M}, {"N", s.N}};
  p.coefficients = {{"Wstride", s.w_stride},
                    {"Hstride", s.h_stride},
                    {"Wdilation", s.w_dilation},
                    {"Hdilation", s.h_dilation}};
  enum { R, S, W, H, C, M, N, G };
  DataSpace weights{"Weights", {{{Term(C)}}, {{Term(M)}}, {{Term(R)}}, {{Term(S)}}}, false};
  DataSpace inputs{"Inputs", {{{Term(N)}}, {{Term(C)}}, {{Term(H)}}, {{Term(W)}}}, false};
  DataSpace outputs{
      "Outputs",
      {{{Term(N)}},
       {{Term(M)}},
       {{ProjectionTerm{S, s.h_dilation, "Hdilation"}, ProjectionTerm{H, s.h_stride, "Hstride"}}},
       {{ProjectionTerm{R, s.w_dilation, "Wdilation"}, ProjectionTerm{W, s.w_stride, "Wstride"}}}},
      true};
  if (s.G > 1) {
    p.dims.push_back({"G", s.G});
    weights.ranks.insert(weights.ranks.begin(), Rank{{Term(G)}});
    inputs.ranks.insert(inputs.ranks.begin() + 1, Rank{{Term(G)}});
    outputs.ranks.insert(outputs.ranks.begin() + 1, Rank{{Term(G)}});
  }
  p.data_spaces = {weights, inputs, outputs};
  return p;
}

Layer MakeConvTransposeLayer(const std::string& name, const ConvTransposeSpec& s) {
  CheckConvSpec(name, s);
  const std::int64_t pads[] = {s.output_pad_h, s.output_pad_w};
  const std::int64_t strides[] = {s.stride_h, s.stride_w},
                     dilations[] = {s.dilation_h, s.dilation_w};
  for (int axis = 0; axis < 2; ++axis) {
    RequireNonNegative(name, axis == 0 ? "the bottom output padding" : "the right output padding",
                       pads[axis]);
    if (pads[axis] >= std::max(strides[axis], dilations[axis]))
      throw UserError("layer '" + name + "': output padding " + std::to_string(pads[axis]) +
                      " must be smaller than the stride (" + std::to_string(strides[axis]) +
                      ") or the dilation (" + std::to_string(dilations[axis]) + ")");
  }
  const std::int64_t out_h = ConvTransposeOutputSize(s.in_h, s.kernel_h, s.stride_h, s.dilation_h,
                                                     s.pad_top, s.pad_bottom, s.output_pad_h);
  const std::int64_t out_w = ConvTransposeOutputSize(s.in_w, s.kernel_w, s.stride_w, s.dilation_w,
                                                     s.pad_left, s.pad_right, s.output_pad_w);
  if (out_h < 1 || out_w < 1)
    throw UserError("layer '" + name + "': the padding leaves a " + std::to_string(out_h) + "x" +
                    std::to_string(out_w) + " output; it must be at least 1x1");
  ConvTransposeShape shape = KernelFieldsOf<ConvTransposeShape>(s);
  shape.W = s.in_w;
  shape.H = s.in_h;
  return ConvLikeLayer(name, "ConvTranspose", LayerKind::kOtherMac,
                       MakeConvTransposeProblem(name, shape), s, out_h, out_w);
}

Problem MakeMatMulProblem(const std::string& name, std::int64_t m, std::int64_t n, std::int64_t k) {
  Problem p;
  p.name = name;
  p.dims = {{"M", m}, {"N", n}, {"K", k}};
  enum { M, N, K };
  p.data_spaces = {DataSpace{"Weights", {{{Term(K)}}, {{Term(N)}}}, false},
                   DataSpace{"Inputs", {{{Term(M)}}, {{Term(K)}}}, false},
                   DataSpace{"Outputs", {{{Term(M)}}, {{Term(N)}}}, true}};
  return p;
}

Problem MakeBatchedMatMulProblem(const std::string& name, std::int64_t batch, std::int64_t m,
                                 std::int64_t n, std::int64_t k, bool inputs_batched,
                                 bool weights_batched) {
  Problem p;
  p.name = name;
  p.dims = {{"B", batch}, {"M", m}, {"N", n}, {"K", k}};
  enum { B, M, N, K };
  DataSpace weights{"Weights", {{{Term(K)}}, {{Term(N)}}}, false};
  DataSpace inputs{"Inputs", {{{Term(M)}}, {{Term(K)}}}, false};
  if (weights_batched) weights.ranks.insert(weights.ranks.begin(), Rank{{Term(B)}});
  if (inputs_batched) inputs.ranks.insert(inputs.ranks.begin(), Rank{{Term(B)}});
  DataSpace outputs{"Outputs", {{{Term(B)}}, {{Term(M)}}, {{Term(N)}}}, true};
  p.data_spaces = {weights, inputs, outputs};
  return p;
}

Layer MakeMatMulLayer(const std::string& name, const std::string& op, std::int64_t batch,
                      std::int64_t m, std::int64_t n, std::int64_t k,
                      bool weights_are_activations) {
  RequirePositive(name, "the batch count", batch);
  RequirePositive(name, "M (rows of the output)", m);
  RequirePositive(name, "N (columns of the output)", n);
  RequirePositive(name, "K (the reduction length)", k);
  Layer layer;
  layer.name = name;
  layer.op = op;
  layer.kind = LayerKind::kMatMul;
  layer.problem = batch == 1 ? MakeMatMulProblem(name, m, n, k)
                             : MakeBatchedMatMulProblem(name, batch, m, n, k);
  layer.input_elements = batch * m * k + (weights_are_activations ? batch * k * n : 0);
  layer.output_elements = batch * m * n;
  return layer;
}

Layer MakeNoMacLayer(const std::string& name, const std::string& op, std::int64_t input_elements,
                     std::int64_t output_elements) {
  Layer layer;
  layer.name = name;
  layer.op = op;
  layer.kind = LayerKind::kNoMac;
  layer.problem.name = name;
  layer.input_elements = input_elements;
  layer.output_elements = output_elements;
  return layer;
}

std::optional<ConvShape> AsConvShape(const Problem& problem) {
  static constexpr const char* kNames[] = {"R", "S", "P", "Q", "C", "M", "N"};
  const bool grouped = problem.dims.size() == 8 && problem.dims[7].name == "G";
  if (problem.dims.size() != 7 && !grouped) return std::nullopt;
  for (int d = 0; d < 7; ++d) {
    const std::string& name = problem.dims[d].name;
    if (name != kNames[d] && !(d == 5 && name == "K")) return std::nullopt;
  }
  if (problem.DataSpaceIndex("Weights") < 0 || problem.DataSpaceIndex("Inputs") < 0 ||
      problem.DataSpaceIndex("Outputs") < 0)
    return std::nullopt;
  ConvShape shape;
  std::int64_t* bounds[] = {&shape.R, &shape.S, &shape.P, &shape.Q, &shape.C, &shape.M, &shape.N};
  for (int d = 0; d < 7; ++d) *bounds[d] = problem.dims[d].bound;
  if (grouped) shape.G = problem.dims[7].bound;
  for (const Coefficient& c : problem.coefficients) {
    if (c.name == "Wstride") shape.w_stride = c.value;
    if (c.name == "Hstride") shape.h_stride = c.value;
    if (c.name == "Wdilation") shape.w_dilation = c.value;
    if (c.name == "Hdilation") shape.h_dilation = c.value;
  }
  return shape;
}

std::int64_t Elements(const std::vector<std::int64_t>& shape) {
  std::int64_t total = 1;
  for (std::int64_t extent : shape) total *= extent;
  return total;
}

}  // namespace tessel
