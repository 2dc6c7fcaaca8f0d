// The tiled system: SET's strip numbering, XY routes, nearest DRAM ports, and the mesh reader's
// errors word for word.
#include <gtest/gtest.h>

#include "tessel/common/error.h"
#include "tessel/io/tiled/mesh_yaml.h"

namespace tessel {
namespace {

const std::string kTile = std::string(TESSEL_TEST_DATA_DIR) + "/../../examples/mesh/";

TiledSystem Mesh(const std::string& body) {
  return io::ParseTiledSystem(body, kTile + "test_mesh.yaml");
}

const std::string kBody =
    "mesh: {x: 4, y: 3, stride: 2}\ntile: [polar_tile.yaml]\n"
    "noc: {bandwidth: 24, energy_per_byte_hop: 5.6}\n";

std::string ErrorOf(const std::string& body) {
  try {
    Mesh(body);
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

TEST(RaTreeMeshTest, StripNumberingSnakes) {
  TiledSystem s = Mesh(kBody + "dram: {ports: [left], bandwidth: 4, energy_per_byte: 60}\n");
  // Strips 2 columns wide: tiles 0..5 in columns 0-1 (row 0 left to right, row 1 right to left,
  // row 2 left to right), then 6..11 in columns 2-3.
  const std::vector<std::pair<int, int>> expected = {{0, 0}, {1, 0}, {1, 1}, {0, 1},
                                                     {0, 2}, {1, 2}, {2, 0}, {3, 0},
                                                     {3, 1}, {2, 1}, {2, 2}, {3, 2}};
  for (int t = 0; t < 12; ++t) EXPECT_EQ(s.Position(t), expected[t]) << t;
  EXPECT_EQ(s.BufferBytes(), 1 << 20);  // 8192 x 1024 bits
  EXPECT_EQ(s.dram_ports.size(), 3u);   // every router of the left column
  EXPECT_EQ(s.NearestPort(3, 2), (std::pair<int, int>{0, 2}));
}

TEST(RaTreeMeshTest, XyRoutesGoXFirst) {
  TiledSystem s = Mesh(kBody + "dram: {ports: [[3, 2]], bandwidth: 4, energy_per_byte: 60}\n");
  std::vector<int> route;
  s.RouteXY(0, 0, 2, 1, &route);
  // Link id = 4 x (y x 4 + x) + direction (0 +x, 1 -x, 2 +y, 3 -y).
  EXPECT_EQ(route, (std::vector<int>{0, 4, 4 * 2 + 2}));
  route.clear();
  s.RouteXY(2, 1, 0, 0, &route);
  EXPECT_EQ(route, (std::vector<int>{4 * 6 + 1, 4 * 5 + 1, 4 * 4 + 3}));
}

TEST(RaTreeMeshTest, ReaderErrorsWordForWord) {
  const std::string file = kTile + "test_mesh.yaml";
  EXPECT_EQ(ErrorOf(kBody + "dram: {ports: [], bandwidth: 4, energy_per_byte: 60}\n"),
            file + ":4:15: the mesh has no DRAM port: off-chip data has no way in or out");
  EXPECT_EQ(ErrorOf(kBody + "dram: {ports: [[4, 0]], bandwidth: 4, energy_per_byte: 60}\n"),
            file + ":4:16: DRAM port [4, 0] is not a router of the 4x3 mesh");
  EXPECT_EQ(ErrorOf(kBody + "dram: {ports: [middle], bandwidth: 4, energy_per_byte: 60}\n"),
            file + ":4:16: a port is left, right, top, bottom or [x, y] (got 'middle')");
  EXPECT_EQ(ErrorOf(kBody + "dram: {ports: [left], bandwidth: 0, energy_per_byte: 60}\n"),
            file + ":4:34: dram bandwidth must be positive");
  EXPECT_EQ(ErrorOf(kBody + "dram: {ports: [left], bandwidth: 4, energy_per_byte: 60}\nfoo: 1\n"),
            file +
                ":5:1: unknown key 'foo' in a mesh file; the valid keys are: name, mesh, tile, "
                "noc, dram, vector_ops");
  EXPECT_EQ(ErrorOf("mesh: {x: 4, y: 3}\n"), file + ":1:1: a mesh file has no 'noc'");
}

}  // namespace
}  // namespace tessel
