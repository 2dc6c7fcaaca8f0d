#include "tessel/io/yaml_util.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "fmt/format.h"

namespace tessel::io {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

// Input limits (docs/reliability.md): past them a file is refused with a UserError instead of
// exhausting memory. Real inputs are kilobytes; a workload of 10,000 flat conv layers is about
// 1 MB and 250,000 nodes.
constexpr std::size_t kMaxYamlBytes = 16u << 20;
// Nodes counted with every alias expanded, as the readers walk them: a few hundred bytes of
// anchors and aliases can stand for a billion list items ("billion laughs").
constexpr std::size_t kMaxYamlNodes = 2'000'000;

// Throws UserError (at the file: no one node is to blame) when `root` has more than
// kMaxYamlNodes nodes once aliases are expanded. Stops counting there: at most that many steps.
void CheckExpandedSize(const YAML::Node& root, const std::string& name) {
  std::vector<YAML::Node> stack{root};
  std::size_t count = 0;
  while (!stack.empty()) {
    const YAML::Node node = stack.back();
    stack.pop_back();
    if (++count > kMaxYamlNodes)
      throw UserError(SourceLocation{name, 0, 0},
                      "the document has more than " + std::to_string(kMaxYamlNodes) +
                          " nodes with its aliases expanded; tessel reads no more");
    if (node.IsSequence()) {
      for (const YAML::Node& item : node) stack.push_back(item);
    } else if (node.IsMap()) {
      for (const auto& entry : node) {
        stack.push_back(entry.first);
        stack.push_back(entry.second);
      }
    }
  }
}

// Length of the UTF-8 sequence starting at text[i] (1 to 4), or 0 when it is not valid UTF-8
// (bad lead or continuation byte, overlong form, surrogate, past U+10FFFF, cut short).
std::size_t Utf8Length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t n = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
  if (n == 0 || lead > 0xF4 || lead == 0xC0 || lead == 0xC1 || i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  const unsigned char second = byte(i + 1);
  if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second >= 0xA0) ||
      (lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second >= 0x90))
    return 0;
  return n;
}

// YAML text is UTF-8 (what every writer of these files produces); yaml-cpp passes stray bytes
// through to names that no JSON report could then be written with. Throws UserError at the
// first invalid byte.
void CheckUtf8(const std::string& text, const std::string& name) {
  int line = 1, col = 1;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = Utf8Length(text, i);
    if (n == 0)
      throw UserError(SourceLocation{name, line, col},
                      fmt::format("byte 0x{:02X} is not UTF-8 text; YAML files must be UTF-8",
                                  static_cast<unsigned char>(text[i])));
    if (text[i] == '\n') {
      ++line;
      col = 0;
    }
    ++col;
    i += n;
  }
}

const std::string& EmptyString() {
  static const std::string* const kEmpty = new std::string();
  return *kEmpty;
}

}  // namespace

std::string NormalizeKey(std::string_view key) {
  std::string out(key);
  for (char& c : out)
    if (c == '-') c = '_';
  return out;
}

std::string ToLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out;
}

bool ParseInt64(std::string_view text, std::int64_t* value) {
  text = Trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return ec == std::errc() && end == text.data() + text.size();
}

bool ParseDouble(std::string_view text, double* value) {
  text = Trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return ec == std::errc() && end == text.data() + text.size();
}

YNode& YNode::operator=(const YNode& other) {
  if (this == &other) return *this;
  node_.reset(other.node_);
  mark_ = other.mark_;
  file_ = other.file_;
  valid_ = other.valid_;
  return *this;
}

YNode::YNode(YAML::Node node, std::shared_ptr<const std::string> file)
    : node_(node), mark_(node.Mark()), file_(std::move(file)), valid_(node.IsDefined()) {}

YNode::YNode(YAML::Mark mark, std::shared_ptr<const std::string> file)
    : mark_(mark), file_(std::move(file)), valid_(false) {}

const std::string& YNode::file() const { return file_ ? *file_ : EmptyString(); }

std::string YNode::Tag() const {
  if (!valid_) return "";
  std::string tag = node_.Tag();
  if (!tag.empty() && tag.front() == '!') tag.erase(0, 1);
  if (tag == "?") tag.clear();  // yaml-cpp's marker for "no explicit tag"
  return tag;
}

SourceLocation YNode::Location() const {
  if (mark_.is_null()) return SourceLocation{file(), 0, 0};
  return SourceLocation{file(), mark_.line + 1, mark_.column + 1};
}

void YNode::Fail(const std::string& message) const { throw UserError(Location(), message); }

YNode YNode::LookupOwn(const std::string& normalized) const {
  for (const auto& entry : node_) {
    if (entry.first.IsScalar() && NormalizeKey(entry.first.Scalar()) == normalized)
      return Child(entry.second);
  }
  return YNode(mark_, file_);
}

YNode YNode::Get(std::string_view key) const {
  if (!IsMap()) return YNode(mark_, file_);
  const std::string normalized = NormalizeKey(key);
  YNode own = LookupOwn(normalized);
  if (own.Valid() || normalized == "<<") return own;
  // YAML merge keys: `<<: *base` or `<<: [*a, *b]`; earlier sources win.
  YNode merge = LookupOwn("<<");
  if (!merge.Valid()) return own;
  std::vector<YNode> sources;
  if (merge.IsSeq()) {
    for (const auto& item : merge.node_) sources.push_back(Child(item));
  } else {
    sources.push_back(merge);
  }
  for (const YNode& source : sources) {
    YNode found = source.Get(normalized);
    if (found.Valid()) return found;
  }
  return own;
}

YNode YNode::GetAny(std::initializer_list<std::string_view> keys) const {
  for (std::string_view key : keys) {
    YNode found = Get(key);
    if (found.Valid()) return found;
  }
  return YNode(mark_, file_);
}

std::vector<YNode> YNode::Items(std::string_view what) const {
  std::vector<YNode> items;
  if (!valid_ || node_.IsNull()) return items;
  if (!node_.IsSequence()) Fail(std::string(what) + " must be a list");
  for (const auto& item : node_) items.push_back(Child(item));
  return items;
}

std::vector<std::pair<std::string, YNode>> YNode::Entries() const {
  std::vector<std::pair<std::string, YNode>> entries;
  if (!IsMap()) return entries;
  YNode merge;
  for (const auto& entry : node_) {
    std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string();
    if (key == "<<") {
      merge = Child(entry.second);
      continue;
    }
    entries.emplace_back(key, Child(entry.second));
  }
  if (!merge.Valid()) return entries;
  std::vector<YNode> sources = merge.IsSeq() ? merge.Items("<<") : std::vector<YNode>{merge};
  for (const YNode& source : sources) {
    for (auto& [key, value] : source.Entries()) {
      bool shadowed = false;
      for (const auto& existing : entries)
        shadowed = shadowed || NormalizeKey(existing.first) == NormalizeKey(key);
      if (!shadowed) entries.emplace_back(key, value);
    }
  }
  return entries;
}

std::string YNode::AsString(std::string_view what) const {
  if (!valid_) Fail(std::string(what) + " is missing");
  if (!node_.IsScalar()) Fail(std::string(what) + " must be a single value, not a list or map");
  return node_.Scalar();
}

std::int64_t YNode::AsInt(std::string_view what) const {
  std::string text = AsString(what);
  std::int64_t value = 0;
  if (!ParseInt64(text, &value))
    Fail(std::string(what) + " must be an integer, got '" + text + "'");
  return value;
}

double YNode::AsDouble(std::string_view what) const {
  std::string text = AsString(what);
  double value = 0;
  if (!ParseDouble(text, &value)) Fail(std::string(what) + " must be a number, got '" + text + "'");
  return value;
}

bool YNode::AsBool(std::string_view what) const {
  std::string text = ToLower(Trim(AsString(what)));
  if (text == "true" || text == "yes" || text == "on" || text == "1") return true;
  if (text == "false" || text == "no" || text == "off" || text == "0") return false;
  Fail(std::string(what) + " must be true or false, got '" + node_.Scalar() + "'");
}

YNode ParseYaml(const std::string& text, const std::string& name) {
  auto file = std::make_shared<const std::string>(name);
  try {
    if (text.size() > kMaxYamlBytes) {
      const std::string size = std::to_string(text.size());
      throw UserError(SourceLocation{name, 0, 0}, "the file has " + size + " bytes; tessel reads " +
                                                      "YAML files of at most " +
                                                      std::to_string(kMaxYamlBytes) + " bytes");
    }
    CheckUtf8(text, name);
    YAML::Node root = YAML::Load(text);
    CheckExpandedSize(root, name);
    return YNode(root, file);
  } catch (const YAML::Exception& e) {
    SourceLocation where{name, 0, 0};
    if (!e.mark.is_null()) where = SourceLocation{name, e.mark.line + 1, e.mark.column + 1};
    throw UserError(where, e.msg);
  }
}

YNode LoadYamlFile(const std::string& path) {
  std::error_code ec;
  std::ifstream in(path, std::ios::binary);
  if (!in || std::filesystem::is_directory(path, ec))
    throw UserError(SourceLocation{path, 0, 0}, "cannot open file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw UserError(SourceLocation{path, 0, 0}, "cannot read file");
  return ParseYaml(text.str(), path);
}

void CheckMapKeys(const YNode& map, const std::string& what,
                  const std::vector<std::string>& valid) {
  if (!map.IsMap()) map.Fail(what + " must be a map");
  const auto file = std::make_shared<const std::string>(map.file());
  for (const auto& entry : map.raw()) {
    if (!entry.first.IsScalar() || entry.first.Scalar() == "<<") continue;
    const std::string key = NormalizeKey(entry.first.Scalar());
    if (std::find(valid.begin(), valid.end(), key) == valid.end())
      YNode(entry.first, file)
          .Fail("unknown key '" + entry.first.Scalar() + "' in " + what +
                "; the valid keys are: " + JoinNames(valid));
  }
}

YNode RequiredKey(const YNode& map, const std::string& key, const std::string& what) {
  YNode node = map.Get(key);
  if (!node.Valid()) map.Fail(what + " has no '" + key + "'");
  return node;
}

}  // namespace tessel::io
