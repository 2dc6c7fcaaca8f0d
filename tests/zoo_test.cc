// The bundled networks against independent references: CoSA's layer files (tests/data/cosa,
// extracted by CoSA's authors from PyTorch models), the MAC counts torchvision publishes for its
// models, and counts computed by hand from the papers' layer tables.
#include "tessel/workload/zoo.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tessel/common/error.h"
#include "tessel/io/workload_yaml.h"
#include "tessel/workload/layer_shapes.h"

namespace tessel {
namespace {

const std::string kCosaDir = std::string(TESSEL_TEST_DATA_DIR) + "/cosa/workloads/";

// A MAC layer as CoSA writes it: fully connected layers are 1x1 convs over a 1x1 map.
ConvShape AsCosaConv(const Layer& layer) {
  if (auto conv = AsConvShape(layer.problem)) return *conv;
  const Problem& p = layer.problem;
  ConvShape fc;  // Gemm: M = batch rows, N = output features, K = input features
  fc.N = p.dims[p.DimIndex("M")].bound;
  fc.M = p.dims[p.DimIndex("N")].bound;
  fc.C = p.dims[p.DimIndex("K")].bound;
  return fc;
}

std::string Describe(const ConvShape& s) {
  return "R" + std::to_string(s.R) + " S" + std::to_string(s.S) + " P" + std::to_string(s.P) +
         " Q" + std::to_string(s.Q) + " C" + std::to_string(s.C) + " M" + std::to_string(s.M) +
         " N" + std::to_string(s.N) + " stride " + std::to_string(s.w_stride) + "x" +
         std::to_string(s.h_stride) + " dilation " + std::to_string(s.w_dilation) + "x" +
         std::to_string(s.h_dilation);
}

// Every MAC layer of `zoo`, in order, has the problem of the same-position layer of CoSA's list.
void ExpectSameLayersAsCosa(const Workload& zoo, const std::string& cosa_graph) {
  const Workload cosa = io::LoadCosaWorkload(kCosaDir + cosa_graph);
  const std::vector<int> mac = zoo.MacLayers();
  ASSERT_EQ(static_cast<int>(mac.size()), cosa.size());
  for (int i = 0; i < cosa.size(); ++i) {
    const Layer& ours = zoo.layer(mac[i]);
    EXPECT_EQ(ours.repeat, 1) << ours.name;
    EXPECT_EQ(Describe(AsCosaConv(ours)), Describe(*AsConvShape(cosa.layer(i).problem)))
        << ours.name << " vs CoSA's " << cosa.layer(i).name;
  }
  EXPECT_EQ(zoo.TotalMacs(), cosa.TotalMacs());
}

TEST(ZooTest, ResNet50MatchesCosaLayerByLayer) {
  ExpectSameLayersAsCosa(MakeResNet50(), "resnet50_graph");
}

TEST(ZooTest, ResNet18AtBatch16MatchesCosa) {
  ExpectSameLayersAsCosa(MakeResNet18(16), "resnet18_batch16_graph");
}

TEST(ZooTest, Vgg16MatchesCosa) { ExpectSameLayersAsCosa(MakeVgg16(), "vgg16_graph"); }

TEST(ZooTest, AlexNetMatchesCosa) { ExpectSameLayersAsCosa(MakeAlexNet(), "alexnet_graph"); }

// ResNet-50: 53 convs + 1 fc. CoSA's unique_layers.yaml lists 24 files; its layers.yaml has 54
// entries whose problems take 24 distinct values (conv1; 4 in stage 1, whose downsample equals
// conv3; 6 in each later stage; the fc).
TEST(ZooTest, ResNet50Has54MacLayersOf24DistinctShapes) {
  const Workload net = MakeResNet50();
  EXPECT_EQ(net.MacLayers().size(), 54u);
  const std::vector<ShapeGroup> shapes = DistinctShapes(net);
  EXPECT_EQ(shapes.size(), 24u);
  const Workload unique = io::LoadCosaWorkload(kCosaDir + "resnet50_graph");
  EXPECT_EQ(DistinctShapes(unique).size(), 24u);
  // The stage-1 downsample and conv3 of block 0 share one group.
  const int conv3 = net.LayerIndex("layer1.0.conv3");
  const int downsample = net.LayerIndex("layer1.0.downsample");
  bool shared = false;
  for (const ShapeGroup& group : shapes)
    shared |= group.layers.size() > 1 && group.layers[0] == conv3 && group.layers[1] == downsample;
  EXPECT_TRUE(shared);
}

// torchvision's model documentation lists GFLOPS (multiply-accumulates, in billions, rounded to
// two decimals): resnet18 1.81, resnet50 4.09, vgg16 15.47, alexnet 0.71, mobilenet_v2 0.30
// (MobileNetV2 paper, Table 3: 300M multiply-adds).
TEST(ZooTest, MacCountsMatchPublishedValues) {
  auto billions = [](const Workload& w) { return static_cast<double>(w.TotalMacs()) / 1e9; };
  EXPECT_NEAR(billions(MakeResNet18()), 1.81, 0.005);
  EXPECT_NEAR(billions(MakeResNet50()), 4.09, 0.005);
  EXPECT_NEAR(billions(MakeVgg16()), 15.47, 0.005);
  EXPECT_NEAR(billions(MakeAlexNet()), 0.71, 0.005);
  EXPECT_NEAR(billions(MakeMobileNetV2()), 0.30, 0.005);
}

TEST(ZooTest, MobileNetV2DepthwiseIsOneChannelPerGroup) {
  const Workload net = MakeMobileNetV2();
  // Block 1 (t = 1) has no expansion: its depthwise conv reads the stem's 32x112x112 output.
  const Layer& dw = net.layer(net.LayerIndex("features.1.depthwise"));
  EXPECT_EQ(dw.kind, LayerKind::kConv);
  EXPECT_EQ(AsConvShape(dw.problem)->G, 32);  // one problem over all groups
  EXPECT_EQ(Describe(*AsConvShape(dw.problem)), "R3 S3 P112 Q112 C1 M1 N1 stride 1x1 dilation 1x1");
  EXPECT_EQ(dw.Macs(), 3 * 3 * 112 * 112 * 32);
  EXPECT_EQ(net.LayerIndex("features.1.expand"), -1);
  // Block 2: expansion 16 -> 96 channels, depthwise with stride 2 to 56x56.
  const Layer& dw2 = net.layer(net.LayerIndex("features.2.depthwise"));
  EXPECT_EQ(AsConvShape(dw2.problem)->G, 96);
  EXPECT_EQ(Describe(*AsConvShape(dw2.problem)), "R3 S3 P56 Q56 C1 M1 N1 stride 2x2 dilation 1x1");
  // 52 convs (stem, 17 blocks with 2 or 3 convs, last 1x1) and the classifier.
  EXPECT_EQ(net.MacLayers().size(), 53u);
}

// One BERT-base encoder layer at sequence length 128, batch 1, by hand:
//   Q, K, V, O projections: 4 x 128 x 768 x 768      = 301,989,888
//   scores and context:     2 x 12 x 128 x 128 x 64  =  25,165,824
//   feed-forward:           2 x 128 x 768 x 3072     = 603,979,776
TEST(ZooTest, BertLayerMatmuls) {
  const Workload net = MakeBertBaseLayer();
  EXPECT_EQ(net.TotalMacs(), 301989888 + 25165824 + 603979776);
  const Layer& scores = net.layer(net.LayerIndex("attention.self.scores"));
  EXPECT_EQ(ShapeKey(scores.problem),
            "B=12 M=128 N=128 K=64 | Weights[B][K][N] Inputs[B][M][K] Outputs(rw)[B][M][N]");
  EXPECT_EQ(ShapeKey(scores.problem), ShapeKey(MakeBatchedMatMulProblem("x", 12, 128, 128, 64)));
  EXPECT_EQ(scores.input_elements, 2 * 12 * 128 * 64);  // Q and K^T are both activations
  const Layer& context = net.layer(net.LayerIndex("attention.self.context"));
  EXPECT_EQ(ShapeKey(context.problem), ShapeKey(MakeBatchedMatMulProblem("x", 12, 128, 64, 128)));
  const Layer& ffn = net.layer(net.LayerIndex("intermediate.dense"));
  EXPECT_EQ(ShapeKey(ffn.problem), ShapeKey(MakeMatMulProblem("x", 128, 3072, 768)));
  EXPECT_EQ(ffn.input_elements, 128 * 768);   // the weight matrix is not an activation
  EXPECT_EQ(DistinctShapes(net).size(), 5u);  // 768x768 projections, scores, context, 2 FFN
  // Q, K and V all read the layer input; the residual add reads the input too.
  EXPECT_TRUE(net.layer(net.LayerIndex("attention.self.query")).producers.empty());
  EXPECT_EQ(net.layer(net.LayerIndex("attention.self.scores")).producers.size(), 2u);
}

TEST(ZooTest, NamesAndOptions) {
  EXPECT_EQ(ZooNames().size(), 9u);
  for (const std::string& name : ZooNames()) {
    EXPECT_TRUE(IsZooName(name));
    Workload w = MakeZooWorkload(name);
    EXPECT_EQ(w.name(), name);
    EXPECT_NO_THROW(w.TopologicalOrder());
  }
  EXPECT_TRUE(IsZooName("ResNet-50"));
  EXPECT_EQ(MakeZooWorkload("resnet50", {.batch = 4}).TotalMacs(), 4 * MakeResNet50().TotalMacs());
  EXPECT_EQ(
      MakeZooWorkload("bert-base-layer", {.sequence_length = 64}).layer(0).problem.dims[0].bound,
      64);
  try {
    MakeZooWorkload("resnet51");
    FAIL() << "no error";
  } catch (const UserError& e) {
    EXPECT_STREQ(e.what(),
                 "unknown network 'resnet51'; the bundled networks are: alexnet, "
                 "bert-base-layer, darknet19, googlenet, mobilenetv2, resnet18, resnet50, "
                 "transformer-block, vgg16");
  }
  try {
    MakeZooWorkload("vgg16", {.batch = 0});
    FAIL() << "no error";
  } catch (const UserError& e) {
    EXPECT_STREQ(e.what(), "the batch size is 0; it must be a positive integer");
  }
}

// The graph keeps the layers without MACs with their tensor sizes.
TEST(ZooTest, ResNet50KeepsNoMacLayers) {
  const Workload net = MakeResNet50();
  const Layer& pool = net.layer(net.LayerIndex("maxpool"));
  EXPECT_EQ(pool.kind, LayerKind::kNoMac);
  EXPECT_EQ(pool.input_elements, 64 * 112 * 112);
  EXPECT_EQ(pool.output_elements, 64 * 56 * 56);
  const Layer& add = net.layer(net.LayerIndex("layer1.0.add"));
  EXPECT_EQ(add.input_elements, 2 * 256 * 56 * 56);
  ASSERT_EQ(add.producers.size(), 2u);
  EXPECT_EQ(net.layer(add.producers[0]).name, "layer1.0.conv3");
  EXPECT_EQ(net.layer(add.producers[1]).name, "layer1.0.downsample");
  EXPECT_EQ(net.size(), 54 + 49 + 16 + 1 + 2);  // MAC layers, relus, adds, maxpool, avgpool+flatten
}

}  // namespace
}  // namespace tessel
