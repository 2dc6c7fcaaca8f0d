#include "tessel/arch/fanout.h"

#include <algorithm>

namespace tessel {

Fanout FanoutOf(const Arch& arch, int level) {
  const StorageLevel& parent = arch.storage[level];
  const std::int64_t child_x = level == 0 ? arch.arithmetic.mesh_x : arch.storage[level - 1].mesh_x;
  const std::int64_t child_y = level == 0 ? arch.arithmetic.mesh_y : arch.storage[level - 1].mesh_y;
  return {std::max<std::int64_t>(1, child_x / std::max<std::int64_t>(1, parent.mesh_x)),
          std::max<std::int64_t>(1, child_y / std::max<std::int64_t>(1, parent.mesh_y))};
}

}  // namespace tessel
