#include "tessel/io/timeloop_arch.h"

#include <algorithm>
#include <optional>

#include "tessel/common/checked_int.h"
#include "tessel/io/arch_attributes.h"

namespace tessel::io {
namespace {

// Levels collected while walking any of the forms, outermost storage first.
struct ArchWalk {
  std::vector<StorageLevel> outer_to_inner;
  std::optional<ArithmeticLevel> arithmetic;
  std::vector<InlineConstraint>* inline_constraints = nullptr;
  std::vector<ParallelBranch> branches;  // the !Parallel branches around the current node
};

void SetArithmetic(ArithmeticLevel level, const YNode& where, ArchWalk* walk) {
  if (walk->arithmetic)
    where.Fail("architecture has two arithmetic (compute) levels, '" + walk->arithmetic->name +
               "' and '" + level.name + "'; exactly one is supported");
  walk->arithmetic = std::move(level);
}

bool Enabled(const YNode& component) {
  YNode enabled = component.Get("enabled");
  return !enabled.Valid() || enabled.IsNull() || enabled.AsBool("enabled");
}

// Collects a node's inline `constraints:` map (nodes form), for the level it applies to.
void CollectInlineConstraints(const YNode& node, const std::string& level, ArchWalk* walk) {
  if (walk->inline_constraints == nullptr) return;
  YNode constraints = node.Get("constraints");
  const bool has_own = constraints.Valid() && !constraints.IsNull();
  if (has_own || !walk->branches.empty())
    walk->inline_constraints->push_back({level, has_own ? constraints : YNode(), walk->branches});
}

// The data spaces a node and everything below it keep (`dataspace: {keep | keep_only}`).
void CollectKeeps(const YNode& node, std::vector<std::string>* keeps) {
  if (!node.IsMap()) return;
  YNode dataspace = node.Get("constraints").GetAny({"dataspace", "datatype", "bypass"});
  if (dataspace.IsMap()) {
    for (const char* key : {"keep", "keep_only"}) {
      YNode list = dataspace.Get(key);
      if (list.IsSeq())
        for (const YNode& item : list.Items(key)) keeps->push_back(item.AsString(key));
    }
  }
  if (node.Get("nodes").IsSeq())
    for (const YNode& child : node.Get("nodes").Items("nodes")) CollectKeeps(child, keeps);
}

std::string TooManyInstances(const std::string& name) {
  return "the instances of '" + name + "' (the product of the fan-outs around it) exceed 2^63-1";
}

// One component of the tree or nodes form. `multiplicity` is the product of the enclosing
// subtree / container fan-outs; the component's own [a..b] range multiplies it.
void AddComponent(const YNode& component, std::int64_t multiplicity, std::optional<MeshHint> hint,
                  ArchWalk* walk) {
  if (!component.IsMap()) component.Fail("an architecture component must be a map");
  if (!Enabled(component)) return;
  YNode name_node = component.Get("name");
  if (!name_node.Valid()) component.Fail("architecture component has no 'name'");
  ComponentName name = ParseComponentName(name_node);
  YNode class_node = component.Get("class");
  if (!class_node.Valid())
    component.Fail("component '" + name.base + "' has no 'class'; give e.g. class: SRAM, " +
                   "class: DRAM or class: intmac");
  const std::string klass = class_node.AsString("class of '" + name.base + "'");
  const std::optional<std::int64_t> instances = CheckedMul(multiplicity, name.multiplicity);
  if (!instances) name_node.Fail(TooManyInstances(name.base));
  if (name.multiplicity != 1) hint.reset();
  const YNode attributes = component.Get("attributes");
  switch (ClassifyComponent(klass)) {
    case ComponentKind::kStorage:
      walk->outer_to_inner.push_back(
          ParseStorageLevel(name.base, klass, attributes, component, *instances, hint));
      CollectInlineConstraints(component, name.base, walk);
      break;
    case ComponentKind::kCompute:
      SetArithmetic(ParseArithmeticLevel(name.base, attributes, component, *instances, hint),
                    component, walk);
      break;
    case ComponentKind::kOther:
      break;  // networks, adders, wires: not levels (Timeloop neglects them too)
  }
}

// Tree form: exactly one subtree per level of nesting, `local` lists components outer to inner.
std::string WalkTree(const YNode& arch, ArchWalk* walk) {
  std::string top_name;
  std::int64_t multiplicity = 1;
  YNode current = arch;
  while (current.Has("subtree")) {
    std::vector<YNode> subtrees = current.Get("subtree").Items("subtree");
    if (subtrees.empty()) break;
    if (subtrees.size() != 1)
      current.Get("subtree").Fail(
          "a subtree list must have exactly one entry (Timeloop's tree "
          "form nests one subtree per level); found " +
          std::to_string(subtrees.size()));
    current = subtrees.front();
    YNode name_node = current.Get("name");
    ComponentName name = name_node.Valid() ? ParseComponentName(name_node) : ComponentName{};
    if (top_name.empty()) top_name = name.base;
    if (!MulInto(&multiplicity, name.multiplicity)) name_node.Fail(TooManyInstances(name.base));
    for (const YNode& component : current.Get("local").Items("local"))
      AddComponent(component, multiplicity, std::nullopt, walk);
  }
  return top_name;
}

// State of the `nodes:` walk: later nodes are inner; a spatial container multiplies everything
// after it and arranges the copies on a meshX x meshY grid.
struct NodesState {
  std::int64_t multiplicity = 1;
  std::int64_t mesh_x = 1;
  std::int64_t mesh_y = 1;
  std::string first_container;
};

std::int64_t SpatialSide(const YNode& spatial, std::string_view key, const std::string& name) {
  YNode side = spatial.Get(key);
  if (!side.Valid()) return 1;
  std::int64_t value = side.AsInt(std::string(key) + " of '" + name + "'");
  if (value <= 0) side.Fail(std::string(key) + " of '" + name + "' must be a positive integer");
  return value;
}

// A container (or a component with `spatial:`) fans out: timeloopfe models the fan-out point as
// a dummy storage level named inter_<name>_spatial holding nothing.
void AddSpatialFanout(const YNode& node, const std::string& name, bool add_dummy, NodesState* state,
                      ArchWalk* walk) {
  YNode spatial = node.Get("spatial");
  if (!spatial.IsMap()) return;
  const std::int64_t x = SpatialSide(spatial, "meshX", name);
  const std::int64_t y = SpatialSide(spatial, "meshY", name);
  if (x == 1 && y == 1) return;
  if (add_dummy) {
    StorageLevel dummy;
    dummy.name = SpatialDummyName(name);
    dummy.klass = "dummy_storage";
    dummy.instances = state->multiplicity;
    dummy.mesh_x = state->mesh_x;
    dummy.mesh_y = state->mesh_y;
    dummy.size_words = 1;  // timeloopfe's dummy: depth 1, width 1, datawidth 1
    dummy.word_bits = 1;
    walk->outer_to_inner.push_back(dummy);
  }
  const std::optional<std::int64_t> xy = CheckedMul(x, y);
  if (!xy || !MulInto(&state->multiplicity, *xy) || !MulInto(&state->mesh_x, x) ||
      !MulInto(&state->mesh_y, y))
    spatial.Fail(TooManyInstances(name));
}

void WalkNode(const YNode& node, NodesState* state, ArchWalk* walk);

void WalkNodes(const YNode& nodes, NodesState* state, ArchWalk* walk) {
  for (const YNode& node : nodes.Items("nodes")) WalkNode(node, state, walk);
}

// Each branch of a !Parallel node is walked with the data spaces it keeps on the branch stack.
// When no branch keeps anything (no constraints written), nothing is implied: keep/bypass stays
// the mapper's choice.
void WalkParallel(const YNode& node, NodesState* state, ArchWalk* walk) {
  const std::vector<YNode> branches = node.Get("nodes").Items("nodes");
  std::vector<ParallelBranch> entries(branches.size());
  bool any_keep = false;
  for (size_t i = 0; i < branches.size(); ++i) {
    CollectKeeps(branches[i], &entries[i].keeps);
    entries[i].where = branches[i].Location();
    any_keep = any_keep || !entries[i].keeps.empty();
  }
  for (size_t i = 0; i < branches.size(); ++i) {
    if (any_keep) walk->branches.push_back(entries[i]);
    WalkNode(branches[i], state, walk);
    if (any_keep) walk->branches.pop_back();
  }
}

void WalkNode(const YNode& node, NodesState* state, ArchWalk* walk) {
  const std::string tag = node.Tag();
  if (tag == "Container" || tag == "Hierarchical") {
    const std::string name = node.Get("name").Valid() ? ParseComponentName(node.Get("name")).base
                                                      : std::string("container");
    if (state->first_container.empty()) state->first_container = name;
    AddSpatialFanout(node, name, /*add_dummy=*/true, state, walk);
    CollectInlineConstraints(node, SpatialDummyName(name), walk);
    if (node.Has("nodes")) WalkNodes(node.Get("nodes"), state, walk);
  } else if (tag == "Parallel") {
    WalkParallel(node, state, walk);  // siblings, listed outer to inner
  } else if (tag == "Pipelined" || tag == "Pipeline") {
    WalkNodes(node.Get("nodes"), state, walk);  // siblings, listed outer to inner
  } else if (tag == "Component" || (tag.empty() && node.Has("class"))) {
    if (node.Has("spatial")) {
      const std::string name = ParseComponentName(node.Get("name")).base;
      AddSpatialFanout(node, name, /*add_dummy=*/false, state, walk);
    }
    AddComponent(node, state->multiplicity, MeshHint{state->mesh_x, state->mesh_y}, walk);
  } else if (!tag.empty()) {
    return;  // other timeloopfe node kinds (e.g. !Network, !Nothing) are not levels
  } else {
    node.Fail("an architecture node must be tagged !Container, !Component or !Parallel");
  }
}

// Flat form: `arithmetic` plus `storage` listed innermost first.
void WalkFlat(const YNode& arch, ArchWalk* walk) {
  std::vector<StorageLevel> inner_to_outer;
  for (const YNode& entry : arch.Get("storage").Items("storage")) {
    if (!entry.IsMap()) entry.Fail("a storage entry must be a map");
    YNode name_node = entry.Get("name");
    if (!name_node.Valid()) entry.Fail("storage entry has no 'name'");
    ComponentName name = ParseComponentName(name_node);
    const YNode attributes = entry.Has("attributes") ? entry.Get("attributes") : entry;
    YNode technology = attributes.Get("technology");
    std::string klass = entry.Has("class") ? entry.Get("class").AsString("class")
                        : (technology.IsScalar() && technology.raw().Scalar() == "DRAM") ? "DRAM"
                                                                                         : "SRAM";
    inner_to_outer.push_back(
        ParseStorageLevel(name.base, klass, attributes, entry, name.multiplicity, std::nullopt));
  }
  walk->outer_to_inner.assign(inner_to_outer.rbegin(), inner_to_outer.rend());
  YNode arithmetic = arch.Get("arithmetic");
  if (arithmetic.IsMap()) {
    const YNode attributes =
        arithmetic.Has("attributes") ? arithmetic.Get("attributes") : arithmetic;
    ComponentName name = arithmetic.Has("name") ? ParseComponentName(arithmetic.Get("name"))
                                                : ComponentName{"MAC", 1};
    SetArithmetic(
        ParseArithmeticLevel(name.base, attributes, arithmetic, name.multiplicity, std::nullopt),
        arithmetic, walk);
  }
}

void CheckLevels(const YNode& arch, const Arch& result, bool has_arithmetic) {
  if (result.storage.empty())
    arch.Fail(
        "architecture has no storage level; add a component whose class contains DRAM, "
        "SRAM, regfile, smartbuffer or storage");
  if (!has_arithmetic)
    arch.Fail(
        "architecture has no arithmetic (compute) level; add a component whose class "
        "contains 'mac' or 'compute' (e.g. class: intmac)");
  for (size_t i = 0; i < result.storage.size(); ++i)
    for (size_t j = i + 1; j < result.storage.size(); ++j)
      if (result.storage[i].name == result.storage[j].name)
        arch.Fail("two storage levels are named '" + result.storage[i].name +
                  "'; level names must be unique");
}

}  // namespace

std::string SpatialDummyName(const std::string& container) {
  return "inter_" + container + "_spatial";
}

Arch ParseArchitecture(const YNode& arch, std::vector<InlineConstraint>* inline_constraints) {
  if (!arch.IsMap()) arch.Fail("architecture must be a map (with subtree:, nodes: or storage:)");
  ArchWalk walk;
  walk.inline_constraints = inline_constraints;
  Arch result;
  if (arch.Has("subtree")) {
    result.name = WalkTree(arch, &walk);
  } else if (arch.Has("nodes")) {
    NodesState state;
    WalkNodes(arch.Get("nodes"), &state, &walk);
    result.name = state.first_container;
  } else if (arch.Has("storage") || arch.Has("arithmetic")) {
    WalkFlat(arch, &walk);
  } else {
    arch.Fail(
        "architecture has none of 'subtree' (tree form), 'nodes' (v0.4 form) or "
        "'storage' (flat form)");
  }
  result.storage.assign(walk.outer_to_inner.rbegin(), walk.outer_to_inner.rend());
  CheckLevels(arch, result, walk.arithmetic.has_value());
  result.arithmetic = *walk.arithmetic;
  return result;
}

}  // namespace tessel::io
