#include "tessel/io/tiled/mesh_yaml.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "tessel/io/arch_inputs.h"
#include "tessel/io/yaml_util.h"

namespace tessel::io {
namespace {

double Positive(const YNode& node, const std::string& what) {
  double value = node.AsDouble(what);
  if (!(value > 0)) node.Fail(what + " must be positive");
  return value;
}

int PositiveInt(const YNode& node, const std::string& what) {
  std::int64_t value = node.AsInt(what);
  if (value < 1 || value > 1024) node.Fail(what + " must be between 1 and 1024");
  return static_cast<int>(value);
}

void ReadPorts(const YNode& ports, TiledSystem& s) {
  for (const YNode& item : ports.Items("ports")) {
    std::vector<std::pair<int, int>> add;
    if (item.IsSeq()) {
      std::vector<YNode> xy = item.Items("a port");
      if (xy.size() != 2) item.Fail("a port router is [x, y]");
      int x = static_cast<int>(xy[0].AsInt("x")), y = static_cast<int>(xy[1].AsInt("y"));
      if (x < 0 || y < 0 || x >= s.mesh_x || y >= s.mesh_y)
        item.Fail("DRAM port [" + std::to_string(x) + ", " + std::to_string(y) +
                  "] is not a router of the " + std::to_string(s.mesh_x) + "x" +
                  std::to_string(s.mesh_y) + " mesh");
      add.emplace_back(x, y);
    } else {
      const std::string edge = item.AsString("a port");
      if (edge == "left" || edge == "right")
        for (int y = 0; y < s.mesh_y; ++y) add.emplace_back(edge == "left" ? 0 : s.mesh_x - 1, y);
      else if (edge == "top" || edge == "bottom")
        for (int x = 0; x < s.mesh_x; ++x) add.emplace_back(x, edge == "top" ? 0 : s.mesh_y - 1);
      else
        item.Fail("a port is left, right, top, bottom or [x, y] (got '" + edge + "')");
    }
    for (const auto& p : add)
      if (std::find(s.dram_ports.begin(), s.dram_ports.end(), p) == s.dram_ports.end())
        s.dram_ports.push_back(p);
  }
  if (s.dram_ports.empty())
    ports.Fail("the mesh has no DRAM port: off-chip data has no way in or out");
}

Core ReadTile(const YNode& tile, const std::filesystem::path& dir) {
  std::vector<std::string> paths;
  for (const YNode& f : tile.IsSeq() ? tile.Items("tile") : std::vector<YNode>{tile}) {
    std::string path = (dir / f.AsString("file")).string();
    if (!std::filesystem::is_regular_file(path)) f.Fail("file '" + path + "' does not exist");
    paths.push_back(path);
  }
  if (paths.empty()) tile.Fail("tile needs a Timeloop architecture file");
  ArchInputs inputs = LoadArchInputs(paths);
  const std::vector<StorageLevel>& levels = inputs.target.arch.storage;
  if (levels.size() < 2 || !levels.back().is_dram || !levels[levels.size() - 2].size_words)
    tile.Fail(
        "the tile architecture needs an off-chip (DRAM) level on top of a bounded global "
        "buffer");
  Core core;
  core.id = 0;
  core.name = inputs.target.arch.name;
  core.file = paths.front();
  core.where = tile.Location();
  core.mac_pJ = inputs.target.arch.arithmetic.compute_pJ;
  core.timeloop = TimeloopCore{inputs.target.arch, inputs.target.constraints};
  return core;
}

}  // namespace

TiledSystem ParseTiledSystem(const std::string& text, const std::string& path) {
  YNode root = ParseYaml(text, path);
  CheckMapKeys(root, "a mesh file", {"name", "mesh", "tile", "noc", "dram", "vector_ops"});
  TiledSystem s;
  s.file = path;
  s.where = root.Location();
  s.name = root.Has("name") ? root.Get("name").AsString("name")
                            : std::filesystem::path(path).stem().string();
  YNode mesh = RequiredKey(root, "mesh", "a mesh file");
  CheckMapKeys(mesh, "mesh", {"x", "y", "stride"});
  s.mesh_x = PositiveInt(RequiredKey(mesh, "x", "mesh"), "mesh x");
  s.mesh_y = PositiveInt(RequiredKey(mesh, "y", "mesh"), "mesh y");
  s.stride = mesh.Has("stride") ? PositiveInt(mesh.Get("stride"), "mesh stride") : s.mesh_x;
  YNode noc = RequiredKey(root, "noc", "a mesh file");
  CheckMapKeys(noc, "noc", {"bandwidth", "energy_per_byte_hop"});
  s.link_bytes = Positive(RequiredKey(noc, "bandwidth", "noc"), "noc bandwidth");
  s.noc_pJ_per_byte_hop = RequiredKey(noc, "energy_per_byte_hop", "noc").AsDouble("energy");
  YNode dram = RequiredKey(root, "dram", "a mesh file");
  CheckMapKeys(dram, "dram", {"ports", "bandwidth", "energy_per_byte"});
  ReadPorts(RequiredKey(dram, "ports", "dram"), s);
  s.dram_bytes = Positive(RequiredKey(dram, "bandwidth", "dram"), "dram bandwidth");
  s.dram_pJ_per_byte = RequiredKey(dram, "energy_per_byte", "dram").AsDouble("energy");
  if (root.Has("vector_ops")) s.vector_ops = Positive(root.Get("vector_ops"), "vector_ops");
  s.tile =
      ReadTile(RequiredKey(root, "tile", "a mesh file"), std::filesystem::path(path).parent_path());
  return s;
}

TiledSystem LoadTiledSystem(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw UserError(SourceLocation{path}, "cannot read the mesh file");
  std::stringstream text;
  text << in.rdbuf();
  return ParseTiledSystem(text.str(), path);
}

}  // namespace tessel::io
