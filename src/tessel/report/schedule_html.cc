#include "tessel/report/schedule_html.h"

#include <algorithm>
#include <map>
#include <sstream>

#include "fmt/format.h"
#include "tessel/report/html_style.h"
#include "tessel/report/svg_chart.h"

namespace tessel {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kWidth = 1100, kLabel = 190, kRow = 22;

std::string Color(int index) {
  static const char* kPalette[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                   "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
  return kPalette[index % 10];
}

double X(std::int64_t t, double span) { return kLabel + (kWidth - kLabel - 10) * double(t) / span; }

// One row per core, then one per link.
std::string Gantt(const Json& s) {
  const double span = std::max<double>(1, s.at("latency_cycles").get<double>());
  std::map<int, int> core_row, link_row;
  int rows = 0;
  for (const Json& c : s.at("cores")) core_row[c.at("id").get<int>()] = rows++;
  for (const Json& l : s.at("links")) link_row[l.at("id").get<int>()] = rows++;
  std::map<std::string, int> layer_color;
  std::ostringstream svg;
  svg << fmt::format("<svg viewBox=\"0 0 {} {}\" width=\"100%\" role=\"img\">\n", kWidth,
                     rows * kRow + 30);
  for (const Json& c : s.at("cores"))
    svg << fmt::format("<text x=\"4\" y=\"{}\" font-size=\"12\">core {} {}</text>\n",
                       core_row[c.at("id").get<int>()] * kRow + 15, c.at("id").get<int>(),
                       EscapeHtml(c.at("name").get<std::string>()));
  for (const Json& l : s.at("links"))
    svg << fmt::format("<text x=\"4\" y=\"{}\" font-size=\"12\">link {} {} {}</text>\n",
                       link_row[l.at("id").get<int>()] * kRow + 15, l.at("id").get<int>(),
                       l.at("type").get<std::string>(), l.at("cores").dump());
  for (const Json& n : s.at("nodes")) {
    const std::string layer = n.at("layer").get<std::string>();
    if (!layer_color.count(layer)) layer_color[layer] = static_cast<int>(layer_color.size());
    const double x0 = X(n.at("start").get<std::int64_t>(), span);
    const double x1 = X(n.at("end").get<std::int64_t>(), span);
    svg << fmt::format(
        "<rect x=\"{:.2f}\" y=\"{}\" width=\"{:.2f}\" height=\"{}\" fill=\"{}\"><title>{} node {}: "
        "{}-{} cycles</title></rect>\n",
        x0, core_row[n.at("core").get<int>()] * kRow + 3, std::max(0.5, x1 - x0), kRow - 6,
        Color(layer_color[layer]), EscapeHtml(layer), n.at("id").get<int>(),
        n.at("start").get<std::int64_t>(), n.at("end").get<std::int64_t>());
  }
  const std::map<std::string, std::string> kind_color = {{"prefetch", "#59a14f"},
                                                         {"stream", "#f28e2b"},
                                                         {"write-back", "#e15759"},
                                                         {"output", "#b07aa1"}};
  for (const Json& t : s.at("transfers"))
    for (const Json& link : t.at("links")) {
      const double x0 = X(t.at("start").get<std::int64_t>(), span);
      const double x1 = X(t.at("end").get<std::int64_t>(), span);
      svg << fmt::format(
          "<rect x=\"{:.2f}\" y=\"{}\" width=\"{:.2f}\" height=\"{}\" fill=\"{}\" "
          "fill-opacity=\"0.6\"><title>{} ({}, {} bits)</title></rect>\n",
          x0, link_row[link.get<int>()] * kRow + 3, std::max(0.5, x1 - x0), kRow - 6,
          kind_color.at(t.at("kind").get<std::string>()),
          EscapeHtml(t.at("tensor").get<std::string>()), t.at("kind").get<std::string>(),
          t.at("bits").get<std::int64_t>());
    }
  svg << fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"12\">0</text>", kLabel, rows * kRow + 20);
  svg << fmt::format(
      "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\">{} cycles</text>", kWidth - 10,
      rows * kRow + 20, GroupThousands(std::int64_t(span)));
  svg << "</svg>\n";
  return svg.str();
}

// Occupied bits over time, one step line per core that holds anything.
std::string Memory(const Json& s) {
  const double span = std::max<double>(1, s.at("latency_cycles").get<double>());
  std::ostringstream out;
  for (const Json& c : s.at("cores")) {
    if (c.at("offchip").get<bool>() || c.at("peak_memory_bits").get<std::int64_t>() == 0) continue;
    const double cap = std::max<double>(1, c.at("memory_bits").get<double>());
    constexpr int kHeight = 80;
    out << fmt::format("<h3>core {} {}: peak {} of {} bits</h3>\n", c.at("id").get<int>(),
                       EscapeHtml(c.at("name").get<std::string>()),
                       GroupThousands(c.at("peak_memory_bits").get<std::int64_t>()),
                       GroupThousands(c.at("memory_bits").get<std::int64_t>()));
    out << fmt::format("<svg viewBox=\"0 0 {} {}\" width=\"100%\">", kWidth, kHeight + 10);
    out << fmt::format(
        "<line x1=\"{}\" y1=\"5\" x2=\"{}\" y2=\"5\" stroke=\"#e15759\" "
        "stroke-dasharray=\"4\"><title>capacity</title></line>",
        kLabel, kWidth - 10);
    std::string points;
    double y_prev = kHeight + 5;
    for (const Json& step : c.at("memory_steps")) {
      const double x =
          X(std::min<std::int64_t>(step[0].get<std::int64_t>(), std::int64_t(span)), span);
      const double y = 5 + kHeight * (1 - step[1].get<double>() / cap);
      points += fmt::format("{:.1f},{:.1f} {:.1f},{:.1f} ", x, y_prev, x, y);
      y_prev = y;
    }
    out << "<polyline fill=\"none\" stroke=\"#4e79a7\" points=\"" << points << "\"/></svg>\n";
  }
  return out.str();
}

std::string Energy(const Json& s) {
  BarChart chart;
  chart.id = "energy";
  chart.value_unit = "energy (pJ)";
  chart.series = {{"energy", "#4e79a7"}};
  chart.legend = false;
  for (const auto& [name, value] : s.at("energy_breakdown_pJ").items()) {
    ChartRow row;
    row.label = name;
    row.values = {value.get<double>()};
    chart.rows.push_back(row);
  }
  return RenderBarChart(chart);
}

}  // namespace

std::string ScheduleReportHtml(const nlohmann::ordered_json& s) {
  std::ostringstream html;
  html << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>tessel schedule</title>"
       << "<style>" << ReportCss() << "</style></head><body>\n";
  html << fmt::format("<h1>{} on {}</h1>\n", EscapeHtml(s.at("workload").get<std::string>()),
                      EscapeHtml(s.at("system").get<std::string>()));
  html << fmt::format(
      "<p>Mode {}, search {}: <b>{} cycles</b>, <b>{:.6g} pJ</b>; {} nodes, {} transfers.</p>\n",
      s.at("mode").get<std::string>(), s.at("search").get<std::string>(),
      GroupThousands(s.at("latency_cycles").get<std::int64_t>()), s.at("energy_pJ").get<double>(),
      s.at("nodes").size(), s.at("transfers").size());
  html << "<h2>Gantt chart (cores, then links)</h2>\n" << Gantt(s);
  html << "<h2>Memory occupancy per core</h2>\n" << Memory(s);
  html << "<h2>Energy breakdown</h2>\n" << Energy(s);
  if (s.at("pareto").size() > 1) {
    html << "<h2>Pareto front of the allocation search</h2>\n<table><tr><th>latency (cycles)</th>"
            "<th>energy (pJ)</th></tr>\n";
    for (const Json& p : s.at("pareto"))
      html << fmt::format("<tr><td>{}</td><td>{:.6g}</td></tr>\n",
                          GroupThousands(p.at("latency_cycles").get<std::int64_t>()),
                          p.at("energy_pJ").get<double>());
    html << "</table>\n";
  }
  html << "</body></html>\n";
  return html.str();
}

}  // namespace tessel
