// The traffic part of the cosa MIP: which levels a tensor's words cross (a function of the keep
// choice), how many words each level reads, receives and updates per instance (as the exact
// model counts them: model/access_counts.cc), and what that costs on each level's ports.
//
// Words, per instance, for a tensor v of T words served by kept level p to the next kept level c
// below it (c = the MACs when p is v's innermost kept level):
//   served   = T / (v-relevant spatial factors above p) x refetches    (c a level)
//            = MACs / (all spatial factors above p) / (v-irrelevant spatial factors at or below p)
//                                                                       (c the MACs: one word
//              per operation, multicast over the irrelevant fan-out below p)
//   received = T / (v-relevant spatial factors above c) x refetches    (c's fills)
// where the refetches are the v-irrelevant temporal factors above c (the order variables at the
// levels c+1..p, all of them above p). Irrelevant spatial factors are multicast (reads) or
// spatial reductions (updates): they cost the parent nothing, as in the exact model.
//
// A port (read, write or shared) of level s moves the sum of several such flows; its cycles are
// ln(sum of words) - ln(bandwidth). ln(sum exp(y_i)) is convex, and for any weights w on a
// subset S of the flows it is at least sum w_i y_i + H(w); the rows use the vertices (each flow
// alone) and the uniform weights on all of them (mean + ln n), which is exact when the flows are
// equal and never above the truth. (Every subset's mean is valid too, but the rows slow CBC
// down more than they tighten it.)
#include <algorithm>
#include <optional>
#include <stdexcept>

#include "tessel/mapper/cosa_rows.h"

namespace tessel {

namespace {

using Exp = CosaFormulation::Exponent;

// One hop of tensor v: parent p serves child c (-1: the MACs), active when `when` holds.
struct Hop {
  int child;
  int parent;
  KeepCondition when;
};

std::vector<Hop> Hops(const CosaBuilder& b, int v) {
  std::vector<Hop> hops;
  for (int p = 0; p < b.space().num_levels(); ++p) {
    if (!b.MayKeep(p, v)) continue;
    std::vector<int> between;  // free keep vars strictly between c and p
    for (int c = p - 1; c >= -1; --c) {
      if (c >= 0 && !b.MayKeep(c, v)) continue;
      Hop hop{c, p, {}};
      if (b.KeepVar(p, v) >= 0) hop.when.kept.push_back(b.KeepVar(p, v));
      if (c >= 0 && b.KeepVar(c, v) >= 0) hop.when.kept.push_back(b.KeepVar(c, v));
      hop.when.bypassed = between;
      hops.push_back(std::move(hop));
      if (c < 0 || b.MustKeep(c, v)) break;
      between.push_back(b.KeepVar(c, v));
    }
  }
  return hops;
}

double LnSize(const Problem& problem, int v) {
  return std::log(static_cast<double>(problem.DataSpaceSize(v)));
}

// ln(refetches of v between c and p) as the exact model walks them; strict: only level c + 1's
// order can keep v stationary (irrelevant loops further up sit outside that level's loops).
void AppendRefetches(const CosaBuilder& b, int v, const Hop& hop, double w, bool strict,
                     std::vector<MipTerm>& terms) {
  const CosaFormulation& f = b.formulation();
  const int c = hop.child, p = hop.parent;
  b.Append(terms, w, [&](const Exp& e) {
    return e.level > p && e.kind == kTemporal && !b.Relevant(v, e.dim);
  });
  if (!strict) {
    for (int l = c + 1; l <= p; ++l)
      if (f.refetch[l][v] >= 0) terms.push_back({f.refetch[l][v], w});
    return;
  }
  if (f.refetch[c + 1][v] >= 0) terms.push_back({f.refetch[c + 1][v], w});
  b.Append(terms, w, [&](const Exp& e) {
    return e.level > c + 1 && e.level <= p && e.kind == kTemporal && !b.Relevant(v, e.dim);
  });
}

// ln(words p serves per instance) = constant + terms (scaled by w).
double AppendServed(const CosaBuilder& b, int v, const Hop& hop, double w, bool strict,
                    std::vector<MipTerm>& terms) {
  const int p = hop.parent;
  if (hop.child < 0) {
    b.Append(terms, -w, [&](const Exp& e) {
      return e.kind != kTemporal && (e.level > p || !b.Relevant(v, e.dim));
    });
    return std::log(static_cast<double>(b.space().problem.TotalOperations()));
  }
  b.Append(terms, -w, [&](const Exp& e) {
    return e.level > p && e.kind != kTemporal && b.Relevant(v, e.dim);
  });
  AppendRefetches(b, v, hop, w, strict, terms);
  return LnSize(b.space().problem, v);
}

// ln(words c receives per instance) = constant + terms (scaled by w); c is a level.
double AppendReceived(const CosaBuilder& b, int v, const Hop& hop, double w,
                      std::vector<MipTerm>& terms) {
  b.Append(terms, -w, [&](const Exp& e) {
    return e.level > hop.child && e.kind != kTemporal && b.Relevant(v, e.dim);
  });
  AppendRefetches(b, v, hop, w, false, terms);
  return LnSize(b.space().problem, v);
}

// y >= constant + terms under `when`, y >= 0 (one word).
void Bound(const CosaBuilder& b, int y, std::vector<MipTerm> terms, double constant,
           const KeepCondition& when) {
  for (MipTerm& t : terms) t.coef = -t.coef;
  terms.push_back({y, 1});
  b.AddRowWhen("flow", std::move(terms), constant, when);
}

// z >= ln(sum of the flows' words) - ln(bandwidth), by the convex cuts of the header.
void AddPortRows(const CosaBuilder& b, int z, const std::vector<int>& flows,
                 const std::optional<double>& bandwidth) {
  if (!bandwidth || *bandwidth <= 0 || flows.empty()) return;
  std::vector<std::vector<int>> subsets;
  for (int y : flows) subsets.push_back({y});
  if (flows.size() > 1) subsets.push_back(flows);
  for (const std::vector<int>& s : subsets) {
    const double k = static_cast<double>(s.size());
    std::vector<MipTerm> terms{{z, 1}};
    for (int y : s) terms.push_back({y, -1 / k});
    b.model().AddConstraint("bandwidth", std::move(terms), std::log(k) - std::log(*bandwidth),
                            kInfinity);
  }
}

}  // namespace

void AddBandwidthRows(const CosaBuilder& b, int z) {
  const MapSpace& space = b.space();
  const int levels = space.num_levels();
  const int tensors = static_cast<int>(space.problem.data_spaces.size());
  std::vector<std::vector<int>> reads(levels), writes(levels);  // flow variables per port
  std::vector<bool> limited(levels);  // whether a level has a bandwidth at all
  for (int l = 0; l < levels; ++l) {
    const StorageLevel& level = space.arch.storage[l];
    for (const std::optional<double>& bw :
         {level.read_bandwidth, level.write_bandwidth, level.shared_bandwidth})
      limited[l] = limited[l] || (bw && *bw > 0);
  }
  for (int v = 0; v < tensors; ++v) {
    const bool rw = space.problem.data_spaces[v].read_write;
    std::vector<int> served(levels, -1), received(levels, -1);
    auto flow = [&](std::vector<int>& vars, int l, const char* what) {
      if (vars[l] < 0)
        vars[l] = b.model().AddVariable(
            std::string(what) + "_" + std::to_string(l) + "_" + space.problem.data_spaces[v].name,
            0, kInfinity, false);
      return vars[l];
    };
    for (const Hop& hop : Hops(b, v)) {
      std::vector<MipTerm> terms;
      if (limited[hop.parent]) {
        double constant = AppendServed(b, v, hop, 1, false, terms);
        Bound(b, flow(served, hop.parent, "served"), std::move(terms), constant, hop.when);
      }
      if (hop.child < 0 || !limited[hop.child]) continue;
      terms.clear();
      double constant = AppendReceived(b, v, hop, 1, terms);
      Bound(b, flow(received, hop.child, "received"), std::move(terms), constant, hop.when);
    }
    for (int l = 0; l < levels; ++l) {
      if (served[l] >= 0) reads[l].push_back(served[l]);
      if (served[l] >= 0 && rw) writes[l].push_back(served[l]);  // updates
      if (received[l] >= 0) writes[l].push_back(received[l]);
    }
  }
  for (int l = 0; l < levels; ++l) {
    const StorageLevel& level = space.arch.storage[l];
    AddPortRows(b, z, reads[l], level.read_bandwidth);
    AddPortRows(b, z, writes[l], level.write_bandwidth);
    std::vector<int> both = reads[l];
    both.insert(both.end(), writes[l].begin(), writes[l].end());
    AddPortRows(b, z, both, level.shared_bandwidth);
  }
}

void AddTrafficObjective(const CosaBuilder& b, double weight, std::vector<MipTerm>& objective) {
  const int tensors = static_cast<int>(b.space().problem.data_spaces.size());
  for (int v = 0; v < tensors; ++v) {
    for (const Hop& hop : Hops(b, v)) {
      if (hop.child < 0) continue;
      if (hop.when.Always()) {
        AppendServed(b, v, hop, weight, true, objective);  // its constant does not matter
        continue;
      }
      std::vector<MipTerm> terms;
      const double constant = AppendServed(b, v, hop, 1, true, terms);
      const int t = b.model().AddVariable("traffic", 0, kInfinity, false);
      Bound(b, t, std::move(terms), constant, hop.when);
      objective.push_back({t, weight});
    }
  }
}

double CosaBuilder::MaxOf(const std::vector<MipTerm>& terms) const {
  double sum = 0;
  for (const MipTerm& t : terms) {
    const MipVariable& var = f_.model.variables()[t.var];
    sum += t.coef > 0 ? t.coef * var.upper : t.coef * var.lower;
  }
  return sum;
}

double CosaBuilder::MinOf(const std::vector<MipTerm>& terms) const {
  double sum = 0;
  for (const MipTerm& t : terms) {
    const MipVariable& var = f_.model.variables()[t.var];
    sum += t.coef > 0 ? t.coef * var.lower : t.coef * var.upper;
  }
  return sum;
}

void CosaBuilder::AddRowWhen(const std::string& name, std::vector<MipTerm> terms, double lower,
                             const KeepCondition& when) const {
  if (when.Always()) {
    f_.model.AddConstraint(name, std::move(terms), lower, kInfinity);
    return;
  }
  const double m = lower - MinOf(terms);
  if (!std::isfinite(m)) throw std::logic_error("cosa: unbounded big-M row " + name);
  if (m <= 0) return;  // holds whatever the variables are
  double rhs = lower;
  for (int k : when.kept) {
    terms.push_back({k, -m});
    rhs -= m;
  }
  for (int k : when.bypassed) terms.push_back({k, m});
  f_.model.AddConstraint(name, std::move(terms), rhs, kInfinity);
}

}  // namespace tessel
