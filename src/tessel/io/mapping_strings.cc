#include "tessel/io/mapping_strings.h"

#include <cctype>
#include <string>

namespace tessel::io {
namespace {

constexpr const char* kFactorRule =
    "; factors are non-negative integers (0 means the whole remaining bound)";

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool IsNameChar(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_'; }

std::string DimensionList(const Problem& problem) {
  std::vector<std::string> names;
  for (const Dimension& dim : problem.dims) names.push_back(dim.name);
  return "; the problem's dimensions are: " + JoinNames(names);
}

void SetFactor(const YNode& where, const Problem& problem, const std::string& dim,
               std::int64_t factor, const std::string& text, std::vector<std::int64_t>* out) {
  const int d = problem.DimIndex(dim);
  if (d < 0) where.Fail("unknown dimension '" + dim + "' in factors" + DimensionList(problem));
  if ((*out)[d] != -1)
    where.Fail("dimension '" + dim + "' appears twice in factors '" + text + "'");
  (*out)[d] = factor;
}

// Reads one factor value starting at text[*i] (after "Dim" and an optional '='). Timeloop's
// regex is `Dim\s*=*\s*[0-9]+(,[0-9]+)?`; we additionally reject what it would silently skip.
std::int64_t ScanFactorValue(const YNode& where, const std::string& text, const std::string& dim,
                             size_t* i) {
  size_t raw_end = *i;
  while (raw_end < text.size() && !IsSpace(text[raw_end]) && text[raw_end] != ',') ++raw_end;
  const std::string raw = text.substr(*i, raw_end - *i);
  const bool negative = *i < text.size() && text[*i] == '-';
  if (*i < text.size() && (text[*i] == '-' || text[*i] == '+')) ++*i;
  const size_t digits = *i;
  while (*i < text.size() && IsDigit(text[*i])) ++*i;
  if (*i == digits)
    where.Fail("factor of '" + dim + "' is " + (raw.empty() ? "missing" : "'" + raw + "'") +
               ", not an integer" + kFactorRule);
  if (*i < text.size() && text[*i] == '.')
    where.Fail("factor of '" + dim + "' is '" + raw + "', not an integer" + kFactorRule);
  if (negative)
    where.Fail("factor of '" + dim + "' is '" + raw + "', which is negative" + kFactorRule);
  std::int64_t value = 0;
  if (!ParseInt64(text.substr(digits, *i - digits), &value))
    where.Fail("factor of '" + dim + "' is '" + raw + "', which is too large");
  size_t j = *i;
  while (j < text.size() && IsSpace(text[j])) ++j;
  if (j < text.size() && text[j] == ',') {
    ++j;
    while (j < text.size() && IsSpace(text[j])) ++j;
    size_t end = j;
    while (end < text.size() && IsDigit(text[end])) ++end;
    if (end > j)
      where.Fail("imperfect factor '" + dim + "=" + text.substr(digits, *i - digits) + "," +
                 text.substr(j, end - j) + "' is not supported; give perfect factors whose " +
                 "product over all levels equals the dimension's bound");
  }
  return value;
}

void ScanFactorText(const YNode& where, const std::string& full_text, const Problem& problem,
                    std::vector<std::int64_t>* out) {
  const std::string text = full_text.substr(0, full_text.find('#'));
  size_t i = 0;
  while (true) {
    while (i < text.size() && (IsSpace(text[i]) || text[i] == ',')) ++i;
    if (i >= text.size()) break;
    if (!IsNameChar(text[i]))
      where.Fail("cannot read factors '" + text + "' at '" + text.substr(i) +
                 "'; write them as e.g. 'C=4 K=2'");
    const size_t start = i;
    while (i < text.size() && IsNameChar(text[i])) ++i;
    const std::string dim = text.substr(start, i - start);
    while (i < text.size() && IsSpace(text[i])) ++i;
    if (i < text.size() && text[i] == '=') ++i;
    while (i < text.size() && IsSpace(text[i])) ++i;
    SetFactor(where, problem, dim, ScanFactorValue(where, text, dim, &i), text, out);
  }
}

}  // namespace

std::vector<std::int64_t> ParseFactors(const YNode& factors, const Problem& problem) {
  std::vector<std::int64_t> out(problem.dims.size(), -1);
  if (!factors.Valid() || factors.IsNull()) return out;
  if (factors.IsMap()) {
    for (const auto& [dim, value] : factors.Entries()) {
      std::int64_t factor = value.AsInt("factor of '" + dim + "'");
      if (factor < 0)
        value.Fail("factor of '" + dim + "' is '" + value.raw().Scalar() + "', which is negative" +
                   kFactorRule);
      SetFactor(value, problem, dim, factor, dim + ": " + value.raw().Scalar(), &out);
    }
  } else if (factors.IsSeq()) {
    for (const YNode& item : factors.Items("factors"))
      ScanFactorText(item, item.AsString("factors"), problem, &out);
  } else {
    ScanFactorText(factors, factors.AsString("factors"), problem, &out);
  }
  return out;
}

std::vector<std::string> PermutationTokens(const YNode& permutation, std::string* text) {
  std::vector<std::string> tokens;
  text->clear();
  if (permutation.IsSeq()) {
    for (const YNode& item : permutation.Items("permutation")) {
      tokens.push_back(item.AsString("permutation entry"));
      *text += tokens.back();
    }
    return tokens;
  }
  *text = permutation.AsString("permutation");
  *text = text->substr(0, text->find('#'));
  std::string token;
  for (char c : *text + " ") {
    if (IsSpace(c) || c == ',') {
      if (!token.empty()) tokens.push_back(token);
      token.clear();
    } else {
      token += c;
    }
  }
  return tokens;
}

std::vector<int> ParsePermutation(const YNode& permutation, const Problem& problem) {
  std::vector<int> out;
  if (!permutation.Valid() || permutation.IsNull()) return out;
  std::string text;
  const std::vector<std::string> tokens = PermutationTokens(permutation, &text);
  auto add = [&](const std::string& name) {
    const int d = problem.DimIndex(name);
    if (d < 0)
      permutation.Fail("unknown dimension '" + name + "' in permutation '" + text + "'" +
                       DimensionList(problem));
    for (int seen : out)
      if (seen == d)
        permutation.Fail("dimension '" + name + "' appears twice in permutation '" + text + "'");
    out.push_back(d);
  };
  for (const std::string& token : tokens) {
    if (problem.DimIndex(token) >= 0) {
      add(token);
    } else {
      for (char c : token) add(std::string(1, c));  // Timeloop: one letter per dimension
    }
  }
  return out;
}

}  // namespace tessel::io
