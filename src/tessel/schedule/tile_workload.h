// The layers an RA tree schedules: the network with every element-wise activation or pure data
// movement that has one producer (Relu, LeakyRelu, Clip, Sigmoid, Tanh, Gelu, Div, Dropout,
// Identity, BatchNormalization, Flatten, Reshape, Transpose, Squeeze, Unsqueeze) fused into that
// producer, as SET's layer lists do (its ResNet-50 has 72 layers: convs, pools, additions, fc).
// A fused layer keeps its producer's name; its output is the chain's last output.
#pragma once
#include "tessel/workload/workload.h"

namespace tessel {

Workload FuseForTiles(const Workload& workload);

}  // namespace tessel
