// One entry point for `--workload SPEC`: a bundled network name, an ONNX file, a YAML layer list,
// or a CoSA workload directory.
#pragma once

#include <string>

#include "tessel/io/onnx/reader.h"
#include "tessel/workload/workload.h"
#include "tessel/workload/zoo.h"

namespace tessel::io {

struct WorkloadSourceOptions {
  ZooOptions zoo;    // batch / sequence length of a bundled network
  OnnxOptions onnx;  // input_shapes of an ONNX model
  // Where `cosa:NAME` looks for NAME_graph/ (or NAME/); empty: the CoSA workloads that ship with
  // tessel's sources (tests/data/cosa/workloads beside the bundled examples).
  std::string cosa_workloads_dir;
};

// SPEC is, in this order of checks:
//   cosa:NAME     a CoSA workload directory: NAME itself if it is a directory, else
//                 <cosa_workloads_dir>/NAME_graph or <cosa_workloads_dir>/NAME;
//   *.onnx        an ONNX model;
//   *.yaml, *.yml a tessel layer list (docs/workloads.md);
//   a directory   a CoSA workload directory;
//   a zoo name    a bundled network (resnet50, ...).
// Anything else is a UserError that lists the bundled networks.
Workload LoadWorkload(const std::string& spec, const WorkloadSourceOptions& options = {});

}  // namespace tessel::io
