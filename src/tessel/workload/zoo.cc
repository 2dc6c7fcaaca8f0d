#include "tessel/workload/zoo.h"

#include <cctype>
#include <functional>

#include "tessel/common/error.h"
#include "tessel/workload/net_builder.h"

namespace tessel {
namespace {

// ---------------------------------------------------------------------------------------------
// ResNet (He et al., "Deep Residual Learning for Image Recognition", CVPR 2016, Table 1), as
// torchvision.models.resnet defines it (v1.5: a bottleneck block strides in its 3x3 conv, not its
// first 1x1). 224x224 RGB input. Layer names follow torchvision's module names.

// torchvision BasicBlock: 3x3 conv (stride s) -> relu -> 3x3 conv -> (+ downsample) -> relu.
Tensor BasicBlock(NetBuilder& net, const std::string& prefix, const Tensor& x, std::int64_t planes,
                  std::int64_t stride) {
  Tensor y = net.Conv(prefix + ".conv1", x,
                      {.out_channels = planes, .kernel = 3, .stride = stride, .pad = 1});
  y = net.Unary("Relu", prefix + ".relu1", y);
  y = net.Conv(prefix + ".conv2", y, {.out_channels = planes, .kernel = 3, .pad = 1});
  Tensor shortcut = x;
  if (stride != 1 || x.shape[1] != planes)
    shortcut = net.Conv(prefix + ".downsample", x,
                        {.out_channels = planes, .kernel = 1, .stride = stride});
  y = net.Binary("Add", prefix + ".add", y, shortcut);
  return net.Unary("Relu", prefix + ".relu2", y);
}

// torchvision Bottleneck (expansion 4): 1x1 -> relu -> 3x3 (stride s) -> relu -> 1x1
// -> (+ downsample) -> relu.
Tensor Bottleneck(NetBuilder& net, const std::string& prefix, const Tensor& x, std::int64_t planes,
                  std::int64_t stride) {
  const std::int64_t out = planes * 4;
  Tensor y = net.Conv(prefix + ".conv1", x, {.out_channels = planes, .kernel = 1});
  y = net.Unary("Relu", prefix + ".relu1", y);
  y = net.Conv(prefix + ".conv2", y,
               {.out_channels = planes, .kernel = 3, .stride = stride, .pad = 1});
  y = net.Unary("Relu", prefix + ".relu2", y);
  y = net.Conv(prefix + ".conv3", y, {.out_channels = out, .kernel = 1});
  Tensor shortcut = x;
  if (stride != 1 || x.shape[1] != out)
    shortcut =
        net.Conv(prefix + ".downsample", x, {.out_channels = out, .kernel = 1, .stride = stride});
  y = net.Binary("Add", prefix + ".add", y, shortcut);
  return net.Unary("Relu", prefix + ".relu3", y);
}

using Block = std::function<Tensor(NetBuilder&, const std::string&, const Tensor&, std::int64_t,
                                   std::int64_t)>;

// Stem, four stages of `blocks[i]` blocks with 64/128/256/512 planes (stride 2 from stage 2 on),
// global average pool, flatten, 1000-way fully connected layer.
Workload MakeResNet(const std::string& name, std::int64_t batch, const Block& block,
                    const std::vector<int>& blocks) {
  NetBuilder net(name);
  Tensor x = net.Input({batch, 3, 224, 224});
  x = net.Conv("conv1", x, {.out_channels = 64, .kernel = 7, .stride = 2, .pad = 3});
  x = net.Unary("Relu", "relu", x);
  x = net.Pool("MaxPool", "maxpool", x, 3, 2, 1);
  for (int stage = 0; stage < 4; ++stage) {
    const std::int64_t planes = std::int64_t{64} << stage;
    for (int i = 0; i < blocks[stage]; ++i) {
      const std::string prefix = "layer" + std::to_string(stage + 1) + "." + std::to_string(i);
      x = block(net, prefix, x, planes, (stage > 0 && i == 0) ? 2 : 1);
    }
  }
  x = net.GlobalAveragePool("avgpool", x);
  x = net.Reshape("Flatten", "flatten", x, {batch, x.shape[1]});
  net.Gemm("fc", x, 1000);
  return net.Finish();
}

// ---------------------------------------------------------------------------------------------
// VGG-16 (Simonyan & Zisserman, ICLR 2015, Table 1 configuration D) as torchvision.models.vgg16:
// 3x3 convs with padding 1, 2x2 max pools, then 25088 -> 4096 -> 4096 -> 1000. torchvision's
// AdaptiveAvgPool2d((7, 7)) is the identity on the 7x7 map of a 224x224 input: omitted.
Workload MakeVgg(std::int64_t batch) {
  // Output channels per conv; 0 is a max pool.
  static constexpr int kConfigD[] = {64, 64,  0,   128, 128, 0,   256, 256, 256,
                                     0,  512, 512, 512, 0,   512, 512, 512, 0};
  NetBuilder net("vgg16");
  Tensor x = net.Input({batch, 3, 224, 224});
  int conv = 0, pool = 0;
  for (int channels : kConfigD) {
    if (channels == 0) {
      x = net.Pool("MaxPool", "pool" + std::to_string(++pool), x, 2, 2, 0);
      continue;
    }
    ++conv;
    x = net.Conv("conv" + std::to_string(conv), x,
                 {.out_channels = channels, .kernel = 3, .pad = 1});
    x = net.Unary("Relu", "relu" + std::to_string(conv), x);
  }
  x = net.Reshape("Flatten", "flatten", x, {batch, x.Elements() / batch});
  x = net.Gemm("fc1", x, 4096);
  x = net.Unary("Relu", "relu_fc1", x);
  x = net.Gemm("fc2", x, 4096);
  x = net.Unary("Relu", "relu_fc2", x);
  net.Gemm("fc3", x, 1000);
  return net.Finish();
}

// ---------------------------------------------------------------------------------------------
// AlexNet as torchvision.models.alexnet defines it (the single-GPU variant of Krizhevsky et al.,
// "One weird trick...", arXiv:1404.5997: 64/192/384/256/256 channels), 224x224 input.
// AdaptiveAvgPool2d((6, 6)) is the identity on its 6x6 map: omitted.
Workload MakeAlexNetImpl(std::int64_t batch) {
  NetBuilder net("alexnet");
  Tensor x = net.Input({batch, 3, 224, 224});
  x = net.Conv("conv1", x, {.out_channels = 64, .kernel = 11, .stride = 4, .pad = 2});
  x = net.Unary("Relu", "relu1", x);
  x = net.Pool("MaxPool", "pool1", x, 3, 2, 0);
  x = net.Conv("conv2", x, {.out_channels = 192, .kernel = 5, .pad = 2});
  x = net.Unary("Relu", "relu2", x);
  x = net.Pool("MaxPool", "pool2", x, 3, 2, 0);
  x = net.Conv("conv3", x, {.out_channels = 384, .kernel = 3, .pad = 1});
  x = net.Unary("Relu", "relu3", x);
  x = net.Conv("conv4", x, {.out_channels = 256, .kernel = 3, .pad = 1});
  x = net.Unary("Relu", "relu4", x);
  x = net.Conv("conv5", x, {.out_channels = 256, .kernel = 3, .pad = 1});
  x = net.Unary("Relu", "relu5", x);
  x = net.Pool("MaxPool", "pool5", x, 3, 2, 0);
  x = net.Reshape("Flatten", "flatten", x, {batch, x.Elements() / batch});
  x = net.Gemm("fc6", x, 4096);
  x = net.Unary("Relu", "relu6", x);
  x = net.Gemm("fc7", x, 4096);
  x = net.Unary("Relu", "relu7", x);
  net.Gemm("fc8", x, 1000);
  return net.Finish();
}

// ---------------------------------------------------------------------------------------------
// MobileNetV2 (Sandler et al., CVPR 2018, Table 2) as torchvision.models.mobilenet_v2 (width 1.0,
// 224x224): inverted residual blocks of 1x1 expansion (t), 3x3 depthwise (groups == channels),
// 1x1 linear projection; ReLU6 is ONNX Clip(0, 6).
Tensor InvertedResidual(NetBuilder& net, const std::string& prefix, const Tensor& x,
                        std::int64_t out, std::int64_t stride, std::int64_t expand) {
  const std::int64_t hidden = x.shape[1] * expand;
  Tensor y = x;
  if (expand != 1) {
    y = net.Conv(prefix + ".expand", y, {.out_channels = hidden, .kernel = 1});
    y = net.Unary("Clip", prefix + ".expand_relu6", y);
  }
  y = net.Conv(prefix + ".depthwise", y,
               {.out_channels = hidden, .kernel = 3, .stride = stride, .pad = 1, .groups = hidden});
  y = net.Unary("Clip", prefix + ".depthwise_relu6", y);
  y = net.Conv(prefix + ".project", y, {.out_channels = out, .kernel = 1});
  if (stride == 1 && x.shape[1] == out) y = net.Binary("Add", prefix + ".add", y, x);
  return y;
}

Workload MakeMobileNetV2Impl(std::int64_t batch) {
  struct Stage {
    int expand, channels, repeats, stride;  // Table 2's t, c, n, s
  };
  static constexpr Stage kStages[] = {{1, 16, 1, 1}, {6, 24, 2, 2},  {6, 32, 3, 2}, {6, 64, 4, 2},
                                      {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
  NetBuilder net("mobilenetv2");
  Tensor x = net.Input({batch, 3, 224, 224});
  x = net.Conv("features.0", x, {.out_channels = 32, .kernel = 3, .stride = 2, .pad = 1});
  x = net.Unary("Clip", "features.0.relu6", x);
  int block = 1;
  for (const Stage& stage : kStages) {
    for (int i = 0; i < stage.repeats; ++i, ++block)
      x = InvertedResidual(net, "features." + std::to_string(block), x, stage.channels,
                           i == 0 ? stage.stride : 1, stage.expand);
  }
  const std::string last = "features." + std::to_string(block);
  x = net.Conv(last, x, {.out_channels = 1280, .kernel = 1});
  x = net.Unary("Clip", last + ".relu6", x);
  x = net.GlobalAveragePool("avgpool", x);
  x = net.Reshape("Flatten", "flatten", x, {batch, 1280});
  net.Gemm("classifier", x, 1000);
  return net.Finish();
}

// ---------------------------------------------------------------------------------------------
// One BERT-base encoder layer (Devlin et al., NAACL 2019: hidden 768, 12 heads of 64,
// feed-forward 3072), in the order of HuggingFace's BertLayer. Linear biases are fused into their
// matmuls; no attention mask.
Tensor SplitHeads(NetBuilder& net, const std::string& prefix, const Tensor& x, bool transposed) {
  const std::int64_t batch = x.shape[0], seq = x.shape[1];
  Tensor y = net.Reshape("Reshape", prefix + "_reshape", x, {batch, seq, 12, 64});
  return net.Reshape("Transpose", prefix + "_transpose", y,
                     transposed ? std::vector<std::int64_t>{batch, 12, 64, seq}
                                : std::vector<std::int64_t>{batch, 12, seq, 64});
}

Workload MakeBertLayer(std::int64_t batch, std::int64_t seq) {
  constexpr std::int64_t kHidden = 768, kFeedForward = 3072;
  NetBuilder net("bert-base-layer");
  Tensor x = net.Input({batch, seq, kHidden});
  Tensor q = net.Linear("attention.self.query", x, kHidden);
  Tensor k = net.Linear("attention.self.key", x, kHidden);
  Tensor v = net.Linear("attention.self.value", x, kHidden);
  q = SplitHeads(net, "attention.self.query", q, false);
  k = SplitHeads(net, "attention.self.key", k, true);  // K^T: [batch, heads, 64, seq]
  v = SplitHeads(net, "attention.self.value", v, false);
  Tensor scores = net.BatchedMatMul("attention.self.scores", q, k);  // [batch, 12, seq, seq]
  scores = net.Unary("Div", "attention.self.scale", scores);         // / sqrt(64)
  Tensor probs = net.Unary("Softmax", "attention.self.softmax", scores);
  Tensor context = net.BatchedMatMul("attention.self.context", probs, v);  // [b, 12, seq, 64]
  context =
      net.Reshape("Transpose", "attention.self.context_transpose", context, {batch, seq, 12, 64});
  context =
      net.Reshape("Reshape", "attention.self.context_reshape", context, {batch, seq, kHidden});
  Tensor y = net.Linear("attention.output.dense", context, kHidden);
  y = net.Binary("Add", "attention.output.add", y, x);
  y = net.Unary("LayerNormalization", "attention.output.LayerNorm", y);
  Tensor h = net.Linear("intermediate.dense", y, kFeedForward);
  h = net.Unary("Gelu", "intermediate.gelu", h);
  Tensor z = net.Linear("output.dense", h, kHidden);
  z = net.Binary("Add", "output.add", z, y);
  net.Unary("LayerNormalization", "output.LayerNorm", z);
  return net.Finish();
}

// "ResNet-50" -> "resnet50".
std::string Canonical(std::string_view name) {
  std::string out;
  for (char c : name)
    if (c != '-' && c != '_') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void RequirePositive(const char* what, std::int64_t value) {
  if (value < 1)
    throw UserError(std::string("the ") + what + " is " + std::to_string(value) +
                    "; it must be a positive integer");
}

}  // namespace

Workload MakeResNet18(std::int64_t batch) {
  return MakeResNet("resnet18", batch, BasicBlock, {2, 2, 2, 2});
}
Workload MakeResNet50(std::int64_t batch) {
  return MakeResNet("resnet50", batch, Bottleneck, {3, 4, 6, 3});
}
Workload MakeVgg16(std::int64_t batch) { return MakeVgg(batch); }
Workload MakeAlexNet(std::int64_t batch) { return MakeAlexNetImpl(batch); }
Workload MakeMobileNetV2(std::int64_t batch) { return MakeMobileNetV2Impl(batch); }
Workload MakeBertBaseLayer(std::int64_t batch, std::int64_t sequence_length) {
  return MakeBertLayer(batch, sequence_length);
}

std::vector<std::string> ZooNames() {
  return {"alexnet",  "bert-base-layer", "darknet19",         "googlenet",
          "mobilenetv2", "resnet18",     "resnet50", "transformer-block", "vgg16"};
}

bool IsZooName(std::string_view name) {
  for (const std::string& zoo_name : ZooNames())
    if (Canonical(zoo_name) == Canonical(name)) return true;
  return false;
}

Workload MakeZooWorkload(std::string_view name, const ZooOptions& options) {
  RequirePositive("batch size", options.batch);
  RequirePositive("sequence length", options.sequence_length);
  const std::string key = Canonical(name);
  if (key == "alexnet") return MakeAlexNet(options.batch);
  if (key == "bertbaselayer") return MakeBertBaseLayer(options.batch, options.sequence_length);
  if (key == "darknet19") return MakeDarkNet19(options.batch);
  if (key == "googlenet") return MakeGoogLeNet(options.batch);
  if (key == "transformerblock") return MakeTransformerBlock(options.batch, options.sequence_length);
  if (key == "mobilenetv2") return MakeMobileNetV2(options.batch);
  if (key == "resnet18") return MakeResNet18(options.batch);
  if (key == "resnet50") return MakeResNet50(options.batch);
  if (key == "vgg16") return MakeVgg16(options.batch);
  std::string names;
  for (const std::string& zoo_name : ZooNames()) names += (names.empty() ? "" : ", ") + zoo_name;
  throw UserError("unknown network '" + std::string(name) +
                  "'; the bundled networks are: " + names);
}

}  // namespace tessel
