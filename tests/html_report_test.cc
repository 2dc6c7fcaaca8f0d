// The HTML report: self-contained, escaped, every layer shown; and rendered by a real browser
// (headless Chromium, Debian's `chromium`) whose DOM must show every layer name.
#include "tessel/report/html_report.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "tessel/common/error.h"
#include "tessel/io/arch_inputs.h"
#include "tessel/io/workload_yaml.h"
#include "tessel/network/network_map.h"
#include "tessel/report/network_json.h"
#include "tessel/report/svg_chart.h"
#include "tessel/workload/zoo.h"

namespace tessel {
namespace {

namespace fs = std::filesystem;

nlohmann::ordered_json MapToJson(const Workload& workload) {
  const fs::path simba =
      fs::path(TESSEL_TEST_DATA_DIR).parent_path().parent_path() / "examples" / "simba";
  io::ArchInputs inputs =
      io::LoadArchInputs({(simba / "arch.yaml").string(), (simba / "mapspace.yaml").string()});
  inputs.target.arch.name = "simba";
  NetworkMapOptions options;
  options.threads = 2;
  options.mapper.samples = 1;
  const auto mapper = MakeMapper("random");
  const NetworkMapResult result = MapNetwork(workload, inputs.target, *mapper, options);
  return NetworkToJson(workload, inputs.target, result, {"random", "latency"});
}

const nlohmann::ordered_json& ResNet50Json() {
  static const nlohmann::ordered_json json = MapToJson(MakeResNet50());
  return json;
}

size_t Count(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    ++count;
  return count;
}

TEST(HtmlReportTest, SelfContainedWithEveryLayerChartsAndLoopNests) {
  const std::string html = NetworkReportHtml(ResNet50Json(), "r.json");
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<title>tessel: resnet50 on simba</title>"), std::string::npos);
  // Nothing to fetch: no script, no link, no remote URL, no external image.
  for (const char* banned : {"<script", "<link", "http://", "https://", "src=", "url("})
    EXPECT_EQ(html.find(banned), std::string::npos) << banned;
  for (const auto& layer : ResNet50Json()["layers"]) {
    const std::string name = layer["name"].get<std::string>();
    EXPECT_NE(html.find("<td class=\"name\">" + name + "</td>"), std::string::npos) << name;
  }
  EXPECT_EQ(Count(html, "<svg class=\"chart\""), 4u);  // latency, energy, levels, efficiency
  EXPECT_EQ(Count(html, "<details id=\"nest-"), 54u);  // one loop nest per MAC layer
  EXPECT_NE(html.find("<title>layer1.0.conv2: compute bound "), std::string::npos);
  EXPECT_NE(html.find("costed as memory traffic only"), std::string::npos);
  EXPECT_NE(html.find("Energies are estimates"), std::string::npos);
}

TEST(HtmlReportTest, NamesAreEscaped) {
  const Workload workload = io::LoadWorkloadYamlString(
      "name: '<net & co>'\nlayers:\n- {name: '<b>conv</b>', R: 1, S: 1, P: 2, Q: 2, C: 4, K: 4, "
      "N: 1}\n- {name: \"it's\", op: Relu, elements: 16}\n",
      "esc.yaml");
  const std::string html = NetworkReportHtml(MapToJson(workload), "esc.json");
  EXPECT_EQ(html.find("<b>conv</b>"), std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;conv&lt;/b&gt;"), std::string::npos);
  EXPECT_NE(html.find("&lt;net &amp; co&gt;"), std::string::npos);
  EXPECT_NE(html.find("it&#39;s"), std::string::npos);
}

TEST(HtmlReportTest, UnexpectedJsonNamesTheField) {
  nlohmann::ordered_json json = ResNet50Json();
  json["layers"][3].erase("cycles");
  try {
    NetworkReportHtml(json, "r.json");
    FAIL() << "expected UserError";
  } catch (const UserError& e) {
    EXPECT_EQ(std::string(e.what()),
              "r.json: layers[3]: missing 'cycles' (expected the JSON that `tessel map "
              "--workload` writes)");
  }
  try {
    NetworkReportHtml(nlohmann::ordered_json::array(), "list.json");
    FAIL() << "expected UserError";
  } catch (const UserError& e) {
    EXPECT_EQ(std::string(e.what()),
              "list.json: is not an object (expected the JSON that `tessel map --workload` "
              "writes)");
  }
}

TEST(HtmlReportTest, AxisHelpers) {
  EXPECT_DOUBLE_EQ(NiceStep(100, 5), 20);
  EXPECT_DOUBLE_EQ(NiceStep(13.6e6, 6), 5e6);
  EXPECT_DOUBLE_EQ(NiceStep(0.7, 6), 0.2);
  EXPECT_DOUBLE_EQ(NiceStep(0, 6), 1);
  EXPECT_EQ(ShortNumber(0), "0");
  EXPECT_EQ(ShortNumber(250), "250");
  EXPECT_EQ(ShortNumber(1500), "1.5k");
  EXPECT_EQ(ShortNumber(12e6), "12M");
  EXPECT_EQ(GroupThousands(1234567), "1,234,567");
  EXPECT_EQ(GroupThousands(-1000), "-1,000");
  EXPECT_EQ(GroupThousands(999), "999");
  EXPECT_EQ(EscapeHtml("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
}

TEST(HtmlReportTest, EmptyChartStillDraws) {
  const std::string svg = RenderBarChart(BarChart{"empty", "cycles", {{"x", "#000"}}, {}, ""});
  EXPECT_EQ(svg.rfind("<svg class=\"chart\" id=\"empty\"", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
}

// The first Chromium-family browser on PATH, or "".
std::string FindChromium() {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return "";
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    std::string dirs = path;
    for (size_t start = 0; start <= dirs.size();) {
      const size_t end = std::min(dirs.find(':', start), dirs.size());
      const fs::path candidate = fs::path(dirs.substr(start, end - start)) / name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
      start = end + 1;
    }
  }
  return "";
}

TEST(HtmlReportTest, HeadlessChromiumShowsEveryLayer) {
  const std::string chromium = FindChromium();
  if (chromium.empty())
    GTEST_SKIP() << "no chromium on PATH (scripts/setup.sh installs Debian's chromium)";
  std::string pattern = (fs::temp_directory_path() / "tessel_html_test.XXXXXX").string();
  const fs::path dir = ::mkdtemp(pattern.data());
  const fs::path html = dir / "report.html", dom = dir / "dom.html";
  std::ofstream(html) << NetworkReportHtml(ResNet50Json(), "r.json");
  // --no-sandbox: CI runs as root; its own profile directory: tests may run in parallel.
  const std::string command = "'" + chromium +
                              "' --headless --no-sandbox --disable-gpu --no-first-run "
                              "--user-data-dir='" +
                              (dir / "profile").string() + "' --dump-dom 'file://" + html.string() +
                              "' >'" + dom.string() + "' 2>/dev/null </dev/null";
  const int status = std::system(command.c_str());
  std::ifstream in(dom);
  const std::string rendered(std::istreambuf_iterator<char>(in), {});
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << command;
  ASSERT_NE(rendered.find("</html>"), std::string::npos) << rendered.substr(0, 500);
  for (const auto& layer : ResNet50Json()["layers"]) {
    const std::string name = layer["name"].get<std::string>();
    EXPECT_NE(rendered.find("<td class=\"name\">" + name + "</td>"), std::string::npos) << name;
  }
  EXPECT_EQ(Count(rendered, "<svg class=\"chart\""), 4u);
}

}  // namespace
}  // namespace tessel
