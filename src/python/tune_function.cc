// tessel._tune: `tessel tune` through api/tune.h (see functions.h for why it has its own file).
#include <pybind11/stl.h>

#include "convert.h"
#include "functions.h"
#include "tessel/api/tune.h"

namespace tessel::python {

void BindTune(py::module_& m) {
  m.def(
      "_tune",
      [](const std::string& workload, const std::vector<std::string>& arch,
         const std::string& model, std::int64_t trials, std::uint64_t seed, int threads,
         const std::string& log, const std::string& objective, const std::string& chips) {
        const api::TuneRequest request{workload, arch, model,     trials, seed,
                                       threads,  log,  objective, chips,  {}};
        nlohmann::ordered_json json = RunInterruptible([&](std::stop_token stop) {
          api::TuneRun run = api::Tune(request, stop);
          return std::move(run.json);
        });
        return ToPython(json);
      },
      py::arg("workload"), py::arg("arch"), py::arg("model"), py::arg("trials"), py::arg("seed"),
      py::arg("threads"), py::arg("log"), py::arg("objective"), py::arg("chips"));
}

}  // namespace tessel::python
