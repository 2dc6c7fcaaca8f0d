// The ONNX reader on the exporter patterns of tests/tools/make_onnx_patterns.py (committed in
// tests/data/onnx/patterns): shapes computed from shapes, constant-only chains, mask builders,
// ConvTranspose with every attribute, attention, Resize and friends in the forms of opsets 7 to
// 18, external data, weights left out; every MAC count is worked out by hand below, and every
// remaining error is checked word for word.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>

#include "tessel/common/error.h"
#include "tessel/io/onnx/reader.h"
#include "tessel/workload/layer_shapes.h"

namespace tessel {
namespace {

const std::string kDir = std::string(TESSEL_TEST_DATA_DIR) + "/onnx/patterns/";

std::string ErrorOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

const Layer& Named(const Workload& w, const std::string& name) {
  const int index = w.LayerIndex(name);
  EXPECT_GE(index, 0) << name;
  return w.layer(index >= 0 ? index : 0);
}

std::string Dims(const Problem& p) {
  std::string text;
  for (const Dimension& d : p.dims)
    text += (text.empty() ? "" : " ") + d.name + std::to_string(d.bound);
  return text;
}

// Each check_NAME layer's element count is a value the evaluator computed (see
// kernel_values() in the generator), worked out here by hand.
TEST(OnnxPatternsTest, EvaluatorKernelValues) {
  const Workload w = io::ReadOnnxFile(kDir + "kernel_values.onnx");
  const std::map<std::string, std::int64_t> expected = {
      {"trilu", 10},           // upper triangle of a 4x4 of ones, diagonal included
      {"trilu_lower", 6},      // k = -1, lower: strictly below the diagonal
      {"scatter_nd", 9},       // [0,0,0,0,0] with [1] <- 7, [3] <- 2
      {"scatter_nd_add", 10},  // [1,1,1,1,1] with [1] += 2, [1] += 3
      {"cumsum", 6},           // cumsum [1,2,3] = [1,3,6], element 2
      {"cumsum_rev", 5},       // exclusive reverse: [5,3,0], element 0
      {"range", 12},           // 1 + 4 + 7
      {"mod", 3},              // -7 mod 3 = 2 (the divisor's sign), 7 mod 3 = 1
      {"slice_back", 18},      // 0..9 from the end, step -3: 9 + 6 + 3 + 0
      {"tile", 9},             // [1,2] three times
      {"nonzero", 2},          // two non-zeros in [0,3,0,5]
      {"where", 12},           // [1,2,3,2] == 2 ? 5 : 1 -> 1 + 5 + 1 + 5
      {"transpose", 3},        // [[0,1,2],[3,4,5]]^T flattened = [0,3,1,4,2,5], element 1
      {"pad", 8},              // [1,1] padded 1 before, 2 after with 2: 2+1+1+2+2
      {"float_div", 3},        // floor(7.0 / 2.0)
      {"expand", 9},           // [[1],[2]] to 2x3: 3*1 + 3*2
      {"split", 12},           // [1,2,3,4,5] split 2 | 3: 3 + 4 + 5
      {"unsqueeze", 3},        // [1,3,1] squeezed at 0, unsqueezed at 0 and 3: 3 elements
      {"concat", 6},           // product of [2,3,1]
      {"min_max", 12},         // max(min([9,4], 7), 5) = [7,5]
      {"reduce_mean", 5},      // mean of 2, 4, 9
      {"fill", 12},            // 2x3 of 2
      {"flatten", 6},          // [2,3,4] flattened at axis 2: [6, 4]
  };
  for (const auto& [name, value] : expected)
    EXPECT_EQ(Named(w, "check_" + name).output_elements, value) << name;
  EXPECT_EQ(w.size(), 2 * static_cast<int>(expected.size()));  // a Reshape and a check each
}

// A ViT in miniature (x: 2x3x8x8), every reshape target computed from Shape:
//   patch  Conv 3 -> 16, 4x4 / 4: out 2x2        2*16*2*2 * 3*4*4        = 6144
//   q, k, v  [2,5,16] x [16,16]: M = 10 rows      3 * 10*16*16           = 7680
//   scores Einsum bhid,bhjd->bhij: 4 heads-batches of 5x5, K = 8: 4*5*5*8 = 800
//   context MatMul [2,2,5,5] x [2,2,5,8]          4*5*8*5                = 800
//   proj   [2,5,16] x [16,16]                     10*16*16               = 2560
//                                                                total   = 17984
TEST(OnnxPatternsTest, ShapeChainsOfAVitResolve) {
  const Workload w = io::ReadOnnxFile(kDir + "vit_tokens.onnx");
  EXPECT_EQ(w.TotalMacs(), 17984);
  EXPECT_EQ(w.MacLayers().size(), 7u);
  EXPECT_EQ(Dims(Named(w, "patch").problem), "R4 S4 P2 Q2 C3 M16 N2");
  EXPECT_EQ(Dims(Named(w, "scores").problem), "B4 M5 N5 K8");
  EXPECT_EQ(Named(w, "scores").op, "Einsum");
  EXPECT_EQ(Dims(Named(w, "context").problem), "B4 M5 N8 K5");
  EXPECT_EQ(Dims(Named(w, "q").problem), "M10 N16 K16");
  // The class token (a weight expanded to the computed [2, 1, 16]) is a constant; the concat
  // reads only the 2x4x16 tokens and writes 2x5x16.
  EXPECT_EQ(Named(w, "with_cls").input_elements, 2 * 4 * 16);
  EXPECT_EQ(Named(w, "with_cls").output_elements, 2 * 5 * 16);
  for (const char* folded : {"shape", "n", "hw_prod", "flat_shape", "cls", "cls_shape", "q_shape",
                             "head", "split_shape", "scale", "merge_shape"})
    EXPECT_EQ(w.LayerIndex(folded), -1) << folded;
  EXPECT_EQ(Named(w, "merged").output_elements, 2 * 5 * 16);
  EXPECT_EQ(Named(w, "ln.mean").output_elements, 2 * 5);  // decomposed LayerNorm
}

// Masks from Range / Mod / LessOrEqual / Trilu / ScatterND / CumSum and torch's expand target
// (ConstantOfShape -> Mul -> Equal -> Where) fold away; x: 1x5x8.
//   q [5,8]x[8,8] = 320; scores q x q^T = 5*5*8 = 200; context [5,5]x[5,8] = 200: 720.
TEST(OnnxPatternsTest, ConstantOnlyChainsAndMasksFold) {
  const Workload w = io::ReadOnnxFile(kDir + "masks.onnx");
  EXPECT_EQ(w.TotalMacs(), 720);
  std::vector<std::string> names;
  for (const Layer& layer : w.layers()) names.push_back(layer.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"q", "kt", "scores", "masked", "softmax", "context", "out"}));
  EXPECT_EQ(Named(w, "masked").input_elements, 25);  // the mask is a constant
  EXPECT_EQ(Named(w, "out").input_elements, 40);     // so is the expanded bias
}

// ConvTranspose, x: 1x8x5x5, by hand. Output extent: (in-1)*stride - pads + dilation*(k-1) +
// output_padding + 1. MACs: every input pixel meets every tap of its group's filters,
// N * C * H * W * (M / groups) * KH * KW.
//   basic        W 8x4x3x3, stride 2, pads 1, output_padding 1: 8-2+2+1+1 = 10; 8*25*4*9 = 7200
//   dilated_grouped  W 8x2x3x3, 2 groups, dilation 2: 4+4+1 = 9; 8*25*2*9            = 3600
//   output_shape W 8x4x2x2, stride 2, output_shape 9: full 8+1+1 = 10, pad 1 at the start
//                (NOTSET puts the odd one first); 8*25*4*4                            = 3200
//   same_upper   W 8x4x3x3, stride 2: output 5*2 = 10, pad (8+2+1) - 10 = 1 at the end = 7200
//   depthwise    W 8x1x4x4, 8 groups, stride 2, pads 1: 8-2+3+1 = 10; 8*25*16          = 3200
//   rectangular  W 8x4x1x3, strides 1 (H) x 3 (W), left pad 1, output_padding 2 (W):
//                H 4+0+1 = 5, W 12-1+2+2+1 = 16; 8*25*4*3                             = 2400
//   conv1d       x1 1x4x7, W 4x6x3, stride 3: 18+2+1 = 21; 4*7*6*3                     =  504
//                                                                              total = 27304
TEST(OnnxPatternsTest, ConvTransposeWithEveryAttribute) {
  const Workload w = io::ReadOnnxFile(kDir + "conv_transpose.onnx");
  EXPECT_EQ(w.TotalMacs(), 27304);
  EXPECT_EQ(w.MacLayers().size(), 7u);
  const std::map<std::string, std::int64_t> macs = {
      {"basic", 7200},     {"dilated_grouped", 3600}, {"output_shape", 3200}, {"same_upper", 7200},
      {"depthwise", 3200}, {"rectangular", 2400},     {"conv1d", 504}};
  for (const auto& [name, count] : macs) {
    EXPECT_EQ(Named(w, name).Macs(), count) << name;
    EXPECT_EQ(Named(w, name).op, "ConvTranspose") << name;
    EXPECT_EQ(Named(w, name).kind, LayerKind::kOtherMac) << name;
  }
  EXPECT_EQ(Named(w, "basic").output_elements, 4 * 10 * 10);
  EXPECT_EQ(Dims(Named(w, "basic").problem), "R3 S3 W5 H5 C8 M4 N1");
  // The scattered range before the pads crop it: (5-1)*2 + (3-1) + 1 = 11 per axis.
  const Problem& basic = Named(w, "basic").problem;
  EXPECT_EQ(basic.DataSpaceSize(basic.DataSpaceIndex("Outputs")), 4 * 11 * 11);
  EXPECT_EQ(basic.DataSpaceSize(basic.DataSpaceIndex("Inputs")), 8 * 5 * 5);
  EXPECT_EQ(Dims(Named(w, "dilated_grouped").problem), "R3 S3 W5 H5 C4 M2 N1 G2");
  EXPECT_EQ(Named(w, "dilated_grouped").output_elements, 4 * 9 * 9);
  EXPECT_EQ(Named(w, "output_shape").pads, (std::array<std::int64_t, 4>{1, 1, 0, 0}));
  EXPECT_EQ(Named(w, "output_shape").output_elements, 4 * 9 * 9);
  EXPECT_EQ(Named(w, "same_upper").pads, (std::array<std::int64_t, 4>{0, 0, 1, 1}));
  EXPECT_EQ(Dims(Named(w, "depthwise").problem), "R4 S4 W5 H5 C1 M1 N1 G8");
  EXPECT_EQ(Named(w, "rectangular").output_elements, 4 * 5 * 16);
  EXPECT_EQ(Dims(Named(w, "rectangular").problem), "R3 S1 W5 H5 C8 M4 N1");
  EXPECT_EQ(Dims(Named(w, "conv1d").problem), "R3 S1 W7 H1 C4 M6 N1");
  EXPECT_EQ(Named(w, "conv1d").output_elements, 6 * 21);
  EXPECT_EQ(w.LayerIndex("basic_bn"), -1);  // folded into the ConvTranspose before it
}

// One network in the forms opsets 7, 9, 10, 11, 13 and 18 give it: Upsample (attribute, then
// input scales), Resize (scales; sizes computed from Shape), Pad, Slice, Squeeze / Unsqueeze,
// Split (attribute, input, num_outputs) and ReduceMean (axes attribute, then input). x: 1x4x6x6.
//   c1 1x1 4 -> 8 on 6x6: 8*4*36 = 1152; upsampled x2 and padded 1: 14x14
//   c2 3x3 8 -> 8, valid: 12x12, 8*8*9*144 = 82944; SpaceToDepth 2: 32x6x6
//   c3 1x1 32 -> 8: 8*32*36 = 9216; DepthToSpace 2: 2x12x12; rows 2..9: 2x8x12
//   c4 1x1 2 -> 4 on 8x12: 4*2*96 = 768; mean over W: 4x8x1
//                                          total 94080
TEST(OnnxPatternsTest, ResizeAndDataMovementInEveryOpset) {
  for (int opset : {7, 9, 10, 11, 13, 18}) {
    const Workload w = io::ReadOnnxFile(kDir + "resize_opset" + std::to_string(opset) + ".onnx");
    EXPECT_EQ(w.TotalMacs(), 94080) << opset;
    EXPECT_EQ(Named(w, "up").output_elements, 8 * 12 * 12) << opset;
    EXPECT_EQ(Dims(Named(w, "c2").problem), "R3 S3 P12 Q12 C8 M8 N1") << opset;
    EXPECT_EQ(Named(w, "s2d").output_elements, 32 * 6 * 6) << opset;
    EXPECT_EQ(Named(w, "crop").output_elements, 2 * 8 * 12) << opset;
    EXPECT_EQ(Named(w, "mean").output_elements, 4 * 8) << opset;
  }
}

// Weights in external_data.bin (read only for the reshape target, which shape inference needs):
//   conv 2 -> 6, 3x3, pads 1 on 4x4: 6*2*9*16 = 1728; reshape to [1,6,16]; x [16,3]: 6*16*3 = 288.
TEST(OnnxPatternsTest, ExternalDataLoads) {
  const Workload w = io::ReadOnnxFile(kDir + "external_data.onnx");
  EXPECT_EQ(w.TotalMacs(), 1728 + 288);
  EXPECT_EQ(Dims(Named(w, "fc").problem), "M6 N3 K16");
}

// Initializers with shapes and no data:
//   conv 3 -> 8, 3x3 / 2, pads 1, 16x16 -> 8x8: 8*3*9*64 = 13824; depthwise 8 groups 3x3:
//   8*9*64 = 4608; fc 8 -> 10: 80.
TEST(OnnxPatternsTest, WeightsLeftOutLoadFromShapes) {
  const Workload w = io::ReadOnnxFile(kDir + "weights_left_out.onnx");
  EXPECT_EQ(w.TotalMacs(), 13824 + 4608 + 80);
  EXPECT_EQ(Dims(Named(w, "dw").problem), "R3 S3 P8 Q8 C1 M1 N1 G8");
}

TEST(OnnxPatternsTest, ErrorsNameTheNodeAndTheOperator) {
  const std::string stop =
      "its rank is unknown; node 'reshape' (Reshape) could not work out the "
      "shape of its output 'reshape': its input 1 ('target') ";
  EXPECT_EQ(ErrorOf([] { io::ReadOnnxFile(kDir + "huge_constant.onnx"); }),
            kDir +
                "huge_constant.onnx: cannot work out the shape of tensor 'reshape' (output 0 "
                "of node 'reshape' (Reshape)): " +
                stop +
                "is a constant with no value: node 'fill' (ConstantOfShape) was not evaluated: "
                "it would have 2097152 elements, over the evaluator's limit of 1048576");
  EXPECT_EQ(ErrorOf([] { io::ReadOnnxFile(kDir + "missing_external_shape.onnx"); }),
            kDir +
                "missing_external_shape.onnx: cannot work out the shape of tensor 'reshape' "
                "(output 0 of node 'reshape' (Reshape)): " +
                stop + "is a constant with no value: its external data file '" + kDir +
                "not_there.bin' cannot be read");
  EXPECT_EQ(ErrorOf([] { io::ReadOnnxFile(kDir + "custom_shape_op.onnx"); }),
            kDir +
                "custom_shape_op.onnx: cannot work out the shape of tensor 'reshape' (output "
                "0 of node 'reshape' (Reshape)): its rank is unknown; node 'make_shape' "
                "(com.example:MakeShape) could not work out the shape of its output "
                "'make_shape': ONNX 1.12 knows no operator MakeShape in domain 'com.example' "
                "at opset 1, so nothing works out its output's shape");
  EXPECT_EQ(ErrorOf([] { io::ReadOnnxFile(kDir + "data_dependent.onnx"); }),
            kDir +
                "data_dependent.onnx: cannot work out the shape of tensor 'nonzero' (output 0 "
                "of node 'nonzero' (NonZero)): dimension 1 is unknown; node 'nonzero' "
                "(NonZero) could not work out the shape of its output 'nonzero': how many "
                "elements it outputs depends on the values of its input, known only at run "
                "time");
  EXPECT_EQ(ErrorOf([] { io::ReadOnnxFile(kDir + "einsum_reduction.onnx"); }),
            kDir +
                "einsum_reduction.onnx: node 'e' (Einsum): equation 'ij,jk->i' is not a "
                "product of two operands: subscript 'k' is summed within one operand");
  // An operator with MACs tessel does not model is refused, never costed as data movement.
  EXPECT_EQ(ErrorOf([] { io::ReadOnnxFile(kDir + "lstm.onnx"); }),
            kDir +
                "lstm.onnx: 1 node has an operator that tessel does not support: 'lstm' "
                "(LSTM) (supported operators are listed in docs/workloads.md)");
}

// Corrupted bytes in the pattern models reach the evaluator with arbitrary values, shapes,
// axes and attributes: the reader reads something or throws UserError, never crashes nor lets
// another exception escape. Deterministic: bytes chosen by a fixed LCG.
TEST(OnnxPatternsTest, CorruptedBytesNeverCrashTheEvaluator) {
  for (const char* file : {"kernel_values.onnx", "vit_tokens.onnx", "masks.onnx",
                           "conv_transpose.onnx", "resize_opset11.onnx", "resize_opset7.onnx"}) {
    std::ifstream in(kDir + file, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    const std::string original = buffer.str();
    ASSERT_GT(original.size(), 100u) << file;
    std::uint64_t state = 777;
    for (int trial = 0; trial < 300; ++trial) {
      std::string bytes = original;
      for (int flips = 0; flips < 1 + trial % 3; ++flips) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        bytes[(state >> 33) % bytes.size()] = static_cast<char>(state >> 17);
      }
      try {
        io::ReadOnnxModel(bytes, file);
      } catch (const UserError&) {
      }
    }
  }
}

}  // namespace
}  // namespace tessel
