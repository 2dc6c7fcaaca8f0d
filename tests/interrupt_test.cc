// SIGINT and SIGTERM while `tessel map`, `tessel schedule` and `tessel tune` run (the built
// binary, a real signal): the process ends with 128 + signal and says so, writes none of its
// output files (no temporary file left either), and keeps every tuning-log record it made, each
// a whole line that the next run replays. A log cut in mid-record (SIGKILL) still replays.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cli_run.h"
#include "tessel/io/tuning_log.h"

namespace tessel {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using testing::Child;
using testing::ReadFile;
using testing::RunResult;
using testing::RunTessel;
using testing::TempDir;
using testing::TesselArgv;
using testing::WriteFile;

// Sleeps until `ready()` or `limit`.
template <typename Ready>
bool WaitFor(Ready ready, std::chrono::seconds limit = std::chrono::seconds(60)) {
  const Clock::time_point give_up = Clock::now() + limit;
  while (!ready() && Clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return ready();
}

// What a stopped run prints: the signal line, then "interrupted" when the command unwound in
// time; a command still busy after the grace period (a slow machine, a sanitizer build) is ended
// by the process without the second line. Either way nothing else.
bool StoppedCleanly(const std::string& err, const std::string& signal) {
  const std::string first = "tessel: " + signal + ": stopping (nothing half-written is kept)\n";
  return err == first || err == first + "tessel: interrupted\n";
}

int Lines(const std::string& text) {
  int n = 0;
  for (char c : text) n += c == '\n';
  return n;
}

// ResNet-50 with cosa on one thread takes tens of seconds: a signal after a second lands in the
// middle of the layer loop.
TEST(InterruptTest, SigintDuringANetworkMapWritesNothing) {
  TempDir out;
  TempDir io;
  Child child(TesselArgv({"map", "--workload", "resnet50", "--threads", "1", "--json",
                          out / "m.json", "--html", out / "m.html"}),
              io);
  std::this_thread::sleep_for(std::chrono::seconds(1));
  ASSERT_TRUE(child.running()) << child.err();
  child.Signal(SIGINT);
  EXPECT_EQ(child.Wait(), 130) << child.err();
  EXPECT_TRUE(StoppedCleanly(child.err(), "SIGINT")) << child.err();
  EXPECT_EQ(out.Files(), std::vector<std::string>{});  // no JSON, no HTML, no temporary file
}

// The bundled multi-core example with a long genetic search.
TEST(InterruptTest, SigtermDuringAScheduleSearchWritesNothing) {
  TempDir out;
  TempDir io;
  Child child(TesselArgv({"schedule", "--search", "ga", "--generations", "100000", "--threads", "1",
                          "--json", out / "s.json"}),
              io);
  std::this_thread::sleep_for(std::chrono::seconds(1));
  ASSERT_TRUE(child.running()) << child.err();
  child.Signal(SIGTERM);
  EXPECT_EQ(child.Wait(), 143) << child.err();
  EXPECT_TRUE(StoppedCleanly(child.err(), "SIGTERM")) << child.err();
  EXPECT_EQ(out.Files(), std::vector<std::string>{});
}

// Records reach the log as they are made: stop the run once some are there; they all survive,
// each a whole line, and a second run replays them instead of evaluating them again.
TEST(InterruptTest, SigintDuringTuningKeepsEveryLoggedRecord) {
  TempDir out;
  TempDir io;
  const std::string log = out / "runs.jsonl";
  const std::vector<std::string> args = {"tune",     "--workload", "examples/cim/vgg8_cifar10.yaml",
                                         "--trials", "200000",     "--log",
                                         log,        "--json",     out / "t.json"};
  Child child(TesselArgv(args), io);
  ASSERT_TRUE(WaitFor([&] { return Lines(ReadFile(log)) >= 20 || !child.running(); }));
  ASSERT_TRUE(child.running()) << child.err();
  child.Signal(SIGINT);
  EXPECT_EQ(child.Wait(), 130) << child.err();
  EXPECT_FALSE(fs::exists(out / "t.json"));
  EXPECT_EQ(out.Files(), std::vector<std::string>{"runs.jsonl"});

  const std::string text = ReadFile(log);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');  // a cooperative stop never cuts a record
  const std::vector<TuningRecord> records = io::ParseTuningLog(text, log);
  EXPECT_EQ(static_cast<int>(records.size()), Lines(text));
  EXPECT_GE(records.size(), 20u);

  // The same tuning, short: its first schedules are among the logged ones, so some are replayed.
  const RunResult again =
      RunTessel("tune --workload examples/cim/vgg8_cifar10.yaml --trials 8 --log '" + log + "'");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(
      again.out.find("(" + std::to_string(records.size()) + " records replayed from the log)"),
      std::string::npos)
      << again.out;
}

// A second signal does not wait for the command to unwind.
TEST(InterruptTest, ASecondSignalEndsAtOnce) {
  TempDir out;
  TempDir io;
  Child child(
      TesselArgv({"map", "--workload", "resnet50", "--threads", "1", "--json", out / "m.json"}),
      io);
  std::this_thread::sleep_for(std::chrono::seconds(1));
  ASSERT_TRUE(child.running()) << child.err();
  child.Signal(SIGTERM);
  child.Signal(SIGINT);
  const int code = child.Wait();
  EXPECT_TRUE(code == 143 || code == 130) << code << child.err();
  EXPECT_EQ(out.Files(), std::vector<std::string>{});
}

// SIGKILL can cut a record in half; the log still replays (the half record is not a record) and
// the next run appends after the last whole line.
TEST(InterruptTest, ALogCutInMidRecordStillReplays) {
  TempDir dir;
  const std::string log = dir / "runs.jsonl";
  ASSERT_EQ(
      RunTessel("tune --workload examples/cim/vgg8_cifar10.yaml --trials 8 --log '" + log + "'")
          .exit_code,
      0);
  const std::string whole = ReadFile(log);
  const int records = Lines(whole);
  ASSERT_GT(records, 2);
  // Drop the last line's second half and its newline, as a kill in mid-write would.
  const std::size_t last_start = whole.rfind('\n', whole.size() - 2) + 1;
  WriteFile(log, whole.substr(0, last_start + (whole.size() - last_start) / 2));
  EXPECT_EQ(static_cast<int>(io::ReadTuningLog(log).size()), records - 1);

  const RunResult again =
      RunTessel("tune --workload examples/cim/vgg8_cifar10.yaml --trials 8 --log '" + log + "'");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("1 schedules evaluated (" + std::to_string(records - 1) +
                           " records replayed from the log)"),
            std::string::npos)
      << again.out;
  EXPECT_EQ(ReadFile(log), whole);  // the cut record, evaluated again, in its place
}

}  // namespace
}  // namespace tessel
