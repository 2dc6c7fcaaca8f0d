#include "tessel/io/constraints.h"

#include <algorithm>
#include <cctype>

#include "fmt/format.h"
#include "tessel/io/constraint_terms.h"
#include "tessel/io/timeloop_mapping.h"
#include "tessel/arch/fanout.h"

namespace tessel::io {
namespace {

enum class Type { kTemporal, kSpatial, kBypass, kUtilization, kOverbooking };

Type ParseType(const YNode& where, const std::string& text) {
  const std::string type = ToLower(text);
  if (type == "temporal") return Type::kTemporal;
  if (type == "spatial") return Type::kSpatial;
  if (type == "bypass" || type == "datatype" || type == "dataspace" || type == "bypassing")
    return Type::kBypass;
  if (type == "utilization" || type == "parallelism") return Type::kUtilization;
  if (type == "max_overbooked_proportion") return Type::kOverbooking;
  where.Fail("constraint type '" + text +
             "' is not one of temporal, spatial, bypass (datatype, dataspace, bypassing), "
             "utilization (parallelism), max_overbooked_proportion");
}

// Timeloop's modelling switches: valid there, not modelled here, so never silently accepted.
constexpr const char* kNotImplemented[] = {"no_reuse",
                                           "no_multicast_no_reduction",
                                           "no_link_transfer",
                                           "no_temporal_reuse",
                                           "rmw_first_update",
                                           "no_coalesce",
                                           "remainders",
                                           "maximize_dims",
                                           "maximize_dims_capacity"};

std::vector<std::string> KeysOf(Type type) {
  switch (type) {
    case Type::kTemporal:
      return {"factors",
              "permutation",
              "default_max_factor",
              "default_min_factor",
              "factors_only",
              "no_iteration_over_dataspaces",
              "must_iterate_over_dataspaces"};
    case Type::kSpatial:
      return {"factors",
              "permutation",
              "split",
              "default_max_factor",
              "default_min_factor",
              "factors_only",
              "no_iteration_over_dataspaces",
              "must_iterate_over_dataspaces"};
    case Type::kBypass:
      return {"keep", "bypass", "keep_only", "bypass_only"};
    case Type::kUtilization:
      return {"min"};
    case Type::kOverbooking:
      return {"proportion"};
  }
  return {};
}

// Every key of `map` must be one `type` takes (plus `extra`, e.g. target and type); a key Timeloop
// knows but tessel does not model is an error of its own.
void CheckKeys(const YNode& map, Type type, const std::vector<std::string>& extra) {
  std::vector<std::string> known = KeysOf(type);
  known.insert(known.end(), extra.begin(), extra.end());
  for (const auto& [key, value] : map.Entries()) {
    const std::string normalized = NormalizeKey(key);
    if (std::find(known.begin(), known.end(), normalized) != known.end()) continue;
    for (const char* name : kNotImplemented)
      if (normalized == name)
        value.Fail("constraint key '" + key +
                   "' is a Timeloop option tessel does not implement; remove it");
    value.Fail("unknown key '" + key +
               "' in a constraint directive; this type takes: " + JoinNames(known));
  }
}

struct Context {
  const Problem& problem;
  const Arch& arch;
  MapConstraints& out;
};

// One data space of a keep/bypass list; where it was written.
struct Named {
  int space;
  SourceLocation where;
};

// The data spaces a list names; "*" stands for all of them (timeloopfe's wildcard).
std::vector<Named> ListedSpaces(const YNode& list, const char* key, const Problem& problem) {
  std::vector<Named> out;
  if (!list.Valid() || list.IsNull()) return out;
  std::vector<YNode> items = list.IsSeq() ? list.Items(key) : std::vector<YNode>{list};
  for (const YNode& item : items) {
    if (item.IsScalar() && item.raw().Scalar() == "*") {
      for (size_t v = 0; v < problem.data_spaces.size(); ++v)
        out.push_back({static_cast<int>(v), item.Location()});
      continue;
    }
    for (int v : ParseDataSpaceList(item, problem, key)) out.push_back({v, item.Location()});
  }
  return out;
}

void SetKeep(int v, bool keep, const SourceLocation& where, int level, Context& c) {
  LevelConstraints& target = c.out.levels[level];
  if (target.keep[v] && *target.keep[v] != keep)
    throw UserError(
        where, fmt::format("{} {} at level {} contradicts the {} at {}", keep ? "keep" : "bypass",
                           c.problem.data_spaces[v].name, c.arch.storage[level].name,
                           *target.keep[v] ? "keep" : "bypass", target.keep_where[v].ToString()));
  target.keep[v] = keep;
  target.keep_where[v] = where;
}

// keep / bypass, and timeloopfe's keep_only (bypass the rest) / bypass_only (keep the rest).
void ApplyKeepLists(const YNode& attributes, int level, Context& c) {
  for (const Named& n : ListedSpaces(attributes.Get("keep"), "keep", c.problem))
    SetKeep(n.space, true, n.where, level, c);
  for (const Named& n : ListedSpaces(attributes.Get("bypass"), "bypass", c.problem))
    SetKeep(n.space, false, n.where, level, c);
  for (const char* key : {"keep_only", "bypass_only"}) {
    YNode list = attributes.Get(key);
    if (!list.Valid() || list.IsNull()) continue;
    const bool listed_keep = std::string(key) == "keep_only";
    std::vector<bool> listed(c.problem.data_spaces.size(), false);
    for (const Named& n : ListedSpaces(list, key, c.problem)) listed[n.space] = true;
    for (size_t v = 0; v < listed.size(); ++v)
      SetKeep(static_cast<int>(v), listed[v] == listed_keep, list.Location(), level, c);
  }
}

// timeloopfe's iteration macros, as factor-1 constraints on the dimensions they exclude:
// factors_only (every dimension not listed), no_iteration_over_dataspaces (every dimension of
// those tensors), must_iterate_over_dataspaces (every dimension of none of them).
void ApplyIterationMacros(const YNode& attributes, int level, std::vector<FactorLimit>& limits,
                          Context& c) {
  const std::string& name = c.arch.storage[level].name;
  const int dims = static_cast<int>(c.problem.dims.size());
  auto pin_to_one = [&](int d, const YNode& where) {
    FactorLimit& limit = limits[d];
    if (limit.exact != 0 && limit.exact != 1)
      where.Fail(fmt::format("factor of {} at level {} is already set to {} at {}",
                             c.problem.dims[d].name, name, limit.exact, limit.where.ToString()));
    if (limit.exact == 1) return;
    limit.exact = 1;
    limit.where = where.Location();
  };
  YNode only = attributes.Get("factors_only");
  if (only.Valid() && !only.IsNull()) {
    std::vector<FactorLimit> listed(dims);
    ParseFactorList(only, c.problem, name, listed);
    for (int d = 0; d < dims; ++d) {
      if (listed[d].IsFree()) {
        pin_to_one(d, only);
      } else {
        limits[d] = listed[d];
      }
    }
  }
  for (const char* key : {"no_iteration_over_dataspaces", "must_iterate_over_dataspaces"}) {
    YNode list = attributes.Get(key);
    if (!list.Valid() || list.IsNull()) continue;
    std::vector<bool> relevant(dims, false);
    for (const Named& n : ListedSpaces(list, key, c.problem))
      for (int d = 0; d < dims; ++d) relevant[d] = relevant[d] || c.problem.IsRelevant(n.space, d);
    const bool exclude_relevant = std::string(key) == "no_iteration_over_dataspaces";
    for (int d = 0; d < dims; ++d)
      if (relevant[d] == exclude_relevant) pin_to_one(d, list);
  }
}

void ApplyLoopDirective(const YNode& attributes, bool spatial, int level, Context& c) {
  LevelConstraints& target = c.out.levels[level];
  ParseFactorConstraints(attributes, c.problem, c.arch.storage[level].name,
                         spatial ? target.spatial : target.temporal);
  ApplyIterationMacros(attributes, level, spatial ? target.spatial : target.temporal, c);
  YNode permutation = attributes.Get("permutation");
  if (permutation.Valid() && !permutation.IsNull()) {
    LoopOrder& order = spatial ? target.spatial_order : target.temporal_order;
    LoopOrder parsed = ParsePermutationConstraint(permutation, c.problem);
    if (!order.empty() && (order.inner != parsed.inner || order.outer != parsed.outer))
      permutation.Fail(fmt::format(
          "the {} permutation of level {} is already set differently at {}",
          spatial ? "spatial" : "temporal", c.arch.storage[level].name, order.where.ToString()));
    order = parsed;
  }
  YNode split = attributes.Get("split");
  if (spatial && split.Valid() && !split.IsNull()) {
    const std::int64_t value = split.AsInt("split");
    if (value < 0) split.Fail("split must be a non-negative integer");
    const int clamped = static_cast<int>(std::min<std::int64_t>(value, 1 << 20));
    if (target.split && *target.split != clamped)
      split.Fail(fmt::format("the split of level {} is already set to {} at {}",
                             c.arch.storage[level].name, *target.split,
                             target.split_where.ToString()));
    target.split = clamped;
    target.split_where = split.Location();
  }
}

void ApplyDirective(Type type, const YNode& attributes, const YNode& where, int level, Context& c) {
  const std::string& name = c.arch.storage[level].name;
  switch (type) {
    case Type::kTemporal:
      ApplyLoopDirective(attributes, false, level, c);
      break;
    case Type::kSpatial:
      if (FanoutOf(c.arch, level).total() <= 1)
        where.Fail("level " + name +
                   " has no spatial fan-out (as many instances as the level inside it), so a "
                   "spatial constraint cannot apply to it");
      ApplyLoopDirective(attributes, true, level, c);
      break;
    case Type::kBypass:
      ApplyKeepLists(attributes, level, c);
      break;
    case Type::kUtilization: {
      if (level != 0)
        where.Fail("utilization can only be constrained at the innermost storage level (" +
                   c.arch.storage[0].name +
                   "), as in Timeloop; it is the product of the fan-out "
                   "use of every level above it");
      YNode min = attributes.Get("min");
      if (!min.Valid()) where.Fail("a utilization constraint needs 'min'");
      const double value = min.AsDouble("min");
      if (value < 0 || value > 1) min.Fail("utilization 'min' must be between 0 and 1");
      if (c.out.min_parallelism > 0 && c.out.min_parallelism != value)
        min.Fail("minimum utilization is already set at " + c.out.min_parallelism_where.ToString());
      c.out.min_parallelism = value;
      c.out.min_parallelism_where = min.Location();
      break;
    }
    case Type::kOverbooking: {
      YNode proportion = attributes.Get("proportion");
      if (proportion.Valid() && proportion.AsDouble("proportion") != 0)
        proportion.Fail(
            "max_overbooked_proportion above 0 is not implemented: tessel never overbooks a "
            "buffer (0, the default, is accepted)");
      break;
    }
  }
}

// One directive aimed at `level`. Its keys sit inline or under `attributes:`; `outer_keys` are
// those allowed beside them (type, and target/name unless the target holds a nested list).
void ApplyOneDirective(const YNode& directive, int level, std::vector<std::string> outer_keys,
                       Context& c) {
  if (!directive.IsMap()) directive.Fail("a constraint directive must be a map");
  YNode type_node = directive.Get("type");
  if (!type_node.Valid())
    directive.Fail("constraint directive has no 'type' (temporal, spatial, bypass, utilization)");
  const Type type = ParseType(type_node, type_node.AsString("type"));
  outer_keys.insert(outer_keys.end(), {"type", "attributes", "version"});
  // (Never assign to a YNode that holds a node: yaml-cpp's operator= writes through it.)
  const YNode attributes = directive.Has("attributes") ? directive.Get("attributes") : directive;
  if (directive.Has("attributes")) {
    CheckKeys(attributes, type, {});
    for (const auto& [key, value] : directive.Entries())
      if (std::find(outer_keys.begin(), outer_keys.end(), NormalizeKey(key)) == outer_keys.end())
        value.Fail("key '" + key + "' belongs under the directive's 'attributes'");
  } else {
    CheckKeys(directive, type, outer_keys);
  }
  ApplyDirective(type, attributes, directive, level, c);
}

// One entry of a constraints list: a directive, or a target with its own `constraints:` list.
void ApplyListEntry(const YNode& entry, Context& c) {
  if (!entry.IsMap()) entry.Fail("a constraint directive must be a map");
  YNode target = entry.GetAny({"target", "name"});
  if (!target.Valid()) entry.Fail("constraint directive has no 'target' (a storage level)");
  const int level = ResolveTarget(target, c.arch, "constraint target");
  if (!entry.Has("constraints")) {
    ApplyOneDirective(entry, level, {"target", "name"}, c);
    return;
  }
  for (const auto& [key, value] : entry.Entries()) {
    const std::string normalized = NormalizeKey(key);
    if (normalized != "constraints" && normalized != "target" && normalized != "name")
      value.Fail("unknown key '" + key + "' beside a target's 'constraints' list");
  }
  for (const YNode& directive : entry.Get("constraints").Items("constraints"))
    ApplyOneDirective(directive, level, {}, c);
}

// timeloopfe's !Parallel rule: a branch bypasses every data space its subtree keeps nowhere.
void ApplyBranches(const InlineConstraint& constraint, int level, Context& c) {
  for (const ParallelBranch& branch : constraint.branches) {
    if (std::find(branch.keeps.begin(), branch.keeps.end(), "*") != branch.keeps.end()) continue;
    for (size_t v = 0; v < c.problem.data_spaces.size(); ++v) {
      const std::string& name = c.problem.data_spaces[v].name;
      if (std::find(branch.keeps.begin(), branch.keeps.end(), name) != branch.keeps.end()) continue;
      if (!c.out.levels[level].keep[v]) SetKeep(static_cast<int>(v), false, branch.where, level, c);
    }
  }
}

void ApplyInline(const InlineConstraint& constraint, Context& c) {
  const int level = c.arch.StorageIndex(constraint.level);
  if (!constraint.constraints.Valid()) {
    if (level >= 0) ApplyBranches(constraint, level, c);
    return;
  }
  if (!constraint.constraints.IsMap())
    constraint.constraints.Fail(
        "a node's 'constraints' must be a map keyed by type (dataspace, temporal, spatial)");
  if (level < 0)
    constraint.constraints.Fail(
        "these constraints belong to a container that does not fan out "
        "(meshX x meshY = 1), so there is no level '" +
        constraint.level + "' to apply them to");
  for (const auto& [key, attributes] : constraint.constraints.Entries()) {
    const Type type = ParseType(attributes, NormalizeKey(key));
    if (!attributes.IsMap()) attributes.Fail("constraint '" + key + "' must be a map");
    CheckKeys(attributes, type, {});
    ApplyDirective(type, attributes, attributes, level, c);
  }
  ApplyBranches(constraint, level, c);
}

}  // namespace

std::vector<YNode> ConstraintDirectives(const YNode& section) {
  if (!section.Valid() || section.IsNull()) return {};
  if (section.IsSeq()) return section.Items("constraints");
  if (section.IsMap()) {
    // Timeloop's `mapspace: {template: ruby}` adds imperfect factorisations, which tessel's
    // mapspace (Timeloop's default, uber) does not have: refused rather than ignored.
    YNode template_node = section.Get("template");
    if (template_node.Valid() && template_node.AsString("template") != "uber")
      template_node.Fail("mapspace template '" + template_node.AsString("template") +
                         "' is not implemented; tessel searches Timeloop's 'uber' mapspace "
                         "(perfect factorisations)");
    YNode list = section.GetAny({"targets", "constraints"});
    if (list.Valid()) return list.Items("constraint targets");
    return {};
  }
  section.Fail("constraints must be a list of directives or a map with 'targets'");
}

MapConstraints ParseConstraints(const std::vector<InlineConstraint>& inline_constraints,
                                const std::vector<YNode>& directives, const Problem& problem,
                                const Arch& arch) {
  MapConstraints out = NoConstraints(problem, arch);
  Context c{problem, arch, out};
  for (const InlineConstraint& constraint : inline_constraints) ApplyInline(constraint, c);
  for (const YNode& directive : directives) ApplyListEntry(directive, c);
  return out;
}

}  // namespace tessel::io
