// Why a tensor's shape is unknown: the node and operator that stopped shape inference.
#include <onnx/defs/schema.h>

#include <map>
#include <unordered_set>

#include "tessel/io/onnx/model.h"

namespace tessel::io::onnx_detail {
namespace {

// Inputs whose VALUES (not shapes) decide an operator's output shape.
const std::vector<int>& ValueSlots(const std::string& op) {
  static const std::map<std::string, std::vector<int>> slots = {{"Reshape", {1}},
                                                                {"Expand", {1}},
                                                                {"Tile", {1}},
                                                                {"Slice", {1, 2, 3, 4}},
                                                                {"Resize", {1, 2, 3}},
                                                                {"Upsample", {1}},
                                                                {"ConstantOfShape", {0}},
                                                                {"Range", {0, 1, 2}},
                                                                {"Pad", {1, 3}},
                                                                {"TopK", {1}},
                                                                {"Split", {1}},
                                                                {"Squeeze", {1}},
                                                                {"Unsqueeze", {1}},
                                                                {"OneHot", {1}},
                                                                {"ReduceSum", {1}},
                                                                {"ReduceMean", {1}},
                                                                {"ReduceMax", {1}},
                                                                {"ReduceMin", {1}},
                                                                {"ReduceProd", {1}},
                                                                {"ReduceL1", {1}},
                                                                {"ReduceL2", {1}},
                                                                {"ReduceSumSquare", {1}},
                                                                {"ReduceLogSum", {1}},
                                                                {"ReduceLogSumExp", {1}},
                                                                {"Compress", {1}},
                                                                {"NonZero", {0}}};
  static const std::vector<int> none;
  auto it = slots.find(op);
  return it == slots.end() ? none : it->second;
}

int OpsetOf(const Model& model, const std::string& domain) {
  for (const onnx::OperatorSetIdProto& opset : model.proto.opset_import())
    if (opset.domain() == domain || (IsDefaultDomain(opset.domain()) && IsDefaultDomain(domain)))
      return static_cast<int>(opset.version());
  return -1;
}

// Why the value of `tensor`, which is not a constant, is known only at run time: the model input
// whose data it is computed from, or the tensor of unknown shape whose Shape it takes.
std::string RuntimeOrigin(const Model& model, const std::string& tensor) {
  std::string current = model.Resolve(tensor);
  if (model.graph_inputs.count(current)) return "it is a model input";
  std::unordered_set<std::string> seen;
  while (seen.insert(current).second) {
    if (model.graph_inputs.count(current))
      return "it is computed from the values of model input '" + current + "'";
    auto producer = model.producer.find(current);
    if (producer == model.producer.end()) break;
    const onnx::NodeProto& node = model.node(producer->second);
    if ((node.op_type() == "Shape" || node.op_type() == "Size") && node.input_size() > 0)
      return "it is the shape of '" + node.input(0) + "', which is unknown";
    std::string next;
    for (const std::string& input : node.input())
      if (!input.empty() && !model.constants.count(model.Resolve(input))) {
        next = model.Resolve(input);
        break;
      }
    if (next.empty()) break;
    current = next;
  }
  return "it depends on the model's data";
}

// Why node `index`, whose inputs all have known shapes, has an output of unknown shape.
std::string StopReason(const Model& model, int index) {
  const onnx::NodeProto& node = model.node(index);
  const std::string& op = node.op_type();
  const std::string domain = IsDefaultDomain(node.domain()) ? "" : node.domain();
  const int opset = OpsetOf(model, domain);
  if (opset < 0 || !onnx::OpSchemaRegistry::Schema(op, opset, domain))
    return "ONNX 1.12 knows no operator " + op +
           (domain.empty() ? "" : " in domain '" + domain + "'") +
           (opset < 0 ? " (the model imports no opset for its domain)"
                      : " at opset " + std::to_string(opset)) +
           ", so nothing works out its output's shape";
  if (op == "NonZero")
    return "how many elements it outputs depends on the values of its input, known only at run "
           "time";
  for (int slot : ValueSlots(op)) {
    if (slot >= node.input_size() || node.input(slot).empty()) continue;
    const std::string& input = model.Resolve(node.input(slot));
    if (model.values.count(input)) continue;
    const std::string which = "its input " + std::to_string(slot) + " ('" + node.input(slot) + "')";
    if (auto it = model.no_value.find(input); it != model.no_value.end())
      return which + " is a constant with no value: " + it->second;
    return which + " decides the output shape but is known only at run time: " +
           RuntimeOrigin(model, input);
  }
  return "ONNX shape inference could not work it out from its inputs' shapes";
}

}  // namespace

std::string ExplainUnknownShape(const Model& model, const std::string& tensor) {
  std::string current = model.Resolve(tensor);
  std::unordered_set<std::string> seen = {current};
  while (true) {
    auto producer = model.producer.find(current);
    if (producer == model.producer.end()) return "";
    const int index = producer->second;
    std::string next;
    for (const std::string& input : model.node(index).input())
      if (!input.empty() && !model.KnownShape(input) && seen.insert(model.Resolve(input)).second) {
        next = model.Resolve(input);
        break;
      }
    if (next.empty())
      return NodeRef(model, index) + " could not work out the shape of its output '" + current +
             "': " + StopReason(model, index);
    current = next;
  }
}

}  // namespace tessel::io::onnx_detail
