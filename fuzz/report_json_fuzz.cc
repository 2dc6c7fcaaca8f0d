// Fuzz target: the network result JSON that `tessel report` reads, parsed and rendered to HTML
// (report/html_report.h) as src/cli/report_command.cc does.
// Not JSON or a UserError is the expected answer to bad input; anything else is a finding.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "tessel/common/error.h"
#include "tessel/report/html_report.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  nlohmann::ordered_json result;
  try {
    result = nlohmann::ordered_json::parse(data, data + size);
  } catch (const nlohmann::json::exception&) {
    return 0;  // parse_error, out_of_range (1e999): the command reports it as a UserError
  }
  try {
    tessel::NetworkReportHtml(result, "result.json");
  } catch (const tessel::UserError&) {
  }
  return 0;
}
