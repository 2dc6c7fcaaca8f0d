// Reads tessel's tiled-mesh YAML (examples/mesh/mesh.yaml) into a TiledSystem:
//
//   name: set-polar-8x8
//   mesh: {x: 8, y: 8, stride: 4}          # tiles per row / column; numbering strip width
//   tile: [polar_tile.yaml]                 # Timeloop v0.4 architecture (+ ERT, constraints)
//   noc: {bandwidth: 24, energy_per_byte_hop: 5.6}       # bytes/cycle per link direction, pJ
//   dram: {ports: [left, right], bandwidth: 64, energy_per_byte: 60}
//   vector_ops: 64                          # element operations per cycle per tile
//
// `ports` items: left, right, top, bottom (every router of that mesh edge) or [x, y]. Tile files
// are relative to the mesh file. Every key is checked; errors are `file:line:col: ...`.
#pragma once
#include <string>

#include "tessel/schedule/tiled_system.h"

namespace tessel::io {

TiledSystem LoadTiledSystem(const std::string& path);
TiledSystem ParseTiledSystem(const std::string& text, const std::string& path);

}  // namespace tessel::io
