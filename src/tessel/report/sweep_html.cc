#include "tessel/report/sweep_html.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "fmt/format.h"
#include "tessel/report/html_style.h"
#include "tessel/report/svg_chart.h"

namespace tessel {
namespace {

using Json = nlohmann::ordered_json;

struct Dot {
  double x = 0, y = 0;
  std::string tip;
  bool front = false;
};

// A value axis: linear from 0, or logarithmic (decades) when the data spans more than 30x.
struct Axis {
  double lo = 0, hi = 1;
  bool log = false;
  void Fit(const std::vector<double>& values) {
    if (values.empty()) return;
    const auto [min, max] = std::minmax_element(values.begin(), values.end());
    log = *min > 0 && *max / *min > 30;
    if (log) {
      lo = std::pow(10, std::floor(std::log10(*min)));
      hi = std::pow(10, std::ceil(std::log10(*max)));
    } else {
      lo = 0;
      const double step = NiceStep(std::max(*max, 1e-12), 5);
      hi = std::ceil(*max / step) * step;
    }
  }
  double Frac(double v) const {
    if (log) return (std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo));
    return (v - lo) / (hi - lo);
  }
  std::vector<double> Ticks() const {
    std::vector<double> ticks;
    if (log) {
      for (double t = lo; t <= hi * 1.0001; t *= 10) ticks.push_back(t);
    } else {
      const double step = NiceStep(hi, 5);
      for (double t = 0; t <= hi * 1.0001; t += step) ticks.push_back(t);
    }
    return ticks;
  }
};

constexpr int kW = 640, kH = 360, kLeft = 70, kBottom = 46, kTop = 12, kRight = 16;

// A scatter plot; `x_labels` (categorical x at 0, 1, ...) replaces a numeric x axis when given.
std::string Scatter(const std::vector<Dot>& dots, const std::string& x_title,
                    const std::string& y_title, const std::vector<std::string>& x_labels) {
  std::vector<double> xs, ys;
  for (const Dot& d : dots) xs.push_back(d.x), ys.push_back(d.y);
  Axis ax, ay;
  ay.Fit(ys);
  if (x_labels.empty()) {
    ax.Fit(xs);
  } else {
    ax.lo = -0.5;
    ax.hi = static_cast<double>(x_labels.size()) - 0.5;
  }
  const double pw = kW - kLeft - kRight, ph = kH - kTop - kBottom;
  auto px = [&](double x) { return kLeft + pw * ax.Frac(x); };
  auto py = [&](double y) { return kTop + ph * (1 - ay.Frac(y)); };
  std::ostringstream svg;
  svg << fmt::format("<svg viewBox=\"0 0 {} {}\" width=\"100%\" role=\"img\">\n", kW, kH);
  svg << fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" "
      "stroke=\"#ccc\"/>\n",
      kLeft, kTop, pw, ph);
  for (double t : ay.Ticks())
    svg << fmt::format(
        "<text x=\"{}\" y=\"{:.1f}\" font-size=\"11\" text-anchor=\"end\">{}</text>\n", kLeft - 4,
        py(t) + 4, ShortNumber(t));
  if (x_labels.empty()) {
    for (double t : ax.Ticks())
      svg << fmt::format(
          "<text x=\"{:.1f}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">{}"
          "</text>\n",
          px(t), kH - kBottom + 16, ShortNumber(t));
  } else {
    for (size_t i = 0; i < x_labels.size(); ++i)
      svg << fmt::format(
          "<text x=\"{:.1f}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">{}"
          "</text>\n",
          px(double(i)), kH - kBottom + 16, EscapeHtml(x_labels[i]));
  }
  svg << fmt::format(
      "<text x=\"{:.1f}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\">{}{}"
      "</text>\n",
      kLeft + pw / 2, kH - 8, EscapeHtml(x_title), ax.log ? " (log)" : "");
  svg << fmt::format(
      "<text transform=\"translate(14 {:.1f}) rotate(-90)\" font-size=\"12\" "
      "text-anchor=\"middle\">{}{}</text>\n",
      kTop + ph / 2, EscapeHtml(y_title), ay.log ? " (log)" : "");
  std::vector<const Dot*> front;
  for (const Dot& d : dots)
    if (d.front) front.push_back(&d);
  std::sort(front.begin(), front.end(), [](const Dot* a, const Dot* b) { return a->x < b->x; });
  if (front.size() > 1) {
    svg << "<polyline fill=\"none\" stroke=\"#e15759\" stroke-width=\"1.5\" points=\"";
    for (const Dot* d : front) svg << fmt::format("{:.1f},{:.1f} ", px(d->x), py(d->y));
    svg << "\"/>\n";
  }
  for (const Dot& d : dots)
    svg << fmt::format(
        "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{}\" fill=\"{}\" "
        "fill-opacity=\"0.75\"><title>{}</title></circle>\n",
        px(d.x), py(d.y), d.front ? 5 : 3.5, d.front ? "#e15759" : "#4e79a7", EscapeHtml(d.tip));
  svg << "</svg>\n";
  return svg.str();
}

std::string ParamsText(const Json& params) {
  std::string text;
  for (const auto& [name, value] : params.items())
    text += (text.empty() ? "" : ", ") + name + "=" +
            (value.is_string() ? value.get<std::string>() : value.dump());
  return text;
}

std::string Tip(const SweepPointTotal& t) {
  return fmt::format("point {}: {}\ncycles {}\nenergy {:.4g} uJ", t.point, ParamsText(t.params),
                     GroupThousands(static_cast<std::int64_t>(t.cycles)), t.energy_pJ / 1e6);
}

// Cycles and energy against one parameter's values (in order of first appearance).
std::string ParameterPlots(const std::vector<SweepPointTotal>& totals, const std::string& name) {
  std::vector<std::string> labels;
  std::map<std::string, int> column;
  std::vector<Dot> cycles, energy;
  for (const SweepPointTotal& t : totals) {
    if (!t.ok || !t.params.contains(name)) continue;
    const Json& v = t.params[name];
    const std::string label = v.is_string() ? v.get<std::string>() : v.dump();
    if (!column.count(label)) {
      column[label] = static_cast<int>(labels.size());
      labels.push_back(label);
    }
    cycles.push_back({double(column[label]), t.cycles, Tip(t), false});
    energy.push_back({double(column[label]), t.energy_pJ / 1e6, Tip(t), false});
  }
  return fmt::format("<h2>{}</h2>\n<div class=\"pair\"><div>{}</div><div>{}</div></div>\n",
                     EscapeHtml(name), Scatter(cycles, name, "cycles", labels),
                     Scatter(energy, name, "energy (uJ)", labels));
}

}  // namespace

std::vector<SweepPointTotal> SweepTotals(const std::vector<Json>& lines) {
  std::map<std::int64_t, SweepPointTotal> by_point;
  for (const Json& line : lines) {
    SweepPointTotal& t = by_point[line.at("point").get<std::int64_t>()];
    t.point = line.at("point").get<std::int64_t>();
    t.params = line.at("params");
    t.ok = t.ok && line.at("status").get<std::string>() == "ok";
    t.cycles += line.at("cycles").get<double>();
    t.energy_pJ += line.at("energy_pJ").get<double>();
  }
  std::vector<SweepPointTotal> totals;
  for (auto& [point, total] : by_point) totals.push_back(std::move(total));
  return totals;
}

std::vector<int> ParetoFront(const std::vector<SweepPointTotal>& totals) {
  std::vector<int> order;
  for (int i = 0; i < static_cast<int>(totals.size()); ++i)
    if (totals[i].ok) order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    if (totals[a].cycles != totals[b].cycles) return totals[a].cycles < totals[b].cycles;
    return totals[a].energy_pJ < totals[b].energy_pJ;
  });
  std::vector<int> front;
  double best_energy = INFINITY;
  for (int i : order) {
    if (totals[i].energy_pJ < best_energy) front.push_back(i);
    best_energy = std::min(best_energy, totals[i].energy_pJ);
  }
  return front;
}

std::string SweepReportHtml(const std::vector<Json>& lines,
                            const std::vector<std::string>& parameters, const std::string& title) {
  const std::vector<SweepPointTotal> totals = SweepTotals(lines);
  const std::vector<int> front = ParetoFront(totals);
  std::vector<Dot> dots;
  int failed = 0;
  for (size_t i = 0; i < totals.size(); ++i) {
    if (!totals[i].ok) {
      ++failed;
      continue;
    }
    const bool on_front = std::count(front.begin(), front.end(), static_cast<int>(i)) > 0;
    dots.push_back({totals[i].cycles, totals[i].energy_pJ / 1e6, Tip(totals[i]), on_front});
  }
  std::ostringstream html;
  html << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>tessel sweep"
       << "</title><style>" << ReportCss()
       << ".pair{display:flex;gap:16px;flex-wrap:wrap}.pair>div{flex:1 1 420px}"
       << "</style></head><body>\n";
  html << fmt::format(
      "<header><h1>Sweep: {}</h1><p class=\"muted\">{} points x {} results; {} points with "
      "no valid mapping on some workload (not plotted). Totals per point are sums over its "
      "workloads. Hover a dot for its parameters.</p></header>\n",
      EscapeHtml(title), totals.size(), lines.size(), failed);
  html << "<h2>Pareto front: latency vs energy</h2>\n"
       << Scatter(dots, "cycles", "energy (uJ)", {});
  html << "<table><tr><th>point</th><th>parameters</th><th>cycles</th><th>energy uJ</th></tr>\n";
  for (int i : front)
    html << fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{:.4g}</td></tr>\n",
                        totals[i].point, EscapeHtml(ParamsText(totals[i].params)),
                        GroupThousands(static_cast<std::int64_t>(totals[i].cycles)),
                        totals[i].energy_pJ / 1e6);
  html << "</table>\n";
  for (const std::string& name : parameters) html << ParameterPlots(totals, name);
  html << "</body></html>\n";
  return html.str();
}

}  // namespace tessel
