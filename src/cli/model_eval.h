// `tessel eval --model NAME [--arch CIM.yaml] PROBLEM.yaml [--json OUT]`: one layer through a
// TimingModel (model/timing_model.h) with the model's default schedule.
#pragma once

#include <string>
#include <vector>

namespace tessel::cli {

// Pipeline: find the model -> read the layer (problem section only) -> read the chip (--arch or
// the bundled examples/cim/isaac_like.yaml) -> check support -> evaluate the default schedule
// -> print -> write JSON. Any failure before the last step writes nothing. Returns the exit code.
int RunModelEval(const std::string& model, const std::string& arch_path,
                 const std::vector<std::string>& files, const std::string& json_path);

}  // namespace tessel::cli
