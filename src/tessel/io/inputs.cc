// LoadInputs: parse each document, merge top-level sections (a later file's section replaces an
// earlier one's), then read the sections in dependency order: problem, architecture, energies,
// mapping, constraints.
#include "tessel/io/inputs.h"

#include <map>
#include <stdexcept>

#include "tessel/io/constraints.h"
#include "tessel/io/default_energy.h"
#include "tessel/io/ert.h"
#include "tessel/io/timeloop_arch.h"
#include "tessel/io/timeloop_mapping.h"
#include "tessel/io/timeloop_problem.h"
#include "tessel/io/yaml_util.h"

namespace tessel {
namespace {

using io::YNode;

// Aliases Timeloop accepts for the same section.
std::string CanonicalSection(const std::string& key) {
  const std::string normalized = io::NormalizeKey(key);
  if (normalized == "arch") return "architecture";
  if (normalized == "arch_constraints") return "architecture_constraints";
  return normalized;
}

// Top-level sections of all documents; each node keeps the file it came from.
class Sections {
 public:
  void Add(const YNode& document) {
    if (!document.Valid() || document.IsNull()) return;  // an empty file adds nothing
    if (!document.IsMap())
      document.Fail(
          "the top level of an input file must be a map of sections (problem, "
          "architecture, mapping, ERT, ...)");
    for (const auto& [key, node] : document.Entries()) sections_[CanonicalSection(key)] = node;
  }

  YNode Get(const std::string& section) const {
    auto it = sections_.find(section);
    return it == sections_.end() ? YNode() : it->second;
  }

 private:
  std::map<std::string, YNode> sections_;
};

// `label` is how the key is named in the message, e.g. "'architecture' (or 'arch')".
YNode Require(const Sections& sections, const std::string& section, const std::string& label,
              const std::string& hint, const std::vector<std::string>& names) {
  YNode node = sections.Get(section);
  if (!node.Valid() || node.IsNull())
    throw UserError("no input file has a top-level " + label +
                    " key (read: " + io::JoinNames(names) + "); " + hint);
  return node;
}

std::vector<YNode> AllConstraintDirectives(const Sections& sections, const YNode& arch) {
  std::vector<YNode> directives = io::ConstraintDirectives(arch.Get("constraints"));
  for (const char* section :
       {"architecture_constraints", "mapspace_constraints", "mapspace", "constraints"}) {
    for (const YNode& directive : io::ConstraintDirectives(sections.Get(section)))
      directives.push_back(directive);
  }
  return directives;
}

Inputs Build(const Sections& sections, const std::vector<std::string>& names) {
  YNode problem_node = Require(sections, "problem", "'problem'",
                               "add a 'problem:' section with shape and instance", names);
  YNode arch_node = Require(sections, "architecture", "'architecture' (or 'arch')",
                            "add an 'architecture:' section with its storage levels and "
                            "arithmetic level",
                            names);
  Inputs inputs;
  inputs.problem = io::ParseProblem(problem_node);
  std::vector<io::InlineConstraint> inline_constraints;
  inputs.arch = io::ParseArchitecture(arch_node, &inline_constraints);
  io::ApplyDefaultEnergies(&inputs.arch);
  YNode ert = sections.Get("ERT");
  if (ert.Valid() && !ert.IsNull()) {
    io::ApplyErt(ert, &inputs.arch);
    inputs.has_ert = true;
  }
  // An empty `mapping: []` (timeloopfe writes it for mapper runs) means "no mapping".
  YNode mapping = sections.Get("mapping");
  if (mapping.Valid() && !mapping.IsNull() && !mapping.Items("mapping").empty())
    inputs.mapping = io::ParseMapping(mapping, inputs.problem, inputs.arch);
  inputs.constraints = io::ParseConstraints(
      inline_constraints, AllConstraintDirectives(sections, arch_node), inputs.problem, inputs.arch);
  return inputs;
}

}  // namespace

Inputs LoadInputs(const std::vector<std::string>& paths) {
  if (paths.empty()) throw UserError("no input files given");
  Sections sections;
  for (const std::string& path : paths) sections.Add(io::LoadYamlFile(path));
  return Build(sections, paths);
}

Inputs LoadInputsFromStrings(const std::vector<std::string>& texts,
                             const std::vector<std::string>& names) {
  if (texts.size() != names.size())
    throw std::invalid_argument("LoadInputsFromStrings: texts and names differ in length");
  if (texts.empty()) throw UserError("no input files given");
  Sections sections;
  for (size_t i = 0; i < texts.size(); ++i) sections.Add(io::ParseYaml(texts[i], names[i]));
  return Build(sections, names);
}

}  // namespace tessel
