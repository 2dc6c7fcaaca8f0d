// A multi-core accelerator as the scheduler sees it: cores (each a small accelerator with its own
// memories and MAC array), the links or buses between them, and the core that fronts off-chip
// memory. Value types only; io/stream/ reads Stream's hardware YAML into them.
//
// Units: sizes and bandwidths in bits (bandwidth in bits per cycle), energies in pJ.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tessel/arch/arch.h"
#include "tessel/common/error.h"
#include "tessel/mapping/constraints.h"

namespace tessel {

// One memory of a core in ZigZag's terms: it holds some of the operands I1 (layer inputs), I2
// (weights) and O (outputs), is shared by the PEs along `served_dims` of the MAC array (one
// instance per PE position along every other array dimension) and costs `read_pJ` / `write_pJ`
// per access of one port width (`read_bits` / `write_bits`).
struct CoreMemory {
  std::string name;
  std::int64_t size_bits = 0;
  double read_pJ = 0;                    // per access of read_bits
  double write_pJ = 0;                   // per access of write_bits
  std::int64_t read_bits = 0;            // bits per cycle per instance (sum of read ports)
  std::int64_t write_bits = 0;           // bits per cycle per instance (sum of write ports)
  bool shared_port = false;              // only read_write ports: reads and writes share read_bits
  std::vector<std::string> operands;     // "I1", "I2", "O"
  std::vector<std::string> served_dims;  // array dimensions ("D1", ...) sharing one instance
  SourceLocation where;
  bool Holds(const std::string& operand) const;
};

enum class CoreType { kCompute, kPooling, kSimd, kMemory };
const char* ToString(CoreType type);  // "compute", "pooling", "simd", "memory"

// A core's spatial dataflow: array dimension -> the layer dimensions unrolled over it (Stream's
// `dataflows: {D1: [K, 32]}`), with Stream's dimension names (K, C, OY, OX, FY, FX, B, G).
struct DataflowEntry {
  std::string array_dim;
  std::vector<std::pair<std::string, std::int64_t>> unrolls;
  SourceLocation where;
};

// tessel's own core form: a Timeloop v0.4 architecture (+ ERT, + constraints). Its outermost
// level is the off-chip memory; the level below it is what the scheduler may fill.
struct TimeloopCore {
  Arch arch;
  MapConstraints constraints;  // by name (ResolveConstraints per node); empty levels: none
};

struct Core {
  int id = 0;
  std::string name;
  std::string file;  // the core file it came from (cores read from one file share costs)
  CoreType type = CoreType::kCompute;
  std::vector<CoreMemory> memories;  // in file order (ZigZag lists them innermost first)
  double mac_pJ = 0;                 // operational_array unit_energy
  std::vector<std::string> array_dims;
  std::vector<std::int64_t> array_sizes;
  std::vector<DataflowEntry> dataflows;
  std::optional<TimeloopCore> timeloop;  // set for tessel's own form (then no ZigZag memories)
  SourceLocation where;

  // Product of the array sizes (0 for a memory-only core).
  std::int64_t Lanes() const;
  bool CanCompute() const { return Lanes() > 0; }
  // Instances of `memory`: the product of the sizes of the array dimensions it does not serve.
  std::int64_t Instances(const CoreMemory& memory) const;
  // Indices into `memories` of the outermost memory of each operand, without repeats, in order.
  std::vector<int> TopMemories() const;
  // What the scheduler may keep on the core: the sum of the top memories' sizes, in bits.
  std::int64_t MemoryBits() const;
};

struct Link {
  int id = 0;
  bool bus = false;           // a bus is one resource shared by all of its cores
  std::vector<int> cores;     // core ids; a link has two
  double bandwidth_bits = 0;  // per cycle
  double pJ_per_bit = 0;
  SourceLocation where;
};

struct System {
  std::string name;
  std::string file;
  std::vector<Core> cores;  // ascending id
  std::vector<Link> links;  // in file order, id = position
  int offchip_core = -1;    // core id, or -1 when the system has no off-chip core
  // The off-chip memory's port, added by the reader as the last link (cores = {offchip_core},
  // bandwidth = its read port): every route to or from the off-chip core passes through it, so
  // DRAM traffic is limited by the port as well as by the links. -1 without an off-chip core.
  int offchip_port_link = -1;

  // Index into `cores` of core `id`, or -1.
  int CoreIndex(int id) const;
  const Core& core(int id) const { return cores.at(CoreIndex(id)); }
  // The links on a shortest path (fewest hops) from core `from` to core `to`; ties broken by the
  // lowest link ids, so the route is deterministic. Empty when from == to. Throws UserError when
  // no path exists.
  std::vector<int> Route(int from, int to) const;
  // Smallest bandwidth along a route (bits per cycle); infinity-free: a route is never empty here.
  double RouteBandwidth(const std::vector<int>& route) const;
};

}  // namespace tessel
