#include "tessel/io/timeloop_mapping.h"

#include <algorithm>

#include "tessel/common/checked_int.h"
#include "tessel/io/mapping_strings.h"
#include "tessel/io/timeloop_arch.h"

namespace tessel::io {
namespace {

// One temporal or spatial directive after parsing; factors[d]: -1 unset, 0 remaining bound.
struct LoopDirective {
  bool present = false;
  YNode node;
  std::vector<std::int64_t> factors;
  std::vector<int> permutation;  // innermost first, as written
  std::int64_t split = 0;        // spatial: positions [0, split) are Spatial-X
};

struct LevelDirectives {
  LoopDirective temporal;
  LoopDirective spatial;
};

// Per-directive options of Timeloop that change its results but that tessel does not model.
constexpr const char* kUnsupportedOptions[] = {"no_link_transfer", "no_multicast_no_reduction",
                                               "no_temporal_reuse", "rmw_on_first_writeback",
                                               "passthrough"};

LoopDirective ParseLoopDirective(const YNode& directive, const Problem& problem, bool spatial) {
  LoopDirective parsed;
  parsed.present = true;
  parsed.node = directive;
  parsed.factors = ParseFactors(directive.Get("factors"), problem);
  parsed.permutation = ParsePermutation(directive.Get("permutation"), problem);
  parsed.split = static_cast<std::int64_t>(problem.dims.size());  // default: all Spatial-X
  YNode split = directive.Get("split");
  if (spatial && split.Valid() && !split.IsNull()) {
    parsed.split = split.AsInt("split");
    if (parsed.split < 0) split.Fail("split must be a non-negative integer");
  }
  for (const char* option : kUnsupportedOptions) {
    YNode value = directive.Get(option);
    if (value.IsSeq() && value.raw().size() > 0)
      value.Fail(std::string("mapping option '") + option + "' is not supported");
  }
  return parsed;
}

// Factor 0 means "whatever is left of the bound"; at most one level may say so per dimension.
void ResolveRemainingFactors(const Problem& problem, std::vector<LevelDirectives>* levels) {
  for (size_t d = 0; d < problem.dims.size(); ++d) {
    std::int64_t product = 1;
    bool overflow = false;  // then no remainder fits: CheckMappingStructure reports the factors
    LoopDirective* zero = nullptr;
    for (LevelDirectives& level : *levels) {
      for (LoopDirective* directive : {&level.temporal, &level.spatial}) {
        if (!directive->present) continue;
        const std::int64_t factor = directive->factors[d];
        if (factor > 0 && !MulInto(&product, factor)) overflow = true;
        if (factor != 0) continue;
        if (zero != nullptr)
          directive->node.Get("factors").Fail(
              "factor 0 (the whole remaining bound) of dimension '" + problem.dims[d].name +
              "' is given at more than one level; give it at one level only");
        zero = directive;
      }
    }
    if (zero == nullptr) continue;
    const std::int64_t bound = problem.dims[d].bound;
    zero->factors[d] = !overflow && bound % product == 0 ? bound / product : bound;
  }
}

// Loops innermost first; the permutation is padded with the missing dimensions (outermost, in
// dimension order) before `split` is applied, as Timeloop does. Factor-1 loops are dropped.
std::vector<Loop> BuildLoops(const LoopDirective& directive, const Problem& problem, bool spatial) {
  std::vector<Loop> loops;
  if (!directive.present) return loops;
  std::vector<int> order = directive.permutation;
  for (int d = 0; d < static_cast<int>(problem.dims.size()); ++d)
    if (std::find(order.begin(), order.end(), d) == order.end()) order.push_back(d);
  for (size_t i = 0; i < order.size(); ++i) {
    const std::int64_t factor = directive.factors[order[i]];
    if (factor < 0 || factor == 1) continue;
    const bool x = !spatial || static_cast<std::int64_t>(i) < directive.split;
    loops.push_back(Loop{order[i], factor, x ? SpatialAxis::kX : SpatialAxis::kY});
  }
  return loops;
}

void ApplyKeepBypass(const YNode& directive, const Problem& problem, LevelMapping* level) {
  for (int space : ParseDataSpaceList(directive.Get("keep"), problem, "keep"))
    level->keep[space] = true;
  for (int space : ParseDataSpaceList(directive.Get("bypass"), problem, "bypass"))
    level->keep[space] = false;
}

}  // namespace

int ResolveTarget(const YNode& target, const Arch& arch, std::string_view what) {
  const std::string name = target.AsString(what);
  int index = arch.StorageIndex(name);
  if (index < 0) index = arch.StorageIndex(SpatialDummyName(name));
  std::int64_t id = -1;
  if (index < 0 && ParseInt64(name, &id) && id >= 0 &&
      id < static_cast<std::int64_t>(arch.storage.size()))
    index = static_cast<int>(id);  // Timeloop also accepts a storage-level id
  if (index >= 0) return index;
  std::vector<std::string> names;
  for (const StorageLevel& level : arch.storage) names.push_back(level.name);
  target.Fail(std::string(what) + " '" + name +
              "' is not a storage level; levels are: " + JoinNames(names));
}

std::vector<int> ParseDataSpaceList(const YNode& list, const Problem& problem,
                                    std::string_view key) {
  std::vector<int> spaces;
  if (!list.Valid() || list.IsNull()) return spaces;
  std::vector<YNode> items = list.IsSeq() ? list.Items(key) : std::vector<YNode>{list};
  for (const YNode& item : items) {
    const std::string name = item.AsString(std::string("an entry of ") + std::string(key));
    const int index = problem.DataSpaceIndex(name);
    if (index < 0) {
      std::vector<std::string> names;
      for (const DataSpace& space : problem.data_spaces) names.push_back(space.name);
      item.Fail("unknown data space '" + name + "' in " + std::string(key) +
                "; the problem's data spaces are: " + JoinNames(names));
    }
    spaces.push_back(index);
  }
  return spaces;
}

Mapping ParseMapping(const YNode& mapping_node, const Problem& problem, const Arch& arch) {
  const size_t num_levels = arch.storage.size();
  Mapping mapping;
  mapping.levels.resize(num_levels);
  for (size_t i = 0; i < num_levels; ++i)
    mapping.levels[i].keep.assign(problem.data_spaces.size(),
                                  arch.storage[i].klass != "dummy_storage");
  std::vector<LevelDirectives> directives(num_levels);
  for (const YNode& directive : mapping_node.Items("mapping")) {
    if (!directive.IsMap()) directive.Fail("a mapping directive must be a map");
    YNode target = directive.Get("target");
    if (!target.Valid()) directive.Fail("mapping directive has no 'target' (a storage level)");
    const int level = ResolveTarget(target, arch, "mapping target");
    YNode type_node = directive.Get("type");
    if (!type_node.Valid())
      directive.Fail("mapping directive has no 'type' (temporal, spatial or bypass)");
    const std::string type = ToLower(type_node.AsString("mapping directive type"));
    if (type == "temporal") {
      directives[level].temporal = ParseLoopDirective(directive, problem, false);
    } else if (type == "spatial") {
      directives[level].spatial = ParseLoopDirective(directive, problem, true);
    } else if (type == "bypass" || type == "datatype" || type == "dataspace" ||
               type == "bypassing") {
      ApplyKeepBypass(directive, problem, &mapping.levels[level]);
    } else {
      type_node.Fail("mapping directive type '" + type +
                     "' is not supported; use temporal, spatial or bypass (alias datatype, "
                     "dataspace)");
    }
  }
  ResolveRemainingFactors(problem, &directives);
  for (size_t i = 0; i < num_levels; ++i) {
    mapping.levels[i].temporal = BuildLoops(directives[i].temporal, problem, false);
    mapping.levels[i].spatial = BuildLoops(directives[i].spatial, problem, true);
  }
  return mapping;
}

}  // namespace tessel::io
