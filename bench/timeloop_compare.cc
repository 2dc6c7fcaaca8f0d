// cosa against timeloop-mapper on Timeloop's own example designs with their shipped constraints:
// the ResNet-50 layers of bench/data/timeloop_mapper/resnet50_<design>.csv (timeloop-mapper's
// answers, measured as bench/data/timeloop_mapper/README.md says) are mapped by tessel's cosa
// for EDP on tests/data/timeloop/example_designs/<design>/arch.yaml with the same ERT. Prints a
// Markdown table per design (EDP ratio, search time, whether every mapping satisfies the
// constraints) and, for simba_like, cosa without any constraint (bypass chosen by the mapper)
// beside cosa with them.
//
//   build/bench/timeloop_compare [--threads 2] [--designs simba_like,eyeriss_like]
#include <CLI/CLI.hpp>
#include <cmath>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "fmt/format.h"
#include "tessel/io/arch_inputs.h"
#include "tessel/mapper/mapper.h"

namespace tessel {
namespace {

const std::string kDesigns = std::string(TESSEL_TEST_DATA_DIR) + "/timeloop/example_designs/";
const std::string kMeasured = std::string(TESSEL_EXAMPLES_DIR) + "/../bench/data/timeloop_mapper/";

// One row of timeloop-mapper's CSV.
struct Reference {
  std::string layer;
  ConvShape shape;
  double cycles = 0, energy_pJ = 0, seconds = 0, cpu_seconds = 0;
};

std::vector<Reference> ReadReferences(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::string line;
  std::getline(in, line);  // header
  std::vector<Reference> out;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> cells;
    std::stringstream row(line);
    std::string cell;
    while (std::getline(row, cell, ',')) cells.push_back(cell);
    if (cells.size() < 18) throw std::runtime_error("short row in " + path + ": " + line);
    Reference r;
    r.layer = cells[0];
    auto at = [&](int i) { return std::stoll(cells[i]); };
    r.shape.C = at(2), r.shape.M = at(3), r.shape.R = at(4), r.shape.S = at(5);
    r.shape.N = at(6), r.shape.P = at(7), r.shape.Q = at(8);
    r.shape.w_stride = at(9), r.shape.h_stride = at(10);
    r.cycles = std::stod(cells[11]);
    r.energy_pJ = std::stod(cells[12]);
    r.seconds = std::stod(cells[15]);
    r.cpu_seconds = std::stod(cells[17]);
    out.push_back(r);
  }
  return out;
}

// Wall seconds (the mapper's own clock) and CPU seconds of this process (all threads) per run.
struct Mapped {
  double cycles = 0, energy_pJ = 0, seconds = 0, cpu_seconds = 0;
  bool satisfied = false;
};

Mapped MapCosa(const MapSpace& space, int threads) {
  MapperOptions options;
  options.objective = Objective::kEdp;
  options.threads = threads;
  const std::clock_t cpu_start = std::clock();
  MapperResult r = MakeMapper("cosa")->Map(space, options);
  const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  if (r.status == MapperStatus::kNoMapping) throw std::runtime_error(r.message);
  return {static_cast<double>(r.evaluation.cost.cycles), r.evaluation.cost.energy_pJ, r.seconds,
          cpu, SatisfiesConstraints(space, r.mapping)};
}

void CompareDesign(const std::string& design, int threads) {
  const std::string dir = kDesigns + design + "/";
  io::ArchInputs arch = io::LoadArchInputs({dir + "arch.yaml", dir + "timeloop-mapper.ERT.yaml"});
  const bool unconstrained = design == "simba_like";
  std::vector<Reference> refs = ReadReferences(kMeasured + "resnet50_" + design + ".csv");
  std::cout << "\n### " << design << " (" << refs.size() << " ResNet-50 layers)\n\n"
            << "| layer | timeloop-mapper EDP | cosa EDP | timeloop / cosa | timeloop s (CPU s) |"
            << " cosa s (CPU s) | constraints met |"
            << (unconstrained ? " cosa EDP, no constraints |" : "")
            << "\n|---|---|---|---|---|---|---|" << (unconstrained ? "---|" : "") << "\n";
  double log_ratio = 0, worst = 1e300, tl_seconds = 0, cosa_seconds = 0, tl_cpu = 0, cosa_cpu = 0;
  int met = 0, free_no_worse = 0;
  for (const Reference& ref : refs) {
    const Problem problem = MakeConvProblem(ref.layer, ref.shape);
    const Mapped cosa =
        MapCosa(MakeMapSpace(problem, arch.target.arch, arch.target.constraints), threads);
    const double tl_edp = ref.cycles * ref.energy_pJ, edp = cosa.cycles * cosa.energy_pJ;
    const double ratio = tl_edp / edp;
    log_ratio += std::log(ratio);
    worst = std::min(worst, ratio);
    tl_seconds += ref.seconds;
    cosa_seconds += cosa.seconds;
    tl_cpu += ref.cpu_seconds;
    cosa_cpu += cosa.cpu_seconds;
    met += cosa.satisfied;
    std::cout << fmt::format(
        "| {} | {:.4g} | {:.4g} | {:.3f}x | {:.1f} ({:.1f}) | {:.2f} ({:.2f}) | {} |", ref.layer,
        tl_edp, edp, ratio, ref.seconds, ref.cpu_seconds, cosa.seconds, cosa.cpu_seconds,
        cosa.satisfied ? "yes" : "NO");
    if (unconstrained) {
      const Mapped free = MapCosa(MakeMapSpace(problem, arch.target.arch), threads);
      const double free_edp = free.cycles * free.energy_pJ;
      free_no_worse += free_edp <= edp * (1 + 1e-9);
      std::cout << fmt::format(" {:.4g} ({:.3f}x) |", free_edp, edp / free_edp);
    }
    std::cout << "\n";
  }
  const double n = static_cast<double>(refs.size());
  std::cout << fmt::format(
      "\n{}: EDP timeloop-mapper / cosa geomean {:.3f}x, worst layer {:.3f}x; search time {:.1f} s "
      "vs {:.2f} s wall ({:.0f}x less), {:.1f} vs {:.2f} CPU s ({:.0f}x less); constraints met on "
      "{} of {} layers",
      design, std::exp(log_ratio / n), worst, tl_seconds, cosa_seconds, tl_seconds / cosa_seconds,
      tl_cpu, cosa_cpu, tl_cpu / cosa_cpu, met, refs.size());
  if (unconstrained)
    std::cout << fmt::format("; without constraints no worse on {} of {}", free_no_worse,
                             refs.size());
  std::cout << "\n";
}

}  // namespace
}  // namespace tessel

int main(int argc, char** argv) {
  CLI::App app{"cosa vs timeloop-mapper on Timeloop's example designs with their constraints"};
  int threads = 2;
  std::vector<std::string> designs = {"simba_like", "eyeriss_like"};
  app.add_option("--threads", threads, "cosa's worker threads");
  app.add_option("--designs", designs, "designs to compare")->delimiter(',');
  CLI11_PARSE(app, argc, argv);
  try {
    for (const std::string& design : designs) tessel::CompareDesign(design, threads);
  } catch (const std::exception& e) {
    std::cerr << "timeloop_compare: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
