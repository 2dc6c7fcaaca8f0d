#include "tessel/io/layer_file.h"

#include <filesystem>

#include "tessel/io/timeloop_problem.h"
#include "tessel/io/yaml_util.h"

namespace tessel::io {

Problem LoadLayerProblem(const std::vector<std::string>& paths) {
  if (paths.empty()) throw UserError("no problem file given");
  YNode problem;
  std::vector<std::string> sources;  // files that give a problem
  for (const std::string& path : paths) {
    YNode document = LoadYamlFile(path);
    if (!document.IsMap()) continue;
    YNode section = document.Get("problem");
    if (section.Valid() && !section.IsNull()) {
      problem = section;
      sources.push_back(path);
    }
  }
  if (sources.empty())
    throw UserError("no input file has a top-level 'problem' key (read: " + JoinNames(paths) +
                    "); add a 'problem:' section (Timeloop shape/instance or CoSA's flat form)");
  if (sources.size() > 1)
    throw UserError(std::to_string(sources.size()) + " input files have a 'problem' section (" +
                    JoinNames(sources) + "); a timing model evaluates one layer: give one");
  Problem layer = ParseProblem(problem);
  layer.name = std::filesystem::path(sources.front()).stem().string();
  return layer;
}

}  // namespace tessel::io
