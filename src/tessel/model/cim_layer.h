// A layer as a crossbar sees it: per group, a weight matrix of kernel_h*kernel_w*in_channels rows
// (unrolled onto wordlines) by out_channels filters (onto bitlines), applied to OutputVectors()
// input vectors, one per output pixel of every image. A plain conv or matmul has one group; a
// grouped conv has `groups` independent matrices (in_channels and out_channels are per group, as
// Timeloop's C and M are), a depthwise conv one per channel (in_channels = out_channels = 1).
#pragma once

#include <cstdint>
#include <string>

#include "tessel/workload/problem.h"

namespace tessel {

struct CimLayer {
  std::string name;
  std::int64_t kernel_h = 1, kernel_w = 1;  // k x k of the formula (Timeloop S, R)
  std::int64_t in_channels = 1;             // C per group
  std::int64_t out_channels = 1;            // K per group (Timeloop M)
  std::int64_t out_h = 1, out_w = 1;        // H, W of the formula: output rows, columns (Q, P)
  std::int64_t batch = 1;                   // N
  std::int64_t stride_h = 1, stride_w = 1;
  std::int64_t dilation_h = 1, dilation_w = 1;
  std::int64_t groups = 1;  // G (Timeloop's group dimension; 1 = not grouped); last, so that
                            // positional initialisers of the fields above stay valid

  // k*k*C: wordlines one whole filter needs (one group's rows).
  std::int64_t WeightRows() const { return kernel_h * kernel_w * in_channels; }
  // G*K: filters (output channels) of the whole layer.
  std::int64_t TotalFilters() const { return groups * out_channels; }
  // W*H*N: matrix-vector products the layer needs.
  std::int64_t OutputVectors() const { return out_h * out_w * batch; }
  // Input rows and columns one image spans (Timeloop's convention: (P-1)*stride + (R-1)*dil + 1).
  std::int64_t InputH() const { return (out_h - 1) * stride_h + (kernel_h - 1) * dilation_h + 1; }
  std::int64_t InputW() const { return (out_w - 1) * stride_w + (kernel_w - 1) * dilation_w + 1; }
  // Words of the whole input tensor: N * InputH * InputW * G*C.
  std::int64_t InputWords() const { return batch * InputH() * InputW() * in_channels * groups; }
};

// Reads a Problem as a CIM layer. Recognised forms:
//   * Timeloop's cnn-layer (dims R S P Q C, M or K, N, and G for a grouped conv;
//     MakeConvProblem, CoSA's flat form): strides and dilations from the
//     Wstride/Hstride/Wdilation/Hdilation coefficients; a fully-connected layer is the 1x1 case
//     with P = Q = 1;
//   * a matmul: three dimensions, one read-write output indexed by two of them. The weight
//     operand is the data space named "Weights" or "B" if there is one, else the last input;
//     the dimension the output lacks is C (in features), the one the output shares with the
//     weights is K (out features), the remaining one becomes W (rows of the activation).
// Returns "" and fills `layer` (name = problem.name) on success, else why the problem is not
// one of these forms.
std::string ToCimLayer(const Problem& problem, CimLayer* layer);

}  // namespace tessel
