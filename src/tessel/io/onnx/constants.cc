// Step 5 of the ONNX reader: shape inference and the constant evaluator, alternated until neither
// learns anything. Each round, inference gives shapes to the tensors the last round's values
// unlocked (a Reshape whose target was computed), and the evaluator computes every node whose
// inputs are now known: Shape / Size of a tensor of known shape, and any node reading only
// values. Where ONNX 1.12's inference stops short (Einsum gets only a rank), tessel supplies the
// output shape for the next round. A round that computes no new value and supplies no new shape
// ends the loop; each round computes at least one
// more node, so it ends after at most node_count rounds (in practice 2 to 4).
#include <algorithm>
#include <optional>

#include "tessel/common/checked_int.h"
#include "tessel/io/onnx/evaluate.h"
#include "tessel/io/onnx/layers.h"
#include "tessel/io/onnx/model.h"

namespace tessel::io::onnx_detail {
namespace {

bool IsConstant(const Model& model, const std::string& tensor) {
  return tensor.empty() || model.constants.count(model.Resolve(tensor)) > 0;
}

// Initializers this small are read before the first inference, so shape inference sees the
// data of reshape targets, axes, scales and sizes; larger ones (weights) are read only if a node
// being evaluated needs them.
constexpr std::int64_t kEagerElements = 4096;

// Records that node `index` computes constants without a value, and why (`why` is the root
// cause: a chain of constants without values all point at the node that started it).
void MarkConstantWithoutValue(Model& model, int index, const std::string& why) {
  for (const std::string& output : model.node(index).output()) {
    if (output.empty()) continue;
    model.constants.insert(output);
    model.no_value.emplace(output, why);
  }
}

std::string NotEvaluated(const Model& model, int index, const std::string& why) {
  return NodeRef(model, index) + " was not evaluated: " + why;
}

// The root reason why an input of node `index` has no value.
std::string MissingInput(Model& model, int index) {
  const onnx::NodeProto& node = model.node(index);
  for (int slot = 0; slot < node.input_size(); ++slot) {
    const std::string& input = node.input(slot);
    if (input.empty() || model.GetValue(input)) continue;
    auto it = model.no_value.find(model.Resolve(input));
    if (it != model.no_value.end()) return it->second;
    return NotEvaluated(model, index, "its input " + std::to_string(slot) + " has no value");
  }
  return NotEvaluated(model, index, "an input has no value");
}

void ReadSmallInitializers(Model& model) {
  for (const auto& [name, tensor] : model.initializers) {
    // Declared extents are untrusted: a product past kEagerElements stops (no overflow).
    std::int64_t elements = 1;
    for (std::int64_t extent : tensor->dims()) {
      const std::optional<std::int64_t> product =
          CheckedMul(elements, std::max<std::int64_t>(extent, 0));
      elements = product ? std::min(*product, kEagerElements + 1) : kEagerElements + 1;
    }
    if (elements <= kEagerElements) model.GetValue(name);
  }
}

// Tries node `index`; true when it got values for all its outputs.
bool TryEvaluate(Model& model, int index, std::vector<bool>& given_up) {
  const onnx::NodeProto& node = model.node(index);
  const std::string& op = node.op_type();
  bool all_constant = true, all_values = true;
  std::vector<Operand> operands;
  for (const std::string& input : node.input()) {
    Operand operand;
    if (!input.empty()) {
      operand.shape = model.KnownShape(input);
      all_constant &= IsConstant(model, input);
      if (NeedsOnlyShapes(op)) {
        all_values &= operand.shape != nullptr;
      } else {
        operand.value = IsConstant(model, input) ? model.GetValue(input) : nullptr;
        all_values &= operand.value != nullptr;
      }
    }
    operands.push_back(operand);
  }
  const bool evaluable = IsDefaultDomain(node.domain()) && IsEvaluable(op);
  if (!evaluable || !NeedsOnlyShapes(op)) {
    if (!all_constant) return false;
    if (!evaluable || !all_values) {  // a constant after all, without a value
      given_up[index] = true;
      MarkConstantWithoutValue(
          model, index,
          evaluable ? MissingInput(model, index)
                    : NotEvaluated(model, index, "the evaluator does not compute this operator"));
      return false;
    }
  } else if (!all_values) {
    return false;  // Shape / Size: tried again once inference knows the input's shape
  }
  try {
    std::vector<Value> outputs = EvaluateNode(node, operands);
    for (int k = 0; k < node.output_size() && k < static_cast<int>(outputs.size()); ++k) {
      if (node.output(k).empty()) continue;
      model.constants.insert(node.output(k));
      model.values[node.output(k)] = std::move(outputs[k]);
    }
    model.evaluated[index] = true;
    return true;
  } catch (const NotEvaluable& e) {
    given_up[index] = true;
    MarkConstantWithoutValue(model, index, NotEvaluated(model, index, e.what()));
    return false;
  }
}

// Output shapes ONNX 1.12 leaves unknown but tessel can work out; true when one is new.
bool SupplyShapes(Model& model) {
  bool progress = false;
  for (int i = 0; i < model.node_count(); ++i) {
    const onnx::NodeProto& node = model.node(i);
    if (model.evaluated[i] || node.op_type() != "Einsum" || !IsDefaultDomain(node.domain()) ||
        node.output_size() < 1 || model.KnownShape(node.output(0)))
      continue;
    std::vector<std::vector<std::int64_t>> shapes;
    for (const std::string& input : node.input())
      if (const std::vector<std::int64_t>* shape = model.KnownShape(input))
        shapes.push_back(*shape);
    const onnx::AttributeProto* equation = nullptr;
    for (const onnx::AttributeProto& attribute : node.attribute())
      if (attribute.name() == "equation") equation = &attribute;
    if (shapes.size() != static_cast<size_t>(node.input_size()) || !equation) continue;
    const EinsumTerms terms = ParseEinsum(equation->s(), shapes);
    if (!terms.error.empty()) continue;  // EinsumLayer reports it
    progress |= model.supplied_shapes.emplace(node.output(0), terms.output_shape).second;
  }
  return progress;
}

}  // namespace

void EvaluateConstants(Model& model) {
  std::vector<bool> given_up(model.node_count(), false);
  ReadSmallInitializers(model);
  for (int round = 0; round <= model.node_count(); ++round) {
    InferShapes(model);
    bool progress = false;
    for (int i = 0; i < model.node_count(); ++i)  // topological order: a chain in one pass
      if (!model.evaluated[i] && !given_up[i]) progress |= TryEvaluate(model, i, given_up);
    progress |= SupplyShapes(model);
    if (!progress) break;
  }
}

}  // namespace tessel::io::onnx_detail
