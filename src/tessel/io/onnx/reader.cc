#include "tessel/io/onnx/reader.h"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tessel/common/error.h"
#include "tessel/io/onnx/layers.h"
#include "tessel/io/onnx/model.h"

namespace tessel::io {
namespace {

// One layer per node that was not folded, in topological order; an edge wherever a layer reads a
// tensor another layer wrote (through aliases).
Workload BuildWorkload(const onnx_detail::Model& model, const std::string& workload_name) {
  Workload workload(workload_name);
  std::unordered_map<std::string, int> layer_of;  // tensor -> layer that writes it
  for (int i = 0; i < model.node_count(); ++i) {
    if (model.folded[i]) continue;
    const int index = workload.AddLayer(onnx_detail::NodeToLayer(model, i));
    const onnx::NodeProto& node = model.node(i);
    for (const std::string& input : node.input()) {
      if (input.empty()) continue;
      auto it = layer_of.find(model.Resolve(input));
      if (it != layer_of.end()) workload.AddEdge(it->second, index);
    }
    for (const std::string& output : node.output())
      if (!output.empty()) layer_of[output] = index;
  }
  if (workload.size() == 0)
    throw UserError(SourceLocation{model.file, 0, 0},
                    "the model computes only constants: no layer remains after folding");
  return workload;
}

}  // namespace

Workload ReadOnnxModel(const std::string& bytes, const std::string& name,
                       const OnnxOptions& options) {
  onnx_detail::Model model = onnx_detail::LoadModel(bytes, name, options);
  onnx_detail::EvaluateConstants(model);
  onnx_detail::FoldConstants(model);
  onnx_detail::CheckOperators(model);
  return BuildWorkload(model, std::filesystem::path(name).stem().string());
}

Workload ReadOnnxFile(const std::string& path, const OnnxOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UserError(SourceLocation{path, 0, 0}, "cannot open file");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return ReadOnnxModel(bytes.str(), path, options);
}

std::pair<std::string, std::vector<std::int64_t>> ParseInputShape(std::string_view text) {
  const std::string quoted = "'" + std::string(text) + "'";
  const size_t equals = text.rfind('=');
  if (equals == std::string_view::npos || equals == 0 || equals + 1 == text.size())
    throw UserError("input shape " + quoted +
                    " is not of the form NAME=D0,D1,... (e.g. images=1,3,640,640)");
  std::vector<std::int64_t> dims;
  std::string_view rest = text.substr(equals + 1);
  while (true) {
    const size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    std::int64_t value = 0;
    auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), value);
    if (error != std::errc() || end != item.data() + item.size() || value < 1)
      throw UserError("input shape " + quoted + ": extent '" + std::string(item) +
                      "' is not a positive integer");
    dims.push_back(value);
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return {std::string(text.substr(0, equals)), dims};
}

std::vector<std::string> SupportedOnnxOps() { return onnx_detail::SupportedOps(); }

}  // namespace tessel::io
