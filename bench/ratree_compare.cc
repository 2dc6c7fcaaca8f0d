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

void RunOne(const char* title, const std::string& mesh, const tessel::Workload& network,
            std::int64_t batch, int rounds, const SetFigures& set) {
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
  auto edp = [](const tessel::RaCost& c) { return c.latency_cycles * c.energy_pJ(); };
  std::printf("%s\n", title);
  std::printf("  %-8s %10s %12s %12s %12s %12s\n", "", "wall (s)", "init EDP", "LP EDP", "LS EDP",
              "search EDP");
  std::printf("  %-8s %10.1f %12.4g %12.4g %12.4g %12.4g\n", "tessel", wall, edp(r.methods[0].cost),
              edp(r.methods[1].cost), edp(r.methods[2].cost), edp(r.best().cost));
  std::printf("  %-8s %10.1f %12.4g %12.4g %12.4g %12.4g\n", "SET", set.wall_s, set.init, set.lp,
              set.ls, set.set);
  const double lp = edp(r.methods[1].cost), ls = edp(r.methods[2].cost);
  std::printf(
      "  tessel: %.4g cycles, %.4g pJ; better of LP/LS over the search: %.2fx "
      "(SET: %.2fx)\n",
      r.best().cost.latency_cycles, r.best().cost.energy_pJ(),
      std::min(lp, ls) / edp(r.best().cost), std::min(set.lp, set.ls) / set.set);
}

}  // namespace

int main() {
  const std::string mesh = std::string(TESSEL_EXAMPLES_DIR) + "/mesh/";
  RunOne("ResNet-50, 8x8, batch 64, rounds 100 (SET: round 10)", mesh + "mesh.yaml",
         tessel::MakeResNet50(1), 64, 100, {560, 1.124e19, 2.466e18, 2.985e18, 1.883e18});
  RunOne("DarkNet-19, 4x4, batch 4, rounds 100 (SET: round 100)", mesh + "mesh4x4.yaml",
         tessel::MakeDarkNet19(1), 4, 100, {60, 3.172e16, 1.584e16, 7.682e15, 8.146e15});
  return 0;
}
