// Turning one architecture component (name, class, attributes) into a StorageLevel or an
// ArithmeticLevel, following Timeloop's BufferLevel::ParseSpecs / ArithmeticUnits::ParseSpecs and
// Topology's class-name rules. Shared by the tree, `nodes:` and flat architecture forms.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "tessel/arch/arch.h"
#include "tessel/io/yaml_util.h"

namespace tessel::io {

enum class ComponentKind { kStorage, kCompute, kOther };

// Storage if the class contains DRAM|SRAM|regfile|smartbuffer|storage, compute if it contains
// mac|intmac|fpmac|compute (both case-insensitive, storage checked first); anything else
// (networks, adders, wires) is not a level.
ComponentKind ClassifyComponent(const std::string& klass);

// "PE[0..15]" -> {"PE", 16}; "Buffer" -> {"Buffer", 1}.
struct ComponentName {
  std::string base;
  std::int64_t multiplicity = 1;
};
ComponentName ParseComponentName(const YNode& name_node);

// The physical arrangement implied by the enclosing structure when the attributes give no
// meshX/meshY (the `nodes:` form's spatial containers). x * y == instances.
struct MeshHint {
  std::int64_t x = 1;
  std::int64_t y = 1;
};

// `attributes` may be absent (all defaults). `where` locates the component for errors.
// `instances` is the count implied by the structure; an `instances` attribute overrides it.
StorageLevel ParseStorageLevel(const std::string& name, const std::string& klass,
                               const YNode& attributes, const YNode& where, std::int64_t instances,
                               std::optional<MeshHint> hint);

ArithmeticLevel ParseArithmeticLevel(const std::string& name, const YNode& attributes,
                                     const YNode& where, std::int64_t instances,
                                     std::optional<MeshHint> hint);

}  // namespace tessel::io
