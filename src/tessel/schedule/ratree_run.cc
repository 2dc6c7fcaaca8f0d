#include "tessel/schedule/ratree_run.h"

#include "tessel/schedule/tile_workload.h"

namespace tessel {

RaTreeResult RunRaTree(const TiledSystem& system, const Workload& network,
                       const RaTreeOptions& options) {
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
    result.methods.push_back({"init", init, init_cost});
    for (RaKind kind : {RaKind::kS, RaKind::kT}) {
      RaNode t = SegmentedTree(eval, order, kind, init_cost, anneal.objective);
      result.methods.push_back({kind == RaKind::kS ? "lp" : "ls", t, eval.Evaluate(t)});
    }
    result.methods.push_back({"ratree", tree, c});
  } else {
    AnnealResult a = SearchRaTree(eval, workload, anneal);
    result.methods = a.methods;
    result.evaluations = a.evaluations;
  }
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
