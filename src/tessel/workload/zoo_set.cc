// The networks SET (ISCA 2023) evaluates that the rest of the zoo lacks: DarkNet-19, GoogLeNet and
// a Transformer encoder block.
#include "tessel/workload/net_builder.h"
#include "tessel/workload/zoo.h"

namespace tessel {
namespace {

Tensor ConvLeaky(NetBuilder& net, const std::string& name, const Tensor& x, std::int64_t out,
                 std::int64_t kernel) {
  Tensor y = net.Conv(name, x, {.out_channels = out, .kernel = kernel, .pad = kernel / 2});
  return net.Unary("LeakyRelu", name + ".leaky", y);
}

Tensor ConvRelu(NetBuilder& net, const std::string& name, const Tensor& x, const ConvArgs& args) {
  return net.Unary("Relu", name + ".relu", net.Conv(name, x, args));
}

// GoogLeNet's inception module (Szegedy et al., CVPR 2015, Table 1): 1x1; 1x1 -> 3x3;
// 1x1 -> 5x5; 3x3 max pool -> 1x1; concatenated along channels.
Tensor Inception(NetBuilder& net, const std::string& p, const Tensor& x, std::int64_t c1,
                 std::int64_t r3, std::int64_t c3, std::int64_t r5, std::int64_t c5,
                 std::int64_t pool) {
  Tensor b1 = ConvRelu(net, p + ".1x1", x, {.out_channels = c1});
  Tensor b2 = ConvRelu(net, p + ".3x3_reduce", x, {.out_channels = r3});
  b2 = ConvRelu(net, p + ".3x3", b2, {.out_channels = c3, .kernel = 3, .pad = 1});
  Tensor b3 = ConvRelu(net, p + ".5x5_reduce", x, {.out_channels = r5});
  b3 = ConvRelu(net, p + ".5x5", b3, {.out_channels = c5, .kernel = 5, .pad = 2});
  Tensor b4 = net.Pool("MaxPool", p + ".pool", x, 3, 1, 1);
  b4 = ConvRelu(net, p + ".pool_proj", b4, {.out_channels = pool});
  return net.Concat(p + ".concat", {b1, b2, b3, b4});
}

}  // namespace

// DarkNet-19 (Redmon & Farhadi, "YOLO9000", CVPR 2017, Table 6), 224x224 classification: 3x3 and
// 1x1 convs with leaky ReLU, 2x2 max pools, a 1x1 conv to 1000 classes, global average pool,
// softmax.
Workload MakeDarkNet19(std::int64_t batch) {
  NetBuilder net("darknet19");
  Tensor x = net.Input({batch, 3, 224, 224});
  // (out channels, kernel) per conv; 0 marks a max pool.
  const std::vector<std::pair<std::int64_t, std::int64_t>> plan = {
      {32, 3},  {0, 0},   {64, 3},   {0, 0},   {128, 3},  {64, 1},  {128, 3}, {0, 0},
      {256, 3}, {128, 1}, {256, 3},  {0, 0},   {512, 3},  {256, 1}, {512, 3}, {256, 1},
      {512, 3}, {0, 0},   {1024, 3}, {512, 1}, {1024, 3}, {512, 1}, {1024, 3}};
  int conv = 0, pool = 0;
  for (const auto& [out, kernel] : plan) {
    if (out == 0)
      x = net.Pool("MaxPool", "pool" + std::to_string(++pool), x, 2, 2, 0);
    else
      x = ConvLeaky(net, "conv" + std::to_string(++conv), x, out, kernel);
  }
  x = net.Conv("conv" + std::to_string(++conv), x, {.out_channels = 1000});
  x = net.GlobalAveragePool("avgpool", x);
  x = net.Reshape("Flatten", "flatten", x, {batch, 1000});
  net.Unary("Softmax", "softmax", x);
  return net.Finish();
}

// GoogLeNet (Szegedy et al., CVPR 2015, Table 1) without the auxiliary classifiers.
Workload MakeGoogLeNet(std::int64_t batch) {
  NetBuilder net("googlenet");
  Tensor x = net.Input({batch, 3, 224, 224});
  x = ConvRelu(net, "conv1", x, {.out_channels = 64, .kernel = 7, .stride = 2, .pad = 3});
  x = net.Pool("MaxPool", "pool1", x, 3, 2, 1);
  x = ConvRelu(net, "conv2_reduce", x, {.out_channels = 64});
  x = ConvRelu(net, "conv2", x, {.out_channels = 192, .kernel = 3, .pad = 1});
  x = net.Pool("MaxPool", "pool2", x, 3, 2, 1);
  x = Inception(net, "3a", x, 64, 96, 128, 16, 32, 32);
  x = Inception(net, "3b", x, 128, 128, 192, 32, 96, 64);
  x = net.Pool("MaxPool", "pool3", x, 3, 2, 1);
  x = Inception(net, "4a", x, 192, 96, 208, 16, 48, 64);
  x = Inception(net, "4b", x, 160, 112, 224, 24, 64, 64);
  x = Inception(net, "4c", x, 128, 128, 256, 24, 64, 64);
  x = Inception(net, "4d", x, 112, 144, 288, 32, 64, 64);
  x = Inception(net, "4e", x, 256, 160, 320, 32, 128, 128);
  x = net.Pool("MaxPool", "pool4", x, 3, 2, 1);
  x = Inception(net, "5a", x, 256, 160, 320, 32, 128, 128);
  x = Inception(net, "5b", x, 384, 192, 384, 48, 128, 128);
  x = net.GlobalAveragePool("avgpool", x);
  x = net.Reshape("Flatten", "flatten", x, {batch, 1024});
  net.Gemm("fc", x, 1000);
  return net.Finish();
}

// One Transformer encoder block (Vaswani et al., NeurIPS 2017, base model: d_model 512, 8 heads
// of 64, feed-forward 2048), post-norm, over `seq` tokens.
Workload MakeTransformerBlock(std::int64_t batch, std::int64_t seq) {
  constexpr std::int64_t kModel = 512, kHeads = 8, kHead = 64, kFeedForward = 2048;
  NetBuilder net("transformer-block");
  Tensor x = net.Input({batch, seq, kModel});
  auto heads = [&](const std::string& name, const Tensor& t, bool transposed) {
    Tensor y = net.Reshape("Reshape", name + "_reshape", t, {batch, seq, kHeads, kHead});
    return net.Reshape("Transpose", name + "_transpose", y,
                       transposed ? std::vector<std::int64_t>{batch, kHeads, kHead, seq}
                                  : std::vector<std::int64_t>{batch, kHeads, seq, kHead});
  };
  Tensor q = heads("q", net.Linear("q", x, kModel), false);
  Tensor k = heads("k", net.Linear("k", x, kModel), true);
  Tensor v = heads("v", net.Linear("v", x, kModel), false);
  Tensor s = net.BatchedMatMul("scores", q, k);
  s = net.Unary("Softmax", "softmax", net.Unary("Div", "scale", s));
  Tensor c = net.BatchedMatMul("context", s, v);
  c = net.Reshape("Transpose", "context_transpose", c, {batch, seq, kHeads, kHead});
  c = net.Reshape("Reshape", "context_reshape", c, {batch, seq, kModel});
  Tensor y = net.Binary("Add", "attn_add", net.Linear("attn_out", c, kModel), x);
  y = net.Unary("LayerNormalization", "attn_norm", y);
  Tensor h = net.Unary("Relu", "ffn1.relu", net.Linear("ffn1", y, kFeedForward));
  Tensor z = net.Binary("Add", "ffn_add", net.Linear("ffn2", h, kModel), y);
  net.Unary("LayerNormalization", "ffn_norm", z);
  return net.Finish();
}

}  // namespace tessel
