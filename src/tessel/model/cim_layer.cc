#include "tessel/model/cim_layer.h"

#include <string_view>
#include <vector>

namespace tessel {
namespace {

std::int64_t CoefficientOr1(const Problem& problem, std::string_view name) {
  for (const Coefficient& c : problem.coefficients)
    if (c.name == name) return c.value;
  return 1;
}

// True when the problem's dimensions are exactly the cnn-layer's (output channels M or K), with
// an eighth dimension G for a grouped conv.
bool IsCnnLayer(const Problem& problem) {
  const std::size_t dims = problem.DimIndex("G") >= 0 ? 8 : 7;
  if (problem.dims.size() != dims || problem.data_spaces.size() != 3) return false;
  for (std::string_view name : {"R", "S", "P", "Q", "C", "N"})
    if (problem.DimIndex(name) < 0) return false;
  return problem.DimIndex("M") >= 0 || problem.DimIndex("K") >= 0;
}

CimLayer FromCnnLayer(const Problem& problem) {
  auto bound = [&](std::string_view dim) { return problem.dims[problem.DimIndex(dim)].bound; };
  CimLayer layer;
  layer.name = problem.name;
  // Timeloop's Inputs projection pairs R with P (width, Wstride) and S with Q (height, Hstride).
  layer.kernel_w = bound("R");
  layer.kernel_h = bound("S");
  layer.out_w = bound("P");
  layer.out_h = bound("Q");
  layer.in_channels = bound("C");
  layer.out_channels = bound(problem.DimIndex("M") >= 0 ? "M" : "K");
  layer.batch = bound("N");
  if (problem.DimIndex("G") >= 0) layer.groups = bound("G");
  layer.stride_w = CoefficientOr1(problem, "Wstride");
  layer.stride_h = CoefficientOr1(problem, "Hstride");
  layer.dilation_w = CoefficientOr1(problem, "Wdilation");
  layer.dilation_h = CoefficientOr1(problem, "Hdilation");
  return layer;
}

std::string FromMatmul(const Problem& problem, CimLayer* layer) {
  const std::string not_matmul =
      "problem '" + problem.name +
      "' is neither a cnn-layer (dimensions R S P Q C M|K N) nor a matmul (three dimensions, "
      "one read-write output over two of them); the CIM models support conv and matmul layers";
  if (problem.dims.size() != 3 || problem.data_spaces.size() != 3) return not_matmul;
  int output = -1;
  std::vector<int> operands;
  for (int s = 0; s < 3; ++s) {
    if (problem.data_spaces[s].read_write) {
      if (output >= 0) return not_matmul;
      output = s;
    } else {
      operands.push_back(s);
    }
  }
  if (output < 0) return not_matmul;
  int weights = operands.back();
  for (int s : operands)
    if (problem.data_spaces[s].name == "Weights" || problem.data_spaces[s].name == "B") weights = s;
  int reduction = -1, out_features = -1, rows = -1;
  for (int d = 0; d < 3; ++d) {
    const bool in_output = problem.IsRelevant(output, d);
    const bool in_weights = problem.IsRelevant(weights, d);
    if (!in_output && in_weights) reduction = d;
    if (in_output && in_weights) out_features = d;
    if (in_output && !in_weights) rows = d;
  }
  if (reduction < 0 || out_features < 0 || rows < 0) return not_matmul;
  *layer = CimLayer{};
  layer->name = problem.name;
  layer->in_channels = problem.dims[reduction].bound;
  layer->out_channels = problem.dims[out_features].bound;
  layer->out_w = problem.dims[rows].bound;
  return "";
}

}  // namespace

std::string ToCimLayer(const Problem& problem, CimLayer* layer) {
  if (IsCnnLayer(problem)) {
    *layer = FromCnnLayer(problem);
    return "";
  }
  return FromMatmul(problem, layer);
}

}  // namespace tessel
