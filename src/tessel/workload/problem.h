// A layer's iteration space and its tensors, in Timeloop's shape/instance form.
//
// The operation space is the box [0, bound_d) over the named dimensions. Each data space (tensor)
// has one index expression per rank: a sum of dimension x coefficient terms, so conv (r*dil + p*s),
// grouped/depthwise conv and GEMM are all just problems. Coefficients are resolved to integers
// here; their names are kept so the problem can be written back in Timeloop form.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tessel {

struct ProjectionTerm {
  int dim = 0;                   // index into Problem::dims
  std::int64_t coefficient = 1;  // resolved value
  std::string coefficient_name;  // empty when the coefficient is the literal 1
};

// One rank of a tensor: index = sum over terms of coefficient * dim.
struct Rank {
  std::vector<ProjectionTerm> terms;
};

struct DataSpace {
  std::string name;
  std::vector<Rank> ranks;
  bool read_write = false;  // true for outputs / partial sums (read-modify-write)
};

struct Dimension {
  std::string name;
  std::int64_t bound = 1;  // >= 1
};

struct Coefficient {
  std::string name;
  std::int64_t value = 1;
};

struct Problem {
  std::string name;
  std::vector<Dimension> dims;
  std::vector<Coefficient> coefficients;
  std::vector<DataSpace> data_spaces;

  // Index of the dimension or data space with this name, or -1.
  int DimIndex(std::string_view dim_name) const;
  int DataSpaceIndex(std::string_view space_name) const;

  // Product of all dimension bounds: the number of MACs (operations).
  std::int64_t TotalOperations() const;

  // Whether dimension `dim` appears in any rank of data space `space`.
  bool IsRelevant(int space, int dim) const;

  // Number of distinct points of data space `space` touched by the whole operation space, with
  // Timeloop's convention that a rank spans [min, max] of its index expression.
  std::int64_t DataSpaceSize(int space) const;
};

// Timeloop's CNN layer (dimensions R S P Q C M N; Weights, Inputs, Outputs) with the given
// bounds, strides and dilations. Dimension order and data-space projections match
// Timeloop's cnn_layer problem shape.
//
// With G > 1 groups it is Timeloop's grouped-conv shape: an eighth dimension G (last) and
//   Weights[G][C][M][R][S], Inputs[N][G][C][...], Outputs(rw)[N][G][M][Q][P]
// where C and M count the channels of ONE group. The tensor channel of group g, local channel c
// is g*C + c; keeping G as its own rank (rather than one rank g*C + c) makes every tile an exact
// box under Timeloop's [min, max] projection, so a tile of a few channels of several groups is
// counted as what it holds, not as the span between its first and last channel. The total
// operations are G*C*M*R*S*P*Q*N, one problem for the whole layer.
struct ConvShape {
  std::int64_t R = 1, S = 1, P = 1, Q = 1, C = 1, M = 1, N = 1;
  std::int64_t w_stride = 1, h_stride = 1, w_dilation = 1, h_dilation = 1;
  std::int64_t G = 1;  // groups; 1 gives the plain 7-dimension cnn-layer
};
Problem MakeConvProblem(const std::string& name, const ConvShape& shape);

}  // namespace tessel
