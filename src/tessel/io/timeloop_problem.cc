#include "tessel/io/timeloop_problem.h"

#include <optional>

#include "tessel/io/cosa.h"
#include "tessel/workload/problem_size.h"

namespace tessel::io {
namespace {

std::vector<std::string> DimNames(const Problem& problem) {
  std::vector<std::string> names;
  for (const Dimension& dim : problem.dims) names.push_back(dim.name);
  return names;
}

void ParseDimensions(const YNode& shape, Problem* problem) {
  YNode dims = shape.Get("dimensions");
  if (!dims.Valid()) shape.Fail("problem shape has no 'dimensions' list");
  for (const YNode& dim : dims.Items("dimensions")) {
    std::string name = dim.AsString("dimension name");
    if (problem->DimIndex(name) >= 0) dim.Fail("dimension '" + name + "' is listed twice");
    problem->dims.push_back({name, 1});
  }
  if (problem->dims.empty()) dims.Fail("problem shape has no dimensions");
}

// Coefficient values: the instance's value, else the shape's default, else 1.
void ParseCoefficients(const YNode& shape, const YNode& instance, Problem* problem) {
  for (const YNode& entry : shape.Get("coefficients").Items("coefficients")) {
    std::string name = entry.IsMap() ? entry.Get("name").AsString("coefficient name")
                                     : entry.AsString("coefficient name");
    const std::string what = "coefficient '" + name + "'";
    std::int64_t value = 1;
    if (entry.IsMap() && entry.Has("default")) value = entry.Get("default").AsInt(what);
    YNode where = entry;
    if (instance.Has(name)) {
      where = instance.Get(name);
      value = where.AsInt(what);
    }
    // Index expressions assume positive coefficients (see Problem::DataSpaceSize).
    if (value <= 0) where.Fail(what + " must be a positive integer, got " + std::to_string(value));
    problem->coefficients.push_back({name, value});
  }
}

std::optional<std::int64_t> CoefficientValue(const Problem& problem, const std::string& name) {
  for (const Coefficient& c : problem.coefficients)
    if (c.name == name) return c.value;
  return std::nullopt;
}

// A term is `Dim`, `[Dim]`, or `[Dim, Coef]` / `[Coef, Dim]` (whichever names a dimension).
ProjectionTerm ParseTerm(const YNode& term, const Problem& problem, const std::string& space) {
  std::vector<YNode> parts = term.IsSeq() ? term.Items("projection term") : std::vector{term};
  std::vector<std::string> names;
  for (const YNode& part : parts) names.push_back(part.AsString("projection term"));
  const std::string dims = "; the problem's dimensions are: " + JoinNames(DimNames(problem));
  if (names.empty() || names.size() > 2)
    term.Fail("a projection term of data space '" + space +
              "' must be [dimension] or [dimension, coefficient]");
  std::vector<int> dim_at;
  for (const std::string& name : names) dim_at.push_back(problem.DimIndex(name));
  if (names.size() == 1) {
    if (dim_at[0] < 0)
      term.Fail("unknown dimension '" + names[0] + "' in the projection of data space '" + space +
                "'" + dims);
    return ProjectionTerm{dim_at[0], 1, ""};
  }
  if ((dim_at[0] >= 0) == (dim_at[1] >= 0))
    term.Fail("projection term [" + names[0] + ", " + names[1] + "] of data space '" + space +
              "' must name exactly one dimension and one coefficient" + dims);
  const int d = dim_at[0] >= 0 ? 0 : 1;
  const std::string& coef = names[1 - d];
  ProjectionTerm result{dim_at[d], 1, coef};
  if (auto value = CoefficientValue(problem, coef)) {
    result.coefficient = *value;
  } else if (ParseInt64(coef, &result.coefficient)) {
    result.coefficient_name.clear();  // a literal coefficient
    if (result.coefficient <= 0)
      term.Fail("coefficient " + coef + " in the projection of data space '" + space +
                "' must be a positive integer");
  } else {
    std::vector<std::string> declared;
    for (const Coefficient& c : problem.coefficients) declared.push_back(c.name);
    term.Fail("unknown coefficient '" + coef + "' in the projection of data space '" + space +
              (declared.empty() ? "'; the shape declares no coefficients (list them under "
                                  "shape.coefficients)"
                                : "'; the declared coefficients are: " + JoinNames(declared)));
  }
  return result;
}

// One rank: a list of terms (a sum of products), or a bare dimension name.
Rank ParseRank(const YNode& rank, const Problem& problem, const std::string& space) {
  Rank result;
  if (!rank.IsSeq()) {
    result.terms.push_back(ParseTerm(rank, problem, space));
    return result;
  }
  for (const YNode& term : rank.Items("projection rank"))
    result.terms.push_back(ParseTerm(term, problem, space));
  if (result.terms.empty()) rank.Fail("an empty projection rank in data space '" + space + "'");
  return result;
}

void ParseDataSpaces(const YNode& shape, Problem* problem) {
  YNode spaces = shape.Get("data_spaces");
  if (!spaces.Valid()) shape.Fail("problem shape has no 'data_spaces' list");
  for (const YNode& entry : spaces.Items("data_spaces")) {
    DataSpace space;
    space.name = entry.Get("name").AsString("data space name");
    if (problem->DataSpaceIndex(space.name) >= 0)
      entry.Fail("data space '" + space.name + "' is listed twice");
    YNode projection = entry.Get("projection");
    if (!projection.Valid())
      entry.Fail("data space '" + space.name + "' has no 'projection' (one entry per rank)");
    for (const YNode& rank : projection.Items("projection"))
      space.ranks.push_back(ParseRank(rank, *problem, space.name));
    YNode read_write = entry.Get("read_write");
    if (read_write.Valid() && !read_write.IsNull())
      space.read_write = read_write.AsBool("read_write of '" + space.name + "'");
    problem->data_spaces.push_back(std::move(space));
  }
  if (problem->data_spaces.empty()) spaces.Fail("problem shape has no data spaces");
}

// Bounds of every dimension; other instance entries (H, W, pads, densities) are ignored.
void ParseBounds(const YNode& problem_node, const YNode& instance, Problem* problem) {
  const YNode& where = instance.Valid() ? instance : problem_node;
  for (Dimension& dim : problem->dims) {
    YNode bound = instance.Get(dim.name);
    if (!bound.Valid())
      where.Fail("problem instance has no bound for dimension '" + dim.name + "'; add '" +
                 dim.name + ": <positive integer>' to problem.instance");
    dim.bound = bound.AsInt("bound of dimension '" + dim.name + "'");
    if (dim.bound <= 0)
      bound.Fail("dimension '" + dim.name + "' has bound " + std::to_string(dim.bound) +
                 "; a dimension bound must be a positive integer");
  }
}

// `problem`, once its operation count and data-space sizes are known to fit in 64 bits
// (workload/problem_size.h); otherwise a UserError at `where`.
Problem CheckedSizes(Problem problem, const YNode& where) {
  if (const std::string overflow = ProblemSizeOverflow(problem); !overflow.empty())
    where.Fail(overflow);
  return problem;
}

}  // namespace

Problem ParseProblem(const YNode& problem_node) {
  if (!problem_node.IsMap()) problem_node.Fail("problem must be a map with shape and instance");
  YNode shape = problem_node.Get("shape");
  if (shape.IsScalar()) return CheckedSizes(ParseFlatCnnProblem(problem_node), problem_node);
  if (!shape.IsMap())
    problem_node.Fail("problem has no 'shape' map (with dimensions, coefficients, data_spaces)");
  YNode instance = problem_node.Get("instance");
  if (instance.Valid() && !instance.IsMap() && !instance.IsNull())
    instance.Fail("problem instance must be a map from dimension to bound");
  Problem problem;
  YNode name = shape.Get("name");
  if (name.IsScalar()) problem.name = name.raw().Scalar();
  ParseDimensions(shape, &problem);
  ParseCoefficients(shape, instance, &problem);
  ParseDataSpaces(shape, &problem);
  ParseBounds(problem_node, instance, &problem);
  return CheckedSizes(std::move(problem), instance.Valid() ? instance : problem_node);
}

}  // namespace tessel::io
