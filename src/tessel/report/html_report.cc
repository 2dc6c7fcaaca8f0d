// Pipeline: read the JSON into plain structs (every field checked, errors name the field) ->
// build the charts' rows -> print the page: header, summary cards, charts, table, loop nests.
#include "tessel/report/html_report.h"

#include <fmt/format.h>

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "tessel/common/error.h"
#include "tessel/report/html_style.h"
#include "tessel/report/svg_chart.h"

namespace tessel {
namespace {

using nlohmann::ordered_json;

struct ReportLayer {
  std::string name, op, method, dims;
  std::int64_t cycles = 0, compute_bound_cycles = 0, macs = 0, repeat = 1;
  double energy_pJ = 0, utilization = 0;
  std::vector<std::pair<std::string, double>> energy_by_level_pJ;  // MAC first, then innermost..
  std::optional<std::string> loop_nest;
  int shape = -1;
};

struct Report {
  std::string workload, arch, mapper, objective;
  bool energy_is_estimate = false;
  int shapes = 0;
  std::vector<ReportLayer> layers;
  std::vector<std::string> levels;  // energy_by_level keys of the first layer
  std::int64_t cycles = 0, compute_bound_cycles = 0, macs = 0;
  double energy_pJ = 0;
};

// Typed access to the JSON with errors that name the field.
class Reader {
 public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  const ordered_json& Field(const ordered_json& object, const std::string& key,
                            const std::string& where) const {
    if (!object.is_object()) Fail(where, "is not an object");
    auto it = object.find(key);
    if (it == object.end()) Fail(where, "missing '" + key + "'");
    return *it;
  }
  std::string String(const ordered_json& object, const std::string& key,
                     const std::string& where) const {
    const ordered_json& value = Field(object, key, where);
    if (!value.is_string()) Fail(where, "'" + key + "' is not a string");
    return value.get<std::string>();
  }
  double Number(const ordered_json& object, const std::string& key,
                const std::string& where) const {
    const ordered_json& value = Field(object, key, where);
    if (!value.is_number()) Fail(where, "'" + key + "' is not a number");
    return value.get<double>();
  }
  std::int64_t Integer(const ordered_json& object, const std::string& key,
                       const std::string& where) const {
    const ordered_json& value = Field(object, key, where);
    if (!value.is_number_integer()) Fail(where, "'" + key + "' is not an integer");
    return value.get<std::int64_t>();
  }
  [[noreturn]] void Fail(const std::string& where, const std::string& what) const {
    throw UserError(source_ + ": " + (where.empty() ? "" : where + ": ") + what +
                    " (expected the JSON that `tessel map --workload` writes)");
  }

 private:
  std::string source_;
};

std::string DimsText(const ordered_json& dims, std::int64_t repeat) {
  std::string out;
  if (dims.is_object())
    for (const auto& [name, bound] : dims.items())
      if (bound.is_number_integer() && bound.get<std::int64_t>() != 1)
        out += (out.empty() ? "" : " ") + name + "=" + std::to_string(bound.get<std::int64_t>());
  if (repeat > 1) out += fmt::format(" \u00d7{} groups", repeat);
  return out;
}

ReportLayer ReadLayer(const Reader& in, const ordered_json& json, const std::string& where) {
  ReportLayer layer;
  layer.name = in.String(json, "name", where);
  layer.op = in.String(json, "op", where);
  layer.method = in.String(json, "method", where);
  layer.cycles = in.Integer(json, "cycles", where);
  layer.compute_bound_cycles = in.Integer(json, "compute_bound_cycles", where);
  layer.macs = in.Integer(json, "macs", where);
  layer.repeat = in.Integer(json, "repeat", where);
  layer.energy_pJ = in.Number(json, "energy_pJ", where);
  layer.utilization = in.Number(json, "utilization", where);
  layer.dims = DimsText(in.Field(json, "dims", where), layer.repeat);
  const ordered_json& levels = in.Field(json, "energy_by_level_pJ", where);
  if (!levels.is_object()) in.Fail(where, "'energy_by_level_pJ' is not an object");
  for (const auto& [name, value] : levels.items())
    layer.energy_by_level_pJ.emplace_back(name,
                                          in.Number(levels, name, where + ".energy_by_level_pJ"));
  const ordered_json& nest = in.Field(json, "loop_nest", where);
  if (nest.is_string()) layer.loop_nest = nest.get<std::string>();
  const ordered_json& shape = in.Field(json, "shape", where);
  if (shape.is_number_integer()) layer.shape = shape.get<int>();
  return layer;
}

Report ReadReport(const ordered_json& json, const std::string& source) {
  const Reader in(source);
  Report report;
  report.workload = in.String(json, "workload", "");
  report.arch = in.String(in.Field(json, "arch", ""), "name", "arch");
  report.mapper = in.String(json, "mapper", "");
  report.objective = in.String(json, "objective", "");
  const ordered_json& estimate = in.Field(json, "energy_is_estimate", "");
  report.energy_is_estimate = estimate.is_boolean() && estimate.get<bool>();
  report.shapes = static_cast<int>(in.Integer(json, "shapes", ""));
  const ordered_json& layers = in.Field(json, "layers", "");
  if (!layers.is_array()) in.Fail("", "'layers' is not a list");
  for (size_t i = 0; i < layers.size(); ++i)
    report.layers.push_back(ReadLayer(in, layers[i], fmt::format("layers[{}]", i)));
  const ordered_json& total = in.Field(json, "total", "");
  report.cycles = in.Integer(total, "cycles", "total");
  report.compute_bound_cycles = in.Integer(total, "compute_bound_cycles", "total");
  report.macs = in.Integer(total, "macs", "total");
  report.energy_pJ = in.Number(total, "energy_pJ", "total");
  if (!report.layers.empty())
    for (const auto& [name, value] : report.layers.front().energy_by_level_pJ)
      report.levels.push_back(name);
  return report;
}

const char* LevelColor(size_t index) {
  static const char* const kPalette[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                         "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
  return kPalette[index % std::size(kPalette)];
}

double LevelEnergy(const ReportLayer& layer, const std::string& level) {
  for (const auto& [name, value] : layer.energy_by_level_pJ)
    if (name == level) return value;
  return 0;
}

std::string LayerNote(const ReportLayer& layer) {
  return layer.op + (layer.dims.empty() ? "" : ", " + layer.dims) +
         (layer.method == "mapped" ? "" : " (no MACs: " + layer.method + ")");
}

std::string LatencyChart(const Report& report) {
  BarChart chart{"latency",
                 "cycles",
                 {{"with MACs (mapped)", "#4e79a7"}, {"no MACs (memory traffic)", "#bab0ac"}},
                 {},
                 "compute bound"};
  for (const ReportLayer& layer : report.layers) {
    const bool mapped = layer.method == "mapped";
    const double cycles = static_cast<double>(layer.cycles);
    chart.rows.push_back({layer.name,
                          {mapped ? cycles : 0, mapped ? 0 : cycles},
                          mapped ? static_cast<double>(layer.compute_bound_cycles) : -1,
                          LayerNote(layer)});
  }
  return RenderBarChart(chart);
}

std::string EnergyChart(const Report& report) {
  BarChart chart{"energy", "energy (\u00b5J)", {}, {}, ""};
  for (size_t l = 0; l < report.levels.size(); ++l)
    chart.series.push_back({report.levels[l], LevelColor(l)});
  for (const ReportLayer& layer : report.layers) {
    ChartRow row{layer.name, {}, -1, LayerNote(layer)};
    for (const std::string& level : report.levels)
      row.values.push_back(LevelEnergy(layer, level) / 1e6);
    chart.rows.push_back(std::move(row));
  }
  return RenderBarChart(chart);
}

// One row per level, each in its own colour (a row's value sits in its own series).
std::string LevelChart(const Report& report) {
  BarChart chart{"levels", "energy (\u00b5J), whole network", {}, {}, ""};
  chart.label_width = 150;
  chart.legend = false;
  for (size_t l = 0; l < report.levels.size(); ++l) {
    chart.series.push_back({report.levels[l], LevelColor(l)});
    ChartRow row{report.levels[l], std::vector<double>(report.levels.size(), 0.0), -1, ""};
    for (const ReportLayer& layer : report.layers)
      row.values[l] += LevelEnergy(layer, report.levels[l]) / 1e6;
    row.note = fmt::format("{:.1f} % of the network's energy",
                           report.energy_pJ > 0 ? 100 * row.values[l] * 1e6 / report.energy_pJ : 0);
    chart.rows.push_back(std::move(row));
  }
  return RenderBarChart(chart);
}

std::string EfficiencyChart(const Report& report) {
  BarChart chart{"efficiency",
                 "compute-bound cycles / cycles (%)",
                 {{"of the compute bound", "#59a14f"}},
                 {},
                 ""};
  chart.axis_max = 100;
  chart.legend = false;
  for (const ReportLayer& layer : report.layers) {
    if (layer.method != "mapped" || layer.cycles <= 0) continue;
    const double percent =
        100.0 * static_cast<double>(layer.compute_bound_cycles) / static_cast<double>(layer.cycles);
    chart.rows.push_back(
        {layer.name,
         {percent},
         -1,
         fmt::format("{}: {} cycles, bound {}", LayerNote(layer), GroupThousands(layer.cycles),
                     GroupThousands(layer.compute_bound_cycles))});
  }
  return RenderBarChart(chart);
}

// pJ in the largest unit that keeps the number at or above 1: pJ, nJ, uJ, mJ or J.
std::string EnergyText(double pJ) {
  const struct {
    double scale;
    const char* unit;
  } units[] = {{1e12, "J"}, {1e9, "mJ"}, {1e6, "\u00b5J"}, {1e3, "nJ"}};
  for (const auto& unit : units)
    if (pJ >= unit.scale) return fmt::format("{:.4g} {}", pJ / unit.scale, unit.unit);
  return fmt::format("{:.4g} pJ", pJ);
}

std::string Card(const std::string& label, const std::string& value, const std::string& detail) {
  return fmt::format(
      "<div class=\"card\"><div class=\"card-label\">{}</div><div class=\"card-value\">{}</div>"
      "<div class=\"card-detail\">{}</div></div>\n",
      label, value, detail);
}

std::string Cards(const Report& report) {
  int mac_layers = 0;
  for (const ReportLayer& layer : report.layers) mac_layers += layer.method == "mapped";
  const double bound_share = report.cycles > 0
                                 ? 100.0 * static_cast<double>(report.compute_bound_cycles) /
                                       static_cast<double>(report.cycles)
                                 : 0;
  return "<section class=\"cards\">\n" +
         Card("Latency", GroupThousands(report.cycles) + " cycles",
              fmt::format("compute bound {} ({:.1f} %)",
                          GroupThousands(report.compute_bound_cycles), bound_share)) +
         Card("Energy", EnergyText(report.energy_pJ),
              fmt::format("{:.3f} pJ/MAC", report.macs > 0
                                               ? report.energy_pJ / static_cast<double>(report.macs)
                                               : 0.0)) +
         Card("Layers", std::to_string(report.layers.size()),
              fmt::format("{} with MACs, {} distinct shapes mapped", mac_layers, report.shapes)) +
         Card("MACs", ShortNumber(static_cast<double>(report.macs)), GroupThousands(report.macs)) +
         "</section>\n";
}

std::string Table(const Report& report) {
  std::string out =
      "<div class=\"table-wrap\"><table>\n<thead><tr><th>#</th><th>layer</th><th>op</th>"
      "<th>shape</th><th class=\"num\">MACs</th><th class=\"num\">cycles</th>"
      "<th class=\"num\">compute bound</th><th class=\"num\">utilization</th>"
      "<th class=\"num\">energy (\u00b5J)</th><th class=\"num\">share</th><th>cost</th></tr>"
      "</thead>\n<tbody>\n";
  for (size_t i = 0; i < report.layers.size(); ++i) {
    const ReportLayer& layer = report.layers[i];
    const bool mapped = layer.method == "mapped";
    const double share = report.energy_pJ > 0 ? 100 * layer.energy_pJ / report.energy_pJ : 0;
    out += fmt::format(
        "<tr class=\"{}\"><td class=\"num\">{}</td><td class=\"name\">{}</td><td>{}</td>"
        "<td class=\"dims\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num util\" style=\"--u:{:.1f}%\">{}</td>"
        "<td class=\"num\">{:.3f}</td><td class=\"num\">{:.1f} %</td><td>{}</td></tr>\n",
        mapped ? "mac" : "nomac", i, EscapeHtml(layer.name), EscapeHtml(layer.op),
        EscapeHtml(layer.dims), mapped ? GroupThousands(layer.macs) : "\u2013",
        GroupThousands(layer.cycles),
        mapped ? GroupThousands(layer.compute_bound_cycles) : "\u2013", 100 * layer.utilization,
        mapped ? fmt::format("{:.1f} %", 100 * layer.utilization) : "\u2013", layer.energy_pJ / 1e6,
        share, mapped ? fmt::format("<a href=\"#nest-{}\">loop nest</a>", i) : "memory traffic");
  }
  return out + "</tbody>\n</table></div>\n";
}

std::string LoopNests(const Report& report) {
  std::string out;
  for (size_t i = 0; i < report.layers.size(); ++i) {
    const ReportLayer& layer = report.layers[i];
    if (!layer.loop_nest) continue;
    out += fmt::format(
        "<details id=\"nest-{}\"><summary><span class=\"name\">{}</span> <span class=\"muted\">"
        "{} \u00b7 {} cycles \u00b7 shape #{}</span></summary>\n<pre>{}</pre></details>\n",
        i, EscapeHtml(layer.name), EscapeHtml(LayerNote(layer)), GroupThousands(layer.cycles),
        layer.shape, EscapeHtml(*layer.loop_nest));
  }
  return out;
}

std::string Section(const std::string& title, const std::string& caption, const std::string& body) {
  return fmt::format(
      "<section class=\"panel\"><h2>{}</h2><p class=\"caption\">{}</p>\n{}</section>\n", title,
      caption, body);
}

}  // namespace

std::string NetworkReportHtml(const ordered_json& result, const std::string& source) {
  const Report report = ReadReport(result, source);
  const std::string title = EscapeHtml(report.workload) + " on " +
                            EscapeHtml(report.arch.empty() ? "the accelerator" : report.arch);
  std::string html = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>tessel: {}</title>\n<style>\n{}</style>\n</head>\n<body>\n<main>\n"
      "<header><h1>{}</h1><p class=\"muted\">mapped by tessel with the <b>{}</b> mapper, "
      "objective <b>{}</b>; layers run one after another</p></header>\n",
      title, ReportCss(), title, EscapeHtml(report.mapper), EscapeHtml(report.objective));
  html += Cards(report);
  if (report.energy_is_estimate)
    html +=
        "<p class=\"note\">Energies are estimates: some components had no ERT entry, so "
        "tessel's default per-action energies were used.</p>\n";
  html +=
      "<p class=\"note\">Layers without MACs (pooling, element-wise, activations, ...) are "
      "costed as memory traffic only: their activations read from and written to the "
      "outermost storage level at its bandwidth and access energy.</p>\n";
  html += "<div class=\"grid\">\n" +
          Section("Latency per layer",
                  "cycles; the dark tick is the compute bound (MACs / MAC "
                  "instances)",
                  LatencyChart(report)) +
          Section("Energy per layer",
                  "stacked by where it is spent: the MACs and each memory "
                  "level, innermost first",
                  EnergyChart(report)) +
          Section("Energy by memory level", "the whole network", LevelChart(report)) +
          Section("Cycles against the compute bound",
                  "layers with MACs; 100 % means no cycle "
                  "beyond MACs / MAC instances",
                  EfficiencyChart(report)) +
          "</div>\n";
  html +=
      Section("Layers", "hover a bar for its numbers; a row's loop nest is below", Table(report));
  html += Section("Loop nests",
                  "outermost level first, in timeloop-model's map.txt layout; "
                  "layers of the same shape share one mapping",
                  LoopNests(report));
  return html + "</main>\n</body>\n</html>\n";
}

}  // namespace tessel
