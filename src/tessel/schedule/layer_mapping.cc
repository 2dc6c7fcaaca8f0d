#include "tessel/schedule/layer_mapping.h"

#include <algorithm>
#include <cctype>

namespace tessel {
namespace {

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool IsPooling(const std::string& op) {
  std::string l = Lower(op);
  return l.find("pool") != std::string::npos;
}

}  // namespace

const LayerMappingEntry& MatchEntry(const LayerMapping& mapping, const Layer& layer) {
  for (const LayerMappingEntry& e : mapping.entries)
    if (e.name == layer.name) return e;
  const std::string op = Lower(layer.op);
  for (const LayerMappingEntry& e : mapping.entries)
    if (Lower(e.name) == op) return e;
  for (const LayerMappingEntry& e : mapping.entries) {
    std::string n = Lower(e.name);
    if (n == "pooling" && IsPooling(layer.op)) return e;
    if (n == "simd" && !layer.HasMacs() && !IsPooling(layer.op)) return e;
  }
  for (const LayerMappingEntry& e : mapping.entries)
    if (e.name == "default") return e;
  throw UserError(SourceLocation{mapping.file}, "no mapping entry matches layer '" + layer.name +
                                                    "' (op " + layer.op +
                                                    ") and there is no 'default' entry");
}

void CheckMappingAgainstSystem(const LayerMapping& mapping, const System& system) {
  for (const LayerMappingEntry& e : mapping.entries) {
    if (e.core_allocation.empty())
      throw UserError(e.where, "mapping entry '" + e.name + "' allows no core");
    for (int id : e.core_allocation) {
      if (system.CoreIndex(id) < 0)
        throw UserError(e.where, "mapping entry '" + e.name + "' names core " + std::to_string(id) +
                                     ", which the system does not have");
      if (!system.core(id).CanCompute())
        throw UserError(e.where, "mapping entry '" + e.name + "' names core " + std::to_string(id) +
                                     " ('" + system.core(id).name +
                                     "'), which has no operational array");
    }
  }
}

}  // namespace tessel
