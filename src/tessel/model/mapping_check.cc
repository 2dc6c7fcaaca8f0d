// Structural validity of a mapping against its problem and arch, before any nest analysis.
#include <string>

#include "fmt/format.h"
#include "tessel/common/checked_int.h"
#include "tessel/model/evaluate.h"
#include "tessel/arch/fanout.h"

namespace tessel {

namespace {

std::string CheckFactorProducts(const Problem& problem, const Arch& arch, const Mapping& mapping) {
  std::vector<std::int64_t> product(problem.dims.size(), 1);
  for (const LevelMapping& level : mapping.levels) {
    for (const std::vector<Loop>* loops : {&level.temporal, &level.spatial}) {
      for (const Loop& loop : *loops) {
        if (loop.dim < 0 || loop.dim >= static_cast<int>(problem.dims.size()))
          return fmt::format("mapping names dimension #{} but the problem has {}", loop.dim,
                             problem.dims.size());
        if (loop.factor < 1) return fmt::format("factor {} is not positive", loop.factor);
        if (!MulInto(&product[loop.dim], loop.factor))
          return fmt::format(
              "the factors of dimension {} multiply to more than 2^63-1 (its bound is {})",
              problem.dims[loop.dim].name, problem.dims[loop.dim].bound);
      }
    }
  }
  (void)arch;
  for (size_t d = 0; d < problem.dims.size(); ++d) {
    if (product[d] != problem.dims[d].bound)
      return fmt::format(
          "the factors of dimension {} multiply to {} over all levels, but its bound is {}",
          problem.dims[d].name, product[d], problem.dims[d].bound);
  }
  return "";
}

std::string CheckFanouts(const Arch& arch, const Mapping& mapping) {
  for (size_t s = 0; s < mapping.levels.size(); ++s) {
    const auto [mesh_x, mesh_y] = FanoutOf(arch, static_cast<int>(s));
    std::int64_t fan_x = mapping.SpatialFanout(static_cast<int>(s), SpatialAxis::kX);
    std::int64_t fan_y = mapping.SpatialFanout(static_cast<int>(s), SpatialAxis::kY);
    std::string child = s == 0 ? arch.arithmetic.name : arch.storage[s - 1].name;
    if (fan_x > mesh_x)
      return fmt::format(
          "level {}: spatial fan-out X={} exceeds the {} instances of {} along X under each {}",
          arch.storage[s].name, fan_x, mesh_x, child, arch.storage[s].name);
    if (fan_y > mesh_y)
      return fmt::format(
          "level {}: spatial fan-out Y={} exceeds the {} instances of {} along Y under each {}",
          arch.storage[s].name, fan_y, mesh_y, child, arch.storage[s].name);
  }
  return "";
}

}  // namespace

std::string CheckMappingStructure(const Problem& problem, const Arch& arch,
                                  const Mapping& mapping) {
  if (mapping.levels.size() != arch.storage.size())
    return fmt::format("the mapping has {} levels but the architecture has {} storage levels",
                       mapping.levels.size(), arch.storage.size());
  for (size_t s = 0; s < mapping.levels.size(); ++s) {
    if (mapping.levels[s].keep.size() != problem.data_spaces.size())
      return fmt::format("level {}: keep/bypass lists {} data spaces, the problem has {}",
                         arch.storage[s].name, mapping.levels[s].keep.size(),
                         problem.data_spaces.size());
  }
  for (size_t ds = 0; ds < problem.data_spaces.size(); ++ds) {
    if (!mapping.levels.back().keep[ds])
      return fmt::format(
          "level {}: the outermost level bypasses {}, but it must keep every data space",
          arch.storage.back().name, problem.data_spaces[ds].name);
  }
  std::string error = CheckFactorProducts(problem, arch, mapping);
  if (error.empty()) error = CheckFanouts(arch, mapping);
  return error;
}

}  // namespace tessel
