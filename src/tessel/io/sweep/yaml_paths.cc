#include "tessel/io/sweep/yaml_paths.h"

#include "tessel/io/yaml_util.h"

namespace tessel::io {
namespace {

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> segments;
  size_t start = 0;
  while (true) {
    const size_t dot = path.find('.', start);
    segments.push_back(path.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return segments;
}

bool AllDigits(const std::string& text) {
  if (text.empty() || text.size() > 9) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

// An element's name without a Timeloop instance range: "PE[0..15]" -> "PE".
std::string BaseName(const std::string& name) {
  const size_t bracket = name.find('[');
  return bracket == std::string::npos ? name : name.substr(0, bracket);
}

void MatchFrom(const YAML::Node& node, const std::vector<std::string>& segments, size_t i,
               std::vector<YAML::Node>* found) {
  if (i == segments.size()) {
    for (const YAML::Node& seen : *found)
      if (seen.is(node)) return;
    found->push_back(node);
    return;
  }
  const std::string& segment = segments[i];
  if (node.IsMap()) {
    const std::string key = NormalizeKey(segment);
    for (auto it = node.begin(); it != node.end(); ++it)
      if (it->first.IsScalar() && NormalizeKey(it->first.Scalar()) == key)
        MatchFrom(it->second, segments, i + 1, found);
  } else if (node.IsSequence()) {
    if (AllDigits(segment)) {
      const size_t index = std::stoul(segment);
      if (index < node.size()) MatchFrom(node[index], segments, i + 1, found);
      return;
    }
    for (const YAML::Node& element : node) {
      if (!element.IsMap() || !element["name"] || !element["name"].IsScalar()) continue;
      const std::string name = element["name"].Scalar();
      if (name == segment || BaseName(name) == segment) MatchFrom(element, segments, i + 1, found);
    }
  }
}

// Tries every node of the tree as the path's starting point.
void MatchAnywhere(const YAML::Node& node, const std::vector<std::string>& segments,
                   std::vector<YAML::Node>* found, int depth) {
  if (depth > 200) return;  // far deeper than any input; guards against alias cycles
  MatchFrom(node, segments, 0, found);
  if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it)
      MatchAnywhere(it->second, segments, found, depth + 1);
  } else if (node.IsSequence()) {
    for (const YAML::Node& element : node) MatchAnywhere(element, segments, found, depth + 1);
  }
}

SourceLocation LocationOf(const YAML::Node& node, const std::string& name) {
  const YAML::Mark mark = node.Mark();
  return {name, mark.line + 1, mark.column + 1};
}

}  // namespace

std::vector<PathMatch> FindPath(const std::vector<YAML::Node>& documents,
                                const std::vector<std::string>& names, const std::string& path) {
  const std::vector<std::string> segments = SplitPath(path);
  std::vector<PathMatch> matches;
  for (size_t d = 0; d < documents.size(); ++d) {
    std::vector<YAML::Node> found;
    MatchAnywhere(documents[d], segments, &found, 0);
    for (const YAML::Node& node : found)
      matches.push_back({static_cast<int>(d), node, LocationOf(node, names[d])});
  }
  return matches;
}

PathMatch ResolvePath(const std::vector<YAML::Node>& documents,
                      const std::vector<std::string>& names, const std::string& path,
                      const SourceLocation& where) {
  for (const std::string& segment : SplitPath(path))
    if (segment.empty()) throw UserError(where, "path '" + path + "' has an empty segment");
  std::vector<PathMatch> matches = FindPath(documents, names, path);
  if (matches.empty())
    throw UserError(where, "path '" + path + "' matches nothing in " + JoinNames(names));
  if (matches.size() > 1) {
    std::vector<std::string> places;
    for (const PathMatch& match : matches) places.push_back(match.where.ToString());
    throw UserError(where, "path '" + path + "' is ambiguous: it matches " + JoinNames(places) +
                               "; give more of the path");
  }
  if (!matches.front().node.IsScalar())
    throw UserError(where, "path '" + path + "' addresses a " +
                               (matches.front().node.IsMap() ? "map" : "list or null") + " at " +
                               matches.front().where.ToString() + ", not a value");
  return matches.front();
}

}  // namespace tessel::io
