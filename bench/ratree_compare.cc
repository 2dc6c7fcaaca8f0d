// SET's two measured runs (reference/set/README.md) reproduced with `--search ratree`: ResNet-50
// on the 8x8 polar mesh at batch 64 and DarkNet-19 on the 4x4 mesh at batch 4, end to end (mesh
// and network read, tile blocks mapped, baselines, four annealing chains), wall time and the EDP
// of init / LP / LS / the annealed tree printed beside SET's figures measured on this machine kind.
// A standalone program (not Google Benchmark): each run takes seconds and is deterministic.
#include <chrono>
#include <cstdio>
#include <string>

#include "tessel/io/tiled/mesh_yaml.h"
#include "tessel/schedule/ratree_run.h"
#include "tessel/workload/zoo.h"

namespace {

struct SetFigures {
  double wall_s, init, lp, ls, set;
};

// The answer's DRAM traffic in the simulator by what moves (bytes), beside the formulas' total.
void PrintDramBytes(const tessel::RaReplay& replay, double estimate_bytes) {
  const tessel::SystemSchedule& s = replay.result.schedule;
  const int dram = replay.system.offchip_core;
  double weights = 0, inputs = 0, write_back = 0, output = 0, stream = 0, held = 0;
  int streaming = 0;
  for (const tessel::Transfer& t : s.transfers) {
    if (t.broadcast_of >= 0 || (t.from_core != dram && t.to_core != dram)) continue;
    const double bytes = double(t.bits) / 8;
    if (t.kind == tessel::TransferKind::kStream)
      stream += bytes;
    else if (t.kind == tessel::TransferKind::kWriteBack)
      write_back += bytes;
    else if (t.kind == tessel::TransferKind::kOutput)
      output += bytes;
    else if (t.tensor.find(":weights") != std::string::npos)
      weights += bytes;
    else if (t.tensor.find(":input") != std::string::npos)
      inputs += bytes;
    else
      held += bytes;
  }
  for (const tessel::ScheduledNode& n : s.nodes) streaming += n.streams ? 1 : 0;
  std::printf(
      "  DRAM bytes (simulated answer): weights %.4g, network inputs %.4g, other reads %.4g, "
      "write-backs %.4g, outputs %.4g, streamed %.4g (%d streaming nodes); formulas %.4g\n",
      weights, inputs, held, write_back, output, stream, streaming, estimate_bytes);
}

void RunOne(const char* title, const std::string& mesh, const tessel::Workload& network,
            std::int64_t batch, int rounds, const SetFigures* set) {
  const auto start = std::chrono::steady_clock::now();
  tessel::TiledSystem system = tessel::io::LoadTiledSystem(mesh);
  tessel::RaTreeOptions options;
  options.batch = batch;
  options.threads = 2;
  options.anneal.rounds = rounds;
  options.cost.mapper = "random";
  options.cost.mapper_options.samples = 100;
  options.cost.mapper_options.objective = tessel::Objective::kEdp;
  options.polish = 2000;
  tessel::RaTreeResult r = tessel::RunRaTree(system, network, options);
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  auto sim = [](const tessel::RaMethod& m) {
    return double(m.simulated.latency_cycles) * m.simulated.energy_pJ();
  };
  auto est = [](const tessel::RaMethod& m) { return m.cost.latency_cycles * m.cost.energy_pJ(); };
  std::printf("%s\n", title);
  std::printf("  %-16s %10s %12s %12s %12s %12s\n", "", "wall (s)", "init EDP", "LP EDP", "LS EDP",
              "search EDP");
  std::printf("  %-16s %10.1f %12.4g %12.4g %12.4g %12.4g\n", "tessel simulated", wall,
              sim(r.methods[0]), sim(r.methods[1]), sim(r.methods[2]), sim(r.best()));
  std::printf("  %-16s %10s %12.4g %12.4g %12.4g %12.4g\n", "tessel estimate", "",
              est(r.methods[0]), est(r.methods[1]), est(r.methods[2]), est(r.best()));
  for (const tessel::RaMethod& m : r.methods)
    std::printf(
        "  %-7s simulated %11lld cycles %10.4g pJ (%d nodes), estimate %11.0f cycles %10.4g pJ\n",
        m.name.c_str(), static_cast<long long>(m.simulated.latency_cycles), m.simulated.energy_pJ(),
        m.simulated.nodes, m.cost.latency_cycles, m.cost.energy_pJ());
  if (set)
    std::printf("  %-16s %10.1f %12.4g %12.4g %12.4g %12.4g\n", "SET", set->wall_s, set->init,
                set->lp, set->ls, set->set);
  const double lp = sim(r.methods[1]), ls = sim(r.methods[2]), best = sim(r.best());
  std::printf(
      "  simulated: %lld cycles, %.4g pJ, %d nodes, %d transfers, %d trees replayed; over "
      "init %.2fx, LP %.2fx, LS %.2fx; better of LP/LS over the search: %.2fx",
      static_cast<long long>(r.best().simulated.latency_cycles), r.best().simulated.energy_pJ(),
      r.best().simulated.nodes, r.best().simulated.transfers, r.replayed, sim(r.methods[0]) / best,
      lp / best, ls / best, std::min(lp, ls) / best);
  if (set) std::printf(" (SET: %.2fx)", std::min(set->lp, set->ls) / set->set);
  std::printf("\n");
  PrintDramBytes(*r.replay, r.best().cost.dram_bytes);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mesh = std::string(TESSEL_EXAMPLES_DIR) + "/mesh/";
  const std::string only = argc > 1 ? argv[1] : "";
  const SetFigures resnet{560, 1.124e19, 2.466e18, 2.985e18, 1.883e18};
  const SetFigures darknet{60, 3.172e16, 1.584e16, 7.682e15, 8.146e15};
  if (only.empty() || only == "resnet50")
    RunOne("ResNet-50, 8x8, batch 64, rounds 100 (SET: round 10)", mesh + "mesh.yaml",
           tessel::MakeResNet50(1), 64, 100, &resnet);
  if (only.empty() || only == "darknet19")
    RunOne("DarkNet-19, 4x4, batch 4, rounds 100 (SET: round 100)", mesh + "mesh4x4.yaml",
           tessel::MakeDarkNet19(1), 4, 100, &darknet);
  if (only.empty() || only == "googlenet")
    RunOne("GoogLeNet, 4x4, batch 4, rounds 100", mesh + "mesh4x4.yaml", tessel::MakeGoogLeNet(1),
           4, 100, nullptr);
  if (only.empty() || only == "transformer")
    RunOne("Transformer block, 4x4, batch 4, rounds 100", mesh + "mesh4x4.yaml",
           tessel::MakeTransformerBlock(1), 4, 100, nullptr);
  return 0;
}
