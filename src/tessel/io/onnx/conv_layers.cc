// Conv and ConvTranspose nodes as layers (ONNX attribute semantics, 1-D and 2-D).
#include <algorithm>

#include "tessel/common/error.h"
#include "tessel/io/onnx/layers.h"
#include "tessel/workload/layer_shapes.h"

namespace tessel::io::onnx_detail {
namespace {

// What Conv and ConvTranspose share: the input and weight shapes and the window attributes, per
// spatial axis (height first for 2-D; one axis, the width, for 1-D).
struct Window {
  std::vector<std::int64_t> x, w;  // input [N, C, spatial...], weight [., ., kernel...]
  std::vector<std::int64_t> in, kernel, strides, dilations;
  size_t spatial = 0;
};

Window ReadWindow(const Model& model, int index) {
  const onnx::NodeProto& node = model.node(index);
  const std::string& op = node.op_type();
  if (node.input_size() < 2) FailAt(model, index, op + " needs an input and a weight tensor");
  Window win;
  win.x = KnownShape(model, index, node.input(0), "input 0");
  win.w = KnownShape(model, index, node.input(1), "input 1");
  if (win.x.size() != 3 && win.x.size() != 4)
    FailAt(model, index,
           "a " + op + " over " + std::to_string(static_cast<int>(win.x.size()) - 2) +
               " spatial dimensions is not supported (1-D and 2-D are)");
  if (win.w.size() != win.x.size())
    FailAt(model, index, "the weight's rank differs from the input's");
  win.spatial = win.x.size() - 2;
  win.in.assign(win.x.begin() + 2, win.x.end());
  win.kernel.assign(win.w.begin() + 2, win.w.end());
  if (FindAttribute(node, "kernel_shape") &&
      IntsAttribute(model, index, "kernel_shape", win.spatial, 0) != win.kernel)
    FailAt(model, index, "kernel_shape disagrees with the weight tensor's shape");
  win.strides = IntsAttribute(model, index, "strides", win.spatial, 1);
  win.dilations = IntsAttribute(model, index, "dilations", win.spatial, 1);
  return win;
}

std::string AutoPad(const Model& model, int index) {
  const onnx::AttributeProto* auto_pad = FindAttribute(model.node(index), "auto_pad");
  const std::string mode = auto_pad ? auto_pad->s() : "NOTSET";
  if (mode != "NOTSET" && mode != "VALID" && mode != "SAME_UPPER" && mode != "SAME_LOWER")
    FailAt(model, index,
           "auto_pad '" + mode + "' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID");
  return mode;
}

// Splits `total` padding of one axis into begin / end as auto_pad says.
void SplitPadding(std::int64_t total, bool upper, std::int64_t* begin, std::int64_t* end) {
  const std::int64_t small = total / 2, large = total - total / 2;
  *begin = upper ? small : large;
  *end = upper ? large : small;
}

// Padding {begin..., end...} of a Conv from pads or auto_pad.
std::vector<std::int64_t> ConvPads(const Model& model, int index, const Window& win) {
  const size_t n = win.spatial;
  const std::string mode = AutoPad(model, index);
  if (mode == "NOTSET") return IntsAttribute(model, index, "pads", 2 * n, 0);
  std::vector<std::int64_t> pads(2 * n, 0);
  if (mode == "VALID") return pads;
  for (size_t d = 0; d < n; ++d) {
    const std::int64_t out = (win.in[d] + win.strides[d] - 1) / win.strides[d];
    const std::int64_t total = std::max<std::int64_t>(
        0, (out - 1) * win.strides[d] + (win.kernel[d] - 1) * win.dilations[d] + 1 - win.in[d]);
    SplitPadding(total, mode == "SAME_UPPER", &pads[d], &pads[d + n]);
  }
  return pads;
}

// Padding of a ConvTranspose: from output_shape when given (the padding that gives it), else
// from auto_pad SAME_* (output = input x stride), else the pads attribute.
std::vector<std::int64_t> ConvTransposePads(const Model& model, int index, const Window& win,
                                            const std::vector<std::int64_t>& output_padding) {
  const size_t n = win.spatial;
  const std::string mode = AutoPad(model, index);
  std::vector<std::int64_t> target;
  if (const onnx::AttributeProto* shape = FindAttribute(model.node(index), "output_shape")) {
    target.assign(shape->ints().begin(), shape->ints().end());
    if (target.size() == n + 2) target.erase(target.begin(), target.begin() + 2);
    if (target.size() != n)
      FailAt(model, index,
             "attribute 'output_shape' has " + std::to_string(shape->ints_size()) + " values; " +
                 std::to_string(n) + " expected");
  } else if (mode == "SAME_UPPER" || mode == "SAME_LOWER") {
    for (size_t d = 0; d < n; ++d) target.push_back(win.in[d] * win.strides[d]);
  } else {
    return mode == "VALID" ? std::vector<std::int64_t>(2 * n, 0)
                           : IntsAttribute(model, index, "pads", 2 * n, 0);
  }
  std::vector<std::int64_t> pads(2 * n, 0);
  for (size_t d = 0; d < n; ++d) {
    const std::int64_t full = win.strides[d] * (win.in[d] - 1) + output_padding[d] +
                              (win.kernel[d] - 1) * win.dilations[d] + 1;
    if (full < target[d])
      FailAt(model, index,
             "output_shape asks for " + std::to_string(target[d]) + " pixels along axis " +
                 std::to_string(d) + ", more than the " + std::to_string(full) +
                 " the transposed convolution produces");
    SplitPadding(full - target[d], mode == "SAME_UPPER", &pads[d], &pads[d + n]);
  }
  return pads;
}

// Copies the window of `win` (2-D: height then width; 1-D: the width) into `spec`.
void FillSpec(const Window& win, const std::vector<std::int64_t>& pads, ConvSpec& spec) {
  const size_t n = win.spatial;
  const size_t h = n == 2 ? 0 : n;  // the height axis; none for 1-D
  const size_t w = n - 1;           // the width: the last spatial axis
  spec.batch = win.x[0];
  spec.in_channels = win.x[1];
  spec.in_w = win.in[w];
  spec.kernel_w = win.kernel[w];
  spec.stride_w = win.strides[w];
  spec.dilation_w = win.dilations[w];
  spec.pad_left = pads[w];
  spec.pad_right = pads[w + n];
  if (h < n) {
    spec.in_h = win.in[h];
    spec.kernel_h = win.kernel[h];
    spec.stride_h = win.strides[h];
    spec.dilation_h = win.dilations[h];
    spec.pad_top = pads[h];
    spec.pad_bottom = pads[h + n];
  }
}

// Messages from the layer builders name the layer; the file prefix is added here.
template <typename Build>
Layer WithFile(const Model& model, Build build) {
  try {
    return build();
  } catch (const UserError& e) {
    throw UserError(SourceLocation{model.file, 0, 0}, e.what());
  }
}

}  // namespace

Layer ConvLayer(const Model& model, int index) {
  const Window win = ReadWindow(model, index);
  ConvSpec spec;
  FillSpec(win, ConvPads(model, index, win), spec);
  spec.out_channels = win.w[0];
  spec.groups = IntAttribute(model.node(index), "group", 1);
  if (win.w[1] * spec.groups != win.x[1])
    FailAt(model, index,
           "the weight has " + std::to_string(win.w[1]) + " input channels per group, " +
               "but the input has " + std::to_string(win.x[1]) + " channels in " +
               std::to_string(spec.groups) + " groups");
  return WithFile(model, [&] { return MakeConvLayer(model.labels[index], spec); });
}

// ConvTranspose's weight is [C, M / group, kernel...]: C input channels in all, M / group output
// channels per group.
Layer ConvTransposeLayer(const Model& model, int index) {
  const Window win = ReadWindow(model, index);
  const std::vector<std::int64_t> output_padding =
      IntsAttribute(model, index, "output_padding", win.spatial, 0);
  ConvTransposeSpec spec;
  FillSpec(win, ConvTransposePads(model, index, win, output_padding), spec);
  spec.groups = IntAttribute(model.node(index), "group", 1);
  spec.out_channels = win.w[1] * spec.groups;
  if (win.w[0] != win.x[1])
    FailAt(model, index,
           "the weight has " + std::to_string(win.w[0]) + " input channels, but the input has " +
               std::to_string(win.x[1]));
  spec.output_pad_w = output_padding[win.spatial - 1];
  if (win.spatial == 2) spec.output_pad_h = output_padding[0];
  return WithFile(model, [&] { return MakeConvTransposeLayer(model.labels[index], spec); });
}

}  // namespace tessel::io::onnx_detail
