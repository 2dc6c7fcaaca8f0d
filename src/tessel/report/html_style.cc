#include "tessel/report/html_style.h"

namespace tessel {

const char* ReportCss() {
  return R"css(:root {
  --fg: #1f2933; --muted: #627080; --line: #e4e7eb; --bg: #f5f7fa; --panel: #ffffff;
  --accent: #4e79a7;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    sans-serif; }
main { max-width: 1560px; margin: 0 auto; padding: 24px 28px 48px; }
header h1 { margin: 0 0 4px; font-size: 24px; font-weight: 650; }
h2 { margin: 0 0 2px; font-size: 16px; font-weight: 650; }
.muted, .caption { color: var(--muted); }
.caption { margin: 0 0 10px; font-size: 12.5px; }
.note { margin: 10px 0; padding: 8px 12px; border-left: 3px solid #edc948; background: #fffbea;
  font-size: 13px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(210px, 1fr)); gap: 14px;
  margin: 18px 0; }
.card, .panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px;
  box-shadow: 0 1px 2px rgba(31, 41, 51, 0.05); }
.card { padding: 14px 16px; }
.card-label { color: var(--muted); font-size: 12px; text-transform: uppercase;
  letter-spacing: 0.04em; }
.card-value { font-size: 22px; font-weight: 650; margin: 2px 0; }
.card-detail { color: var(--muted); font-size: 12.5px; }
.panel { padding: 16px 18px; margin: 16px 0; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(600px, 1fr)); gap: 0 16px; }
svg.chart { width: 100%; height: auto; display: block; font-size: 11px; }
svg.chart text { fill: var(--fg); }
svg.chart .label { text-anchor: end; }
svg.chart .tick { text-anchor: middle; fill: var(--muted); font-size: 10px; }
svg.chart .unit { text-anchor: middle; fill: var(--muted); }
svg.chart .legend { font-size: 11px; }
svg.chart .grid { stroke: var(--line); stroke-width: 1; }
svg.chart .axis { stroke: #9aa5b1; stroke-width: 1; }
svg.chart .marker { stroke: #1f2933; stroke-width: 2; }
svg.chart .row:hover rect { opacity: 0.8; }
svg.chart .row:hover .label { font-weight: 650; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: left;
  white-space: nowrap; }
th { position: sticky; top: 0; background: #eef2f6; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.name { font-weight: 600; }
td.dims { color: var(--muted); font-size: 12px; }
td.util { background: linear-gradient(to right, rgba(89, 161, 79, 0.22) var(--u),
  transparent var(--u)); }
tr.nomac td { color: var(--muted); }
tbody tr:hover td { background-color: #f0f4f8; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
details { border-bottom: 1px solid var(--line); padding: 6px 0; }
details:target { background: #fffbea; }
summary { cursor: pointer; }
summary .name { font-weight: 600; }
pre { margin: 8px 0 4px; padding: 10px 12px; background: #f8fafc; border: 1px solid var(--line);
  border-radius: 6px; overflow-x: auto; font: 12px/1.4 ui-monospace, "SFMono-Regular", Menlo,
  Consolas, monospace; }
)css";
}

}  // namespace tessel
