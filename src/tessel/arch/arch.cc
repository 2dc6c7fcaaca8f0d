#include "tessel/arch/arch.h"

#include <cmath>

namespace tessel {

std::optional<std::int64_t> StorageLevel::EffectiveSizeWords() const {
  if (!size_words) return std::nullopt;
  return static_cast<std::int64_t>(std::floor(static_cast<double>(*size_words) / multiple_buffering));
}

int Arch::StorageIndex(const std::string& level_name) const {
  for (size_t i = 0; i < storage.size(); ++i)
    if (storage[i].name == level_name) return static_cast<int>(i);
  return -1;
}

bool Arch::EnergiesFromErt() const {
  if (arithmetic.energy_source != "ERT") return false;
  for (const StorageLevel& level : storage)
    if (level.energy_source != "ERT" && level.klass != "dummy_storage") return false;
  return true;
}

}  // namespace tessel
