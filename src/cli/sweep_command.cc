// `tessel sweep [SWEEP.yaml] [--out results.jsonl] [--html report.html] [--threads N]`: a
// design-space sweep (docs/sweep.md), in one process or under `mpirun -n K`.
//
// Pipeline, on every rank: start the session (MPI or none) -> read the sweep file, its inputs
// and workloads, and load every point's accelerator (a bad file stops every rank here, before
// any work) -> rank 0 reads the output file back (resume) -> all ranks agree set-up succeeded.
// Then rank 0 hands out the tasks left, largest first, runs tasks on its own threads too, and
// appends each result line as it arrives; the other ranks run what they are given. Last, rank 0
// rewrites the file in canonical order (sweep/plan.h) and writes the HTML report from it.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/command.h"
#include "cli/files.h"
#include "cli/sweep_session.h"
#include "cli/sweep_tasks.h"
#include "fmt/format.h"
#include "tessel/common/cancel.h"
#include "tessel/common/error.h"
#include "tessel/io/bundled.h"
#include "tessel/io/sweep/results_file.h"
#include "tessel/io/sweep/sweep_file.h"
#include "tessel/report/sweep_html.h"
#include "tessel/report/sweep_json.h"
#include "tessel/sweep/map_task.h"
#include "tessel/sweep/plan.h"

namespace tessel::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDefaultOut = "tessel_sweep.jsonl";
constexpr const char* kDefaultHtml = "tessel_sweep.html";

std::string BundledSweep() {
  const std::string dir = BundledExamplesDir();
  if (dir.empty())
    throw UserError("the bundled examples are missing (examples/sweep); give a file");
  return (fs::path(dir) / "sweep" / "sweep.yaml").string();
}

// Appends whole lines to the output file, one write(2) per line, so a kill leaves at most the
// line being written cut short (which resume detects and rewrites).
class Appender {
 public:
  explicit Appender(const std::string& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw UserError(path + ": cannot write: " + std::strerror(errno));
  }
  ~Appender() { ::close(fd_); }
  void Append(const std::string& line) {
    const std::string text = line + "\n";
    size_t done = 0;
    while (done < text.size()) {
      const ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw std::runtime_error(path_ + ": write failed: " + std::strerror(errno));
      done += static_cast<size_t>(n);
    }
  }

 private:
  std::string path_;
  int fd_ = -1;
};

// Everything a rank needs to run tasks; rank 0 also the resumed results.
struct Setup {
  io::SweepFile sweep;
  std::vector<io::ArchInputs> archs;  // per point (command: map)
  std::vector<sweep::Task> tasks;     // canonical order
  std::unique_ptr<Mapper> mapper;
  MapperOptions options;
  io::ResumedResults resumed;  // rank 0
};

void DrawProgress(int done, int total, int ranks) {
  constexpr int kWidth = 30;
  const int filled = total > 0 ? done * kWidth / total : kWidth;
  std::cerr << fmt::format("\r\033[Ksweep [{}{}] {}/{} results ({} rank{})",
                           std::string(filled, '#'), std::string(kWidth - filled, '.'), done, total,
                           ranks, ranks == 1 ? "" : "s")
            << std::flush;
}

class SweepCommand : public Command {
 public:
  void Configure(CLI::App& sub) override {
    sub.add_option("file", file_, "Sweep file (YAML; default: the bundled examples/sweep)");
    sub.add_option("--out", out_,
                   "Result file, one JSON line per (point, workload); resumed "
                   "when it exists (default: tessel_sweep.jsonl)");
    sub.add_option("--html", html_, "Write the HTML report (Pareto front, per-parameter plots)");
    sub.add_option("--threads", threads_, "Tasks run at once per process (MPI rank)")
        ->capture_default_str();
    sub.footer(
        "Runs the sweep's command (map, schedule or tune) for every (point, workload); points "
        "already in --out\n"
        "are not run again, so a killed sweep finishes by running the same command again.\n"
        "Under `mpirun -n K tessel sweep ...` rank 0 hands out points and writes the file; all\n"
        "ranks run points. The file is the same for any K and --threads (docs/sweep.md).\n"
        "Exit codes: 0 ok, 2 bad sweep file (nothing run), 1 internal error, 130/143 stopped.");
  }

  int Run(std::stop_token stop) override {
    if (threads_ < 1) throw UserError("--threads must be at least 1");
    const bool defaults = file_.empty() && out_.empty() && html_.empty();
    const std::string file = file_.empty() ? BundledSweep() : file_;
    const std::string out = out_.empty() ? kDefaultOut : out_;
    const std::string html = defaults ? kDefaultHtml : html_;
    std::unique_ptr<SweepSession> session = StartSweepSession(threads_);
    Setup setup;
    std::exception_ptr error;
    try {
      setup = Prepare(file, out, session->rank() == 0);
    } catch (const UserError&) {
      error = std::current_exception();
    }
    bool root_ok = true;
    if (!session->AllOk(!error, &root_ok)) {
      if (session->rank() == 0) {
        if (error) std::rethrow_exception(error);
        throw UserError("another MPI rank could not set up the sweep (its message is above)");
      }
      if (error && root_ok) {
        try {
          std::rethrow_exception(error);
        } catch (const UserError& e) {
          std::cerr << "tessel: error (rank " << session->rank() << "): " << e.what() << "\n";
        }
      }
      return kExitUser;
    }
    const sweep::TaskRunner run = [&](int task) { return RunTask(setup, task); };
    if (session->rank() > 0) {
      sweep::WorkerLoop(run, threads_, *session->link(), stop);
      return kExitOk;
    }
    try {
      Coordinate(setup, run, *session, out, stop);
    } catch (const Interrupted&) {
      std::cerr << "\ntessel: sweep stopped; run the same command again to finish it\n";
      // The other ranks end their running tasks and return; every rank then leaves through
      // MPI_Finalize (the session's destructor). A task longer than the signal's grace period
      // is cut by the backstop instead (cli/signals.h), and mpirun reports that rank.
      session->StopWorkers();
      throw;
    }
    if (!html.empty()) WriteHtml(setup, file, out, html);
    std::cout.flush();
    return std::cout ? kExitOk : kExitInternal;
  }

 private:
  Setup Prepare(const std::string& file, const std::string& out, bool coordinator) const {
    Setup setup;
    setup.sweep = io::ReadSweepFile(file);
    setup.tasks = sweep::CanonicalTasks(static_cast<int>(setup.sweep.points.size()),
                                        static_cast<int>(setup.sweep.workloads.size()));
    if (setup.sweep.command != "map") {
      CheckCommandInputs(setup.sweep);
      if (coordinator) setup.resumed = io::ReadSweepResults(out, Keys(setup));
      return setup;
    }
    setup.archs = io::LoadSweepArchs(setup.sweep);
    const io::SweepMapOptions& map = setup.sweep.map;
    setup.mapper = MakeMapper(map.mapper);
    setup.options.objective = ParseObjective(map.objective);
    setup.options.samples = map.samples;
    setup.options.seed = map.seed;
    setup.options.time_limit_s = map.time_limit_s;
    setup.options.solver = map.solver;
    setup.options.threads = 1;
    if (coordinator) setup.resumed = io::ReadSweepResults(out, Keys(setup));
    return setup;
  }

  static std::vector<std::string> Keys(const Setup& setup) {
    std::vector<std::string> keys;
    for (const sweep::Task& task : setup.tasks) {
      const sweep::Point& point = setup.sweep.points[task.point];
      keys.push_back(SweepResultKey(point.index,
                                    setup.sweep.workloads[task.workload].workload.name(),
                                    setup.sweep.Values(point)));
    }
    return keys;
  }

  static std::string RunTask(const Setup& setup, int id) {
    const sweep::Task& task = setup.tasks[id];
    const sweep::Point& point = setup.sweep.points[task.point];
    if (setup.sweep.command != "map") return RunCommandTask(setup.sweep, point, task.workload);
    const Workload& workload = setup.sweep.workloads[task.workload].workload;
    const sweep::Summary summary =
        sweep::RunMapTask(workload, setup.archs[task.point].target, *setup.mapper, setup.options);
    return SweepResultLine(point.index, workload.name(), setup.sweep.Values(point), summary);
  }

  void Coordinate(Setup& setup, const sweep::TaskRunner& run, SweepSession& session,
                  const std::string& out, std::stop_token stop) const {
    std::vector<std::optional<std::string>>& known = setup.resumed.known;
    const int total = static_cast<int>(setup.tasks.size());
    // A line cut short by a kill (or a duplicate): rewrite the whole lines before appending.
    if (!setup.resumed.intact) WriteFileAtomically(out, sweep::CanonicalText(known));
    std::vector<double> cost;
    std::vector<bool> skip;
    for (int i = 0; i < total; ++i) {
      const Workload& workload = setup.sweep.workloads[setup.tasks[i].workload].workload;
      cost.push_back(sweep::EstimateMapCost(workload));
      skip.push_back(known[i].has_value());
    }
    const std::vector<int> order = sweep::DispatchOrder(cost, skip);
    const int already = total - static_cast<int>(order.size());
    std::cout << fmt::format(
                     "sweep {}: {} points x {} workloads = {} results; {} already in {}, {} to "
                     "run on {} rank{} x {} thread{}\n",
                     setup.sweep.path, setup.sweep.points.size(), setup.sweep.workloads.size(),
                     total, already, out, order.size(), session.size(),
                     session.size() == 1 ? "" : "s", threads_, threads_ == 1 ? "" : "s")
              << std::flush;
    const bool bar = ::isatty(STDERR_FILENO) == 1;
    sweep::DispatchOptions options;
    options.local_threads = threads_;
    if (bar)
      options.progress = [&](int done, int) {
        DrawProgress(already + done, total, session.size());
      };
    const auto start = std::chrono::steady_clock::now();
    {
      Appender appender(out);
      // Lines go to the file as they arrive, each in one write: a kill loses no finished result.
      sweep::Dispatch(
          order, run, session.transport(),
          [&](int task, std::string line) {
            appender.Append(line);
            known[task] = std::move(line);
          },
          options, stop);
    }
    if (bar) std::cerr << "\r\033[K" << std::flush;
    for (const auto& line : known)
      if (!line) throw std::logic_error("sweep: results missing after the run");
    // The finished file in canonical order: the same bytes for any rank count or resume.
    if (!order.empty() || !setup.resumed.canonical)
      WriteFileAtomically(out, sweep::CanonicalText(known));
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << fmt::format("ran {} results in {:.2f} s; wrote {}\n", order.size(), seconds, out);
  }

  static void WriteHtml(const Setup& setup, const std::string& file, const std::string& out,
                        const std::string& html) {
    std::ifstream in(out);
    std::vector<nlohmann::ordered_json> lines;
    for (std::string line; std::getline(in, line);)
      lines.push_back(nlohmann::ordered_json::parse(line));
    std::vector<std::string> names;
    for (const sweep::Parameter& parameter : setup.sweep.parameters)
      names.push_back(parameter.name);
    WriteFileAtomically(html, SweepReportHtml(lines, names, file));
    std::cout << "wrote " << html << " (report, HTML)\n";
  }

  std::string file_;
  std::string out_;
  std::string html_;
  int threads_ = 1;
};

}  // namespace

std::unique_ptr<Command> MakeSweepCommand() { return std::make_unique<SweepCommand>(); }

}  // namespace tessel::cli
