// SET's resource-allocation tree as data.
//
// Leaves are layers; the left-to-right leaf order is the order layers start in (a topological
// order of the network). Inner nodes are cuts: an S cut runs its children at the same time on
// disjoint tile groups, pipelined over sub-batches; a T cut runs them one after another on the
// same tiles. The root is a T cut over segments, each of which owns the whole mesh. Every cut has
// a batch: the number of samples its children process per pass, dividing the batch its parent
// hands it (the root: the whole batch); a cut with batch b under a parent pass of P samples
// runs P / b passes.
//
// Text notation (printed and parsed): a cut is its type letter, its batch and its children in
// parentheses, a leaf is the layer's name: `T64(S8(conv1 pool1) T2(res2a_a res2a_b) fc)`.
// Layer names may hold any character but white space, parentheses and '#'; '#' starts a comment
// that runs to the end of the line.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "tessel/common/error.h"
#include "tessel/workload/workload.h"

namespace tessel {

enum class RaKind { kLeaf, kS, kT };

struct RaNode {
  RaKind kind = RaKind::kLeaf;
  int layer = -1;                // leaves: index into the workload
  std::int64_t batch = 1;        // cuts: samples per pass of the children
  std::vector<RaNode> children;  // cuts: >= 2 (the root: >= 1)
  bool operator==(const RaNode&) const = default;
};

// The notation of `node` (and its subtree).
std::string PrintRaTree(const RaNode& node, const Workload& workload);

// Parses the notation. `file` names the source in errors (`file:line:col: ...`). Checks only the
// syntax and the layer names; ValidateRaTree checks the rest.
RaNode ParseRaTree(const std::string& text, const std::string& file, const Workload& workload);

// The layers of the leaves, left to right.
std::vector<int> RaLeaves(const RaNode& node);

// Empty when `root` is a valid tree for `workload` at `batch`; else the reason: a root that is
// not a T cut or whose batch does not divide `batch`, a cut with fewer than 2 children, an S cut
// under an S cut or a T cut under a T cut (except under the root), a batch that does not divide its
// parent's, a layer missing or repeated, a layer before one of its producers.
std::string ValidateRaTree(const RaNode& root, const Workload& workload, std::int64_t batch);

// Restores the structural rules after an edit: a non-root cut with one child is replaced by the
// child (the child's batch, when a cut, kept if it divides), a cut under a cut of the same type
// (below the root) is spliced into its parent.
void NormalizeRaTree(RaNode* root);

}  // namespace tessel
