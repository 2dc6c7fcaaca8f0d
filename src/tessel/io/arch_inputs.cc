// LoadArchInputs: the architecture half of LoadInputs (inputs.cc). Sections merge the same way (a
// later file's top-level section replaces an earlier one's); keep/bypass directives are resolved
// against Timeloop's cnn-layer problem, whose tensor names (Weights, Inputs, Outputs) GEMM
// layers share, and kept by name so that they apply to every layer of a network.
#include "tessel/io/arch_inputs.h"

#include <map>
#include <stdexcept>

#include "tessel/io/constraints.h"
#include "tessel/io/default_energy.h"
#include "tessel/io/ert.h"
#include "tessel/io/timeloop_arch.h"
#include "tessel/io/yaml_util.h"

namespace tessel::io {
namespace {

std::string CanonicalSection(const std::string& key) {
  const std::string normalized = NormalizeKey(key);
  if (normalized == "arch") return "architecture";
  if (normalized == "arch_constraints") return "architecture_constraints";
  return normalized;
}

using Sections = std::map<std::string, YNode>;

void AddSections(const YNode& document, Sections* sections) {
  if (!document.Valid() || document.IsNull()) return;  // an empty file adds nothing
  if (!document.IsMap())
    document.Fail(
        "the top level of an input file must be a map of sections (architecture, "
        "mapspace or constraints, ERT)");
  for (const auto& [key, node] : document.Entries()) (*sections)[CanonicalSection(key)] = node;
}

YNode Section(const Sections& sections, const std::string& name) {
  auto it = sections.find(name);
  return it == sections.end() ? YNode() : it->second;
}

std::vector<YNode> ConstraintDirectivesOf(const Sections& sections, const YNode& arch) {
  std::vector<YNode> directives = ConstraintDirectives(arch.Get("constraints"));
  for (const char* name :
       {"architecture_constraints", "mapspace_constraints", "mapspace", "constraints"}) {
    for (const YNode& directive : ConstraintDirectives(Section(sections, name)))
      directives.push_back(directive);
  }
  return directives;
}

ArchInputs Build(const Sections& sections, const std::vector<std::string>& names) {
  YNode arch_node = Section(sections, "architecture");
  if (!arch_node.Valid() || arch_node.IsNull())
    throw UserError("no architecture file: none of " + JoinNames(names) +
                    " has a top-level 'architecture' (or 'arch') key");
  ArchInputs inputs;
  std::vector<InlineConstraint> inline_constraints;
  Arch& arch = inputs.target.arch;
  arch = ParseArchitecture(arch_node, &inline_constraints);
  ApplyDefaultEnergies(&arch);
  YNode ert = Section(sections, "ERT");
  if (ert.Valid() && !ert.IsNull()) {
    ApplyErt(ert, &arch);
    inputs.has_ert = true;
  }
  const Problem reference = MakeConvProblem("reference", ConvShape{});
  inputs.target.constraints = ParseConstraints(
      inline_constraints, ConstraintDirectivesOf(sections, arch_node), reference, arch);
  return inputs;
}

}  // namespace

ArchInputs LoadArchInputs(const std::vector<std::string>& paths) {
  if (paths.empty()) throw UserError("no architecture files given");
  Sections sections;
  for (const std::string& path : paths) AddSections(LoadYamlFile(path), &sections);
  return Build(sections, paths);
}

ArchInputs LoadArchInputsFromStrings(const std::vector<std::string>& texts,
                                     const std::vector<std::string>& names) {
  if (texts.size() != names.size())
    throw std::invalid_argument("LoadArchInputsFromStrings: texts and names differ in length");
  if (texts.empty()) throw UserError("no architecture files given");
  Sections sections;
  for (size_t i = 0; i < texts.size(); ++i) AddSections(ParseYaml(texts[i], names[i]), &sections);
  return Build(sections, names);
}

}  // namespace tessel::io
