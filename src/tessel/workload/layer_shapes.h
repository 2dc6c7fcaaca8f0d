// Building layers from the attributes frameworks state (ONNX / PyTorch conventions, NCHW), so
// the zoo and every reader derive problems the same way.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tessel/workload/problem.h"
#include "tessel/workload/workload.h"

namespace tessel {

// A 2-D convolution as ONNX's Conv / PyTorch's Conv2d describe it. A 1-D convolution is one with
// in_h == kernel_h == 1.
struct ConvSpec {
  std::int64_t batch = 1;
  std::int64_t in_channels = 1, in_h = 1, in_w = 1;  // input tensor [batch, C, H, W]
  std::int64_t out_channels = 1;
  std::int64_t kernel_h = 1, kernel_w = 1;
  std::int64_t stride_h = 1, stride_w = 1;
  std::int64_t dilation_h = 1, dilation_w = 1;
  std::int64_t pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
  std::int64_t groups = 1;
};

// Output extent of a convolution or pooling window along one axis:
// floor((in + pad_begin + pad_end - dilation*(kernel-1) - 1) / stride) + 1; < 1 when the window
// does not fit.
std::int64_t ConvOutputSize(std::int64_t in, std::int64_t kernel, std::int64_t stride,
                            std::int64_t dilation, std::int64_t pad_begin, std::int64_t pad_end);

// A kConv layer named `name` with op "Conv": the whole convolution as one problem in Timeloop's
// cnn-layer form (R = kernel_w, S = kernel_h, P = out_w, Q = out_h, C = in_channels/groups,
// M = out_channels/groups, N = batch; Wstride/Hstride, Wdilation/Hdilation), with the group
// dimension G = groups when groups > 1 (MakeConvProblem); repeat is 1. Element counts are the
// whole input and output tensors. Throws UserError (naming the layer) when a size is not
// positive, the channels are not divisible by groups, or the window does not fit.
Layer MakeConvLayer(const std::string& name, const ConvSpec& spec);

// A transposed convolution as ONNX's ConvTranspose / PyTorch's ConvTranspose2d describe it
// (in_h/in_w are the input's extents; the output's are computed).
struct ConvTransposeSpec : ConvSpec {
  std::int64_t output_pad_h = 0, output_pad_w = 0;  // extra rows / columns at the end
};

// Output extent of a transposed convolution along one axis:
// (in - 1) * stride - pad_begin - pad_end + dilation * (kernel - 1) + output_pad + 1.
std::int64_t ConvTransposeOutputSize(std::int64_t in, std::int64_t kernel, std::int64_t stride,
                                     std::int64_t dilation, std::int64_t pad_begin,
                                     std::int64_t pad_end, std::int64_t output_pad);

// The bounds of a transposed convolution's problem: kernel R x S, INPUT extent W x H, C input
// and M output channels per group, batch N, G groups.
struct ConvTransposeShape {
  std::int64_t R = 1, S = 1, W = 1, H = 1, C = 1, M = 1, N = 1, G = 1;
  std::int64_t w_stride = 1, h_stride = 1, w_dilation = 1, h_dilation = 1;
};

// A transposed convolution as a Timeloop problem: every input pixel (h, w) of channel c scatters
// its R x S x M products into the output. Dimensions R S W H C M N (and G when G > 1);
//   Weights[G][C][M][R][S]  (ONNX's weights are [C, M/groups, kernel_h, kernel_w]: the same
//                            words; the rank order follows the cnn-layer's),
//   Inputs[N][G][C][H][W],
//   Outputs(rw)[N][G][M][S*Hdilation + H*Hstride][R*Wdilation + W*Wstride]
// (the G ranks only when G > 1). The output ranks are the affine ones: the dual of a conv, whose
// input ranks are. They span the whole scattered range, (W-1)*stride + (R-1)*dilation + 1
// columns, before pads crop it, as a conv's input ranks span the padded window.
// Operations: R*S*W*H*C*M*N*G, the multiplies PyTorch and ONNX runtimes perform.
Problem MakeConvTransposeProblem(const std::string& name, const ConvTransposeShape& shape);

// A kOtherMac layer with op "ConvTranspose" (MakeConvTransposeProblem). Element counts are the
// whole input and output tensors; pads as for a conv. Throws UserError (naming the layer) for
// non-positive sizes, channels not divisible by groups, an output padding not smaller than the
// stride or the dilation, or an output smaller than one pixel.
Layer MakeConvTransposeLayer(const std::string& name, const ConvTransposeSpec& spec);

// GEMM Z[M][N] = A[M][K] x B[K][N]. Dimensions M N K; data spaces named as in Timeloop's CNN
// layer so that keep/bypass constraints written for convs apply unchanged:
//   Weights = B [K][N], Inputs = A [M][K], Outputs = Z [M][N] (read_write).
Problem MakeMatMulProblem(const std::string& name, std::int64_t m, std::int64_t n, std::int64_t k);

// Batched matmul Z[B][M][N] = A[B][M][K] x B[B][K][N]: dimensions B M N K, same data-space names.
// An operand that is shared by all batches (broadcast, e.g. a weight matrix) has no B rank:
// `inputs_batched` / `weights_batched` say whether A / B have one.
Problem MakeBatchedMatMulProblem(const std::string& name, std::int64_t batch, std::int64_t m,
                                 std::int64_t n, std::int64_t k, bool inputs_batched = true,
                                 bool weights_batched = true);

// A kMatMul layer with op `op` ("Gemm" or "MatMul"): a plain GEMM when batch == 1, else batched.
// input_elements counts A, plus B when `weights_are_activations` (attention's Q x K^T reads two
// activations); output_elements counts Z.
Layer MakeMatMulLayer(const std::string& name, const std::string& op, std::int64_t batch,
                      std::int64_t m, std::int64_t n, std::int64_t k,
                      bool weights_are_activations = false);

// A kNoMac layer.
Layer MakeNoMacLayer(const std::string& name, const std::string& op, std::int64_t input_elements,
                     std::int64_t output_elements);

// The conv parameters of a Timeloop cnn-layer problem (dimensions R S P Q C M N in that order,
// the output-channel one named M or, as CoSA names it, K; and a last dimension G for a grouped
// conv); nullopt for any other shape.
std::optional<ConvShape> AsConvShape(const Problem& problem);

// Product of a tensor shape's extents (1 for a scalar).
std::int64_t Elements(const std::vector<std::int64_t>& shape);

}  // namespace tessel
