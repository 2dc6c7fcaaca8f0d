#include "tessel/sweep/points.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

#include "fmt/format.h"
#include "tessel/common/rng.h"

namespace tessel::sweep {
namespace {

constexpr std::int64_t kMaxGrid = std::int64_t{1} << 40;

bool ParseNumber(const std::string& text, double* value) {
  if (text.empty()) return false;
  char* end = nullptr;
  *value = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && std::isfinite(*value);
}

}  // namespace

std::int64_t GridSize(const std::vector<Parameter>& parameters) {
  std::int64_t size = 1;
  for (const Parameter& parameter : parameters) {
    size *= static_cast<std::int64_t>(parameter.values.size());
    if (size > kMaxGrid)
      throw UserError(parameter.where, "the grid has more than 2^40 points; use sample: N");
  }
  return size;
}

Point GridPoint(const std::vector<Parameter>& parameters, std::int64_t index) {
  Point point;
  point.index = index;
  point.values.assign(parameters.size(), 0);
  for (size_t i = parameters.size(); i-- > 0;) {
    const auto count = static_cast<std::int64_t>(parameters[i].values.size());
    point.values[i] = static_cast<int>(index % count);
    index /= count;
  }
  return point;
}

std::vector<Point> GridPoints(const std::vector<Parameter>& parameters) {
  std::vector<Point> points;
  const std::int64_t size = GridSize(parameters);
  for (std::int64_t i = 0; i < size; ++i) points.push_back(GridPoint(parameters, i));
  return points;
}

std::vector<Point> SamplePoints(const std::vector<Parameter>& parameters, std::int64_t count,
                                std::uint64_t seed) {
  const std::int64_t size = GridSize(parameters);
  if (count >= size) return GridPoints(parameters);
  // Floyd's algorithm: `count` distinct indices, each subset equally likely.
  std::mt19937_64 rng(TaskSeed(seed, 0));
  std::set<std::int64_t> chosen;
  for (std::int64_t j = size - count; j < size; ++j) {
    const auto t = static_cast<std::int64_t>(UniformBelow(rng, static_cast<std::uint64_t>(j + 1)));
    if (!chosen.insert(t).second) chosen.insert(j);
  }
  std::vector<Point> points;
  for (std::int64_t index : chosen) points.push_back(GridPoint(parameters, index));
  return points;
}

std::string NumberText(double value) {
  if (std::abs(value) < 9e15 && value == std::floor(value))
    return fmt::format("{}", static_cast<std::int64_t>(value));
  return fmt::format("{}", value);
}

bool TargetText(const ParameterValue& value, const ParameterTarget& target, std::string* text) {
  if (target.factor == 1) {
    *text = value.text;
    return true;
  }
  double number = 0;
  if (!ParseNumber(value.text, &number)) return false;
  *text = NumberText(number * target.factor);
  return true;
}

std::vector<double> RangeValues(double from, double to, double step, double times) {
  std::vector<double> values;
  // Steps are counted, not accumulated, so 0.1-steps do not drift; 1e-9 relative slack keeps
  // `to` itself when rounding lands just above it.
  const double slack = 1e-9 * std::max(1.0, std::abs(to));
  if (times > 1) {
    for (double v = from; v <= to + slack && values.size() < 100000; v *= times)
      values.push_back(v);
  } else {
    for (std::int64_t i = 0; values.size() < 100000; ++i) {
      const double v = from + static_cast<double>(i) * step;
      if (v > to + slack) break;
      values.push_back(v);
    }
  }
  return values;
}

}  // namespace tessel::sweep
