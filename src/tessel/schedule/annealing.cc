#include "tessel/schedule/annealing.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>

#include "tessel/common/cancel.h"
#include "tessel/common/parallel.h"
#include "tessel/common/rng.h"

namespace tessel {
namespace {

using Path = std::vector<int>;

RaNode Leaf(int layer) {
  RaNode n;
  n.layer = layer;
  return n;
}

RaNode& At(RaNode& root, const Path& path, size_t depth) {
  RaNode* n = &root;
  for (size_t i = 0; i < depth; ++i) n = &n->children[path[i]];
  return *n;
}

void LeafPaths(const RaNode& node, Path* cur, std::vector<Path>* out) {
  if (node.kind == RaKind::kLeaf) {
    out->push_back(*cur);
    return;
  }
  for (size_t i = 0; i < node.children.size(); ++i) {
    cur->push_back(static_cast<int>(i));
    LeafPaths(node.children[i], cur, out);
    cur->pop_back();
  }
}

std::vector<std::int64_t> Divisors(std::int64_t n) {
  std::vector<std::int64_t> out;
  for (std::int64_t d = 1; d <= n; ++d)
    if (n % d == 0) out.push_back(d);
  return out;
}

double Uniform01(std::mt19937_64& rng) { return double(rng() >> 11) * (1.0 / 9007199254740992.0); }

bool SwapLeaves(RaNode* tree, const std::vector<Path>& leaves, size_t i, size_t j) {
  if (j >= leaves.size()) return false;
  std::swap(At(*tree, leaves[i], leaves[i].size()).layer,
            At(*tree, leaves[j], leaves[j].size()).layer);
  return true;
}

bool DeleteParent(RaNode* tree, const Path& leaf) {
  if (leaf.size() < 2) return false;  // the parent is the root
  RaNode& grand = At(*tree, leaf, leaf.size() - 2);
  const int at = leaf[leaf.size() - 2];
  std::vector<RaNode> kids = std::move(grand.children[at].children);
  grand.children.erase(grand.children.begin() + at);
  grand.children.insert(grand.children.begin() + at, kids.begin(), kids.end());
  return true;
}

bool Wrap(RaNode* tree, const Path& leaf, std::mt19937_64& rng) {
  RaNode& parent = At(*tree, leaf, leaf.size() - 1);
  const int n = static_cast<int>(parent.children.size());
  const bool root = leaf.size() == 1;
  const int max_len = root ? n : n - 1;
  if (max_len < 2) return false;
  const int len = 2 + static_cast<int>(UniformBelow(rng, max_len - 1));
  const int me = leaf.back();
  const int lo = std::max(0, me - len + 1), hi = std::min(me, n - len);
  const int start = lo + static_cast<int>(UniformBelow(rng, hi - lo + 1));
  RaNode cut;
  cut.kind = root ? (UniformBelow(rng, 2) ? RaKind::kS : RaKind::kT)
                  : (parent.kind == RaKind::kS ? RaKind::kT : RaKind::kS);
  cut.batch = parent.batch;
  for (int i = start; i < start + len; ++i) cut.children.push_back(std::move(parent.children[i]));
  parent.children.erase(parent.children.begin() + start, parent.children.begin() + start + len);
  parent.children.insert(parent.children.begin() + start, std::move(cut));
  return true;
}

bool ScaleBatch(RaNode* tree, const Path& leaf, std::mt19937_64& rng, std::int64_t batch,
                bool twice) {
  const size_t depth = UniformBelow(rng, leaf.size());  // 0: the root
  RaNode& cut = At(*tree, leaf, depth);
  const std::int64_t limit = depth == 0 ? batch : At(*tree, leaf, depth - 1).batch;
  if (twice) {
    if (limit % (cut.batch * 2) != 0) return false;
    cut.batch *= 2;
    return true;
  }
  if (cut.batch % 2 != 0) return false;
  cut.batch /= 2;
  return true;
}

bool MoveLeaf(RaNode* tree, const Path& leaf, std::mt19937_64& rng) {
  RaNode& parent = At(*tree, leaf, leaf.size() - 1);
  const int me = leaf.back();
  const int n = static_cast<int>(parent.children.size());
  const int choice = static_cast<int>(UniformBelow(rng, 3));
  if (choice < 2) {  // into the previous (0) or next (1) sibling cut
    const int to = choice == 0 ? me - 1 : me + 1;
    if (to < 0 || to >= n || parent.children[to].kind == RaKind::kLeaf) return false;
    RaNode moved = std::move(parent.children[me]);
    auto& kids = parent.children[to].children;
    if (choice == 0)
      kids.push_back(std::move(moved));
    else
      kids.insert(kids.begin(), std::move(moved));
    parent.children.erase(parent.children.begin() + me);
    return true;
  }
  if (leaf.size() < 2 || (me != 0 && me != n - 1)) return false;  // out to the grandparent
  RaNode& grand = At(*tree, leaf, leaf.size() - 2);
  const int at = leaf[leaf.size() - 2];
  RaNode moved = std::move(parent.children[me]);
  parent.children.erase(parent.children.begin() + me);
  grand.children.insert(grand.children.begin() + (me == 0 ? at : at + 1), std::move(moved));
  return true;
}

}  // namespace

bool RandomMove(RaNode* tree, std::mt19937_64& rng, std::int64_t batch) {
  std::vector<Path> leaves;
  Path cur;
  LeafPaths(*tree, &cur, &leaves);
  const size_t i = UniformBelow(rng, leaves.size());
  const int w = static_cast<int>(UniformBelow(rng, 140));
  bool done = false;
  if (w < 10)
    done = i > 0 && SwapLeaves(tree, leaves, i - 1, i);
  else if (w < 20)
    done = SwapLeaves(tree, leaves, i, i + 1);
  else if (w < 40)
    done = DeleteParent(tree, leaves[i]);
  else if (w < 60)
    done = Wrap(tree, leaves[i], rng);
  else if (w < 80)
    done = ScaleBatch(tree, leaves[i], rng, batch, true);
  else if (w < 100)
    done = ScaleBatch(tree, leaves[i], rng, batch, false);
  else
    done = MoveLeaf(tree, leaves[i], rng);
  if (done) NormalizeRaTree(tree);
  return done;
}

RaNode InitTree(RaEvaluator& eval, const std::vector<int>& order) {
  RaNode root;
  root.kind = RaKind::kT;
  for (int l : order) root.children.push_back(Leaf(l));
  std::vector<std::int64_t> divisors = Divisors(eval.batch());
  for (size_t i = divisors.size(); i-- > 0;) {
    root.batch = divisors[i];
    if (eval.Evaluate(root).valid) return root;
  }
  return root;
}

RaNode SegmentedTree(RaEvaluator& eval, const std::vector<int>& order, RaKind kind,
                     const RaCost& scale, Objective objective) {
  constexpr int kMaxLayers = 8;
  const int n = static_cast<int>(order.size());
  const double inf = std::numeric_limits<double>::infinity();
  const double t0 = std::max(1.0, scale.latency_cycles), e0 = std::max(1.0, scale.energy_pJ());
  auto weigh = [&](const RaCost& c) {
    if (!c.valid) return inf;
    if (objective == Objective::kLatency) return c.latency_cycles / t0;
    if (objective == Objective::kEnergy) return c.energy_pJ() / e0;
    return c.latency_cycles / t0 + c.energy_pJ() / e0;
  };
  std::vector<double> best(n + 1, inf);
  std::vector<RaNode> choice(n + 1);
  std::vector<int> from(n + 1, -1);
  best[0] = 0;
  const std::vector<std::int64_t> divisors = Divisors(eval.batch());
  for (int j = 1; j <= n; ++j)
    for (int i = std::max(0, j - kMaxLayers); i < j; ++i) {
      if (best[i] == inf) continue;
      std::vector<RaNode> options;
      if (j - i == 1) {
        options.push_back(Leaf(order[i]));
      } else {
        for (std::int64_t b : divisors) {
          RaNode cut;
          cut.kind = kind;
          cut.batch = b;
          for (int k = i; k < j; ++k) cut.children.push_back(Leaf(order[k]));
          options.push_back(std::move(cut));
        }
      }
      for (RaNode& o : options) {
        double v = best[i] + weigh(eval.Segment(o, eval.batch()));
        if (v < best[j]) best[j] = v, choice[j] = std::move(o), from[j] = i;
      }
    }
  RaNode root;
  root.kind = RaKind::kT;
  root.batch = eval.batch();
  if (best[n] == inf) return InitTree(eval, order);
  std::vector<RaNode> segments;
  for (int j = n; j > 0; j = from[j]) segments.push_back(choice[j]);
  root.children.assign(segments.rbegin(), segments.rend());
  return root;
}

AnnealResult SearchRaTree(RaEvaluator& eval, const Workload& workload, const AnnealOptions& options,
                          std::stop_token stop) {
  const std::vector<int> order = workload.TopologicalOrder();
  AnnealResult result;
  RaNode init = InitTree(eval, order);
  RaCost init_cost = eval.Evaluate(init);
  result.methods.push_back({"init", init, init_cost, {}});
  for (RaKind kind : {RaKind::kS, RaKind::kT}) {
    RaNode tree = SegmentedTree(eval, order, kind, init_cost, options.objective);
    result.methods.push_back({kind == RaKind::kS ? "lp" : "ls", tree, eval.Evaluate(tree), {}});
  }
  const RaMethod* start = &result.methods[0];
  for (const RaMethod& m : result.methods)
    if (RaObjective(m.cost, options.objective) < RaObjective(start->cost, options.objective))
      start = &m;
  const RaNode start_tree = start->tree;
  const RaCost start_cost = start->cost;
  const std::int64_t steps = std::int64_t(options.rounds) * workload.size();
  std::vector<RaMethod> chain_best(options.chains, {"ratree", start_tree, start_cost, {}});
  std::vector<std::int64_t> evaluated(options.chains, 0);
  std::atomic<int> next{0};
  RunOnThreads(std::min(options.threads, options.chains), [&](int) {
    for (int c = next++; c < options.chains; c = next++) {
      std::mt19937_64 rng(TaskSeed(options.seed, c));
      RaNode cur = start_tree;
      double cur_obj = RaObjective(start_cost, options.objective);
      RaMethod& best = chain_best[c];
      double best_obj = cur_obj;
      for (std::int64_t s = 0; s < steps; ++s) {
        ThrowIfStopped(stop);
        const double x = double(s) / double(steps);
        if (s == steps * 9 / 10) cur = best.tree, cur_obj = best_obj;
        RaNode cand = cur;
        if (!RandomMove(&cand, rng, eval.batch())) continue;
        RaCost cost = eval.Evaluate(cand);
        ++evaluated[c];
        const double obj = RaObjective(cost, options.objective);
        if (!std::isfinite(obj)) continue;
        const double temp = 0.07 * (1 - x) / (1 + 8 * x);
        const bool take =
            obj <= cur_obj || Uniform01(rng) < std::exp(-((obj - cur_obj) / cur_obj) / temp);
        if (!take) continue;
        cur = std::move(cand);
        cur_obj = obj;
        if (obj < best_obj) best.tree = cur, best.cost = cost, best_obj = obj;
      }
    }
  });
  // Candidates: the start and the chains' bests, distinct, by estimate (stable: the start, then
  // chain order on ties), so the answer depends on the seed only.
  std::vector<RaMethod> pool = {{"ratree", start_tree, start_cost, {}}};
  pool.insert(pool.end(), chain_best.begin(), chain_best.end());
  std::stable_sort(pool.begin(), pool.end(), [&](const RaMethod& a, const RaMethod& b) {
    return RaObjective(a.cost, options.objective) < RaObjective(b.cost, options.objective);
  });
  for (const RaMethod& m : pool) {
    bool seen = false;
    for (const RaMethod& c : result.candidates) seen = seen || c.tree == m.tree;
    if (!seen) result.candidates.push_back(m);
  }
  result.methods.push_back(result.candidates.front());
  for (std::int64_t e : evaluated) result.evaluations += e;
  return result;
}

}  // namespace tessel
