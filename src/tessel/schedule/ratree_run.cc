#include "tessel/schedule/ratree_run.h"

#include <atomic>
#include <limits>
#include <mutex>

#include "tessel/common/cancel.h"
#include "tessel/common/parallel.h"
#include "tessel/schedule/tile_workload.h"

namespace tessel {

double SimObjective(const RaSimulated& sim, Objective objective) {
  if (!sim.done) return std::numeric_limits<double>::infinity();
  switch (objective) {
    case Objective::kLatency:
      return double(sim.latency_cycles);
    case Objective::kEnergy:
      return sim.energy_pJ();
    case Objective::kEdp:
      break;
  }
  return double(sim.latency_cycles) * sim.energy_pJ();
}

namespace {

// Replays trees through the simulator, each distinct tree once, keeping the best replay.
class Replayer {
 public:
  Replayer(const TiledSystem& system, const Workload& workload, RaEvaluator& eval,
           TileCostTable& costs, const RaTreeOptions& options, std::stop_token stop)
      : system_(system),
        workload_(workload),
        eval_(eval),
        costs_(costs),
        options_(options),
        stop_(std::move(stop)) {
    cost_ = options.cost;
    cost_.polish_evaluations = options.polish;
    cost_.shared = &node_costs_;  // a node shape is mapped once for all the replays
  }

  // The simulated figures of every tree, each distinct tree replayed once, the replays on the
  // thread pool (one thread each). The kept replay is the best candidate's (a tree is a candidate
  // when any of its copies is), the first in `trees` order among equals: the same on any thread
  // count.
  std::vector<RaSimulated> RunAll(const std::vector<const RaNode*>& trees,
                                  const std::vector<bool>& candidate) {
    const size_t n = trees.size();
    std::vector<size_t> first(n);
    std::vector<bool> is_candidate(n, false);
    for (size_t i = 0; i < n; ++i) {
      first[i] = i;
      for (size_t j = 0; j < i; ++j)
        if (*trees[j] == *trees[i]) {
          first[i] = j;
          break;
        }
      if (candidate[i]) is_candidate[first[i]] = true;
    }
    std::vector<RaSimulated> sims(n);
    std::atomic<size_t> next{0};
    std::mutex mutex;
    size_t best_index = n;
    RunOnThreads(options_.threads, [&](int) {
      for (size_t i = next++; i < n; i = next++) {
        if (first[i] != i) continue;
        std::unique_ptr<RaReplay> replay = Replay(*trees[i]);
        const SystemSchedule& s = replay->result.schedule;
        sims[i] = RaSimulated{true,
                              s.latency_cycles,
                              s.core_pJ,
                              s.link_pJ,
                              s.offchip_pJ,
                              static_cast<int>(replay->result.graph.nodes.size()),
                              static_cast<int>(s.transfers.size())};
        const double obj = SimObjective(sims[i], options_.anneal.objective);
        std::lock_guard<std::mutex> lock(mutex);
        if (is_candidate[i] && (obj < best_obj_ || (obj == best_obj_ && i < best_index)))
          best_obj_ = obj, best_index = i, best_ = std::move(replay), best_tree_ = *trees[i];
      }
    });
    for (size_t i = 0; i < n; ++i) {
      sims[i] = sims[first[i]];
      if (first[i] == i) ++replayed_;
    }
    return sims;
  }

  const RaNode& best_tree() const { return best_tree_; }
  std::unique_ptr<RaReplay> TakeReplayOf(const RaNode& tree) {
    if (!(tree == best_tree_)) throw std::logic_error("replay of a tree that is not the best");
    return std::move(best_);
  }
  int replayed() const { return replayed_; }

 private:
  std::unique_ptr<RaReplay> Replay(const RaNode& tree) {
    std::vector<LeafPlacement> placement = eval_.Placements(tree);
    std::vector<TileSplit> splits;
    for (int l = 0; l < workload_.size(); ++l)
      splits.push_back(
          costs_.Get(l, static_cast<int>(placement[l].tiles.size()), placement[l].batch).split);
    auto replay = std::make_unique<RaReplay>();
    ReplayRaTree(system_, workload_, tree, placement, splits, eval_.batch(), cost_, 1, replay.get(),
                 stop_);
    return replay;
  }

  const TiledSystem& system_;
  const Workload& workload_;
  RaEvaluator& eval_;
  TileCostTable& costs_;
  const RaTreeOptions& options_;
  std::stop_token stop_;
  NodeCostCache node_costs_;
  NodeCostOptions cost_;
  int replayed_ = 0;
  std::unique_ptr<RaReplay> best_;
  RaNode best_tree_;
  double best_obj_ = std::numeric_limits<double>::infinity();
};

}  // namespace

RaTreeResult RunRaTree(const TiledSystem& system, const Workload& network,
                       const RaTreeOptions& options, std::stop_token stop) {
  system.Check();
  if (options.batch < 1) throw UserError("--batch must be at least 1");
  if (network.size() == 0) throw UserError("workload '" + network.name() + "' has no layer");
  RaTreeResult result;
  result.workload = FuseForTiles(network);
  const Workload& workload = result.workload;
  NodeCostOptions cost = options.cost;
  TileCostTable costs(system, workload, cost, options.polish);
  RaEvaluator eval(system, workload, options.batch, costs);
  // Every layer must fit a tile's buffer at one sample on the whole mesh.
  for (int l = 0; l < workload.size(); ++l) {
    try {
      costs.Get(l, system.tiles(), 1);
    } catch (const UserError&) {
      throw UserError(SourceLocation{system.file},
                      "layer '" + workload.layer(l).name +
                          "' fits no tile: the tile mapper finds no valid mapping of its block "
                          "(one sample, split over all " +
                          std::to_string(system.tiles()) + " tiles)");
    }
  }
  AnnealOptions anneal = options.anneal;
  anneal.threads = options.threads;
  if (options.tree_text) {
    RaNode tree = ParseRaTree(*options.tree_text, options.tree_file, workload);
    RaCost c = eval.Evaluate(tree);
    if (!c.valid)
      throw UserError(SourceLocation{options.tree_file}, "the tree is invalid: " + c.why);
    const std::vector<int> order = workload.TopologicalOrder();
    RaNode init = InitTree(eval, order);
    RaCost init_cost = eval.Evaluate(init);
    result.methods.push_back({"init", init, init_cost, {}});
    for (RaKind kind : {RaKind::kS, RaKind::kT}) {
      RaNode t = SegmentedTree(eval, order, kind, init_cost, anneal.objective);
      result.methods.push_back({kind == RaKind::kS ? "lp" : "ls", t, eval.Evaluate(t), {}});
    }
    result.methods.push_back({"ratree", tree, c, {}});
  }
  Replayer replayer(system, workload, eval, costs, options, stop);
  if (options.tree_text) {
    const std::vector<const RaNode*> trees = {&result.methods[3].tree, &result.methods[0].tree,
                                              &result.methods[1].tree, &result.methods[2].tree};
    const std::vector<RaSimulated> sims = replayer.RunAll(trees, {true, false, false, false});
    result.methods[3].simulated = sims[0];  // as given
    for (int i = 0; i < 3; ++i) result.methods[i].simulated = sims[i + 1];
    result.replay = replayer.TakeReplayOf(result.best().tree);
  } else {
    AnnealResult a = SearchRaTree(eval, workload, anneal, stop);
    result.methods = a.methods;
    result.evaluations = a.evaluations;
    // The answer: the simulator's best of the first `replays` candidates and the baselines.
    std::vector<RaMethod> pool;
    for (size_t i = 0; i < a.candidates.size() && int(i) < std::max(1, options.replays); ++i)
      pool.push_back(a.candidates[i]);
    for (int i = 0; i < 3; ++i) pool.push_back(result.methods[i]);
    std::vector<const RaNode*> trees;
    for (const RaMethod& m : pool) trees.push_back(&m.tree);
    const std::vector<RaSimulated> sims =
        replayer.RunAll(trees, std::vector<bool>(pool.size(), true));
    for (size_t i = 0; i < pool.size(); ++i) pool[i].simulated = sims[i];
    for (int i = 0; i < 3; ++i) result.methods[i].simulated = pool[pool.size() - 3 + i].simulated;
    for (const RaMethod& m : pool)
      if (m.tree == replayer.best_tree()) {
        result.methods[3] = {"ratree", m.tree, m.cost, m.simulated};
        break;
      }
    result.replay = replayer.TakeReplayOf(result.best().tree);
  }
  result.replayed = replayer.replayed();
  const RaNode& best = result.best().tree;
  result.placement = eval.Placements(best);
  result.segment_of.assign(workload.size(), 0);
  for (size_t i = 0; i < best.children.size(); ++i) {
    result.segments.push_back(eval.Segment(best.children[i], best.batch));
    for (int l : RaLeaves(best.children[i])) result.segment_of[l] = static_cast<int>(i);
  }
  for (int l = 0; l < workload.size(); ++l)
    result.layer_costs.push_back(costs.Get(l, static_cast<int>(result.placement[l].tiles.size()),
                                           result.placement[l].batch));
  result.space.leaves = workload.size();
  result.space.trees = SmallSchroeder2(workload.size());
  result.space.orders = CountTopologicalOrders(workload);
  result.mapped_blocks = costs.mapped_blocks();
  return result;
}

}  // namespace tessel
