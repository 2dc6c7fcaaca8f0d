// The report's stylesheet, inlined into the page (html_report.h).
#pragma once

namespace tessel {

// CSS for the classes html_report.cc and svg_chart.cc emit. No web font, no url().
const char* ReportCss();

}  // namespace tessel
