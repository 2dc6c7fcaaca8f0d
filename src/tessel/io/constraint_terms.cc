#include "tessel/io/constraint_terms.h"

#include <cctype>

#include "fmt/format.h"
#include "tessel/io/mapping_strings.h"

namespace tessel::io {
namespace {

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool IsNameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || IsDigit(c); }

enum class Bound { kExact, kMax, kMin };

std::string DimensionList(const Problem& problem) {
  std::vector<std::string> names;
  for (const Dimension& dim : problem.dims) names.push_back(dim.name);
  return "; the problem's dimensions are: " + JoinNames(names);
}

const char* BoundName(Bound bound) {
  return bound == Bound::kExact ? "factor" : bound == Bound::kMax ? "max factor" : "min factor";
}

// Sets one bound of one dimension; another directive's different value is an error.
void SetBound(const YNode& where, const Problem& problem, const std::string& level,
              const std::string& dim, Bound bound, std::int64_t value,
              std::vector<FactorLimit>& limits) {
  const int d = problem.DimIndex(dim);
  if (d < 0) where.Fail("unknown dimension '" + dim + "' in factors" + DimensionList(problem));
  if (bound != Bound::kExact && value <= 0)
    where.Fail(fmt::format("{} of {} must be positive, not {}", BoundName(bound), dim, value));
  FactorLimit& limit = limits[d];
  std::int64_t& slot = bound == Bound::kExact ? limit.exact
                       : bound == Bound::kMax ? limit.max
                                              : limit.min;
  const std::int64_t stored =
      bound == Bound::kExact && value == 0 ? FactorLimit::kWholeBound : value;
  const bool set = bound == Bound::kMin ? slot > 1 : slot != 0;
  if (set && slot != stored)
    where.Fail(fmt::format("{} of {} at level {} is already set to {} at {}", BoundName(bound), dim,
                           level, slot == FactorLimit::kWholeBound ? 0 : slot,
                           limit.where.ToString()));
  slot = stored;
  limit.where = where.Location();
  if (limit.max != 0 && limit.min > limit.max)
    where.Fail(fmt::format("min factor {} of {} at level {} exceeds its max factor {}", limit.min,
                           dim, level, limit.max));
}

// "C=4 M<=8, N>=2 R3": whitespace or commas between terms; '#' starts a comment.
void ScanFactors(const YNode& where, const std::string& full, const Problem& problem,
                 const std::string& level, std::vector<FactorLimit>& limits) {
  const std::string text = full.substr(0, full.find('#'));
  size_t i = 0;
  auto fail = [&](size_t at) {
    where.Fail("cannot read factors '" + text + "' at '" + text.substr(at) +
               "'; write them as e.g. 'C=4 M<=8 N>=2' (0 means the whole bound)");
  };
  while (true) {
    while (i < text.size() && (IsSpace(text[i]) || text[i] == ',')) ++i;
    if (i >= text.size()) return;
    if (!IsNameStart(text[i])) fail(i);
    const size_t start = i;
    while (i < text.size() && IsNameChar(text[i]) && !IsDigit(text[i])) ++i;
    const std::string dim = text.substr(start, i - start);
    while (i < text.size() && IsSpace(text[i])) ++i;
    Bound bound = Bound::kExact;
    if (text.compare(i, 2, "<=") == 0) {
      bound = Bound::kMax;
      i += 2;
    } else if (text.compare(i, 2, ">=") == 0) {
      bound = Bound::kMin;
      i += 2;
    } else {
      while (i < text.size() && text[i] == '=') ++i;
    }
    while (i < text.size() && IsSpace(text[i])) ++i;
    const size_t digits = i;
    while (i < text.size() && IsDigit(text[i])) ++i;
    if (i == digits) fail(digits);
    if (i < text.size() && !IsSpace(text[i]) && text[i] != ',') fail(digits);
    std::int64_t value = 0;
    if (!ParseInt64(text.substr(digits, i - digits), &value))
      where.Fail("factor of '" + dim + "' is too large");
    SetBound(where, problem, level, dim, bound, value, limits);
  }
}

void ApplyDefault(const YNode& node, Bound bound, std::vector<FactorLimit>& limits) {
  if (!node.Valid() || node.IsNull()) return;
  const std::int64_t value =
      node.AsInt(bound == Bound::kMax ? "default_max_factor" : "default_min_factor");
  if (value <= 0) node.Fail(fmt::format("{} must be positive", BoundName(bound)));
  for (FactorLimit& limit : limits) {
    std::int64_t& slot = bound == Bound::kMax ? limit.max : limit.min;
    const bool set = bound == Bound::kMax ? slot != 0 : slot > 1;
    if (set) continue;  // a dimension's own bound wins over the default, as in Timeloop
    slot = value;
    if (limit.where.file.empty()) limit.where = node.Location();
  }
}

}  // namespace

void ParseFactorConstraints(const YNode& attributes, const Problem& problem,
                            const std::string& level, std::vector<FactorLimit>& limits) {
  ParseFactorList(attributes.Get("factors"), problem, level, limits);
  ApplyDefault(attributes.Get("default_max_factor"), Bound::kMax, limits);
  ApplyDefault(attributes.Get("default_min_factor"), Bound::kMin, limits);
}

void ParseFactorList(const YNode& factors, const Problem& problem, const std::string& level,
                     std::vector<FactorLimit>& limits) {
  if (factors.Valid() && !factors.IsNull()) {
    if (factors.IsMap()) {
      for (const auto& [dim, value] : factors.Entries())
        SetBound(value, problem, level, dim, Bound::kExact, value.AsInt("factor of '" + dim + "'"),
                 limits);
    } else if (factors.IsSeq()) {
      for (const YNode& item : factors.Items("factors"))
        ScanFactors(item, item.AsString("factors"), problem, level, limits);
    } else {
      ScanFactors(factors, factors.AsString("factors"), problem, level, limits);
    }
  }
}

LoopOrder ParsePermutationConstraint(const YNode& permutation, const Problem& problem) {
  std::string text;
  const std::vector<std::string> tokens = PermutationTokens(permutation, &text);
  LoopOrder order;
  order.where = permutation.Location();
  bool outer = false;
  std::vector<bool> seen(problem.dims.size(), false);
  auto add = [&](const std::string& name) {
    if (name == "_") {
      if (outer) permutation.Fail("permutation '" + text + "' has more than one '_'");
      outer = true;
      return;
    }
    const int d = problem.DimIndex(name);
    if (d < 0)
      permutation.Fail("unknown dimension '" + name + "' in permutation '" + text + "'" +
                       DimensionList(problem));
    if (seen[d])
      permutation.Fail("dimension '" + name + "' appears twice in permutation '" + text + "'");
    seen[d] = true;
    (outer ? order.outer : order.inner).push_back(d);
  };
  for (const std::string& token : tokens) {
    if (token == "_" || problem.DimIndex(token) >= 0) {
      add(token);
    } else {
      for (char c : token) add(std::string(1, c));  // Timeloop: one letter per dimension
    }
  }
  return order;
}

}  // namespace tessel::io
