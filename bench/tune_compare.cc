// The evolutionary tuner against the cosa mapper on Simba-like layers (tests/data/cosa:
// arch/simba.yaml + mapspace/mapspace.yaml), both scored by the Timeloop-exact model: per layer,
// the cycles and energy each finds and its wall time. The tuner runs --trials schedules per
// layer (one search, --threads threads); cosa solves its MIP and polishes with the exact model.
// Prints a Markdown table and the geomean ratios tuner / cosa.
//
//   build/bench/tune_compare --trials 2000 --threads 2
#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <iostream>
#include <string>
#include <vector>

#include "fmt/format.h"
#include "tessel/io/inputs.h"
#include "tessel/mapper/mapper.h"
#include "tessel/tuner/timeloop_network.h"

int main(int argc, char** argv) {
  using namespace tessel;
  CLI::App app{"Evolutionary tuner vs cosa on Simba-like layers (Timeloop-exact model)"};
  std::string data = TESSEL_TEST_DATA_DIR "/cosa";
  std::vector<std::string> layers = {"Conv2d-1",  "Conv2d-5",  "Conv2d-19", "Conv2d-24",
                                     "Conv2d-38", "Conv2d-54", "Linear-68"};
  std::int64_t trials = 2000;
  int threads = 2;
  std::uint64_t seed = 1;
  app.add_option("--layers", layers, "ResNet-18 (batch 16) layers of CoSA's workload");
  app.add_option("--trials", trials, "Tuner: schedules scored per layer")->capture_default_str();
  app.add_option("--threads", threads, "Tuner: threads")->capture_default_str();
  app.add_option("--seed", seed, "Tuner: seed")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  std::cout << fmt::format(
      "| layer | cosa cycles | tuner cycles | tuner/cosa | cosa energy uJ | "
      "tuner energy uJ | cosa s | tuner s |\n|---|---|---|---|---|---|---|---|\n");
  double log_cycles = 0, log_energy = 0;
  int rows = 0;
  for (const std::string& layer : layers) {
    const Inputs in = LoadInputs({data + "/arch/simba.yaml", data + "/mapspace/mapspace.yaml",
                                  data + "/workloads/resnet18_batch16_graph/" + layer + ".yaml"});
    const MapSpace space = MakeMapSpace(in.problem, in.arch, in.constraints);
    const MapperResult cosa = MakeMapper("cosa")->Map(space, MapperOptions{});
    EvaluationCache cache;
    EvolutionOptions options;
    options.trials = trials;
    options.threads = threads;
    options.seed = seed;
    const auto start = std::chrono::steady_clock::now();
    const MappingTuneResult tuned = TuneMapping(space, layer, cache, options);
    const double tuner_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (cosa.status == MapperStatus::kNoMapping || !tuned.search.best.score.valid()) {
      std::cout << fmt::format("| {} | no mapping: {} / {} |\n", layer, cosa.message,
                               tuned.first_invalid);
      continue;
    }
    const double cc = static_cast<double>(cosa.evaluation.cost.cycles);
    const double tc = static_cast<double>(tuned.best.cycles);
    log_cycles += std::log(tc / cc);
    log_energy += std::log(tuned.best.energy_pJ / cosa.evaluation.cost.energy_pJ);
    ++rows;
    std::cout << fmt::format("| {} | {} | {} | {:.3f} | {:.1f} | {:.1f} | {:.2f} | {:.2f} |\n",
                             layer, cosa.evaluation.cost.cycles, tuned.best.cycles, tc / cc,
                             cosa.evaluation.cost.energy_pJ / 1e6, tuned.best.energy_pJ / 1e6,
                             cosa.seconds, tuner_s);
  }
  if (rows > 0)
    std::cout << fmt::format(
        "\ngeomean tuner/cosa: cycles {:.3f}, energy {:.3f} ({} layers, {} "
        "trials each)\n",
        std::exp(log_cycles / rows), std::exp(log_energy / rows), rows, trials);
  return 0;
}
