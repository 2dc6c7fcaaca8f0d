// `tessel report RESULT.json [-o report.html]`: the HTML report of a network mapping result
// (the JSON `tessel map --workload` writes). Pipeline: read and parse the JSON -> render the
// page (report/html_report.h) -> write it atomically. Nothing is written on any error.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "cli/command.h"
#include "cli/files.h"
#include "tessel/common/error.h"
#include "tessel/report/html_report.h"

namespace tessel::cli {
namespace {

nlohmann::ordered_json ReadJsonFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UserError(SourceLocation{path}, "cannot open file");
  const std::string text(std::istreambuf_iterator<char>(in), {});
  try {
    return nlohmann::ordered_json::parse(text);
  } catch (const nlohmann::json::exception& e) {  // parse_error; out_of_range for 1e999
    throw UserError(SourceLocation{path}, std::string("not valid JSON: ") + e.what());
  }
}

class ReportCommand : public Command {
 public:
  void Configure(CLI::App& sub) override {
    sub.add_option("result", result_path_, "JSON written by `tessel map --workload ... --json`")
        ->required();
    sub.add_option("-o,--output", html_path_,
                   "HTML file to write (default: RESULT with the extension .html)");
    sub.footer(
        "One self-contained HTML file (inline CSS and SVG, no script, no network access).\n"
        "Exit codes: 0 ok, 2 unreadable or unexpected JSON (nothing written), 1 internal error.");
  }

  int Run(std::stop_token /*stop: fast, never interrupted*/) override {
    std::string out = html_path_;
    if (out.empty()) out = std::filesystem::path(result_path_).replace_extension(".html").string();
    if (out == result_path_) throw UserError("the report would overwrite its input " + out);
    const std::string html = NetworkReportHtml(ReadJsonFile(result_path_), result_path_);
    WriteFileAtomically(out, html);
    std::cout << "Wrote " << out << "\n";
    std::cout.flush();
    return std::cout ? kExitOk : kExitInternal;
  }

 private:
  std::string result_path_;
  std::string html_path_;
};

}  // namespace

std::unique_ptr<Command> MakeReportCommand() { return std::make_unique<ReportCommand>(); }

}  // namespace tessel::cli
