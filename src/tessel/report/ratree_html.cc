#include "tessel/report/ratree_html.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "fmt/format.h"

namespace tessel {
namespace {

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else if (c == '"')
      out += "&quot;";
    else
      out += c;
  }
  return out;
}

// The notation as nested boxes: `S4(` opens a row, `T2(` a column, a name is a leaf box.
std::string TreeBoxes(const std::string& tree) {
  std::string out;
  size_t i = 0;
  while (i < tree.size()) {
    if (std::isspace(static_cast<unsigned char>(tree[i]))) {
      ++i;
    } else if (tree[i] == ')') {
      out += "</div></div>";
      ++i;
    } else {
      size_t j = i;
      while (j < tree.size() && !std::isspace(static_cast<unsigned char>(tree[j])) &&
             tree[j] != '(' && tree[j] != ')')
        ++j;
      std::string word = tree.substr(i, j - i);
      if (j < tree.size() && tree[j] == '(') {
        const bool s = word[0] == 'S';
        out += fmt::format(
            "<div class='cut {}'><div class='label'>{} cut, batch {}</div>"
            "<div class='kids {}'>",
            s ? "s" : "t", s ? "S" : "T", Escape(word.substr(1)), s ? "row" : "col");
        i = j + 1;
      } else {
        out += "<div class='leaf'>" + Escape(word) + "</div>";
        i = j;
      }
    }
  }
  return out;
}

// Tiles (rows) over the whole simulated run (columns): every node of the simulator's schedule
// (the JSON `nodes`, what the reported figures come from) as a bar on its tile, coloured by layer.
// Runs of one layer on one tile that touch at the drawing's resolution are drawn as one bar.
std::string Gantt(const nlohmann::ordered_json& j) {
  const auto& sys = j["system"];
  const int tiles = sys["mesh"][0].get<int>() * sys["mesh"][1].get<int>();
  const double total = j["latency_cycles"].get<double>();
  if (total <= 0 || !j.contains("nodes")) return "";
  const double width = 1000, row = std::max(3.0, 256.0 / tiles), px = total / width;
  std::string svg = fmt::format("<svg width='{}' height='{:.0f}' style='border:1px solid #ccc'>",
                                width, row * tiles);
  struct Bar {
    std::string layer;
    double start, end;
  };
  std::map<int, std::vector<Bar>> bars;  // tile -> bars in start order
  for (const auto& n : j["nodes"]) {
    const int core = n["core"].get<int>();
    if (core < 0 || core >= tiles) continue;
    Bar bar{n["layer"].get<std::string>(), n["start"].get<double>(), n["end"].get<double>()};
    bars[core].push_back(bar);
  }
  for (auto& [core, list] : bars) {
    std::sort(list.begin(), list.end(),
              [](const Bar& a, const Bar& b) { return a.start < b.start; });
    std::vector<Bar> merged;
    for (const Bar& b : list)
      if (!merged.empty() && merged.back().layer == b.layer && b.start - merged.back().end < px)
        merged.back().end = std::max(merged.back().end, b.end);
      else
        merged.push_back(b);
    for (const Bar& b : merged)
      svg += fmt::format(
          "<rect x='{:.1f}' y='{:.1f}' width='{:.1f}' height='{:.1f}' fill='hsl({},60%,60%)'>"
          "<title>{}: tile {}, cycles {:.0f}..{:.0f}</title></rect>",
          b.start / total * width, core * row, std::max(0.5, (b.end - b.start) / total * width),
          row, std::hash<std::string>{}(b.layer) % 360, Escape(b.layer), core, b.start, b.end);
  }
  return svg + "</svg>";
}

}  // namespace

std::string RaTreeReportHtml(const nlohmann::ordered_json& j) {
  std::string html =
      "<!DOCTYPE html><html><head><meta charset='utf-8'><title>tessel RA tree</title><style>"
      "body{font-family:sans-serif;margin:20px}table{border-collapse:collapse}"
      "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
      ".cut{border:1px solid #888;margin:3px;padding:3px}.s{background:#eef6ff}"
      ".t{background:#fff6e8}.label{font-size:11px;color:#555}.row{display:flex;flex-wrap:wrap}"
      ".col{display:flex;flex-direction:column}.leaf{border:1px solid #aaa;background:#fff;"
      "margin:2px;padding:1px 4px;font-size:11px}.bar{background:#4a8;height:12px}"
      "</style></head><body>";
  const auto& sys = j["system"];
  html +=
      fmt::format("<h1>{} on {} ({}x{}), batch {}</h1>", Escape(j["workload"].get<std::string>()),
                  Escape(sys["name"].get<std::string>()), sys["mesh"][0].get<int>(),
                  sys["mesh"][1].get<int>(), j["batch"].get<std::int64_t>());
  html +=
      "<h2>Methods</h2><p>Simulated (the shared event-driven simulator); the last column is "
      "SET's formulas, the search's estimate.</p><table><tr><th>method</th><th>latency "
      "(cycles)</th><th>energy (pJ)</th><th>EDP</th><th>estimate EDP</th></tr>";
  for (const auto& [name, m] : j["methods"].items())
    html +=
        fmt::format("<tr><td>{}</td><td>{}</td><td>{:.4g}</td><td>{:.4g}</td><td>{:.4g}</td></tr>",
                    name, m["latency_cycles"].get<std::int64_t>(), m["energy_pJ"].get<double>(),
                    m["edp"].get<double>(), m["estimate"]["edp"].get<double>());
  html += "</table><h2>RA tree</h2><p><code>" + Escape(j["ra_tree"].get<std::string>()) +
          "</code></p>" + TreeBoxes(j["ra_tree"].get<std::string>());
  html += fmt::format(
      "<h2>Tiles over time</h2><p>The simulator's schedule of the answer: {} cycles, one row per "
      "tile, a bar per node (one run of a layer on the tile), coloured by layer.</p>",
      j["latency_cycles"].get<std::int64_t>());
  html += Gantt(j);
  const int tiles = sys["mesh"][0].get<int>() * sys["mesh"][1].get<int>();
  double longest = 1;
  for (const auto& l : j["layers"])
    longest = std::max(longest, double(l["cycles_per_pass"].get<std::int64_t>()) *
                                    double(l["passes"].get<std::int64_t>()));
  html +=
      "<h2>Layers</h2><table><tr><th>layer</th><th>tiles</th><th>batch</th><th>passes</th>"
      "<th>cycles x passes</th><th></th></tr>";
  for (const auto& l : j["layers"]) {
    const double t =
        double(l["cycles_per_pass"].get<std::int64_t>()) * double(l["passes"].get<std::int64_t>());
    html += fmt::format(
        "<tr><td>{}</td><td>{} / {}</td><td>{}</td><td>{}</td><td>{:.4g}</td>"
        "<td style='text-align:left;width:300px'><div class='bar' style='width:{:.1f}%'></div>"
        "</td></tr>",
        Escape(l["name"].get<std::string>()), l["tiles"].size(), tiles,
        l["batch"].get<std::int64_t>(), l["passes"].get<std::int64_t>(), t, 100.0 * t / longest);
  }
  html += "</table></body></html>\n";
  return html;
}

}  // namespace tessel
