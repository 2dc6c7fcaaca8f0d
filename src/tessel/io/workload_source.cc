#include "tessel/io/workload_source.h"

#include <filesystem>

#include "tessel/common/error.h"
#include "tessel/io/bundled.h"
#include "tessel/io/workload_yaml.h"

namespace tessel::io {
namespace {

namespace fs = std::filesystem;

bool IsDirectory(const fs::path& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

std::string BundledCosaDir() {
  const std::string examples = BundledExamplesDir();
  if (examples.empty()) return "";
  return (fs::path(examples) / ".." / "tests" / "data" / "cosa" / "workloads")
      .lexically_normal()
      .string();
}

Workload LoadCosaByName(const std::string& name, const WorkloadSourceOptions& options) {
  if (IsDirectory(name)) return LoadCosaWorkload(name);
  const std::string root =
      options.cosa_workloads_dir.empty() ? BundledCosaDir() : options.cosa_workloads_dir;
  for (const std::string& candidate : {name + "_graph", name}) {
    const fs::path dir = fs::path(root) / candidate;
    if (!root.empty() && IsDirectory(dir)) return LoadCosaWorkload(dir.string());
  }
  throw UserError("cosa:" + name + ": no CoSA workload directory '" + name + "', nor '" + name +
                  "_graph' in " + (root.empty() ? std::string("(no CoSA workloads found)") : root));
}

}  // namespace

Workload LoadWorkload(const std::string& spec, const WorkloadSourceOptions& options) {
  if (spec.starts_with("cosa:")) return LoadCosaByName(spec.substr(5), options);
  const std::string extension = fs::path(spec).extension().string();
  if (extension == ".onnx") return ReadOnnxFile(spec, options.onnx);
  if (extension == ".yaml" || extension == ".yml") return LoadWorkloadYaml(spec);
  if (IsDirectory(spec)) return LoadCosaWorkload(spec);
  if (IsZooName(spec)) return MakeZooWorkload(spec, options.zoo);
  std::string names;
  for (const std::string& name : ZooNames()) names += (names.empty() ? "" : ", ") + name;
  throw UserError("unknown workload '" + spec +
                  "': not an .onnx or .yaml file, a CoSA workload directory (cosa:NAME) nor a "
                  "bundled network (" +
                  names + ")");
}

}  // namespace tessel::io
