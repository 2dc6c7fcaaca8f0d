// Internal to the ONNX reader: the layer for one node that survived folding.
#pragma once

#include "tessel/io/onnx_model.h"
#include "tessel/workload/workload.h"

namespace tessel::io::onnx_detail {

// Conv -> kConv (one group's problem, repeat = group; 1-D convs have S = Q = 1), Gemm and MatMul
// -> kMatMul, anything else -> kNoMac. Element counts cover the node's non-constant inputs and
// its outputs. No edges. Throws UserError naming the node for inconsistent attributes and
// naming the tensor and dimension for a shape inference could not determine.
Layer NodeToLayer(const Model& model, int index);

}  // namespace tessel::io::onnx_detail
