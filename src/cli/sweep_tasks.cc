#include "cli/sweep_tasks.h"

#include "tessel/api/ratree.h"
#include "tessel/api/schedule.h"
#include "tessel/api/tune.h"
#include "tessel/common/error.h"
#include "tessel/io/cim_arch_yaml.h"
#include "tessel/io/stream/stream_hardware.h"
#include "tessel/io/stream/stream_mapping.h"
#include "tessel/io/sweep/input_overlay.h"
#include "tessel/io/tiled/mesh_yaml.h"
#include "tessel/report/sweep_json.h"

namespace tessel::cli {
namespace {

using sweep::CommandSummary;

double Ratio(double part, double whole) { return whole > 0 ? part / whole : 0; }

// Stream: cores that compute, their MAC lanes, and what the scheduler may keep on the cores
// other than the off-chip one (Core::MemoryBits).
void StreamSizes(const System& system, CommandSummary& s) {
  std::int64_t cores = 0, lanes = 0, bits = 0;
  for (const Core& core : system.cores) {
    if (core.CanCompute()) ++cores, lanes += core.Lanes();
    if (core.id != system.offchip_core) bits += core.MemoryBits();
  }
  s.sizes = {{"cores", cores}, {"mac_units", lanes}, {"onchip_bits", bits}};
}

void RunStream(const io::SweepScheduleOptions& o, const io::InputOverlay& overlay,
               const std::string& workload, CommandSummary& s) {
  const System system = io::LoadStreamSystem(overlay.paths()[0]);
  StreamSizes(system, s);
  api::ScheduleRequest request;
  request.arch = overlay.paths()[0];
  request.mapping = overlay.paths()[1];
  request.workload = workload;
  request.search = o.search;
  request.mode = o.mode;
  request.generations = static_cast<int>(o.generations);
  request.population = static_cast<int>(o.population);
  request.seed = o.seed;
  request.threads = 1;
  if (!o.mapper.empty()) request.mapper = o.mapper;
  if (!o.objective.empty()) request.objective = o.objective;
  const api::ScheduleRun run = api::RunScheduleRequest(request);
  s.cycles = run.json.at("latency_cycles").get<std::int64_t>();
  s.energy_pJ = run.json.at("energy_pJ").get<double>();
  s.macs = run.json.at("macs").get<std::int64_t>();
  s.utilization = Ratio(static_cast<double>(s.macs),
                        static_cast<double>(s.cycles) * static_cast<double>(s.sizes[1].second));
}

// ratree: tiles, their MAC lanes, and their global buffers (TiledSystem::BufferBytes) in bits.
void RunRaTreeTask(const io::SweepScheduleOptions& o, const io::InputOverlay& overlay,
                   const std::string& workload, CommandSummary& s) {
  const TiledSystem system = io::LoadTiledSystem(overlay.paths()[0]);
  const std::int64_t tiles = system.tiles();
  s.sizes = {{"tiles", tiles},
             {"mac_units", tiles * system.tile.Lanes()},
             {"buffer_bits", tiles * system.BufferBytes() * 8}};
  api::RaTreeRequest request;
  request.arch = overlay.paths()[0];
  request.workload = workload;
  request.batch = o.batch;
  if (!o.objective.empty()) request.objective = o.objective;
  request.rounds = static_cast<int>(o.rounds);
  request.seed = o.seed;
  request.threads = 1;
  if (!o.mapper.empty()) request.mapper = o.mapper;
  request.samples = o.samples;
  request.polish = o.polish;
  const api::RaTreeRun run = api::RunRaTreeRequest(request);
  s.cycles = run.json.at("latency_cycles").get<std::int64_t>();
  s.energy_pJ = run.json.at("energy_pJ").get<double>();
  // MACs of the whole batch: the fused layers' MACs per sample times the batch.
  s.macs = run.result.workload.TotalMacs() * o.batch;
  s.utilization = Ratio(static_cast<double>(s.macs),
                        static_cast<double>(s.cycles) * static_cast<double>(s.sizes[1].second));
}

void RunTuneTask(const io::SweepTuneOptions& o, const io::InputOverlay& overlay,
                 const std::string& workload, CommandSummary& s) {
  api::TuneRequest request;
  request.workload = workload;
  request.arch = overlay.paths();
  request.model = o.model;
  request.trials = o.trials;
  request.seed = o.seed;
  request.threads = 1;
  request.objective = o.objective;
  request.chips = o.chips;
  if (o.cim()) {
    // The chip: its arrays over all chips, and their cells (rows x columns each).
    const CimArch chip = io::LoadCimArchFile(overlay.paths()[0]);
    s.sizes = {{"chips", chip.chips}, {"arrays", chip.chips * chip.TotalArrays()}, {"cells", 0}};
    s.sizes[2].second = s.sizes[1].second * chip.array_rows * chip.array_cols;
  }
  const api::TuneRun run = api::Tune(request);
  const nlohmann::ordered_json& total = run.json.at("total");
  s.cycles = total.at("cycles").get<std::int64_t>();
  s.energy_pJ = total.at("energy_pJ").get<double>();
  s.macs = run.workload.TotalMacs();
  if (o.cim()) {
    // As `tessel tune` reports it: the arrays the schedule occupies out of those available.
    const auto used = total.at("arrays_used").get<std::int64_t>();
    const auto available = total.at("arrays_available").get<std::int64_t>();
    s.sizes = {{"chips", run.cim->system.chips},
               {"arrays", available},
               {"cells", available * run.cim_arch->array_rows * run.cim_arch->array_cols},
               {"arrays_used", used}};
    s.utilization = Ratio(static_cast<double>(used), static_cast<double>(available));
  } else {
    const io::ArchInputs arch = io::LoadArchInputs(overlay.paths());
    const sweep::ArchSize size = sweep::SizeOf(arch.target.arch);
    s.sizes = {{"mac_units", size.mac_units}, {"onchip_bits", size.onchip_bits}};
    s.utilization = Ratio(static_cast<double>(s.macs),
                          static_cast<double>(s.cycles) * static_cast<double>(size.mac_units));
  }
}

}  // namespace

void CheckCommandInputs(const io::SweepFile& sweep) {
  io::CheckSweepInputs(sweep, [&](const std::vector<std::string>& texts) {
    if (sweep.command == "tune" && !sweep.tune.cim()) {
      io::LoadArchInputsFromStrings(texts, sweep.input_paths);
      return;
    }
    io::InputOverlay overlay(sweep.input_paths, texts);
    try {
      if (sweep.command == "tune") {
        io::LoadCimArchFile(overlay.paths()[0]);
      } else if (sweep.schedule.ratree()) {
        io::LoadTiledSystem(overlay.paths()[0]);
      } else {
        io::LoadStreamSystem(overlay.paths()[0]);
        io::LoadStreamMapping(overlay.paths()[1]);
      }
    } catch (const UserError& error) {
      // The same error about the original files: CheckSweepInputs quotes it at the value.
      SourceLocation where = error.where();
      where.file = overlay.Restore(where.file);
      std::string message = overlay.Restore(error.what());
      const std::string prefix = where.ToString() + ": ";
      if (!where.file.empty() && message.rfind(prefix, 0) == 0)
        message = message.substr(prefix.size());
      throw UserError(where, message);
    }
  });
}

std::string RunCommandTask(const io::SweepFile& sweep, const sweep::Point& point, int workload) {
  const io::SweepWorkload& w = sweep.workloads[workload];
  const bool schedule = sweep.command == "schedule";
  CommandSummary summary;
  {
    const io::InputOverlay overlay(sweep.input_paths, sweep.InputTexts(point));
    try {
      // The options at this point: `options:` with the point's option parameters.
      if (!schedule)
        RunTuneTask(sweep.TuneOptions(point), overlay, w.spec, summary);
      else if (sweep.schedule.ratree())
        RunRaTreeTask(sweep.ScheduleOptions(point), overlay, w.spec, summary);
      else
        RunStream(sweep.ScheduleOptions(point), overlay, w.spec, summary);
    } catch (const UserError& error) {
      summary.status = schedule ? "no-schedule" : "no-tuning";
      summary.error = overlay.Restore(error.what());
      summary.cycles = 0, summary.energy_pJ = 0, summary.macs = 0, summary.utilization = 0;
    }
  }
  return SweepResultLine(point.index, w.workload.name(), sweep.Values(point), summary);
}

}  // namespace tessel::cli
