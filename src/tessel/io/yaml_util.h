// A thin layer over yaml-cpp for the input readers: every node remembers the file it came from so
// that any complaint about it can be reported as `file:line:col: message` (1-based).
//
// Timeloop's conventions are applied here once, for every reader:
//   * hyphens and underscores in keys are the same (`word-bits` == `word_bits`);
//   * YAML merge keys (`<<: *anchor`) are honoured on lookup (yaml-cpp 0.7 does not expand them);
//   * scalars are parsed strictly: "1.5" is not an integer, "abc" is not a number.
// Only files under src/tessel/io include this header (DESIGN.md: YAML stays at the edge).
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tessel/common/error.h"

namespace tessel::io {

// `word-bits` -> `word_bits`.
std::string NormalizeKey(std::string_view key);

// Lower-case copy (ASCII), for case-insensitive class-name matching.
std::string ToLower(std::string_view text);

// Joins names with ", " for "valid ones are: ..." messages.
std::string JoinNames(const std::vector<std::string>& names);

class YNode {
 public:
  YNode() = default;
  // `file` is shared by all nodes of one document.
  YNode(YAML::Node node, std::shared_ptr<const std::string> file);
  // Assignment rebinds this handle to the other node. (yaml-cpp's own Node::operator= writes the
  // other node's content INTO the node this one refers to, which would edit the document.)
  YNode(const YNode&) = default;
  YNode& operator=(const YNode& other);
  YNode(YNode&&) = default;
  YNode& operator=(YNode&& other) { return *this = static_cast<const YNode&>(other); }

  // False for a key that is not there; such a node still carries its parent's location.
  bool Valid() const { return valid_; }
  bool IsMap() const { return valid_ && node_.IsMap(); }
  bool IsSeq() const { return valid_ && node_.IsSequence(); }
  bool IsScalar() const { return valid_ && node_.IsScalar(); }
  // Present but `~`/`null`/empty.
  bool IsNull() const { return valid_ && node_.IsNull(); }

  const YAML::Node& raw() const { return node_; }
  const std::string& file() const;
  // The YAML tag without the leading '!', e.g. "Component"; empty when untagged.
  std::string Tag() const;
  SourceLocation Location() const;

  // Map lookup with key normalisation and merge-key support. Invalid when absent or not a map.
  YNode Get(std::string_view key) const;
  // The first of `keys` that is present (Timeloop's `a || b || c` lookups).
  YNode GetAny(std::initializer_list<std::string_view> keys) const;
  bool Has(std::string_view key) const { return Get(key).Valid(); }

  // Sequence elements (empty for a null node). A map or scalar is an error naming `what`.
  std::vector<YNode> Items(std::string_view what) const;
  // Map entries in document order, merged entries after own ones; keys as written.
  std::vector<std::pair<std::string, YNode>> Entries() const;

  // Scalar conversions; on failure they throw a UserError naming `what` and the offending text.
  std::string AsString(std::string_view what) const;
  std::int64_t AsInt(std::string_view what) const;
  double AsDouble(std::string_view what) const;
  bool AsBool(std::string_view what) const;

  [[noreturn]] void Fail(const std::string& message) const;

 private:
  YNode(YAML::Mark mark, std::shared_ptr<const std::string> file);  // an absent node
  YNode Child(const YAML::Node& node) const { return YNode(node, file_); }
  YNode LookupOwn(const std::string& normalized) const;

  YAML::Node node_;
  YAML::Mark mark_ = YAML::Mark::null_mark();
  std::shared_ptr<const std::string> file_;
  bool valid_ = false;
};

// Every key of `map` must be one of `valid` (normalised); else `file:line:col: unknown key 'k' in
// <what>; the valid keys are: ...` at the key. YAML merge keys are skipped. A non-map is an error.
void CheckMapKeys(const YNode& map, const std::string& what, const std::vector<std::string>& valid);

// map[key], or `<what> has no '<key>'` at the map.
YNode RequiredKey(const YNode& map, const std::string& key, const std::string& what);

// Parses one YAML document. Malformed YAML -> UserError `name:line:col: <yaml-cpp message>`.
YNode ParseYaml(const std::string& text, const std::string& name);

// Reads and parses a file. Unreadable -> UserError `path: cannot open file`.
YNode LoadYamlFile(const std::string& path);

// Strict scalar parsing shared with the string mini-languages (factors): whole text must match.
bool ParseInt64(std::string_view text, std::int64_t* value);
bool ParseDouble(std::string_view text, double* value);

}  // namespace tessel::io
