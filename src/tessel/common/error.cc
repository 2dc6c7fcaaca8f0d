#include "tessel/common/error.h"

namespace tessel {

std::string SourceLocation::ToString() const {
  std::string out = file;
  if (line > 0) {
    out += ":" + std::to_string(line);
    if (col > 0) out += ":" + std::to_string(col);
  }
  return out;
}

std::string UserError::Prefix(const SourceLocation& where) {
  std::string location = where.ToString();
  return location.empty() ? std::string() : location + ": ";
}

}  // namespace tessel
