// CoSA's inputs that differ from Timeloop's: the flat CNN problem
// `problem: {shape: cnn-layer, R, S, P, Q, C, K, N, Wstride, Hstride, Wdilation, Hdilation}`.
// (CoSA's arch is Timeloop's flat form, read by timeloop_arch; its `mapspace:` keep/bypass
// constraints are read by constraints.h.)
#pragma once

#include "tessel/io/yaml_util.h"
#include "tessel/workload/problem.h"

namespace tessel::io {

// Timeloop's CNN layer shape (MakeConvProblem) with the output-channel dimension named K, as CoSA
// names it, instead of Timeloop's M. Same dimension order, projections and data spaces.
Problem MakeCosaConvProblem(const std::string& name, const ConvShape& shape);

// The flat form. The output-channel dimension is K when the file gives K (CoSA), M when it gives
// M (old Timeloop). A dilation of 0 is read as 1: CoSA's converted DeepBench layers write 0 for
// "no dilation" and CoSA itself sizes inputs as (P-1)*stride + R, i.e. with dilation 1.
Problem ParseFlatCnnProblem(const YNode& problem);

}  // namespace tessel::io
