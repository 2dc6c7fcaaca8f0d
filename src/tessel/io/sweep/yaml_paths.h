// Parameter paths into YAML input documents, for design-space sweeps.
//
// A path is dot-separated segments, e.g. `GlobalBuffer.attributes.depth`, `mesh.x`,
// `arch.storage.GlobalBuffer.entries`, `cores.0.dataflows`. A segment matches a map key (hyphens
// and underscores alike, as every reader treats them), a sequence element whose `name` is the
// segment (a Timeloop instance range `PE[0..15]` matches `PE`), or, when all digits, a sequence
// index. The first segment may match at any depth of any document, so a path needs only as
// much of the tree as makes it unique. A parameter's path must address exactly one scalar.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "tessel/common/error.h"

namespace tessel::io {

// One YAML scalar a path addresses.
struct PathMatch {
  int document = 0;  // index into the documents searched
  YAML::Node node;   // a handle to the scalar inside that document
  SourceLocation where;
};

// Every node `path` addresses in `documents` (named `names` for locations), without duplicates
// (an anchor reached through several aliases counts once), in document order.
std::vector<PathMatch> FindPath(const std::vector<YAML::Node>& documents,
                                const std::vector<std::string>& names, const std::string& path);

// The one scalar `path` addresses; otherwise a UserError at `where` (the path in the sweep file)
// saying it matches nothing, several places (listed), or a map or list rather than a value.
PathMatch ResolvePath(const std::vector<YAML::Node>& documents,
                      const std::vector<std::string>& names, const std::string& path,
                      const SourceLocation& where);

}  // namespace tessel::io
