#include "tessel/workload/problem_size.h"

#include <cstdint>

#include "tessel/common/checked_int.h"

namespace tessel {
namespace {

std::string BoundList(const Problem& problem) {
  std::string list;
  for (const Dimension& d : problem.dims)
    list += (list.empty() ? "" : " x ") + d.name + "=" + std::to_string(d.bound);
  return list;
}

// The size of data space `space` as DataSpaceSize computes it, or false when it overflows.
bool CheckedDataSpaceSize(const Problem& problem, const DataSpace& space) {
  std::int64_t size = 1;
  for (const Rank& rank : space.ranks) {
    std::int64_t extent = 1;
    for (const ProjectionTerm& term : rank.terms) {
      const auto span = CheckedMul(term.coefficient, problem.dims[term.dim].bound - 1);
      if (!span) return false;
      const auto sum = CheckedAdd(extent, *span);
      if (!sum) return false;
      extent = *sum;
    }
    if (!MulInto(&size, extent)) return false;
  }
  return true;
}

}  // namespace

std::string ProblemSizeOverflow(const Problem& problem) {
  std::int64_t operations = 1;
  for (const Dimension& d : problem.dims) {
    if (!MulInto(&operations, d.bound))
      return "the operation count (the product of the bounds " + BoundList(problem) +
             ") exceeds 2^63-1";
  }
  for (const DataSpace& space : problem.data_spaces) {
    if (!CheckedDataSpaceSize(problem, space))
      return "data space '" + space.name + "' (bounds " + BoundList(problem) +
             ") has more than 2^63-1 elements";
  }
  return "";
}

}  // namespace tessel
