#include "tessel/report/svg_chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace tessel {
namespace {

// Geometry in SVG user units (px at 100 % zoom).
constexpr double kWidth = 760;
constexpr double kRightMargin = 56;
constexpr double kRowHeight = 16;
constexpr double kBarHeight = 11;
constexpr double kLegendHeight = 22;
constexpr double kAxisHeight = 22;       // tick labels above the plot
constexpr double kAxisTitleHeight = 26;  // the unit below the plot
constexpr size_t kMaxLabelChars = 26;

std::string ShortLabel(const std::string& label) {
  if (label.size() <= kMaxLabelChars) return label;
  return label.substr(0, kMaxLabelChars - 1) + "\u2026";
}

std::string Number(double value) {
  if (value == std::floor(value) && std::fabs(value) < 1e15)
    return GroupThousands(static_cast<std::int64_t>(value));
  return fmt::format("{:.4g}", value);
}

double StackTotal(const ChartRow& row) {
  return std::accumulate(row.values.begin(), row.values.end(), 0.0);
}

// Approximate text width in px at the legend's 11 px font.
double TextWidth(const std::string& text) { return 6.2 * static_cast<double>(text.size()); }

// The legend: one swatch per series, then the marker, wrapped onto as many lines of
// kLegendHeight as needed. Returns the SVG; `*height` gets the lines' total height.
std::string Legend(const BarChart& chart, double* height) {
  std::string out;
  double x = 8, y = 2;
  auto place = [&](double width) {
    if (x > 8 && x + width > kWidth - 8) {
      x = 8;
      y += kLegendHeight - 4;
    }
    const double at = x;
    x += width;
    return at;
  };
  for (const ChartSeries& series : chart.series) {
    const double at = place(24 + TextWidth(series.name));
    out += fmt::format(
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"10\" height=\"10\" rx=\"2\" fill=\"{}\"/>"
        "<text class=\"legend\" x=\"{:.1f}\" y=\"{:.1f}\">{}</text>\n",
        at, y + 3, EscapeHtml(series.color), at + 14, y + 12, EscapeHtml(series.name));
  }
  if (!chart.marker_name.empty()) {
    const double at = place(24 + TextWidth(chart.marker_name));
    out += fmt::format(
        "<line class=\"marker\" x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1:.1f}\" y2=\"{2:.1f}\"/>"
        "<text class=\"legend\" x=\"{3:.1f}\" y=\"{4:.1f}\">{5}</text>\n",
        at + 4, y + 2, y + 14, at + 12, y + 12, EscapeHtml(chart.marker_name));
  }
  *height = y + kLegendHeight;
  return out;
}

// Tick labels above the plot and grid lines through it.
std::string Axis(double max, double step, double left, double plot_width, double top,
                 double bottom) {
  std::string out;
  for (double tick = 0; tick <= max * (1 + 1e-9); tick += step) {
    const double x = left + plot_width * tick / max;
    out += fmt::format(
        "<line class=\"grid\" x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1:.1f}\" y2=\"{2:.1f}\"/>"
        "<text class=\"tick\" x=\"{0:.1f}\" y=\"{3:.1f}\">{4}</text>\n",
        x, top, bottom, top - 6, ShortNumber(tick));
  }
  return out;
}

std::string Row(const BarChart& chart, const ChartRow& row, double y, double left, double scale) {
  const std::string label = EscapeHtml(row.label);
  std::string out = fmt::format("<g class=\"row\"><title>{}{}{}</title>\n", label,
                                row.note.empty() ? "" : "\n", EscapeHtml(row.note));
  out +=
      fmt::format("<text class=\"label\" x=\"{:.1f}\" y=\"{:.1f}\">{}</text>\n",
                  chart.label_width - 6.0, y + kBarHeight - 1.5, EscapeHtml(ShortLabel(row.label)));
  double x = left;
  for (size_t s = 0; s < row.values.size() && s < chart.series.size(); ++s) {
    const double width = row.values[s] * scale;
    if (row.values[s] <= 0) continue;
    out += fmt::format(
        "<rect x=\"{:.2f}\" y=\"{:.1f}\" width=\"{:.2f}\" height=\"{:.1f}\" fill=\"{}\">"
        "<title>{}: {} {} {}</title></rect>\n",
        x, y, std::max(width, 0.5), kBarHeight, EscapeHtml(chart.series[s].color), label,
        EscapeHtml(chart.series[s].name), Number(row.values[s]), EscapeHtml(chart.value_unit));
    x += width;
  }
  if (row.marker >= 0 && !chart.marker_name.empty()) {
    const double mx = left + row.marker * scale;
    out += fmt::format(
        "<line class=\"marker\" x1=\"{0:.2f}\" x2=\"{0:.2f}\" y1=\"{1:.1f}\" y2=\"{2:.1f}\">"
        "<title>{3}: {4} {5} {6}</title></line>\n",
        mx, y - 2, y + kBarHeight + 2, label, EscapeHtml(chart.marker_name), Number(row.marker),
        EscapeHtml(chart.value_unit));
  }
  return out + "</g>\n";
}

}  // namespace

double NiceStep(double max, int target) {
  if (!(max > 0) || target < 1) return 1;
  const double raw = max / target;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double factor : {1.0, 2.0, 5.0, 10.0})
    if (factor * magnitude >= raw) return factor * magnitude;
  return 10 * magnitude;
}

std::string ShortNumber(double value) {
  const double magnitude = std::fabs(value);
  const struct {
    double scale;
    const char* suffix;
  } units[] = {{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}};
  for (const auto& unit : units)
    if (magnitude >= unit.scale) return fmt::format("{:.3g}{}", value / unit.scale, unit.suffix);
  return fmt::format("{:.3g}", value);
}

std::string GroupThousands(std::int64_t value) {
  const std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out = value < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string EscapeHtml(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string RenderBarChart(const BarChart& chart) {
  double largest = 0;
  for (const ChartRow& row : chart.rows) largest = std::max({largest, StackTotal(row), row.marker});
  double step = NiceStep(largest, 6);
  double max = largest > 0 ? std::ceil(largest / step * (1 - 1e-12)) * step : 1;
  if (chart.axis_max > 0) {
    max = chart.axis_max;
    step = NiceStep(max, 5);
  }
  const double left = chart.label_width;
  const double plot_width = kWidth - left - kRightMargin;
  double legend_height = 0;
  const std::string legend = chart.legend ? Legend(chart, &legend_height) : "";
  const double plot_top = legend_height + kAxisHeight;
  const double plot_bottom = plot_top + kRowHeight * static_cast<double>(chart.rows.size()) + 4;
  const double height = plot_bottom + kAxisTitleHeight;

  std::string out = fmt::format(
      "<svg class=\"chart\" id=\"{}\" viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\" "
      "preserveAspectRatio=\"xMinYMin meet\">\n",
      EscapeHtml(chart.id), kWidth, height);
  out += legend;
  out += Axis(max, step, left, plot_width, plot_top, plot_bottom);
  const double scale = plot_width / max;
  for (size_t i = 0; i < chart.rows.size(); ++i)
    out +=
        Row(chart, chart.rows[i], plot_top + 4 + kRowHeight * static_cast<double>(i), left, scale);
  out += fmt::format(
      "<line class=\"axis\" x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1:.1f}\" y2=\"{2:.1f}\"/>\n"
      "<text class=\"unit\" x=\"{3:.1f}\" y=\"{4:.1f}\">{5}</text>\n</svg>\n",
      left, plot_top, plot_bottom, left + plot_width / 2, plot_bottom + 18,
      EscapeHtml(chart.value_unit));
  return out;
}

}  // namespace tessel
