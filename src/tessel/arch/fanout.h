// The spatial fan-out of a storage level: how many instances of the next inner level (or of the
// MACs, under level 0) sit under one instance of it, per mesh axis. The one statement of this
// rule; the model's mapping check, the mapspace, the min-utilisation constraint and the
// constraint reader all use it.
#pragma once

#include <cstdint>

#include "tessel/arch/arch.h"

namespace tessel {

struct Fanout {
  std::int64_t x = 1;  // child mesh_x / own mesh_x, at least 1
  std::int64_t y = 1;  // child mesh_y / own mesh_y, at least 1
  std::int64_t total() const { return x * y; }
};

// `level` indexes arch.storage, innermost first; 0 <= level < arch.storage.size().
Fanout FanoutOf(const Arch& arch, int level);

}  // namespace tessel
