// ONNX shape inference over what the evaluator has not computed yet.
#include <onnx/defs/schema.h>
#include <onnx/shape_inference/implementation.h>

#include <string>
#include <unordered_set>

#include "tessel/common/error.h"
#include "tessel/io/onnx/model.h"

namespace tessel::io::onnx_detail {
namespace {

onnx::ValueInfoProto Declared(const std::string& name, int type,
                              const std::vector<std::int64_t>& dims) {
  onnx::ValueInfoProto info;
  info.set_name(name);
  onnx::TypeProto_Tensor* tensor = info.mutable_type()->mutable_tensor_type();
  tensor->set_elem_type(type);
  onnx::TensorShapeProto* shape = tensor->mutable_shape();
  for (std::int64_t extent : dims) shape->add_dim()->set_dim_value(extent);
  return info;
}

// The highest opset of the default domain libonnx knows (17 for ONNX 1.12).
int KnownOpset() {
  const auto& map = onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
  auto it = map.find("");
  return it == map.end() ? 0 : it->second.second;
}

bool IsReduce(const std::string& op) {
  return op.rfind("Reduce", 0) == 0 && op != "ReduceSum";  // ReduceSum took axes as input at 13
}

// `node` in a form libonnx's schemas infer. Opset 18 turned the axes of the Reduce operators
// into an input and gave Split a num_outputs attribute; for a model of a newer opset than
// libonnx knows, a constant axes input goes back into the attribute and num_outputs is dropped
// (the older Split splits evenly over its outputs, which is what num_outputs asks when the
// extent divides).
onnx::NodeProto ForLibOnnx(const Model& model, const onnx::NodeProto& node, int opset) {
  if (opset <= KnownOpset() || !IsDefaultDomain(node.domain())) return node;
  onnx::NodeProto out = node;
  if (IsReduce(node.op_type()) && node.input_size() >= 2) {
    auto axes = model.values.find(model.Resolve(node.input(1)));
    if (axes == model.values.end()) return node;
    out.mutable_input()->RemoveLast();
    if (axes->second.size() > 0) {
      onnx::AttributeProto* attribute = out.add_attribute();
      attribute->set_name("axes");
      attribute->set_type(onnx::AttributeProto::INTS);
      for (std::int64_t axis : axes->second.ints) attribute->add_ints(axis);
    }
  } else if (node.op_type() == "Split") {
    out.clear_attribute();
    for (const onnx::AttributeProto& attribute : node.attribute())
      if (attribute.name() != "num_outputs") *out.add_attribute() = attribute;
  }
  return out;
}

// The model shape inference sees: the nodes not evaluated; every value they read as an inline
// initializer; every other initializer as a model input of its declared type and shape, so
// weights are never copied and external or missing weight data is never read.
// libonnx 1.12 dereferences a null type in Shape's data propagation when Shape reads a tensor
// that has no type: one made by an operator it has no schema for (a custom or unknown operator),
// or by a known operator whose own inference failed or gave nothing, and not declared in
// value_info. Every Shape input without a type gets an empty tensor type (no element type, no
// shape), which ONNX reads as "not known": Shape's output stays unknown instead of crashing, and
// whatever inference does work out for the tensor is merged into the empty type.
void DeclareUntypedShapeInputs(onnx::GraphProto& g) {
  for (onnx::ValueInfoProto& input : *g.mutable_input())  // a graph input declared without type
    if (!input.has_type()) input.mutable_type()->mutable_tensor_type();
  std::unordered_set<std::string> typed;
  for (const auto* infos : {&g.input(), &g.value_info(), &g.output()})
    for (const onnx::ValueInfoProto& info : *infos)
      if (info.has_type()) typed.insert(info.name());
  for (int i = 0; i < g.node_size(); ++i) {
    const onnx::NodeProto& node = g.node(i);
    if (node.op_type() != "Shape" || !IsDefaultDomain(node.domain()) || node.input_size() < 1)
      continue;
    const std::string input = node.input(0);
    if (input.empty() || !typed.insert(input).second) continue;
    onnx::ValueInfoProto& info = *g.add_value_info();
    info.set_name(input);
    info.mutable_type()->mutable_tensor_type();
  }
}

onnx::ModelProto InferenceModel(const Model& model) {
  const onnx::GraphProto& graph = model.proto.graph();
  onnx::ModelProto out;
  out.set_ir_version(model.proto.ir_version());
  *out.mutable_opset_import() = model.proto.opset_import();
  *out.mutable_functions() = model.proto.functions();
  onnx::GraphProto& g = *out.mutable_graph();
  g.set_name(graph.name());
  for (const onnx::ValueInfoProto& input : graph.input())
    if (model.graph_inputs.count(input.name())) *g.add_input() = input;
  int opset = 0;
  for (const onnx::OperatorSetIdProto& id : model.proto.opset_import())
    if (IsDefaultDomain(id.domain())) opset = static_cast<int>(id.version());
  std::unordered_set<std::string> fed;  // tensors given as initializers or inputs
  auto feed = [&](const std::string& name) {
    if (name.empty() || model.graph_inputs.count(name) || !fed.insert(name).second) return;
    if (auto v = model.values.find(name); v != model.values.end()) {
      *g.add_initializer() = TensorFromValue(v->second, name);
      // Declared as an input too: IR versions before 4 require it.
      *g.add_input() = Declared(name, v->second.type, v->second.shape);
    } else if (auto init = model.initializers.find(name); init != model.initializers.end()) {
      const onnx::TensorProto& t = *init->second;
      *g.add_input() = Declared(name, t.data_type(), {t.dims().begin(), t.dims().end()});
    } else {
      fed.erase(name);  // a node output: inference works it out
    }
  };
  std::unordered_set<std::string> domains;
  for (const onnx::OperatorSetIdProto& id : out.opset_import()) domains.insert(id.domain());
  for (int i = 0; i < model.node_count(); ++i) {
    if (model.evaluated[i]) continue;
    // A domain the model forgot to import would stop inference of the whole graph; imported,
    // its unknown operators just get no shapes (and are named if anything needs one).
    if (domains.insert(model.node(i).domain()).second && !IsDefaultDomain(model.node(i).domain())) {
      onnx::OperatorSetIdProto* id = out.add_opset_import();
      id->set_domain(model.node(i).domain());
      id->set_version(1);
    }
    *g.add_node() = ForLibOnnx(model, model.node(i), opset);
    for (const std::string& input : model.node(i).input()) feed(input);
  }
  for (const onnx::ValueInfoProto& info : graph.value_info())
    if (!model.values.count(info.name()) && !model.supplied_shapes.count(info.name()))
      *g.add_value_info() = info;
  for (const auto& [name, dims] : model.supplied_shapes) {
    auto known = model.shapes.find(name);
    const int type = known != model.shapes.end() && known->second.elem_type
                         ? known->second.elem_type
                         : onnx::TensorProto::FLOAT;
    *g.add_value_info() = Declared(name, type, dims);
  }
  *g.mutable_output() = graph.output();
  DeclareUntypedShapeInputs(g);
  return out;
}

}  // namespace

TensorShape ShapeOf(const onnx::TypeProto& type) {
  TensorShape result;
  if (type.has_tensor_type()) result.elem_type = type.tensor_type().elem_type();
  if (!type.has_tensor_type() || !type.tensor_type().has_shape()) return result;
  const onnx::TensorShapeProto& shape = type.tensor_type().shape();
  result.known = true;
  for (int d = 0; d < shape.dim_size(); ++d) {
    const auto& dim = shape.dim(d);
    const std::int64_t extent = dim.has_dim_value() ? dim.dim_value() : -1;
    result.dims.push_back(extent);
    if (extent >= 1 || !result.known) continue;
    result.known = false;
    result.unknown_dim = d;
    // Symbols shape inference makes up for extents it cannot know ("unk__0") name nothing.
    const bool made_up = dim.has_dim_param() && dim.dim_param().starts_with("unk__");
    result.symbol = dim.has_dim_param() && !made_up ? dim.dim_param() : "";
  }
  return result;
}

void InferShapes(Model& model) {
  onnx::ModelProto inferred = InferenceModel(model);
  try {
    onnx::shape_inference::InferShapes(inferred, onnx::OpSchemaRegistry::Instance(),
                                       onnx::ShapeInferenceOptions(/*check_type_val=*/false,
                                                                   /*strict_mode_val=*/0,
                                                                   /*data_prop_val=*/true));
  } catch (const std::exception& e) {
    throw UserError(SourceLocation{model.file, 0, 0},
                    std::string("ONNX shape inference failed: ") + e.what());
  }
  model.shapes.clear();
  auto record = [&](const onnx::ValueInfoProto& info) {
    TensorShape shape = ShapeOf(info.type());
    auto [it, inserted] = model.shapes.emplace(info.name(), shape);
    if (!inserted && !it->second.known &&
        (shape.known || shape.unknown_dim > it->second.unknown_dim))
      it->second = shape;
  };
  const onnx::GraphProto& graph = inferred.graph();
  for (const onnx::ValueInfoProto& info : graph.input()) record(info);
  for (const onnx::ValueInfoProto& info : graph.value_info()) record(info);
  for (const onnx::ValueInfoProto& info : graph.output()) record(info);
  for (const auto& [name, init] : model.initializers) {
    TensorShape& shape = model.shapes[name];
    shape.dims.assign(init->dims().begin(), init->dims().end());
    shape.known = true;
  }
  for (const auto& [name, value] : model.values) {
    TensorShape& shape = model.shapes[name];
    shape = TensorShape{value.shape, true, -1, "", value.type};
  }
}

}  // namespace tessel::io::onnx_detail
