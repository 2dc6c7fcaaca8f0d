// The points of a design-space sweep: parameters, each a list of values written into one or more
// places of the inputs, and the grid (or a seeded sample of it) of their combinations.
//
// Invariants: a point is identified by its grid index (mixed radix over the parameters' value
// lists, the FIRST parameter varying slowest), so a sampled point keeps the index it has in the
// full grid and the same file gives the same points on every machine. Point lists are in grid
// order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tessel/common/error.h"

namespace tessel::sweep {

// One place a parameter's value goes: `path` into the inputs (io/sweep/paths.h resolves it), the
// value written there being the parameter's value times `factor` (1: the value as written).
struct ParameterTarget {
  std::string path;
  double factor = 1;
  SourceLocation where;  // of the path in the sweep file
};

// One value of a parameter as the sweep file writes it ("65536", "1.5", "cosa").
struct ParameterValue {
  std::string text;
  SourceLocation where;  // of the value (or of the range that produced it)
};

struct Parameter {
  std::string name;
  std::vector<ParameterTarget> targets;  // empty when the parameter sets an option
  std::string option;  // `option:` a command option (schedule, tune) set to the value instead
  std::vector<ParameterValue> values;
  SourceLocation where;
};

struct Point {
  std::int64_t index = 0;   // grid index
  std::vector<int> values;  // values[i]: index into parameters[i].values
};

// Number of grid points (the product of the value counts); UserError above 2^40 points.
std::int64_t GridSize(const std::vector<Parameter>& parameters);

// The point with this grid index.
Point GridPoint(const std::vector<Parameter>& parameters, std::int64_t index);

// Every point of the grid, in grid order.
std::vector<Point> GridPoints(const std::vector<Parameter>& parameters);

// `count` distinct points drawn uniformly from the grid with `seed`, in grid order; the whole
// grid when count >= GridSize. The same (parameters, count, seed) give the same points anywhere.
std::vector<Point> SamplePoints(const std::vector<Parameter>& parameters, std::int64_t count,
                                std::uint64_t seed);

// The text written at `target` for `value`: the value itself when factor is 1, else the product
// as an integer when it is one, else the shortest decimal that reads back the same double.
// Returns false (leaving *text alone) when factor != 1 and the value is not a number.
bool TargetText(const ParameterValue& value, const ParameterTarget& target, std::string* text);

// Values `from`, `from + step`, ... up to `to` (inclusive when hit); step > 0, to >= from.
// Or, with `times` > 1 instead of a step, `from`, `from * times`, ... up to `to`.
std::vector<double> RangeValues(double from, double to, double step, double times);

// A number as a value text: an integer without a decimal point when it is one.
std::string NumberText(double value);

}  // namespace tessel::sweep
