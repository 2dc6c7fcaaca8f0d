// Internal to the ONNX reader: the layer for one node that survived folding (step 8 of reader.h),
// and the helpers the layer builders share.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tessel/io/onnx/model.h"
#include "tessel/workload/workload.h"

namespace tessel::io::onnx_detail {

// Conv -> kConv (one problem, with the group dimension G when grouped; 1-D convs have S = Q = 1),
// ConvTranspose -> kOtherMac, Gemm / MatMul / Einsum (matrix-product forms) -> kMatMul, anything
// else -> kNoMac. Element counts cover the node's non-constant inputs and its outputs. No
// edges. Throws UserError naming the node for inconsistent attributes, and naming the tensor,
// the dimension and the node that stopped shape inference for a shape that is still unknown.
Layer NodeToLayer(const Model& model, int index);

// The layer builders (conv_layers.cc, einsum_layer.cc).
Layer ConvLayer(const Model& model, int index);
Layer ConvTransposeLayer(const Model& model, int index);
Layer EinsumLayer(const Model& model, int index);

// The static shape of `tensor`, read (or written) by node `index` as `role` ("input 0"); a
// UserError explaining why when it is unknown.
const std::vector<std::int64_t>& KnownShape(const Model& model, int index,
                                            const std::string& tensor, const std::string& role);

// An Einsum equation read against its operands' shapes. Labels are letters (character codes) or
// the axes an ellipsis stands for (1000 + position from the right).
struct EinsumTerms {
  std::string equation;                  // without spaces
  std::vector<std::vector<int>> inputs;  // the labels of each operand
  std::vector<int> output;               // explicit, or implicit (numpy's rule)
  std::map<int, std::int64_t> extent;    // label -> extent (broadcast)
  std::vector<std::int64_t> output_shape;
  std::string error;  // why the equation does not fit the shapes; empty when it does
};
EinsumTerms ParseEinsum(std::string equation, const std::vector<std::vector<std::int64_t>>& shapes);

[[noreturn]] void FailAt(const Model& model, int index, const std::string& message);

const onnx::AttributeProto* FindAttribute(const onnx::NodeProto& node, const std::string& name);
std::int64_t IntAttribute(const onnx::NodeProto& node, const std::string& name,
                          std::int64_t fallback);
// An ints attribute with `count` entries, or `fallback` repeated when absent; an error naming the
// node when it has another length.
std::vector<std::int64_t> IntsAttribute(const Model& model, int index, const std::string& name,
                                        size_t count, std::int64_t fallback);

}  // namespace tessel::io::onnx_detail
