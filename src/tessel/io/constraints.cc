#include "tessel/io/constraints.h"

#include "tessel/io/timeloop_mapping.h"

namespace tessel::io {
namespace {

bool IsKeepBypassType(const YNode& directive) {
  YNode type = directive.Get("type");
  if (!type.IsScalar()) return false;
  const std::string lower = ToLower(type.raw().Scalar());
  return lower == "datatype" || lower == "bypass" || lower == "dataspace" || lower == "bypassing";
}

// Applies one {keep, bypass} map to level `level`; returns whether it said anything.
bool Apply(const YNode& directive, int level, const Problem& problem, KeepConstraints* out) {
  bool any = false;
  for (int space : ParseDataSpaceList(directive.Get("keep"), problem, "keep")) {
    (*out)[level][space] = true;
    any = true;
  }
  for (int space : ParseDataSpaceList(directive.Get("bypass"), problem, "bypass")) {
    (*out)[level][space] = false;
    any = true;
  }
  return any;
}

}  // namespace

std::vector<YNode> ConstraintDirectives(const YNode& section) {
  if (!section.Valid() || section.IsNull()) return {};
  if (section.IsSeq()) return section.Items("constraints");
  if (section.IsMap()) {
    YNode list = section.GetAny({"targets", "constraints"});
    if (list.Valid()) return list.Items("constraint targets");
    return {};
  }
  section.Fail("constraints must be a list of directives or a map with 'targets'");
}

KeepConstraints ParseKeepConstraints(const std::vector<InlineConstraint>& inline_constraints,
                                     const std::vector<YNode>& directives, const Problem& problem,
                                     const Arch& arch) {
  KeepConstraints out(arch.storage.size(),
                      std::vector<std::optional<bool>>(problem.data_spaces.size()));
  bool any = false;
  for (const InlineConstraint& constraint : inline_constraints) {
    const int level = arch.StorageIndex(constraint.level);
    if (level >= 0) any = Apply(constraint.directive, level, problem, &out) || any;
  }
  for (const YNode& directive : directives) {
    if (!directive.IsMap()) directive.Fail("a constraint directive must be a map");
    if (!IsKeepBypassType(directive)) continue;
    YNode target = directive.Get("target");
    if (!target.Valid()) directive.Fail("constraint directive has no 'target' (a storage level)");
    const int level = ResolveTarget(target, arch, "constraint target");
    any = Apply(directive, level, problem, &out) || any;
  }
  if (!any) out.clear();
  return out;
}

}  // namespace tessel::io
