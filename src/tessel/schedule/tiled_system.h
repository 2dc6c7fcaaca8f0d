// A tiled accelerator (SET's hardware): a mesh of identical tiles joined by a network-on-chip,
// with DRAM ports on some routers.
//
// Every tile is one Timeloop v0.4 architecture (its outermost level DRAM, the level below it the
// tile's global buffer) costed by the exact model; the NoC has directed links between neighbouring
// routers, routes packets in dimension order (X first, then Y) and multicasts as the tree the XY
// routes form (a byte crosses each link of the tree once). Tiles are numbered along vertical
// strips `stride` columns wide, snaking, so that a run of consecutive tile numbers is a compact
// group (SET's numbering).
//
// Units: bandwidths in bytes per cycle, energies in pJ per byte (per hop for the NoC).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "tessel/common/error.h"
#include "tessel/schedule/system.h"

namespace tessel {

struct TiledSystem {
  std::string name;
  std::string file;
  int mesh_x = 1, mesh_y = 1;
  int stride = 1;                               // width of a numbering strip, in columns
  Core tile;                                    // core.timeloop is set; one per mesh position
  double link_bytes = 24;                       // per cycle, per direction of a link
  double noc_pJ_per_byte_hop = 5.6;             // per byte per link crossed
  std::vector<std::pair<int, int>> dram_ports;  // routers (x, y) with a DRAM port
  double dram_bytes = 64;                       // total DRAM bandwidth, bytes per cycle
  double dram_pJ_per_byte = 60;
  double vector_ops = 64;  // element-wise operations per cycle per tile (layers without MACs)
  SourceLocation where;

  int tiles() const { return mesh_x * mesh_y; }
  // Mesh position of tile number `t` (0 .. tiles()-1) under the strip numbering.
  std::pair<int, int> Position(int t) const;
  // Global buffer capacity of one tile, bytes (the level below DRAM).
  std::int64_t BufferBytes() const;
  // Directed links: 4 per router at most; LinkCount() ids.
  int LinkCount() const { return 4 * tiles(); }
  // The link ids of the XY route from router (x0, y0) to (x1, y1), appended to `out`.
  void RouteXY(int x0, int y0, int x1, int y1, std::vector<int>* out) const;
  // The DRAM port router nearest to (x, y) (fewest hops; the first listed on ties).
  std::pair<int, int> NearestPort(int x, int y) const;
  // Throws UserError (at `where`) when the mesh has no DRAM port or a port is off the mesh.
  void Check() const;
};

}  // namespace tessel
