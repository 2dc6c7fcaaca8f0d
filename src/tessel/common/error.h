// Errors the user caused. A UserError's message is complete and ready to print, in the form
// `file:line:col: what is wrong` (location parts omitted when unknown). The CLI prints it and
// exits with code 2; the library never exits.
#pragma once

#include <stdexcept>
#include <string>

namespace tessel {

// Where in an input file something came from. line and col are 1-based; 0 means unknown.
struct SourceLocation {
  std::string file;
  int line = 0;
  int col = 0;

  // "file:line:col", "file:line", "file" or "" depending on what is known.
  std::string ToString() const;
};

class UserError : public std::runtime_error {
 public:
  explicit UserError(const std::string& message) : std::runtime_error(message) {}
  UserError(const SourceLocation& where, const std::string& message)
      : std::runtime_error(Prefix(where) + message), where_(where) {}

  // Where the error is (empty file and 0s when the message carries no location); what() already
  // starts with it. The Python module exposes it as InputError.file / line / column.
  const SourceLocation& where() const { return where_; }

 private:
  static std::string Prefix(const SourceLocation& where);
  SourceLocation where_;
};

}  // namespace tessel
