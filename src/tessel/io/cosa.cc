#include "tessel/io/cosa.h"

namespace tessel::io {
namespace {

constexpr int kOutputChannelDim = 5;  // position of M in MakeConvProblem's R S P Q C M N

std::int64_t Bound(const YNode& problem, const std::string& dim) {
  YNode bound = problem.Get(dim);
  if (!bound.Valid())
    problem.Fail("problem has no bound for dimension '" + dim + "'; add '" + dim +
                 ": <positive integer>' (shape cnn-layer needs R, S, P, Q, C, K, N)");
  std::int64_t value = bound.AsInt("bound of dimension '" + dim + "'");
  if (value <= 0)
    bound.Fail("dimension '" + dim + "' has bound " + std::to_string(value) +
               "; a dimension bound must be a positive integer");
  return value;
}

std::int64_t Stride(const YNode& problem, const std::string& key) {
  YNode node = problem.Get(key);
  if (!node.Valid()) return 1;
  std::int64_t value = node.AsInt(key);
  if (value <= 0) node.Fail(key + " must be a positive integer, got " + std::to_string(value));
  return value;
}

std::int64_t Dilation(const YNode& problem, const std::string& key) {
  YNode node = problem.Get(key);
  if (!node.Valid()) return 1;
  std::int64_t value = node.AsInt(key);
  if (value < 0) node.Fail(key + " must not be negative, got " + std::to_string(value));
  return value == 0 ? 1 : value;  // see the header: 0 means "no dilation" in CoSA's files
}

}  // namespace

Problem MakeCosaConvProblem(const std::string& name, const ConvShape& shape) {
  Problem problem = MakeConvProblem(name, shape);
  problem.dims[kOutputChannelDim].name =
      std::string(1, 'K');  // (a literal trips GCC 12 -Wrestrict)
  return problem;
}

Problem ParseFlatCnnProblem(const YNode& problem) {
  YNode shape = problem.Get("shape");
  const std::string shape_name = shape.AsString("problem shape");
  const std::string normalized = NormalizeKey(ToLower(shape_name));
  if (normalized != "cnn_layer")
    shape.Fail("unsupported problem shape '" + shape_name +
               "'; the flat form supports cnn-layer only (write other shapes as a map with "
               "dimensions, coefficients and data_spaces)");
  const bool timeloop_names = !problem.Has("K") && problem.Has("M");
  ConvShape conv;
  conv.R = Bound(problem, "R");
  conv.S = Bound(problem, "S");
  conv.P = Bound(problem, "P");
  conv.Q = Bound(problem, "Q");
  conv.C = Bound(problem, "C");
  conv.M = Bound(problem, timeloop_names ? "M" : "K");
  conv.N = Bound(problem, "N");
  conv.w_stride = Stride(problem, "Wstride");
  conv.h_stride = Stride(problem, "Hstride");
  conv.w_dilation = Dilation(problem, "Wdilation");
  conv.h_dilation = Dilation(problem, "Hdilation");
  return timeloop_names ? MakeConvProblem(shape_name, conv) : MakeCosaConvProblem(shape_name, conv);
}

}  // namespace tessel::io
