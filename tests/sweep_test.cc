// The sweep library: grid and sampled points, ranges, parameter paths into YAML inputs, result
// lines in canonical order whatever order they arrive in, the resume reader, the Pareto front.
// Expected values are written out by hand from the definitions in the headers.
#include <gtest/gtest.h>

#include <set>

#include "cli_run.h"
#include "tessel/io/sweep/results_file.h"
#include "tessel/io/sweep/yaml_paths.h"
#include "tessel/report/sweep_html.h"
#include "tessel/report/sweep_json.h"
#include "tessel/sweep/dispatch.h"
#include "tessel/sweep/plan.h"
#include "tessel/sweep/points.h"

namespace tessel {
namespace {

using testing::TempDir;
using testing::WriteFile;

sweep::Parameter Param(const std::string& name, std::vector<std::string> values) {
  sweep::Parameter parameter;
  parameter.name = name;
  for (const std::string& v : values) parameter.values.push_back({v, {}});
  return parameter;
}

TEST(SweepPointsTest, GridVariesTheLastParameterFastest) {
  const std::vector<sweep::Parameter> params = {Param("a", {"1", "2"}),
                                                Param("b", {"x", "y", "z"})};
  const std::vector<sweep::Point> points = sweep::GridPoints(params);
  ASSERT_EQ(points.size(), 6u);
  // index = a * 3 + b
  EXPECT_EQ(points[4].index, 4);
  EXPECT_EQ(points[4].values, (std::vector<int>{1, 1}));
  EXPECT_EQ(points[2].values, (std::vector<int>{0, 2}));
}

TEST(SweepPointsTest, SampleIsDistinctInGridOrderAndRepeatable) {
  const std::vector<sweep::Parameter> params = {Param("a", {"1", "2", "3", "4", "5"}),
                                                Param("b", {"1", "2", "3", "4"})};
  const std::vector<sweep::Point> sample = sweep::SamplePoints(params, 7, 42);
  ASSERT_EQ(sample.size(), 7u);
  std::set<std::int64_t> seen;
  for (size_t i = 0; i < sample.size(); ++i) {
    seen.insert(sample[i].index);
    if (i > 0) EXPECT_LT(sample[i - 1].index, sample[i].index);
    EXPECT_EQ(sample[i].values, sweep::GridPoint(params, sample[i].index).values);
  }
  EXPECT_EQ(seen.size(), 7u);
  const std::vector<sweep::Point> again = sweep::SamplePoints(params, 7, 42);
  for (size_t i = 0; i < sample.size(); ++i) EXPECT_EQ(again[i].index, sample[i].index);
  EXPECT_EQ(sweep::SamplePoints(params, 50, 1).size(), 20u);  // the whole grid
}

TEST(SweepPointsTest, RangesAndFactors) {
  EXPECT_EQ(sweep::RangeValues(4, 16, 4, 0), (std::vector<double>{4, 8, 12, 16}));
  EXPECT_EQ(sweep::RangeValues(1, 64, 0, 2), (std::vector<double>{1, 2, 4, 8, 16, 32, 64}));
  EXPECT_EQ(sweep::RangeValues(0, 0.3, 0.1, 0).size(), 4u);  // 0, 0.1, 0.2, 0.3: no drift
  std::string text;
  ASSERT_TRUE(sweep::TargetText({"16", {}}, {"p", 8, {}}, &text));
  EXPECT_EQ(text, "128");
  ASSERT_TRUE(sweep::TargetText({"3", {}}, {"p", 0.5, {}}, &text));
  EXPECT_EQ(text, "1.5");
  EXPECT_FALSE(sweep::TargetText({"abc", {}}, {"p", 2, {}}, &text));
}

std::vector<YAML::Node> Docs(const std::string& text) { return {YAML::Load(text)}; }

TEST(SweepPathsTest, SegmentsMatchKeysNamedElementsAndIndices) {
  const auto docs = Docs(
      "architecture:\n"
      "  nodes:\n"
      "  - !Component\n"
      "    name: GlobalBuffer\n"
      "    attributes: {depth: 2048, word-bits: 8}\n"
      "  - !Container\n"
      "    name: PE[0..15]\n"
      "    attributes: {depth: 16}\n");
  const std::vector<std::string> names = {"arch.yaml"};
  io::PathMatch m = io::ResolvePath(docs, names, "GlobalBuffer.attributes.depth", {});
  EXPECT_EQ(m.node.Scalar(), "2048");
  EXPECT_EQ(m.where.ToString(), "arch.yaml:5:25");  // "    attributes: {depth: " is 24 wide
  EXPECT_EQ(io::ResolvePath(docs, names, "PE.attributes.depth", {}).node.Scalar(), "16");
  EXPECT_EQ(io::ResolvePath(docs, names, "nodes.0.attributes.word_bits", {}).node.Scalar(), "8");
  const SourceLocation at{"sweep.yaml", 3, 9};
  auto message = [&](const std::string& path) {
    try {
      io::ResolvePath(docs, names, path, at);
    } catch (const UserError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("GlobalBuffer.attributes.width"),
            "sweep.yaml:3:9: path 'GlobalBuffer.attributes.width' matches nothing in arch.yaml");
  EXPECT_EQ(message("attributes.depth"),
            "sweep.yaml:3:9: path 'attributes.depth' is ambiguous: it matches arch.yaml:5:25, "
            "arch.yaml:8:25; give more of the path");
  EXPECT_EQ(message("GlobalBuffer.attributes"),
            "sweep.yaml:3:9: path 'GlobalBuffer.attributes' addresses a map at arch.yaml:5:17, "
            "not a value");
}

TEST(SweepPlanTest, CanonicalTextListsKnownLinesInTaskOrder) {
  const std::vector<sweep::Task> tasks = sweep::CanonicalTasks(2, 3);
  ASSERT_EQ(tasks.size(), 6u);
  EXPECT_EQ(tasks[4].point, 1);  // point-major: task = point * workloads + workload
  EXPECT_EQ(tasks[4].workload, 1);
  std::vector<std::optional<std::string>> known(4);
  known[2] = "c";
  known[0] = "a";
  EXPECT_EQ(sweep::CanonicalText(known), "a\nc\n");
}

TEST(SweepPlanTest, DispatchOrderIsLargestFirstSkippingDone) {
  EXPECT_EQ(sweep::DispatchOrder({1, 5, 3, 5, 2}, {false, false, false, false, true}),
            (std::vector<int>{1, 3, 2, 0}));
}

// A coordinator with 3 local threads: every task exactly once.
TEST(SweepDispatchTest, EveryTaskRunsOnce) {
  std::vector<int> order;
  for (int i = 0; i < 50; ++i) order.push_back(49 - i);
  std::vector<int> seen(50, 0);
  sweep::DispatchOptions options;
  options.local_threads = 3;
  sweep::Dispatch(
      order, [](int task) { return std::to_string(task * task); }, nullptr,
      [&](int task, std::string line) {
        ++seen[task];
        EXPECT_EQ(line, std::to_string(task * task));
      },
      options);
  for (int count : seen) EXPECT_EQ(count, 1);
}

TEST(SweepResultsTest, ResumeKeepsWholeLinesAndDropsACutOne) {
  const SweepValues v0 = {{"x", "1"}}, v1 = {{"x", "2"}};
  const std::vector<std::string> keys = {SweepResultKey(0, "w", v0), SweepResultKey(1, "w", v1)};
  EXPECT_EQ(keys[0], "{\"point\":0,\"workload\":\"w\",\"params\":{\"x\":1}");
  sweep::Summary summary;
  summary.cycles = 10;
  const std::string line0 = SweepResultLine(0, "w", v0, summary);
  const std::string line1 = SweepResultLine(1, "w", v1, summary);
  TempDir dir;
  WriteFile(dir.path() / "r.jsonl", line0 + "\n" + line1.substr(0, 20));
  io::ResumedResults r = io::ReadSweepResults(dir / "r.jsonl", keys);
  EXPECT_EQ(r.known[0], line0);
  EXPECT_FALSE(r.known[1]);
  EXPECT_FALSE(r.intact);
  WriteFile(dir.path() / "r.jsonl", line0 + "\n");
  r = io::ReadSweepResults(dir / "r.jsonl", keys);
  EXPECT_TRUE(r.intact && r.canonical);
  WriteFile(dir.path() / "r.jsonl", line1 + "\n" + line0 + "\n");  // arrival order
  r = io::ReadSweepResults(dir / "r.jsonl", keys);
  EXPECT_TRUE(r.intact);
  EXPECT_FALSE(r.canonical);
  EXPECT_EQ(r.known[1], line1);
  WriteFile(dir.path() / "r.jsonl", line0 + "\n" + line0 + "\n");  // a duplicate
  EXPECT_FALSE(io::ReadSweepResults(dir / "r.jsonl", keys).intact);
  WriteFile(dir.path() / "r.jsonl", SweepResultLine(0, "w", v1, summary) + "\n");
  try {
    io::ReadSweepResults(dir / "r.jsonl", keys);
    FAIL() << "a line of another sweep was accepted";
  } catch (const UserError& e) {
    EXPECT_EQ(std::string(e.what()),
              dir / "r.jsonl" +
                  ":1: point 0 workload \"w\" is not a point of this sweep (other parameters or "
                  "workloads): the file comes from another sweep; give another --out");
  }
}

TEST(SweepReportTest, ParetoFrontByHand) {
  // (cycles, energy): A(1, 9) B(2, 5) C(3, 6) D(4, 1) E(2, 5.5): C is beaten by B, E by B.
  std::vector<SweepPointTotal> totals(5);
  const double c[] = {1, 2, 3, 4, 2}, e[] = {9, 5, 6, 1, 5.5};
  for (int i = 0; i < 5; ++i) totals[i].cycles = c[i], totals[i].energy_pJ = e[i];
  EXPECT_EQ(ParetoFront(totals), (std::vector<int>{0, 1, 3}));
}

}  // namespace
}  // namespace tessel
