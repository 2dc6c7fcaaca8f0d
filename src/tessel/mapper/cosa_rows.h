// Internal to the cosa formulation (cosa_formulation.cc, cosa_bandwidth.cc): linear expressions
// over the MIP's variables, keep/bypass literals and rows that hold only under a keep choice.
// Every expression is a natural log of a count (words, cycles, factors).
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "tessel/mapper/cosa_formulation.h"

namespace tessel {

// A condition on the keep variables: every var in `kept` is 1 and every var in `bypassed` is 0.
// Entries the mapspace fixes are not listed (the caller checked them). Empty: always holds.
struct KeepCondition {
  std::vector<int> kept;
  std::vector<int> bypassed;
  bool Always() const { return kept.empty() && bypassed.empty(); }
};

class CosaBuilder {
 public:
  CosaBuilder(const MapSpace& space, CosaFormulation& f) : space_(space), f_(f) {}

  const MapSpace& space() const { return space_; }
  CosaFormulation& formulation() const { return f_; }
  MipModel& model() const { return f_.model; }

  // Appends sum of ln(p) e over the exponents accepted by `pick`, scaled by `scale`.
  template <typename Pick>
  void Append(std::vector<MipTerm>& terms, double scale, Pick pick) const {
    for (const CosaFormulation::Exponent& e : f_.exponents)
      if (pick(e)) terms.push_back({e.var, scale * std::log(static_cast<double>(e.prime))});
  }

  bool Relevant(int v, int dim) const { return space_.problem.IsRelevant(v, dim); }
  // The binary keep variable of (l, v), or -1 when it is fixed (to MapSpace::keep).
  int KeepVar(int l, int v) const { return f_.keep.empty() ? -1 : f_.keep[l][v]; }
  // Whether level l may keep v (kept or free) and must keep it (fixed kept).
  bool MayKeep(int l, int v) const { return space_.keep[l][v] || KeepVar(l, v) >= 0; }
  bool MustKeep(int l, int v) const { return space_.keep[l][v] && KeepVar(l, v) < 0; }

  // The largest and smallest value sum(terms) can take within the variables' bounds.
  double MaxOf(const std::vector<MipTerm>& terms) const;
  double MinOf(const std::vector<MipTerm>& terms) const;

  // Adds sum(terms) >= lower, enforced only when `when` holds (big-M on the keep variables).
  void AddRowWhen(const std::string& name, std::vector<MipTerm> terms, double lower,
                  const KeepCondition& when) const;

 private:
  const MapSpace& space_;
  CosaFormulation& f_;
};

// Rows and objective terms for the traffic between levels (cosa_bandwidth.cc): per level port
// bandwidth rows on the latency variable z, and the traffic objective.
void AddBandwidthRows(const CosaBuilder& b, int z);
void AddTrafficObjective(const CosaBuilder& b, double weight, std::vector<MipTerm>& objective);

}  // namespace tessel
