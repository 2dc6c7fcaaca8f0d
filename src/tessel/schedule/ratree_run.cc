#include "tessel/schedule/ratree_run.h"

#include <limits>

#include "tessel/common/cancel.h"
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
  }

  // The simulated figures of `tree`; a `candidate`'s replay becomes the kept one when it is the
  // best candidate so far (strictly: the first of equals stays).
  RaSimulated Run(const RaNode& tree, bool candidate) {
    for (const auto& [t, sim] : done_)
      if (t == tree) return sim;
    std::vector<LeafPlacement> placement = eval_.Placements(tree);
    std::vector<TileSplit> splits;
    for (int l = 0; l < workload_.size(); ++l)
      splits.push_back(
          costs_.Get(l, static_cast<int>(placement[l].tiles.size()), placement[l].batch).split);
    auto replay = std::make_unique<RaReplay>();
    ReplayRaTree(system_, workload_, tree, placement, splits, eval_.batch(), cost_,
                 options_.threads, replay.get(), stop_);
    const SystemSchedule& s = replay->result.schedule;
    RaSimulated sim{true,
                    s.latency_cycles,
                    s.core_pJ,
                    s.link_pJ,
                    s.offchip_pJ,
                    static_cast<int>(replay->result.graph.nodes.size()),
                    static_cast<int>(s.transfers.size())};
    const double obj = SimObjective(sim, options_.anneal.objective);
    if (candidate && obj < best_obj_) best_obj_ = obj, best_ = std::move(replay), best_tree_ = tree;
    done_.emplace_back(tree, sim);
    return sim;
  }

  const RaNode& best_tree() const { return best_tree_; }
  std::unique_ptr<RaReplay> TakeReplayOf(const RaNode& tree) {
    if (!(tree == best_tree_)) throw std::logic_error("replay of a tree that is not the best");
    return std::move(best_);
  }
  int replayed() const { return static_cast<int>(done_.size()); }

 private:
  const TiledSystem& system_;
  const Workload& workload_;
  RaEvaluator& eval_;
  TileCostTable& costs_;
  const RaTreeOptions& options_;
  std::stop_token stop_;
  NodeCostOptions cost_;
  std::vector<std::pair<RaNode, RaSimulated>> done_;
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
    result.methods[3].simulated = replayer.Run(result.methods[3].tree, true);  // as given
    for (int i = 0; i < 3; ++i)
      result.methods[i].simulated = replayer.Run(result.methods[i].tree, false);
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
    for (RaMethod& m : pool) m.simulated = replayer.Run(m.tree, true);
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
