// `tessel map --workload W [--arch FILE...]`: the network mode of `tessel map` (map_command.cc
// hands over to it when no layer FILE is given). With no argument at all it maps ResNet-50 on
// the bundled Simba-like accelerator (examples/simba) and writes tessel_map.json and
// tessel_report.html in the current directory.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "tessel/mapper/mapper.h"

namespace tessel::cli {

// Options only the network mode has.
struct NetworkMapArgs {
  std::vector<std::string> arch_files;    // arch + constraints/mapspace (+ ERT); dirs allowed
  std::string workload;                   // zoo name, .onnx, .yaml, cosa:NAME (LoadWorkload)
  std::vector<std::string> input_shapes;  // ONNX: NAME=D0,D1,...
  std::int64_t batch = 1;                 // zoo networks
  std::string html_path;
};

// Declares --arch, --workload, --input-shape, --batch and --html on `sub`.
void AddNetworkMapOptions(CLI::App& sub, NetworkMapArgs* args);

// What the single-layer options mean for a network.
struct NetworkMapperArgs {
  std::string mapper;
  std::string objective;
  MapperOptions options;  // per layer; threads is ignored (always 1 per layer)
  int threads = 0;        // layers mapped at once; 0: all hardware threads
  std::string json_path;
  std::string mapping_path;  // --mapping-out: single-layer only, an error here
};

// Runs the network mode; returns the exit code. Throws UserError on bad input, before writing
// anything: outputs are written only after every layer is mapped, each atomically.
int RunNetworkMap(const NetworkMapArgs& args, const NetworkMapperArgs& mapper);

}  // namespace tessel::cli
