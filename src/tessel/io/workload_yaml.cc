#include "tessel/io/workload_yaml.h"

#include <filesystem>
#include <optional>
#include <set>

#include "tessel/common/checked_int.h"
#include "tessel/io/cosa.h"
#include "tessel/io/timeloop_problem.h"
#include "tessel/io/yaml_util.h"
#include "tessel/workload/layer_shapes.h"
#include "tessel/workload/problem_size.h"

namespace tessel::io {
namespace {

namespace fs = std::filesystem;

const std::set<std::string> kLayerKeys = {"name",
                                          "op",
                                          "problem",
                                          "inputs",
                                          "groups",
                                          "repeat",
                                          "elements",
                                          "input_elements",
                                          "output_elements",
                                          "shape",
                                          "R",
                                          "S",
                                          "P",
                                          "Q",
                                          "C",
                                          "K",
                                          "M",
                                          "N",
                                          "B",
                                          "Wstride",
                                          "Hstride",
                                          "Wdilation",
                                          "Hdilation"};

std::int64_t PositiveInt(const YNode& node, const std::string& what) {
  std::int64_t value = node.AsInt(what);
  if (value < 1)
    node.Fail(what + " is " + std::to_string(value) + "; it must be a positive integer");
  return value;
}

std::int64_t Key(const YNode& layer, const std::string& key, std::int64_t fallback,
                 const std::string& needed_by) {
  YNode node = layer.Get(key);
  if (node.Valid()) return PositiveInt(node, key);
  if (fallback > 0) return fallback;
  layer.Fail("layer has no '" + key + "'; " + needed_by);
}

bool HasAnyConvKey(const YNode& layer) {
  for (const char* key : {"R", "S", "P", "Q", "C"})
    if (layer.Has(key)) return true;
  return false;
}

// CoSA's flat conv keys on the layer itself; output channels K (CoSA) or M (Timeloop).
Problem FlatConvProblem(const YNode& layer, const std::string& name) {
  const std::string needs = "a conv layer needs R, S, P, Q, C, K (or M) and N";
  const bool timeloop_names = !layer.Has("K") && layer.Has("M");
  ConvShape shape;
  shape.R = Key(layer, "R", 0, needs);
  shape.S = Key(layer, "S", 0, needs);
  shape.P = Key(layer, "P", 0, needs);
  shape.Q = Key(layer, "Q", 0, needs);
  shape.C = Key(layer, "C", 0, needs);
  shape.M = Key(layer, timeloop_names ? "M" : "K", 0, needs);
  shape.N = Key(layer, "N", 0, needs);
  shape.w_stride = Key(layer, "Wstride", 1, "");
  shape.h_stride = Key(layer, "Hstride", 1, "");
  shape.w_dilation = Key(layer, "Wdilation", 1, "");
  shape.h_dilation = Key(layer, "Hdilation", 1, "");
  return timeloop_names ? MakeConvProblem(name, shape) : MakeCosaConvProblem(name, shape);
}

Problem GemmProblem(const YNode& layer, const std::string& name) {
  const std::string needs = "a Gemm / MatMul layer needs M, N and K (and B when batched)";
  const std::int64_t m = Key(layer, "M", 0, needs), n = Key(layer, "N", 0, needs);
  const std::int64_t k = Key(layer, "K", 0, needs);
  if (!layer.Has("B")) return MakeMatMulProblem(name, m, n, k);
  return MakeBatchedMatMulProblem(name, Key(layer, "B", 0, needs), m, n, k);
}

// The MAC problem of `layer` (flat keys or `problem:`), or nullopt for a layer without MACs.
std::optional<Problem> LayerProblem(const YNode& layer, const std::string& name,
                                    const std::string& op) {
  if (YNode problem = layer.Get("problem"); problem.Valid()) {
    Problem parsed = ParseProblem(problem);
    parsed.name = name;
    return parsed;
  }
  std::optional<Problem> flat;
  if (op == "Gemm" || op == "MatMul") flat = GemmProblem(layer, name);
  if (!flat && (op == "Conv" || HasAnyConvKey(layer))) flat = FlatConvProblem(layer, name);
  if (flat)
    if (const std::string overflow = ProblemSizeOverflow(*flat); !overflow.empty())
      layer.Fail(overflow);
  return flat;
}

void SetElements(const YNode& node, Layer& layer) {
  if (layer.HasMacs()) {
    const Problem& p = layer.problem;
    const int inputs = p.DataSpaceIndex("Inputs"), outputs = p.DataSpaceIndex("Outputs");
    // The network multiplies a layer's MACs and tensors by its repeat: all must fit in 64 bits.
    const std::int64_t sizes[] = {p.TotalOperations(), inputs >= 0 ? p.DataSpaceSize(inputs) : 0,
                                  outputs >= 0 ? p.DataSpaceSize(outputs) : 0};
    for (const std::int64_t size : sizes)
      if (!CheckedMul(size, layer.repeat))
        node.Fail("layer '" + layer.name + "' repeated " + std::to_string(layer.repeat) +
                  " times has more than 2^63-1 MACs or tensor elements");
    if (inputs >= 0) layer.input_elements = p.DataSpaceSize(inputs) * layer.repeat;
    if (outputs >= 0) layer.output_elements = p.DataSpaceSize(outputs) * layer.repeat;
  }
  if (YNode elements = node.Get("elements"); elements.Valid())
    layer.input_elements = layer.output_elements = PositiveInt(elements, "elements");
  if (YNode in = node.Get("input_elements"); in.Valid())
    layer.input_elements = PositiveInt(in, "input_elements");
  if (YNode out = node.Get("output_elements"); out.Valid())
    layer.output_elements = PositiveInt(out, "output_elements");
}

Layer ParseLayer(const YNode& node) {
  if (!node.IsMap()) node.Fail("a layer must be a map with at least 'name' and 'op'");
  for (const auto& [key, value] : node.Entries())
    if (!kLayerKeys.count(NormalizeKey(key)))
      value.Fail("unknown layer key '" + key +
                 "'; a layer has name, op, inputs, groups, a problem (flat keys or problem:) "
                 "or element counts");
  Layer layer;
  YNode name = node.Get("name");
  if (!name.Valid()) node.Fail("layer has no 'name'; every layer needs a unique name");
  layer.name = name.AsString("layer name");
  YNode op = node.Get("op");
  if (op.Valid())
    layer.op = op.AsString("op");
  else if (HasAnyConvKey(node))
    layer.op = "Conv";
  else
    node.Fail("layer '" + layer.name + "' has no 'op' (e.g. Conv, Gemm, MatMul, Relu)");
  if (std::optional<Problem> problem = LayerProblem(node, layer.name, layer.op)) {
    layer.problem = std::move(*problem);
    layer.kind = AsConvShape(layer.problem)                     ? LayerKind::kConv
                 : (layer.op == "Gemm" || layer.op == "MatMul") ? LayerKind::kMatMul
                                                                : LayerKind::kOtherMac;
  }
  if (YNode repeat = node.GetAny({"groups", "repeat"}); repeat.Valid())
    layer.repeat = PositiveInt(repeat, "groups");
  SetElements(node, layer);
  if (!layer.HasMacs() && !node.Has("elements") && !node.Has("input_elements"))
    node.Fail("layer '" + layer.name + "' (" + layer.op +
              ") has no MAC problem and no element counts; give 'elements' or "
              "'input_elements' and 'output_elements'");
  return layer;
}

Workload ParseWorkload(const YNode& root, const std::string& default_name) {
  YNode list = root;
  Workload workload(default_name);
  if (root.IsMap()) {
    YNode body = root.Has("workload") ? root.Get("workload") : root;
    if (YNode name = body.Get("name"); name.Valid()) workload.set_name(name.AsString("name"));
    list = body.Get("layers");
    if (!list.Valid()) body.Fail("a workload file needs 'layers:', a list of layers");
  }
  std::vector<YNode> items = list.Items("layers");
  if (items.empty()) list.Fail("the workload has no layers");
  for (const YNode& item : items) {
    Layer layer = ParseLayer(item);
    if (workload.LayerIndex(layer.name) >= 0)
      item.Get("name").Fail("two layers are named '" + layer.name + "'; names must be unique");
    workload.AddLayer(std::move(layer));
  }
  for (int i = 0; i < static_cast<int>(items.size()); ++i) {
    YNode inputs = items[i].Get("inputs");
    if (!inputs.Valid()) {
      if (i > 0) workload.AddEdge(i - 1, i);
      continue;
    }
    for (const YNode& input : inputs.Items("inputs")) {
      const std::string producer = input.AsString("input layer name");
      const int index = workload.LayerIndex(producer);
      if (index < 0) input.Fail("no layer is named '" + producer + "'");
      workload.AddEdge(index, i);
    }
  }
  try {
    workload.TopologicalOrder();
  } catch (const UserError& e) {
    throw UserError(SourceLocation{list.file(), 0, 0}, e.what());
  }
  return workload;
}

}  // namespace

Workload LoadWorkloadYaml(const std::string& path) {
  return ParseWorkload(LoadYamlFile(path), fs::path(path).stem().string());
}

Workload LoadWorkloadYamlString(const std::string& text, const std::string& name) {
  return ParseWorkload(ParseYaml(text, name), fs::path(name).stem().string());
}

Workload LoadCosaWorkload(const std::string& dir) {
  const fs::path root(dir);
  fs::path list_file = root / "layers.yaml";
  std::error_code ec;
  if (!fs::is_regular_file(list_file, ec)) list_file = root / "unique_layers.yaml";
  if (!fs::is_regular_file(list_file, ec))
    throw UserError(SourceLocation{dir, 0, 0},
                    "not a CoSA workload directory: it has no layers.yaml (nor "
                    "unique_layers.yaml) listing the layers");
  std::string name = root.lexically_normal().filename().string();
  if (name.empty()) name = root.lexically_normal().parent_path().filename().string();
  if (name.size() > 6 && name.ends_with("_graph")) name.resize(name.size() - 6);
  Workload workload(name);
  for (const YNode& item : LoadYamlFile(list_file.string()).Items("layer list")) {
    const std::string layer_name = item.AsString("layer name");
    const fs::path file = root / (layer_name + ".yaml");
    if (!fs::is_regular_file(file, ec))
      item.Fail("layer '" + layer_name + "' has no file " + file.string());
    YNode problem = LoadYamlFile(file.string()).Get("problem");
    if (!problem.Valid()) problem.Fail("the layer file has no 'problem:' section");
    Layer layer;
    layer.name = layer_name;
    for (int copy = 2; workload.LayerIndex(layer.name) >= 0; ++copy)
      layer.name = layer_name + "#" + std::to_string(copy);  // a layer listed again runs again
    layer.op = "Conv";
    layer.problem = ParseProblem(problem);
    layer.problem.name = layer.name;
    layer.kind = AsConvShape(layer.problem) ? LayerKind::kConv : LayerKind::kOtherMac;
    SetElements(YNode(), layer);
    const int index = workload.AddLayer(std::move(layer));
    if (index > 0) workload.AddEdge(index - 1, index);
  }
  if (workload.size() == 0)
    throw UserError(SourceLocation{list_file.string(), 0, 0}, "the layer list is empty");
  return workload;
}

}  // namespace tessel::io
