// Step 7 of the ONNX reader: which operators may remain as layers once constants are folded.
#include <set>

#include "tessel/common/error.h"
#include "tessel/io/onnx/model.h"

namespace tessel::io::onnx_detail {
namespace {

// Operators that may survive folding (domain ai.onnx). Conv, ConvTranspose, Gemm, MatMul and
// Einsum become MAC layers (layers.cc); the rest perform no multiply-accumulates and become
// no-MAC layers with their element counts. An operator that does MACs tessel cannot model (RNNs,
// quantized or 3-D convolutions, ...) is deliberately absent, so it is refused rather than
// silently costed as data movement. Operators that only build constants (Shape, Range, Mod,
// ScatterND, ...) may appear anywhere: they are checked only if they survive, i.e. compute from
// the model's data at run time.
const std::set<std::string>& KnownOps() {
  static const std::set<std::string> ops = {
      // MACs
      "Conv", "ConvTranspose", "Gemm", "MatMul", "Einsum",
      // folded away
      "Constant", "Identity", "Dropout",
      // activations and element-wise arithmetic
      "Relu", "LeakyRelu", "PRelu", "Clip", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Elu",
      "Selu", "Celu", "Gelu", "Mish", "Erf", "Softplus", "Softsign", "ThresholdedRelu", "Exp",
      "Log", "Sqrt", "Neg", "Abs", "Reciprocal", "Pow", "Add", "Sub", "Mul", "Div", "Mod", "Max",
      "Min", "Sum", "Mean", "Where", "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual",
      "Not", "And", "Or", "Xor", "Cast", "CastLike", "Floor", "Ceil", "Round", "Sign", "Sin", "Cos",
      "IsNaN", "IsInf", "BitShift",
      // normalisation, softmax, reductions, pooling
      "BatchNormalization", "LayerNormalization", "InstanceNormalization", "GroupNormalization",
      "LpNormalization", "MeanVarianceNormalization", "Softmax", "LogSoftmax", "Hardmax",
      "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
      "ReduceSumSquare", "ReduceLogSum", "ReduceLogSumExp", "ArgMax", "ArgMin", "CumSum",
      "GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool", "AveragePool", "MaxPool", "LpPool",
      // data movement, indexing and shape computation
      "Concat", "Split", "Slice", "Gather", "GatherElements", "GatherND", "Scatter",
      "ScatterElements", "ScatterND", "Flatten", "Reshape", "Transpose", "Squeeze", "Unsqueeze",
      "Expand", "Tile", "Pad", "Resize", "Upsample", "DepthToSpace", "SpaceToDepth", "Shape",
      "Size", "ConstantOfShape", "Range", "NonZero", "TopK", "Trilu", "OneHot", "EyeLike",
      "Compress", "ReverseSequence"};
  return ops;
}

}  // namespace

bool IsDefaultDomain(const std::string& domain) { return domain.empty() || domain == "ai.onnx"; }

void CheckOperators(const Model& model) {
  std::vector<std::string> unsupported;
  for (int i = 0; i < model.node_count(); ++i) {
    const onnx::NodeProto& node = model.node(i);
    if (model.folded[i]) continue;
    if (IsDefaultDomain(node.domain()) && KnownOps().count(node.op_type())) continue;
    std::string op =
        IsDefaultDomain(node.domain()) ? node.op_type() : node.domain() + ":" + node.op_type();
    unsupported.push_back("'" + model.labels[i] + "' (" + op + ")");
  }
  if (unsupported.empty()) return;
  std::string list;
  for (const std::string& entry : unsupported) list += (list.empty() ? "" : ", ") + entry;
  throw UserError(SourceLocation{model.file, 0, 0},
                  std::to_string(unsupported.size()) + " node" +
                      (unsupported.size() == 1 ? " has an operator" : "s have operators") +
                      " that tessel does not support: " + list +
                      " (supported operators are listed in docs/workloads.md)");
}

std::vector<std::string> SupportedOps() {
  return std::vector<std::string>(KnownOps().begin(), KnownOps().end());
}

}  // namespace tessel::io::onnx_detail
