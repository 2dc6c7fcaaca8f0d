// Reproduces CoSA's published comparison (ISCA 2021, Fig. 7-9) on tessel's own inputs: the
// unique layers of AlexNet, ResNet-50, ResNeXt-50 and DeepBench on the Simba-like accelerator
// (tests/data/cosa: arch/simba.yaml + mapspace/mapspace.yaml), mapped per layer by cosa,
// random-5 (CoSA's baseline), random-16000 (the size of Timeloop's hybrid search) and
// exhaustive (reported when it finishes within its limit). Prints a Markdown table per network
// with latency, energy and time to solution, then per-network geomeans.
//
//   build/bench/mapper_compare --exhaustive-limit 60 --json mapper_compare.json
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fmt/format.h"
#include "tessel/io/inputs.h"
#include "tessel/mapper/mapper.h"
#include "yaml-cpp/yaml.h"

namespace tessel {
namespace {

struct Run {
  std::string mapper;
  bool found = false;
  double cycles = 0, energy_pJ = 0, seconds = 0;
  bool proven_optimal = false;
  std::string status;
};

struct LayerRow {
  std::string network, layer;
  std::vector<Run> runs;  // cosa, random-5, random-N, exhaustive
};

Run RunMapper(const MapSpace& space, const std::string& name, MapperOptions options) {
  MapperResult r = MakeMapper(name)->Map(space, options);
  Run run;
  run.mapper = name;
  run.status = ToString(r.status);
  run.seconds = r.seconds;
  run.found = r.status != MapperStatus::kNoMapping;
  run.proven_optimal = r.proven_optimal;
  if (run.found) {
    run.cycles = static_cast<double>(r.evaluation.cost.cycles);
    run.energy_pJ = r.evaluation.cost.energy_pJ;
  }
  return run;
}

std::vector<std::string> UniqueLayers(const std::string& dir) {
  YAML::Node list = YAML::LoadFile(dir + "/unique_layers.yaml");
  std::vector<std::string> layers;
  for (const YAML::Node& n : list) layers.push_back(n.as<std::string>());
  return layers;
}

double Geomean(const std::vector<double>& values) {
  double log_sum = 0;
  for (double v : values) log_sum += std::log(v);
  return values.empty() ? 0 : std::exp(log_sum / static_cast<double>(values.size()));
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values.empty() ? 0 : values[values.size() / 2];
}

}  // namespace
}  // namespace tessel

int main(int argc, char** argv) {
  using namespace tessel;
  CLI::App app{"CoSA comparison: cosa vs random-5, random-N and exhaustive per layer"};
  std::string data = TESSEL_TEST_DATA_DIR "/cosa";
  std::vector<std::string> networks = {"alexnet", "resnet50", "resnext50_32x4d", "deepbench"};
  std::string objective = "latency", solver = "cbc", json_path;
  double exhaustive_limit = 60, cosa_limit = 60;
  std::int64_t random_large = 16000;
  int threads = 2;
  std::uint64_t seed = 1;
  app.add_option("--data", data, "Folder with arch/, mapspace/, workloads/")->capture_default_str();
  app.add_option("--networks", networks, "Networks (workloads/<name>_graph)")->delimiter(',');
  app.add_option("--objective", objective)->capture_default_str();
  app.add_option("--solver", solver)->capture_default_str();
  app.add_option("--exhaustive-limit", exhaustive_limit, "Seconds; 0 skips exhaustive")
      ->capture_default_str();
  app.add_option("--random-large", random_large)->capture_default_str();
  app.add_option("--cosa-time-limit", cosa_limit,
                 "Seconds per layer for cosa (GLPK has no node limit: give it one)")
      ->capture_default_str();
  app.add_option("--threads", threads)->capture_default_str();
  app.add_option("--seed", seed)->capture_default_str();
  app.add_option("--json", json_path, "Write every run as JSON");
  CLI11_PARSE(app, argc, argv);

  MapperOptions base;
  base.objective = ParseObjective(objective);
  base.threads = threads;
  base.seed = seed;
  base.solver = solver;
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  for (const std::string& net : networks) {
    std::string dir = data + "/workloads/" + net + "_graph";
    std::vector<double> lat5, lat_n, en5, en_n, cosa_seconds, vs_exhaustive;
    double worst_vs_large = 0;
    std::cout << "\n### " << net << "\n\n| layer | cosa cycles | cosa pJ | cosa s | random-5 "
              << "cycles | random-" << random_large << " cycles | random-" << random_large
              << " pJ | random-" << random_large << " s | exhaustive cycles | exhaustive s |\n"
              << "|---|---|---|---|---|---|---|---|---|---|\n";
    for (const std::string& layer : UniqueLayers(dir)) {
      Inputs in = LoadInputs({data + "/arch/simba.yaml", data + "/mapspace/mapspace.yaml",
                              dir + "/" + layer + ".yaml"});
      MapSpace space = MakeMapSpace(in.problem, in.arch, in.constraints);
      MapperOptions o = base;
      o.time_limit_s = cosa_limit;
      Run cosa = RunMapper(space, "cosa", o);
      o.samples = 5;
      Run r5 = RunMapper(space, "random", o);
      o.samples = random_large;
      o.time_limit_s = 600;
      Run rn = RunMapper(space, "random", o);
      Run ex;
      if (exhaustive_limit > 0) {
        o.time_limit_s = exhaustive_limit;
        ex = RunMapper(space, "exhaustive", o);
      }
      auto value = [&](const Run& r) { return objective == "energy" ? r.energy_pJ : r.cycles; };
      lat5.push_back(r5.cycles / cosa.cycles);
      lat_n.push_back(rn.cycles / cosa.cycles);
      en5.push_back(r5.energy_pJ / cosa.energy_pJ);
      en_n.push_back(rn.energy_pJ / cosa.energy_pJ);
      cosa_seconds.push_back(cosa.seconds);
      worst_vs_large = std::max(worst_vs_large, value(cosa) / value(rn));
      if (ex.proven_optimal) vs_exhaustive.push_back(value(cosa) / value(ex));
      std::cout << fmt::format(
          "| {} | {:.0f} | {:.4g} | {:.3f} | {:.0f} | {:.0f} | {:.4g} | {:.2f} | {} | {} |\n", layer,
          cosa.cycles, cosa.energy_pJ, cosa.seconds, r5.cycles, rn.cycles, rn.energy_pJ,
          rn.seconds, ex.proven_optimal ? fmt::format("{:.0f}", ex.cycles) : "-",
          ex.found ? fmt::format("{:.1f}{}", ex.seconds, ex.proven_optimal ? "" : " (limit)")
                   : "-");
      std::cout.flush();
      for (const Run* r : {&cosa, &r5, &rn, &ex}) {
        if (r->mapper.empty()) continue;
        all.push_back({{"network", net}, {"layer", layer}, {"mapper", r->mapper},
                       {"status", r->status}, {"cycles", r->cycles}, {"energy_pJ", r->energy_pJ},
                       {"seconds", r->seconds}, {"proven_optimal", r->proven_optimal}});
      }
    }
    double worst_ex = vs_exhaustive.empty()
                          ? 0
                          : *std::max_element(vs_exhaustive.begin(), vs_exhaustive.end());
    std::cout << fmt::format(
        "\n{}: latency geomean random-5/cosa {:.2f}x, random-{}/cosa {:.2f}x; energy geomean "
        "random-5/cosa {:.2f}x, random-{}/cosa {:.2f}x; worst cosa/random-{} ({}) {:.3f}; cosa "
        "time median {:.3f} s, max {:.3f} s; exhaustive finished on {} layers, worst cosa/optimum "
        "{:.3f}\n",
        net, Geomean(lat5), random_large, Geomean(lat_n), Geomean(en5), random_large,
        Geomean(en_n), random_large, objective, worst_vs_large, Median(cosa_seconds),
        *std::max_element(cosa_seconds.begin(), cosa_seconds.end()), vs_exhaustive.size(),
        worst_ex);
  }
  if (!json_path.empty()) std::ofstream(json_path) << all.dump(2) << "\n";
  return 0;
}
