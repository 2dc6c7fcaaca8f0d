// Step 6 of the ONNX reader: what a compiler folds before anything runs on the accelerator.
#include <unordered_map>

#include "tessel/io/onnx/model.h"

namespace tessel::io::onnx_detail {
namespace {

bool IsConstant(const Model& model, const std::string& tensor) {
  return model.constants.count(model.Resolve(tensor)) > 0;
}

// How many node inputs and graph outputs read each tensor.
std::unordered_map<std::string, int> CountReaders(const Model& model) {
  std::unordered_map<std::string, int> readers;
  for (int i = 0; i < model.node_count(); ++i)
    for (const std::string& input : model.node(i).input())
      if (!input.empty()) ++readers[input];
  for (const onnx::ValueInfoProto& output : model.proto.graph().output()) ++readers[output.name()];
  return readers;
}

// BatchNormalization folds into the Conv (or ConvTranspose) that produces its input when the BN
// is that output's only reader and its scale, bias, mean and variance are constants: the conv's
// weights and bias absorb the affine transform, so the conv's output *is* the BN's output.
bool FoldsIntoConv(const Model& model, int index,
                   const std::unordered_map<std::string, int>& readers) {
  const onnx::NodeProto& bn = model.node(index);
  if (bn.input_size() < 5 || bn.output_size() < 1) return false;
  for (int slot = 1; slot <= 4; ++slot)
    if (!IsConstant(model, bn.input(slot))) return false;
  const std::string& source = model.Resolve(bn.input(0));
  auto it = model.producer.find(source);
  if (it == model.producer.end() || model.folded[it->second]) return false;
  const std::string& op = model.node(it->second).op_type();
  if (op != "Conv" && op != "ConvTranspose") return false;
  auto count = readers.find(source);
  return count != readers.end() && count->second == 1 && source == bn.input(0);
}

bool AllOutputsConstant(const Model& model, const onnx::NodeProto& node) {
  for (const std::string& output : node.output())
    if (!output.empty() && !IsConstant(model, output)) return false;
  return node.output_size() > 0;
}

}  // namespace

void FoldConstants(Model& model) {
  const std::unordered_map<std::string, int> readers = CountReaders(model);
  for (int i = 0; i < model.node_count(); ++i) {  // topological order: producers decided first
    const onnx::NodeProto& node = model.node(i);
    const std::string& op = node.op_type();
    if (model.evaluated[i] || AllOutputsConstant(model, node)) {
      model.folded[i] = true;
    } else if ((op == "Identity" || op == "Dropout") && node.input_size() >= 1 &&
               node.output_size() >= 1 && IsDefaultDomain(node.domain())) {
      model.aliases[node.output(0)] = node.input(0);
      model.folded[i] = true;
    } else if (op == "BatchNormalization" && FoldsIntoConv(model, i, readers)) {
      model.aliases[node.output(0)] = node.input(0);
      model.folded[i] = true;
    }
  }
}

}  // namespace tessel::io::onnx_detail
