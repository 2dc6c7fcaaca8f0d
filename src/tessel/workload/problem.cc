#include "tessel/workload/problem.h"

namespace tessel {

int Problem::DimIndex(std::string_view dim_name) const {
  for (size_t i = 0; i < dims.size(); ++i)
    if (dims[i].name == dim_name) return static_cast<int>(i);
  return -1;
}

int Problem::DataSpaceIndex(std::string_view space_name) const {
  for (size_t i = 0; i < data_spaces.size(); ++i)
    if (data_spaces[i].name == space_name) return static_cast<int>(i);
  return -1;
}

std::int64_t Problem::TotalOperations() const {
  std::int64_t total = 1;
  for (const Dimension& d : dims) total *= d.bound;
  return total;
}

bool Problem::IsRelevant(int space, int dim) const {
  for (const Rank& rank : data_spaces[space].ranks)
    for (const ProjectionTerm& term : rank.terms)
      if (term.dim == dim) return true;
  return false;
}

std::int64_t Problem::DataSpaceSize(int space) const {
  std::int64_t size = 1;
  for (const Rank& rank : data_spaces[space].ranks) {
    std::int64_t extent = 1;  // max index - min index + 1; all coefficients are positive
    for (const ProjectionTerm& term : rank.terms)
      extent += term.coefficient * (dims[term.dim].bound - 1);
    size *= extent;
  }
  return size;
}

Problem MakeConvProblem(const std::string& name, const ConvShape& s) {
  Problem p;
  p.name = name;
  p.dims = {{"R", s.R}, {"S", s.S}, {"P", s.P}, {"Q", s.Q}, {"C", s.C}, {"M", s.M}, {"N", s.N}};
  p.coefficients = {{"Wstride", s.w_stride},
                    {"Hstride", s.h_stride},
                    {"Wdilation", s.w_dilation},
                    {"Hdilation", s.h_dilation}};
  enum { R, S, P, Q, C, M, N, G };
  auto term = [](int dim) { return ProjectionTerm{dim, 1, ""}; };
  DataSpace weights{"Weights", {{{term(C)}}, {{term(M)}}, {{term(R)}}, {{term(S)}}}, false};
  DataSpace inputs{
      "Inputs",
      {{{term(N)}},
       {{term(C)}},
       {{ProjectionTerm{R, s.w_dilation, "Wdilation"}, ProjectionTerm{P, s.w_stride, "Wstride"}}},
       {{ProjectionTerm{S, s.h_dilation, "Hdilation"}, ProjectionTerm{Q, s.h_stride, "Hstride"}}}},
      false};
  DataSpace outputs{"Outputs", {{{term(N)}}, {{term(M)}}, {{term(Q)}}, {{term(P)}}}, true};
  if (s.G > 1) {
    p.dims.push_back({"G", s.G});
    weights.ranks.insert(weights.ranks.begin(), Rank{{term(G)}});      // [G][C][M][R][S]
    inputs.ranks.insert(inputs.ranks.begin() + 1, Rank{{term(G)}});    // [N][G][C][H][W]
    outputs.ranks.insert(outputs.ranks.begin() + 1, Rank{{term(G)}});  // [N][G][M][Q][P]
  }
  p.data_spaces = {weights, inputs, outputs};
  return p;
}

}  // namespace tessel
