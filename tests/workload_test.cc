// Workload DAGs, layer construction (conv with groups, GEMM, batched matmul), shape keys, the
// YAML layer-list format and CoSA workload directories.
#include "tessel/workload/workload.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "tessel/common/error.h"
#include "tessel/io/workload_source.h"
#include "tessel/io/workload_yaml.h"
#include "tessel/workload/layer_shapes.h"

namespace tessel {
namespace {

std::string ErrorOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

Workload Chain(const std::vector<std::string>& names) {
  Workload w("chain");
  for (const std::string& name : names) w.AddLayer(MakeNoMacLayer(name, "Relu", 4, 4));
  for (int i = 1; i < w.size(); ++i) w.AddEdge(i - 1, i);
  return w;
}

TEST(WorkloadTest, EdgesAreSymmetricSortedAndDeduplicated) {
  Workload w = Chain({"a", "b", "c"});
  w.AddEdge(0, 2);
  w.AddEdge(0, 2);
  EXPECT_EQ(w.layer(0).consumers, (std::vector<int>{1, 2}));
  EXPECT_EQ(w.layer(2).producers, (std::vector<int>{0, 1}));
  EXPECT_EQ(w.LayerIndex("c"), 2);
  EXPECT_EQ(w.LayerIndex("d"), -1);
}

TEST(WorkloadTest, TopologicalOrderPutsProducersFirst) {
  Workload w("w");
  for (const char* name : {"late", "early", "middle"})
    w.AddLayer(MakeNoMacLayer(name, "Add", 1, 1));
  w.AddEdge(1, 2);  // early -> middle -> late
  w.AddEdge(2, 0);
  EXPECT_EQ(w.TopologicalOrder(), (std::vector<int>{1, 2, 0}));
}

TEST(WorkloadTest, CycleNamesItsLayers) {
  Workload w = Chain({"in", "a", "b", "c"});
  w.AddEdge(3, 1);  // c -> a
  EXPECT_EQ(ErrorOf([&] { w.TopologicalOrder(); }),
            "workload 'chain': the layers form a cycle: a -> b -> c -> a; a workload must be "
            "acyclic");
  Workload self = Chain({"x"});
  self.AddEdge(0, 0);
  EXPECT_EQ(ErrorOf([&] { self.TopologicalOrder(); }),
            "workload 'chain': the layers form a cycle: x -> x; a workload must be acyclic");
}

TEST(WorkloadTest, DuplicateAndEmptyNamesAreRejected) {
  Workload w = Chain({"a"});
  EXPECT_EQ(ErrorOf([&] { w.AddLayer(MakeNoMacLayer("a", "Relu", 1, 1)); }),
            "workload 'chain': two layers are named 'a'; layer names must be unique");
  EXPECT_EQ(ErrorOf([&] { w.AddLayer(MakeNoMacLayer("", "Relu", 1, 1)); }),
            "workload 'chain': a layer has an empty name; every layer needs one");
}

// A 3x3 conv with 64 input and 128 output channels in 4 groups over a 56x56 map, stride 2,
// padding 1: 4 independent convs of 16 -> 32 channels; output (56 + 2 - 3) / 2 + 1 = 28. One
// problem with a group dimension G = 4, not one group repeated.
TEST(LayerShapesTest, GroupedConvIsOneProblemWithGroups) {
  ConvSpec spec;
  spec.in_channels = 64;
  spec.in_h = spec.in_w = 56;
  spec.out_channels = 128;
  spec.kernel_h = spec.kernel_w = 3;
  spec.stride_h = spec.stride_w = 2;
  spec.pad_top = spec.pad_left = spec.pad_bottom = spec.pad_right = 1;
  spec.groups = 4;
  const Layer layer = MakeConvLayer("g", spec);
  const ConvShape shape = *AsConvShape(layer.problem);
  EXPECT_EQ(shape.C, 16);
  EXPECT_EQ(shape.M, 32);
  EXPECT_EQ(shape.P, 28);
  EXPECT_EQ(shape.Q, 28);
  EXPECT_EQ(shape.G, 4);
  EXPECT_EQ(layer.repeat, 1);
  EXPECT_EQ(layer.Macs(), 4 * (3 * 3 * 28 * 28 * 16 * 32));
  EXPECT_EQ(layer.input_elements, 64 * 56 * 56);
  EXPECT_EQ(layer.output_elements, 128 * 28 * 28);
  spec.groups = 3;
  EXPECT_EQ(ErrorOf([&] { MakeConvLayer("g", spec); }),
            "layer 'g': 64 input and 128 output channels are not both divisible by 3 groups");
}

// Timeloop's convention: R and P run along the width (Wstride, Wdilation), S and Q along the
// height. A 1x5 kernel (height 1, width 5) with dilation 2 along the width over a 10x20 input.
TEST(LayerShapesTest, RectangularKernelMapsWidthToR) {
  ConvSpec spec;
  spec.in_channels = spec.out_channels = 2;
  spec.in_h = 10;
  spec.in_w = 20;
  spec.kernel_h = 1;
  spec.kernel_w = 5;
  spec.dilation_w = 2;
  const ConvShape shape = *AsConvShape(MakeConvLayer("r", spec).problem);
  EXPECT_EQ(shape.R, 5);
  EXPECT_EQ(shape.S, 1);
  EXPECT_EQ(shape.P, 20 - 2 * 4);  // width: 20 - dilation*(5-1)
  EXPECT_EQ(shape.Q, 10);
  EXPECT_EQ(shape.w_dilation, 2);
}

TEST(LayerShapesTest, MatMulUsesConvDataSpaceNames) {
  const Problem gemm = MakeMatMulProblem("fc", 8, 1000, 2048);
  ASSERT_EQ(gemm.data_spaces.size(), 3u);
  EXPECT_EQ(gemm.DataSpaceSize(gemm.DataSpaceIndex("Weights")), 2048 * 1000);
  EXPECT_EQ(gemm.DataSpaceSize(gemm.DataSpaceIndex("Inputs")), 8 * 2048);
  EXPECT_EQ(gemm.DataSpaceSize(gemm.DataSpaceIndex("Outputs")), 8 * 1000);
  EXPECT_TRUE(gemm.data_spaces[gemm.DataSpaceIndex("Outputs")].read_write);
  EXPECT_EQ(gemm.TotalOperations(), 8 * 1000 * 2048);
  // A weight matrix shared by all 12 batches has no B rank.
  const Problem shared = MakeBatchedMatMulProblem("b", 12, 128, 64, 32, true, false);
  EXPECT_EQ(shared.DataSpaceSize(shared.DataSpaceIndex("Weights")), 32 * 64);
  EXPECT_EQ(shared.DataSpaceSize(shared.DataSpaceIndex("Inputs")), 12 * 128 * 32);
  EXPECT_FALSE(AsConvShape(gemm).has_value());
}

TEST(ShapeKeyTest, EqualProblemsWithDifferentNamesShareAKey) {
  ConvShape shape;
  shape.R = shape.S = 3;
  shape.P = shape.Q = 14;
  shape.C = shape.M = 256;
  EXPECT_EQ(ShapeKey(MakeConvProblem("a", shape)), ShapeKey(MakeConvProblem("b", shape)));
  ConvShape strided = shape;
  strided.w_stride = 2;
  EXPECT_NE(ShapeKey(MakeConvProblem("a", shape)), ShapeKey(MakeConvProblem("a", strided)));
  EXPECT_EQ(ShapeKey(MakeMatMulProblem("x", 2, 3, 4)),
            "M=2 N=3 K=4 | Weights[K][N] Inputs[M][K] Outputs(rw)[M][N]");
}

const char* const kYaml = R"(name: tiny
layers:
- {name: conv1, R: 3, S: 3, P: 8, Q: 8, C: 3, K: 16, N: 1, Wstride: 2, Hstride: 2}
- {name: relu1, op: Relu, elements: 1024}
- {name: dw, op: Conv, R: 3, S: 3, P: 8, Q: 8, C: 1, K: 1, N: 1, groups: 16}
- {name: add, op: Add, input_elements: 2048, output_elements: 1024, inputs: [relu1, dw]}
- {name: fc, op: Gemm, M: 1, N: 10, K: 1024}
- name: heads
  op: MatMul
  B: 4
  M: 8
  N: 8
  K: 2
- name: custom
  op: Conv
  inputs: []
  problem: {shape: cnn-layer, R: 1, S: 1, P: 2, Q: 2, C: 4, M: 4, N: 1}
)";

TEST(WorkloadYamlTest, ReadsEveryLayerForm) {
  const Workload w = io::LoadWorkloadYamlString(kYaml, "tiny.yaml");
  EXPECT_EQ(w.name(), "tiny");
  ASSERT_EQ(w.size(), 7);
  const Layer& conv = w.layer(0);
  EXPECT_EQ(conv.kind, LayerKind::kConv);
  EXPECT_EQ(conv.op, "Conv");
  EXPECT_EQ(conv.problem.dims[5].name, "K");  // CoSA's name for output channels
  EXPECT_EQ(conv.Macs(), 3 * 3 * 8 * 8 * 3 * 16);
  EXPECT_EQ(conv.input_elements, 3 * 17 * 17);  // (8-1)*2 + 3 = 17: the window read
  EXPECT_EQ(w.layer(1).kind, LayerKind::kNoMac);
  EXPECT_EQ(w.layer(1).producers, (std::vector<int>{0}));
  EXPECT_EQ(w.layer(2).repeat, 16);
  EXPECT_EQ(w.layer(3).producers, (std::vector<int>{1, 2}));
  EXPECT_EQ(w.layer(4).kind, LayerKind::kMatMul);
  EXPECT_EQ(ShapeKey(w.layer(5).problem), ShapeKey(MakeBatchedMatMulProblem("", 4, 8, 8, 2)));
  EXPECT_TRUE(w.layer(6).producers.empty());
  EXPECT_EQ(w.layer(6).problem.dims[5].name, "M");
}

TEST(WorkloadYamlTest, ErrorsPointAtTheLayer) {
  auto error = [](const std::string& text) {
    return ErrorOf([&] { io::LoadWorkloadYamlString(text, "w.yaml"); });
  };
  EXPECT_EQ(error("layers:\n- {name: a, op: Relu}\n"),
            "w.yaml:2:3: layer 'a' (Relu) has no MAC problem and no element counts; give "
            "'elements' or 'input_elements' and 'output_elements'");
  EXPECT_EQ(error("layers:\n- {name: a, op: Gemm, M: 1, N: 2}\n"),
            "w.yaml:2:3: layer has no 'K'; a Gemm / MatMul layer needs M, N and K (and B when "
            "batched)");
  EXPECT_EQ(error("layers:\n- {name: a, op: Relu, elements: 4, inputs: [b]}\n"),
            "w.yaml:2:45: no layer is named 'b'");
  EXPECT_EQ(error("layers:\n- {name: a, op: Relu, elements: 4, colour: red}\n"),
            "w.yaml:2:44: unknown layer key 'colour'; a layer has name, op, inputs, groups, a "
            "problem (flat keys or problem:) or element counts");
  EXPECT_EQ(error("- {name: a, op: Relu, elements: 4, inputs: [b]}\n"
                  "- {name: b, op: Relu, elements: 4}\n"),
            "w.yaml: workload 'w': the layers form a cycle: a -> b -> a; a workload must be "
            "acyclic");
  EXPECT_EQ(error("layers:\n- {name: a, op: Relu, elements: 4}\n- {name: a, op: Relu, "
                  "elements: 4}\n"),
            "w.yaml:3:10: two layers are named 'a'; names must be unique");
}

TEST(CosaWorkloadTest, ReadsLayerListsAsChains) {
  const std::string dir = std::string(TESSEL_TEST_DATA_DIR) + "/cosa/workloads/";
  const Workload resnet = io::LoadCosaWorkload(dir + "resnet50_graph");
  EXPECT_EQ(resnet.name(), "resnet50");
  ASSERT_EQ(resnet.size(), 54);
  EXPECT_EQ(resnet.layer(0).name, "_outputs_input.2");
  EXPECT_EQ(resnet.layer(0).kind, LayerKind::kConv);
  EXPECT_EQ(resnet.layer(53).producers, (std::vector<int>{52}));
  // _outputs_input.2: C 3, K 64, 7x7, 112x112 outputs.
  EXPECT_EQ(resnet.layer(0).Macs(), 3 * 64 * 7 * 7 * 112 * 112);
  // alexnet_pad_graph has only unique_layers.yaml.
  EXPECT_EQ(io::LoadCosaWorkload(dir + "alexnet_pad_graph").size(), 1);
  EXPECT_EQ(ErrorOf([&] { io::LoadCosaWorkload(dir); }),
            dir +
                ": not a CoSA workload directory: it has no layers.yaml (nor "
                "unique_layers.yaml) listing the layers");
}

TEST(WorkloadSourceTest, ResolvesEveryKindOfSpec) {
  const std::string data = TESSEL_TEST_DATA_DIR;
  EXPECT_EQ(io::LoadWorkload("ResNet-50").name(), "resnet50");
  EXPECT_EQ(io::LoadWorkload("cosa:resnet50").size(), 54);  // the copy beside the sources
  io::WorkloadSourceOptions options;
  options.cosa_workloads_dir = data + "/cosa/workloads";
  EXPECT_EQ(io::LoadWorkload("cosa:vgg16", options).size(), 16);
  EXPECT_EQ(io::LoadWorkload(data + "/cosa/workloads/alexnet_graph").size(), 8);
  EXPECT_EQ(io::LoadWorkload(data + "/onnx/resnet50.onnx").MacLayers().size(), 54u);
  EXPECT_EQ(ErrorOf([] { io::LoadWorkload("resnet-5o"); }),
            "unknown workload 'resnet-5o': not an .onnx or .yaml file, a CoSA workload directory "
            "(cosa:NAME) nor a bundled network (alexnet, bert-base-layer, darknet19, googlenet, "
            "mobilenetv2, resnet18, resnet50, transformer-block, vgg16)");
  EXPECT_EQ(ErrorOf([&] { io::LoadWorkload("cosa:nothing", options); }),
            "cosa:nothing: no CoSA workload directory 'nothing', nor 'nothing_graph' in " +
                options.cosa_workloads_dir);
}

}  // namespace
}  // namespace tessel
