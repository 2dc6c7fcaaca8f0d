// Steps 1-4 of the ONNX reader (reader.h): parse, check, order, fix input shapes.
#include "tessel/io/onnx/model.h"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <queue>
#include <set>

#include "tessel/common/error.h"

namespace tessel::io::onnx_detail {
namespace {

// Input slots that hold parameters rather than activations. A model input read only through such
// slots is a weight: exporters that keep weights as graph inputs (and tessel's own test models,
// which do so to stay small) declare them that way. MatMul's second operand counts as a weight
// slot, so a model input multiplied from the right is taken as a weight matrix.
bool IsWeightSlot(const std::string& op, int slot) {
  if (op == "Conv" || op == "ConvTranspose" || op == "Gemm") return slot >= 1;
  if (op == "MatMul" || op == "PRelu") return slot == 1;
  if (op == "BatchNormalization") return slot >= 1 && slot <= 4;
  if (op == "LayerNormalization" || op == "InstanceNormalization") return slot >= 1;
  return false;
}

// Model inputs read only through weight slots become constants.
void MarkWeightInputs(Model& model) {
  std::unordered_map<std::string, bool> only_weights;  // model input -> all uses are weight slots
  for (const std::string& input : model.graph_inputs) only_weights[input] = false;
  std::unordered_map<std::string, int> uses;
  for (int i = 0; i < model.node_count(); ++i) {
    const onnx::NodeProto& node = model.node(i);
    for (int slot = 0; slot < node.input_size(); ++slot) {
      auto it = only_weights.find(node.input(slot));
      if (it == only_weights.end()) continue;
      const bool weight = IsWeightSlot(node.op_type(), slot);
      it->second = (uses[node.input(slot)]++ == 0) ? weight : (it->second && weight);
    }
  }
  for (const auto& [input, weight] : only_weights)
    if (weight) model.constants.insert(input);
}

[[noreturn]] void Fail(const std::string& file, const std::string& message) {
  throw UserError(SourceLocation{file, 0, 0}, message);
}

// Unique layer names: the node's name, else OpType_index; a repeated name gets _index appended.
std::vector<std::string> MakeLabels(const onnx::GraphProto& graph) {
  std::vector<std::string> labels;
  std::unordered_set<std::string> taken;
  for (int i = 0; i < graph.node_size(); ++i) {
    const onnx::NodeProto& node = graph.node(i);
    std::string label =
        node.name().empty() ? node.op_type() + "_" + std::to_string(i) : node.name();
    while (!taken.insert(label).second) label += "_" + std::to_string(i);
    labels.push_back(label);
  }
  return labels;
}

// ONNX 1.12's shape inference divides by strides and dilations unchecked (a zero stride kills the
// process with SIGFPE), so the window attributes are checked before it runs.
void CheckWindowAttributes(const Model& model) {
  static const std::set<std::string> kWindowOps = {"Conv", "ConvTranspose", "MaxPool",
                                                   "AveragePool", "LpPool"};
  for (int i = 0; i < model.node_count(); ++i) {
    const onnx::NodeProto& node = model.node(i);
    if (!kWindowOps.count(node.op_type())) continue;
    for (const onnx::AttributeProto& attribute : node.attribute()) {
      const std::string& name = attribute.name();
      const bool positive = name == "strides" || name == "dilations" || name == "kernel_shape";
      const bool non_negative = name == "pads" || name == "output_padding";
      if (!positive && !non_negative && name != "group") continue;
      std::vector<std::int64_t> values(attribute.ints().begin(), attribute.ints().end());
      if (name == "group") values = {attribute.i()};
      for (std::int64_t value : values)
        if (value < (non_negative ? 0 : 1))
          Fail(model.file, NodeRef(model, i) + ": attribute '" + name + "' has the value " +
                               std::to_string(value) + "; it must be " +
                               (non_negative ? "non-negative" : "positive"));
    }
  }
}

// Declared shapes of initializers, Constant values and fully static model inputs.
std::unordered_map<std::string, std::vector<std::int64_t>> DeclaredShapes(const Model& model) {
  std::unordered_map<std::string, std::vector<std::int64_t>> shapes;
  const onnx::GraphProto& graph = model.proto.graph();
  for (const onnx::ValueInfoProto& input : graph.input()) {
    if (!input.type().has_tensor_type() || !input.type().tensor_type().has_shape()) continue;
    std::vector<std::int64_t> dims;
    for (const auto& dim : input.type().tensor_type().shape().dim())
      dims.push_back(dim.has_dim_value() ? dim.dim_value() : -1);
    shapes[input.name()] = dims;
  }
  for (const onnx::TensorProto& init : graph.initializer())
    shapes[init.name()].assign(init.dims().begin(), init.dims().end());
  for (const onnx::NodeProto& node : graph.node())
    if (node.op_type() == "Constant" && node.output_size() == 1)
      for (const onnx::AttributeProto& attribute : node.attribute())
        if (attribute.name() == "value")
          shapes[node.output(0)].assign(attribute.t().dims().begin(), attribute.t().dims().end());
  return shapes;
}

// ONNX 1.12's Conv shape inference takes a missing kernel_shape from the weight's shape and then
// indexes it by the input's spatial rank unchecked: a weight of the wrong rank reads out of
// bounds. Writing kernel_shape from a weight whose shape is declared makes inference check it.
void PinConvKernelShapes(Model& model) {
  const auto declared = DeclaredShapes(model);
  for (int i = 0; i < model.node_count(); ++i) {
    onnx::NodeProto& node = *model.proto.mutable_graph()->mutable_node(i);
    const bool conv = node.op_type() == "Conv" || node.op_type() == "ConvTranspose";
    if (!conv || node.input_size() < 2) continue;
    bool has_kernel_shape = false;
    for (const onnx::AttributeProto& attribute : node.attribute())
      has_kernel_shape |= attribute.name() == "kernel_shape";
    auto weight = declared.find(node.input(1));
    if (has_kernel_shape || weight == declared.end()) continue;
    if (weight->second.size() < 3)
      Fail(model.file, NodeRef(model, i) + ": the weight '" + node.input(1) + "' has rank " +
                           std::to_string(weight->second.size()) +
                           (node.op_type() == "Conv" ? "; a Conv weight is [M, C/group, kernel...]"
                                                     : "; a ConvTranspose weight is [C, M/group, "
                                                       "kernel...]"));
    onnx::AttributeProto* kernel = node.add_attribute();
    kernel->set_name("kernel_shape");
    kernel->set_type(onnx::AttributeProto::INTS);
    for (size_t d = 2; d < weight->second.size(); ++d) kernel->add_ints(weight->second[d]);
  }
}

// Every node input must be a model input, an initializer or some node's output; each tensor has at
// most one producer. Returns the producing node of every node output.
std::unordered_map<std::string, int> MapProducers(const Model& model) {
  const onnx::GraphProto& graph = model.proto.graph();
  std::unordered_set<std::string> sources;
  for (const onnx::ValueInfoProto& input : graph.input()) sources.insert(input.name());
  for (const onnx::TensorProto& init : graph.initializer()) sources.insert(init.name());
  std::unordered_map<std::string, int> producer;
  for (int i = 0; i < model.node_count(); ++i) {
    for (const std::string& output : model.node(i).output()) {
      if (output.empty()) continue;
      auto [it, inserted] = producer.emplace(output, i);
      if (!inserted || sources.count(output))
        Fail(model.file, "tensor '" + output + "' is written by " + NodeRef(model, i) +
                             (inserted ? " and is also a model input or initializer"
                                       : " and by " + NodeRef(model, it->second)) +
                             "; every tensor must have one source");
    }
  }
  for (int i = 0; i < model.node_count(); ++i)
    for (const std::string& input : model.node(i).input())
      if (!input.empty() && !sources.count(input) && !producer.count(input))
        Fail(model.file, NodeRef(model, i) + " reads tensor '" + input +
                             "', which is neither a model input, an initializer nor the output "
                             "of a node");
  return producer;
}

// Kahn's algorithm over node -> node data dependencies, lowest index first among ready nodes (a
// model already in order keeps its order). A cycle is reported with the nodes on it.
std::vector<int> TopologicalNodeOrder(const Model& model) {
  const std::unordered_map<std::string, int> producer = MapProducers(model);
  const int n = model.node_count();
  std::vector<std::vector<int>> consumers(n), producers(n);
  for (int i = 0; i < n; ++i)
    for (const std::string& input : model.node(i).input()) {
      auto it = input.empty() ? producer.end() : producer.find(input);
      if (it == producer.end()) continue;
      consumers[it->second].push_back(i);
      producers[i].push_back(it->second);
    }
  std::vector<int> waiting(n);
  std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
  for (int i = 0; i < n; ++i)
    if ((waiting[i] = static_cast<int>(producers[i].size())) == 0) ready.push(i);
  std::vector<int> order;
  while (!ready.empty()) {
    int node = ready.top();
    ready.pop();
    order.push_back(node);
    for (int consumer : consumers[node])
      if (--waiting[consumer] == 0) ready.push(consumer);
  }
  if (static_cast<int>(order.size()) == n) return order;
  // Every unordered node has an unordered producer: walk producers back until a node repeats.
  std::vector<int> position(n, -1), walk;
  int current = 0;
  while (waiting[current] == 0) ++current;
  while (position[current] < 0) {
    position[current] = static_cast<int>(walk.size());
    walk.push_back(current);
    for (int p : producers[current])
      if (waiting[p] > 0) {
        current = p;
        break;
      }
  }
  std::vector<int> cycle(walk.begin() + position[current], walk.end());
  std::reverse(cycle.begin(), cycle.end());  // the walk went against the edges
  std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
  std::string path;
  for (int node : cycle) path += "'" + model.labels[node] + "' -> ";
  Fail(model.file, "the graph has a cycle: " + path + "'" + model.labels[cycle.front()] +
                       "'; an ONNX graph must be acyclic");
}

void ReorderNodes(Model& model, const std::vector<int>& order) {
  onnx::GraphProto& graph = *model.proto.mutable_graph();
  google::protobuf::RepeatedPtrField<onnx::NodeProto> sorted;
  std::vector<std::string> labels;
  for (int index : order) {
    *sorted.Add() = graph.node(index);
    labels.push_back(model.labels[index]);
  }
  graph.mutable_node()->Swap(&sorted);
  model.labels = std::move(labels);
}

std::string FormatShape(const onnx::TensorShapeProto& shape) {
  std::string text = "[";
  for (int d = 0; d < shape.dim_size(); ++d) {
    const auto& dim = shape.dim(d);
    text += d ? "," : "";
    text += dim.has_dim_value() ? std::to_string(dim.dim_value())
                                : (dim.has_dim_param() ? dim.dim_param() : "?");
  }
  return text + "]";
}

void ApplyInputShapes(Model& model, const OnnxOptions& options) {
  onnx::GraphProto& graph = *model.proto.mutable_graph();
  for (const auto& [name, dims] : options.input_shapes) {
    auto it =
        std::find_if(graph.mutable_input()->begin(), graph.mutable_input()->end(),
                     [&name = name](const onnx::ValueInfoProto& v) { return v.name() == name; });
    if (it == graph.mutable_input()->end() || !model.graph_inputs.count(name)) {
      std::vector<std::string> names;  // the data inputs; weights declared as inputs left out
      for (const std::string& input : model.graph_inputs)
        if (!model.constants.count(input)) names.push_back(input);
      std::sort(names.begin(), names.end());
      std::string list;
      for (const std::string& input : names) list += (list.empty() ? "" : ", ") + input;
      Fail(model.file, "input_shapes names '" + name +
                           "', which is not a model input; the model inputs are: " + list);
    }
    onnx::TypeProto_Tensor* tensor = it->mutable_type()->mutable_tensor_type();
    if (tensor->has_shape() && tensor->shape().dim_size() != static_cast<int>(dims.size()))
      Fail(model.file, "input_shapes gives model input '" + name + "' " +
                           std::to_string(dims.size()) + " dimensions, but the model declares " +
                           std::to_string(tensor->shape().dim_size()) + ": " +
                           FormatShape(tensor->shape()));
    tensor->mutable_shape()->clear_dim();
    for (std::int64_t extent : dims) {
      if (extent < 1)
        Fail(model.file, "input_shapes gives model input '" + name + "' the extent " +
                             std::to_string(extent) + "; extents must be positive integers");
      tensor->mutable_shape()->add_dim()->set_dim_value(extent);
    }
  }
}

void RequireStaticInputs(const Model& model) {
  for (const onnx::ValueInfoProto& input : model.proto.graph().input()) {
    if (!model.graph_inputs.count(input.name())) continue;
    const TensorShape shape = ShapeOf(input.type());
    if (shape.known) continue;
    const std::string& name = input.name();
    if (shape.unknown_dim < 0)
      Fail(model.file, "model input '" + name + "' has no declared shape; give it one with " +
                           "input_shapes (--input-shape " + name + "=D0,D1,...)");
    std::string extents;
    for (size_t d = 0; d < shape.dims.size(); ++d) extents += (d ? ",D" : "D") + std::to_string(d);
    Fail(model.file, "model input '" + name + "' has the dynamic shape " +
                         FormatShape(input.type().tensor_type().shape()) + ": dimension " +
                         std::to_string(shape.unknown_dim) +
                         (shape.symbol.empty() ? " is unknown" : " is '" + shape.symbol + "'") +
                         "; give it a static shape with input_shapes (--input-shape " + name + "=" +
                         extents + ")");
  }
}

}  // namespace

const std::string& Model::Resolve(const std::string& tensor) const {
  const std::string* current = &tensor;
  for (auto it = aliases.find(*current); it != aliases.end(); it = aliases.find(*current))
    current = &it->second;
  return *current;
}

std::string NodeRef(const Model& model, int index) {
  const onnx::NodeProto& node = model.node(index);
  const std::string op =
      IsDefaultDomain(node.domain()) ? node.op_type() : node.domain() + ":" + node.op_type();
  return "node '" + model.labels[index] + "' (" + op + ")";
}

const std::vector<std::int64_t>* Model::KnownShape(const std::string& tensor) const {
  auto it = shapes.find(Resolve(tensor));
  return it != shapes.end() && it->second.known ? &it->second.dims : nullptr;
}

const Value* Model::GetValue(const std::string& tensor) {
  const std::string& name = Resolve(tensor);
  if (auto it = values.find(name); it != values.end()) return &it->second;
  if (no_value.count(name)) return nullptr;
  auto init = initializers.find(name);
  if (init == initializers.end()) {
    if (graph_inputs.count(name))
      no_value[name] = "it is a model input read as a weight; the model does not hold its data";
    return nullptr;
  }
  try {
    return &values.emplace(name, ValueFromTensor(*init->second, base_dir)).first->second;
  } catch (const NotEvaluable& e) {
    no_value[name] = e.what();
    return nullptr;
  }
}

Model LoadModel(const std::string& bytes, const std::string& file, const OnnxOptions& options) {
  Model model;
  model.file = file;
  model.base_dir = std::filesystem::path(file).parent_path().string();
  if (!model.proto.ParseFromString(bytes))
    Fail(file, "not a valid ONNX model (protobuf parse failed)");
  if (!model.proto.has_graph()) Fail(file, "not a valid ONNX model (it has no graph)");
  if (model.proto.graph().node_size() == 0)
    Fail(file, "the model's graph is empty: it has no nodes");
  model.labels = MakeLabels(model.proto.graph());
  ReorderNodes(model, TopologicalNodeOrder(model));
  model.producer = MapProducers(model);
  CheckWindowAttributes(model);
  PinConvKernelShapes(model);

  for (const onnx::TensorProto& init : model.proto.graph().initializer()) {
    model.initializers[init.name()] = &init;
    model.constants.insert(init.name());
  }
  for (const onnx::ValueInfoProto& input : model.proto.graph().input())
    if (!model.initializers.count(input.name())) model.graph_inputs.insert(input.name());
  MarkWeightInputs(model);
  ApplyInputShapes(model, options);
  RequireStaticInputs(model);
  model.evaluated.assign(model.node_count(), false);
  model.folded.assign(model.node_count(), false);
  return model;
}

}  // namespace tessel::io::onnx_detail
