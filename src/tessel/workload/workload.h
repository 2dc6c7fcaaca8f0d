// A network: a DAG of named layers. Each layer is an operator type, the MAC iteration space it
// performs (a `Problem`, for conv / Gemm / MatMul layers), and its producers and consumers.
//
// Layers that perform no MACs (pooling, element-wise, activations, normalisation, softmax, data
// movement such as reshape or concat) stay in the graph so that schedules see their dependencies
// and their data; they carry only their activation element counts and are costed later on a vector
// unit or as memory traffic.
//
// Readers (ONNX, YAML, CoSA layer lists) and the bundled zoo all build this one value type.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tessel/workload/problem.h"

namespace tessel {

enum class LayerKind {
  kConv,      // Timeloop's cnn-layer problem (R S P Q C M N, plus G when grouped; MakeConvProblem)
  kMatMul,    // Gemm / MatMul: dims M N K, or B M N K when batched (MakeMatMulProblem)
  kOtherMac,  // MACs over any other problem shape (ConvTranspose, a YAML layer list's problem)
  kNoMac,     // no MACs: only element counts
};

// "conv", "matmul", "other-mac", "no-mac".
std::string_view LayerKindName(LayerKind kind);

struct Layer {
  std::string name;  // unique within its workload
  std::string op;    // operator type as the source names it (ONNX op names: "Conv", "Relu", ...)
  LayerKind kind = LayerKind::kNoMac;

  // The iteration space of ONE instance of the layer's MACs; no dimensions for kNoMac.
  Problem problem;

  // Number of identical, independent instances of `problem` the layer performs (>= 1), run one
  // after another with one mapping: a mapper maps `problem` once and the layer's MACs and
  // accesses are `repeat` times those of one instance. Only a YAML layer list's `repeat:` sets
  // it. Grouped and depthwise convolutions are NOT repeats: their problem has a group dimension
  // G (MakeConvProblem), so a mapper sees all groups and can spread them over the PE array.
  std::int64_t repeat = 1;

  // Conv layers: zero padding of the input in pixels, {top, left, bottom, right}. Informational:
  // the problem's Inputs extent, (P-1)*stride + (R-1)*dilation + 1, already spans the padded
  // window that the outputs read (Timeloop's convention).
  std::array<std::int64_t, 4> pads = {0, 0, 0, 0};

  // Activation elements (words) read from all non-constant inputs and written to all outputs,
  // over all `repeat` instances. Weights and other constants are not counted here.
  std::int64_t input_elements = 0;
  std::int64_t output_elements = 0;

  // Indices into Workload::layers() of the layers this layer reads from / that read from it.
  // Sorted, without duplicates; maintained by Workload::AddEdge.
  std::vector<int> producers;
  std::vector<int> consumers;

  bool HasMacs() const { return kind != LayerKind::kNoMac; }
  // problem.TotalOperations() * repeat; 0 for a no-MAC layer.
  std::int64_t Macs() const;
};

class Workload {
 public:
  Workload() = default;
  explicit Workload(std::string name) : name_(std::move(name)) {}

  const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }

  // Layers in the order they were added (for the zoo and the readers: the source's order).
  const std::vector<Layer>& layers() const { return layers_; }
  const Layer& layer(int index) const { return layers_.at(index); }
  int size() const { return static_cast<int>(layers_.size()); }

  // Index of the layer named `layer_name`, or -1.
  int LayerIndex(std::string_view layer_name) const;

  // Appends `layer` and returns its index. Its producers/consumers are ignored (edges come from
  // AddEdge). Throws UserError when the name is empty or already taken, or repeat < 1.
  int AddLayer(Layer layer);

  // Records that `consumer` reads an output of `producer`. Adding an edge twice is a no-op.
  // Indices must be valid. A self-edge is allowed here and reported as a cycle by
  // TopologicalOrder().
  void AddEdge(int producer, int consumer);

  // Every layer once, each after all of its producers; among ready layers the lowest index comes
  // first, so layers added in dependency order come out as 0, 1, 2, ...
  // Throws UserError "workload 'W': the layers form a cycle: a -> b -> a" naming the layers of
  // one cycle.
  std::vector<int> TopologicalOrder() const;

  // Indices of the layers that perform MACs, in index order.
  std::vector<int> MacLayers() const;
  std::int64_t TotalMacs() const;

 private:
  std::string name_;
  std::vector<Layer> layers_;
  std::unordered_map<std::string, int> index_of_;
};

// A canonical text for a problem's shape: its dimensions (names and bounds, in order),
// coefficient values and data spaces (names, projections, read_write), but not its name.
// Two problems with equal keys have the same mapspace and the same cost for any mapping, so
// mapping caches key on it. A layer's `repeat` is not part of the key (one mapping serves all
// instances).
std::string ShapeKey(const Problem& problem);

// The MAC layers grouped by ShapeKey: one group per distinct problem, in order of first
// appearance; `layers` holds the layer indices of the group in index order.
struct ShapeGroup {
  std::string key;
  std::vector<int> layers;
};
std::vector<ShapeGroup> DistinctShapes(const Workload& workload);

}  // namespace tessel
