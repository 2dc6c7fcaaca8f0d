// The ONNX reader on models written by tests/tools/make_onnx_models.py (committed in
// tests/data/onnx): a ResNet-50 that must read as the zoo's ResNet-50, a BERT layer with dynamic
// shapes, conv attributes with hand-computed problems, and every kind of bad input, each message
// checked word for word.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include "tessel/common/error.h"
#include "tessel/io/onnx/reader.h"
#include "tessel/workload/layer_shapes.h"
#include "tessel/workload/zoo.h"

namespace tessel {
namespace {

const std::string kDir = std::string(TESSEL_TEST_DATA_DIR) + "/onnx/";

std::string ErrorOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::vector<std::string> ProducerNames(const Workload& w, const Layer& layer) {
  std::vector<std::string> names;
  for (int p : layer.producers) names.push_back(w.layer(p).name);
  return names;
}

// The must-hold test: ResNet-50 built node by node in ONNX (with BatchNormalization after every
// conv and weights as graph inputs) reads as exactly the zoo's ResNet-50: same layers in the same
// order, same problems, groups, padding, element counts and edges.
TEST(OnnxTest, ResNet50ReadsAsTheZooResNet50) {
  const Workload onnx = io::ReadOnnxFile(kDir + "resnet50.onnx");
  const Workload zoo = MakeResNet50();
  EXPECT_EQ(onnx.name(), "resnet50");
  ASSERT_EQ(onnx.size(), zoo.size());
  for (int i = 0; i < zoo.size(); ++i) {
    const Layer& a = onnx.layer(i);
    const Layer& b = zoo.layer(i);
    ASSERT_EQ(a.name, b.name) << "layer " << i;
    EXPECT_EQ(a.op, b.op) << a.name;
    EXPECT_EQ(a.kind, b.kind) << a.name;
    EXPECT_EQ(ShapeKey(a.problem), ShapeKey(b.problem)) << a.name;
    EXPECT_EQ(a.repeat, b.repeat) << a.name;
    EXPECT_EQ(a.pads, b.pads) << a.name;
    EXPECT_EQ(a.input_elements, b.input_elements) << a.name;
    EXPECT_EQ(a.output_elements, b.output_elements) << a.name;
    EXPECT_EQ(ProducerNames(onnx, a), ProducerNames(zoo, b)) << a.name;
  }
  EXPECT_EQ(onnx.MacLayers().size(), 54u);
  EXPECT_EQ(DistinctShapes(onnx).size(), 24u);
  EXPECT_EQ(onnx.LayerIndex("bn1"), -1);  // folded into conv1
}

// input_shapes fixes the dynamic [batch, sequence, 768] input; the head-split Reshape targets
// come from Shape -> Gather -> Unsqueeze -> Concat, which fold away once the shape is static.
TEST(OnnxTest, BertLayerWithFixedInputShapeMatchesTheZoo) {
  for (std::int64_t batch : {1, 2}) {
    io::OnnxOptions options;
    options.input_shapes["hidden"] = {batch, 128, 768};
    const Workload onnx = io::ReadOnnxFile(kDir + "bert_layer.onnx", options);
    const Workload zoo = MakeBertBaseLayer(batch, 128);
    ASSERT_EQ(onnx.MacLayers().size(), zoo.MacLayers().size());
    for (int index : zoo.MacLayers()) {
      const Layer& b = zoo.layer(index);
      const int found = onnx.LayerIndex(b.name);
      ASSERT_GE(found, 0) << b.name;
      EXPECT_EQ(ShapeKey(onnx.layer(found).problem), ShapeKey(b.problem)) << b.name;
      EXPECT_EQ(onnx.layer(found).input_elements, b.input_elements) << b.name;
    }
    EXPECT_EQ(onnx.TotalMacs(), zoo.TotalMacs());
    for (const char* folded : {"shape", "gather_batch", "unsqueeze_seq", "heads_shape"})
      EXPECT_EQ(onnx.LayerIndex(folded), -1) << folded;
    const Layer& erf = onnx.layer(onnx.LayerIndex("gelu.erf"));
    EXPECT_EQ(erf.kind, LayerKind::kNoMac);
    EXPECT_EQ(erf.output_elements, batch * 128 * 3072);
    // The layer norm's scale and bias are weights: only the activation is counted.
    EXPECT_EQ(onnx.layer(onnx.LayerIndex("output.LayerNorm")).input_elements, batch * 128 * 768);
  }
}

std::string Conv(const Workload& w, const std::string& name) {
  const Layer& layer = w.layer(w.LayerIndex(name));
  const ConvShape s = *AsConvShape(layer.problem);
  return "R" + std::to_string(s.R) + " S" + std::to_string(s.S) + " P" + std::to_string(s.P) +
         " Q" + std::to_string(s.Q) + " C" + std::to_string(s.C) + " M" + std::to_string(s.M) +
         " N" + std::to_string(s.N) + " stride " + std::to_string(s.w_stride) + "x" +
         std::to_string(s.h_stride) + " dilation " + std::to_string(s.w_dilation) + "x" +
         std::to_string(s.h_dilation) + " G" + std::to_string(s.G) + " x" +
         std::to_string(layer.repeat);
}

// conv_features.onnx with batch 2 on a 3x32x32 input, by hand (W = width, H = height):
//   strided:     3 -> 8, 3x3, stride 2, pads 1: (32 + 2 - 3) / 2 + 1 = 16
//   grouped:     8 -> 8 in 2 groups (4 -> 4 each), dilation 2, SAME_UPPER: 16x16 kept, the
//                padding is (16-1) + 2*(3-1) + 1 - 16 = 4, 2 on each side; one problem with
//                G = 2 (not one group repeated)
//   depthwise:   8 groups of 1 -> 1, 3x3, pads 1: 16x16; G = 8
//   rectangular: 8 -> 4, kernel 1 (H) x 3 (W), strides 1 (H) x 2 (W), W pads 1:
//                H 16, W (16 + 2 - 3) / 2 + 1 = 8
TEST(OnnxTest, ConvAttributes) {
  io::OnnxOptions options;
  options.input_shapes["x"] = {2, 3, 32, 32};
  const Workload w = io::ReadOnnxFile(kDir + "conv_features.onnx", options);
  EXPECT_EQ(Conv(w, "strided"), "R3 S3 P16 Q16 C3 M8 N2 stride 2x2 dilation 1x1 G1 x1");
  EXPECT_EQ(Conv(w, "grouped"), "R3 S3 P16 Q16 C4 M4 N2 stride 1x1 dilation 2x2 G2 x1");
  EXPECT_EQ(Conv(w, "depthwise"), "R3 S3 P16 Q16 C1 M1 N2 stride 1x1 dilation 1x1 G8 x1");
  EXPECT_EQ(Conv(w, "rectangular"), "R3 S1 P8 Q16 C8 M4 N2 stride 2x1 dilation 1x1 G1 x1");
  // 2 groups x (4 x 4 channels) x 3x3 x 16x16 x batch 2; 8 groups x 3x3 x 16x16 x batch 2.
  EXPECT_EQ(w.layer(w.LayerIndex("grouped")).Macs(), 2 * 4 * 4 * 9 * 256 * 2);
  EXPECT_EQ(w.layer(w.LayerIndex("depthwise")).Macs(), 8 * 9 * 256 * 2);
  EXPECT_EQ(w.layer(w.LayerIndex("grouped")).pads, (std::array<std::int64_t, 4>{2, 2, 2, 2}));
  EXPECT_EQ(w.layer(w.LayerIndex("rectangular")).pads, (std::array<std::int64_t, 4>{0, 1, 0, 1}));
  // BN after a conv folds; Identity disappears; the BN after the pool stays; Constant is a weight.
  std::vector<std::string> names;
  for (const Layer& layer : w.layers()) names.push_back(layer.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"strided", "relu", "grouped", "depthwise", "rectangular",
                                      "pool", "unfolded_bn", "flatten", "fc", "softmax"}));
  EXPECT_EQ(ProducerNames(w, w.layer(w.LayerIndex("relu"))), std::vector<std::string>{"strided"});
  EXPECT_EQ(ProducerNames(w, w.layer(w.LayerIndex("depthwise"))),
            std::vector<std::string>{"grouped"});
  const Layer& bn = w.layer(w.LayerIndex("unfolded_bn"));
  EXPECT_EQ(bn.kind, LayerKind::kNoMac);
  EXPECT_EQ(bn.input_elements, 2 * 4 * 8 * 4);  // the pool's 2x4x8x4 output; parameters excluded
  const Layer& fc = w.layer(w.LayerIndex("fc"));
  EXPECT_EQ(ShapeKey(fc.problem), ShapeKey(MakeMatMulProblem("", 2, 10, 128)));  // transB
  EXPECT_EQ(fc.input_elements, 2 * 128);
}

// A 1-D conv is a 2-D one of height 1: S = Q = 1, the length runs along R and P (width).
TEST(OnnxTest, Conv1dHasUnitHeight) {
  const Workload w = io::ReadOnnxFile(kDir + "conv1d.onnx");
  ASSERT_EQ(w.size(), 1);
  EXPECT_EQ(Conv(w, "conv"), "R5 S1 P25 Q1 C4 M8 N1 stride 2x1 dilation 1x1 G1 x1");
  EXPECT_EQ(w.layer(0).pads, (std::array<std::int64_t, 4>{0, 2, 0, 2}));
}

TEST(OnnxTest, DynamicInputWithoutShapeIsAnError) {
  EXPECT_EQ(ErrorOf([] { io::ReadOnnxFile(kDir + "bert_layer.onnx"); }),
            kDir +
                "bert_layer.onnx: model input 'hidden' has the dynamic shape "
                "[batch,sequence,768]: dimension 0 is 'batch'; give it a static shape with "
                "input_shapes (--input-shape hidden=D0,D1,D2)");
}

// Every model input is static here, so the messages do not suggest --input-shape: they name the
// node and the operator that stopped shape inference, and why.
TEST(OnnxTest, UninferableShapeNamesTensorDimensionAndTheNodeThatStopped) {
  EXPECT_EQ(ErrorOf([] { io::ReadOnnxFile(kDir + "unknown_shape.onnx"); }),
            kDir +
                "unknown_shape.onnx: cannot work out the shape of tensor 'reshape' (output 0 of "
                "node 'reshape' (Reshape)): its rank is unknown; node 'reshape' (Reshape) could "
                "not work out the shape of its output 'reshape': its input 1 ('target_shape') "
                "decides the output shape but is known only at run time: it is a model input");
  EXPECT_EQ(ErrorOf([] { io::ReadOnnxFile(kDir + "unknown_dim.onnx"); }),
            kDir +
                "unknown_dim.onnx: cannot work out the shape of tensor 'nonzero' (output 0 of "
                "node 'nonzero' (NonZero)): dimension 1 is unknown; node 'nonzero' (NonZero) "
                "could not work out the shape of its output 'nonzero': how many elements it "
                "outputs depends on the values of its input, known only at run time");
}

TEST(OnnxTest, BadInputShapesOption) {
  io::OnnxOptions options;
  options.input_shapes["y"] = {1};
  EXPECT_EQ(ErrorOf([&] { io::ReadOnnxFile(kDir + "bert_layer.onnx", options); }),
            kDir +
                "bert_layer.onnx: input_shapes names 'y', which is not a model input; the "
                "model inputs are: hidden");
  options.input_shapes = {{"hidden", {1, 128}}};
  EXPECT_EQ(ErrorOf([&] { io::ReadOnnxFile(kDir + "bert_layer.onnx", options); }),
            kDir +
                "bert_layer.onnx: input_shapes gives model input 'hidden' 2 dimensions, but "
                "the model declares 3: [batch,sequence,768]");
}

TEST(OnnxTest, TruncatedAndCorruptFilesAreRejected) {
  const std::string bytes = ReadBytes(kDir + "resnet50.onnx");
  ASSERT_GT(bytes.size(), 1000u);
  EXPECT_EQ(ErrorOf([&] { io::ReadOnnxModel(bytes.substr(0, bytes.size() / 2), "cut.onnx"); }),
            "cut.onnx: not a valid ONNX model (protobuf parse failed)");
  EXPECT_EQ(ErrorOf([] { io::ReadOnnxModel("not an onnx model at all", "text.onnx"); }),
            "text.onnx: not a valid ONNX model (protobuf parse failed)");
  EXPECT_EQ(ErrorOf([] { io::ReadOnnxModel("", "zero.onnx"); }),
            "zero.onnx: not a valid ONNX model (it has no graph)");
  EXPECT_EQ(ErrorOf([] { io::ReadOnnxFile(kDir + "missing.onnx"); }),
            kDir + "missing.onnx: cannot open file");
}

TEST(OnnxTest, UnsupportedOperatorsAreListedTogether) {
  EXPECT_EQ(ErrorOf([] { io::ReadOnnxFile(kDir + "unsupported.onnx"); }),
            kDir +
                "unsupported.onnx: 2 nodes have operators that tessel does not support: "
                "'unique' (Unique), 'fancy' (com.example:FancyOp) (supported operators are "
                "listed in docs/workloads.md)");
}

TEST(OnnxTest, EmptyAndCyclicGraphsAreRejected) {
  EXPECT_EQ(ErrorOf([] { io::ReadOnnxFile(kDir + "empty.onnx"); }),
            kDir + "empty.onnx: the model's graph is empty: it has no nodes");
  EXPECT_EQ(ErrorOf([] { io::ReadOnnxFile(kDir + "cyclic.onnx"); }),
            kDir +
                "cyclic.onnx: the graph has a cycle: 'a' -> 'b' -> 'a'; an ONNX graph must "
                "be acyclic");
}

// Corrupted bytes anywhere in a model: the reader either reads something or throws UserError;
// it never crashes nor lets another exception escape. Deterministic: bytes chosen by a fixed LCG.
TEST(OnnxTest, CorruptedBytesNeverCrash) {
  for (const char* file : {"conv_features.onnx", "bert_layer.onnx", "resnet50.onnx"}) {
    const std::string original = ReadBytes(kDir + file);
    std::uint64_t state = 12345;
    for (int trial = 0; trial < 400; ++trial) {
      std::string bytes = original;
      for (int flips = 0; flips < 1 + trial % 3; ++flips) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        bytes[(state >> 33) % bytes.size()] = static_cast<char>(state >> 17);
      }
      io::OnnxOptions options;
      if (file == std::string("resnet50.onnx"))
        options.input_shapes["input"] = {1, 3, 224, 224};
      else if (file == std::string("bert_layer.onnx"))
        options.input_shapes["hidden"] = {1, 128, 768};
      else
        options.input_shapes["x"] = {1, 3, 32, 32};
      try {
        io::ReadOnnxModel(bytes, file, options);
      } catch (const UserError&) {
      }
    }
  }
}

TEST(OnnxTest, ParseInputShape) {
  EXPECT_EQ(io::ParseInputShape("images=1,3,640,640"),
            (std::pair<std::string, std::vector<std::int64_t>>{"images", {1, 3, 640, 640}}));
  EXPECT_EQ(ErrorOf([] { io::ParseInputShape("images"); }),
            "input shape 'images' is not of the form NAME=D0,D1,... (e.g. images=1,3,640,640)");
  EXPECT_EQ(ErrorOf([] { io::ParseInputShape("x=1,0"); }),
            "input shape 'x=1,0': extent '0' is not a positive integer");
}

}  // namespace
}  // namespace tessel
