// Horizontal bar charts as inline SVG, for the HTML report: one row per item, bars stacked from
// several series, an optional marker per row, a value axis with round ticks, and a <title>
// tooltip on every bar segment. No script, no external resource.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tessel {

struct ChartSeries {
  std::string name;
  std::string color;  // any CSS colour, e.g. "#4e79a7"
};

struct ChartRow {
  std::string label;           // drawn left of the bar (shortened when long; full in the tooltip)
  std::vector<double> values;  // one per series, >= 0; stacked left to right
  double marker = -1;          // drawn as a vertical tick at this value when >= 0
  std::string note;            // extra tooltip line for the row (e.g. "Conv, 3x3")
};

struct BarChart {
  std::string id;          // unique within the page (prefix of element ids)
  std::string value_unit;  // axis title, e.g. "cycles" or "energy (uJ)"
  std::vector<ChartSeries> series;
  std::vector<ChartRow> rows;
  std::string marker_name;  // legend and tooltip text of the markers ("" when there are none)
  int label_width = 170;    // px reserved for the row labels
  double axis_max = 0;      // the value axis's end; 0: a round number above the largest bar
  bool legend = true;       // false: no legend (rows are labelled enough)
};

// The chart as an <svg> element that scales to its container's width. The value axis spans
// 0 .. a round number above the largest stacked total; an empty chart draws only its frame.
std::string RenderBarChart(const BarChart& chart);

// Round tick step for an axis from 0 to `max` with about `target` ticks: 1, 2 or 5 x 10^k.
double NiceStep(double max, int target);

// Short number for axis labels: 0, 250, 1.5k, 12M, 3G.
std::string ShortNumber(double value);

// An integer with thousands separators: 1,234,567.
std::string GroupThousands(std::int64_t value);

// Text with &, <, >, " and ' escaped for HTML / SVG text and attributes.
std::string EscapeHtml(const std::string& text);

}  // namespace tessel
