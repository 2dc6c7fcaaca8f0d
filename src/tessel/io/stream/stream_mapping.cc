#include "tessel/io/stream/stream_mapping.h"

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>

#include "tessel/io/yaml_util.h"

namespace tessel::io {
namespace {

const std::vector<std::string> kEntryKeys = {"name", "core_allocation", "inter_core_tiling",
                                             "intra_core_tiling", "spatial_mapping"};

std::string Trim(std::string text) {
  text.erase(0, text.find_first_not_of(" \t"));
  text.erase(text.find_last_not_of(" \t") + 1);
  return text;
}

// "K, 3" | "OY, all" | "K, *" as one string, or [K, 3] as a two-element list.
TilingFactor ParseFactor(const std::string& dim_text, const std::string& parts_text,
                         const YNode& where) {
  TilingFactor f;
  f.dim = Trim(dim_text);
  f.where = where.Location();
  std::string parts = Trim(parts_text);
  if (f.dim.empty()) where.Fail("tiling entry has no dimension");
  if (parts == "all")
    f.parts = TilingFactor::kAll;
  else if (parts == "*")
    f.parts = TilingFactor::kWildcard;
  else if (!ParseInt64(parts, &f.parts) || f.parts < 1)
    where.Fail("tiling '" + f.dim + ", " + parts + "' needs a positive count, 'all' or '*'");
  return f;
}

std::vector<TilingFactor> ReadTiling(const YNode& node) {
  std::vector<TilingFactor> tiling;
  if (!node.Valid() || node.IsNull()) return tiling;
  std::vector<YNode> items = node.Items("tiling");
  // [K, "*"]: one factor written as a two-element list.
  if (items.size() == 2 && items[0].IsScalar() && items[1].IsScalar() &&
      items[0].raw().Scalar().find(',') == std::string::npos) {
    tiling.push_back(ParseFactor(items[0].raw().Scalar(), items[1].raw().Scalar(), node));
    return tiling;
  }
  for (const YNode& item : items) {
    if (item.IsSeq()) {
      std::vector<YNode> pair = item.Items("tiling entry");
      if (pair.size() != 2) item.Fail("a tiling entry is [DIM, N]");
      tiling.push_back(ParseFactor(pair[0].AsString("dim"), pair[1].raw().Scalar(), item));
      continue;
    }
    std::string text = item.AsString("tiling entry");
    size_t comma = text.find(',');
    if (comma == std::string::npos) item.Fail("tiling entry '" + text + "' is not 'DIM, N'");
    tiling.push_back(ParseFactor(text.substr(0, comma), text.substr(comma + 1), item));
  }
  return tiling;
}

std::vector<DataflowEntry> ReadSpatialMapping(const YNode& node) {
  std::vector<DataflowEntry> flows;
  if (!node.Valid() || node.IsNull()) return flows;
  for (const auto& [dim, items] : node.Entries()) {
    DataflowEntry entry{dim, {}, items.Location()};
    for (const YNode& item : items.Items("spatial_mapping")) {
      std::string text = item.AsString("spatial_mapping entry");
      size_t comma = text.find(',');
      std::int64_t size = 0;
      if (comma == std::string::npos || !ParseInt64(Trim(text.substr(comma + 1)), &size) ||
          size < 1)
        item.Fail("spatial_mapping entry '" + text + "' is not 'DIM, SIZE'");
      entry.unrolls.push_back({Trim(text.substr(0, comma)), size});
    }
    flows.push_back(std::move(entry));
  }
  return flows;
}

LayerMappingEntry ReadEntry(const std::string& name, const YNode& node) {
  CheckMapKeys(node, "mapping entry '" + name + "'", kEntryKeys);
  LayerMappingEntry e;
  e.name = name;
  e.where = node.Location();
  YNode cores = node.Get("core_allocation");
  if (!cores.Valid()) node.Fail("mapping entry '" + name + "' has no 'core_allocation'");
  std::vector<YNode> items =
      cores.IsSeq() ? cores.Items("core_allocation") : std::vector<YNode>{cores};
  for (const YNode& c : items) {
    std::int64_t id = c.AsInt("core id");
    if (id < 0) c.Fail("core id must not be negative");
    e.core_allocation.push_back(static_cast<int>(id));
  }
  e.inter_core_tiling = ReadTiling(node.Get("inter_core_tiling"));
  e.intra_core_tiling = ReadTiling(node.Get("intra_core_tiling"));
  e.spatial_mapping = ReadSpatialMapping(node.Get("spatial_mapping"));
  return e;
}

}  // namespace

LayerMapping ParseStreamMapping(const std::string& text, const std::string& name) {
  YNode root = ParseYaml(text, name);
  LayerMapping mapping;
  mapping.file = name;
  if (root.IsSeq()) {
    for (const YNode& item : root.Items("mapping")) {
      if (!item.IsMap()) item.Fail("a mapping entry must be a map");
      YNode n = item.Get("name");
      if (!n.Valid()) item.Fail("mapping entry has no 'name'");
      mapping.entries.push_back(ReadEntry(n.AsString("name"), item));
    }
  } else if (root.IsMap()) {
    for (const auto& [key, item] : root.Entries()) {
      if (!item.IsMap()) item.Fail("mapping entry '" + key + "' must be a map");
      if (item.Has("name") && item.Get("name").AsString("name") != key)
        item.Get("name").Fail("entry '" + key + "' is named '" + item.Get("name").AsString("name") +
                              "'");
      mapping.entries.push_back(ReadEntry(key, item));
    }
  } else {
    root.Fail("a mapping file is a list of entries or a map from name to entry");
  }
  for (size_t i = 0; i < mapping.entries.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (mapping.entries[i].name == mapping.entries[j].name)
        throw UserError(mapping.entries[i].where,
                        "mapping entry '" + mapping.entries[i].name + "' appears twice");
  return mapping;
}

LayerMapping LoadStreamMapping(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw UserError(SourceLocation{path}, "cannot open file");
  std::stringstream text;
  text << in.rdbuf();
  return ParseStreamMapping(text.str(), path);
}

namespace {

std::string FactorText(const TilingFactor& f) {
  std::string parts = f.parts == TilingFactor::kAll        ? "all"
                      : f.parts == TilingFactor::kWildcard ? "\"*\""
                                                           : std::to_string(f.parts);
  return "[" + f.dim + ", " + parts + "]";
}

std::string Quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string WriteStreamMapping(const LayerMapping& mapping) {
  std::ostringstream out;
  for (const LayerMappingEntry& e : mapping.entries) {
    out << "- name: " << Quote(e.name) << "\n  core_allocation: [";
    for (size_t i = 0; i < e.core_allocation.size(); ++i)
      out << (i ? ", " : "") << e.core_allocation[i];
    out << "]\n";
    for (auto [key, tiling] : {std::pair{"inter_core_tiling", &e.inter_core_tiling},
                               std::pair{"intra_core_tiling", &e.intra_core_tiling}}) {
      if (tiling->empty()) continue;
      out << "  " << key << ":\n";
      for (const TilingFactor& f : *tiling) out << "    - " << FactorText(f) << "\n";
    }
    if (!e.spatial_mapping.empty()) {
      out << "  spatial_mapping:\n";
      for (const DataflowEntry& d : e.spatial_mapping) {
        out << "    " << d.array_dim << ":\n";
        for (const auto& [dim, size] : d.unrolls) out << "      - " << dim << ", " << size << "\n";
      }
    }
  }
  return out.str();
}

}  // namespace tessel::io
