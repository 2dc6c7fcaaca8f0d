#include "tessel/model/temporal_reuse.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

namespace tessel {

namespace {

constexpr int kMaxRanks = 8;

// A translation of the tile in data-space coordinates, one entry per rank.
struct Translation {
  std::int64_t offset[kMaxRanks] = {};
  bool operator==(const Translation& other) const {
    return std::equal(offset, offset + kMaxRanks, other.offset);
  }
};

// The visits of the loops above a level and what each translation costs.
class DeltaWalk {
 public:
  DeltaWalk(const Problem& problem, const DataSpace& space, const Nest& nest, int level)
      : space_(space) {
    const std::int64_t* extent = nest.Extent(level);
    num_ranks_ = static_cast<int>(space.ranks.size());
    for (int r = 0; r < num_ranks_; ++r) {
      span_[r] = 1;
      for (const ProjectionTerm& term : space.ranks[r].terms)
        span_[r] += std::llabs(term.coefficient) * (extent[term.dim] - 1);
    }
    box_words_ = ProjectedBoxSize(space, extent);
    std::vector<std::int64_t> op_translation(problem.dims.size(), 0);
    for (const NestLoop& loop : nest.loops) {
      if (loop.level <= level) continue;
      if (loop.spatial) continue;
      // Loop j advancing while all loops inside it (above `level`) wrap from 1 back to 0.
      op_translation[loop.dim] += loop.stride;
      Translation t = Project(op_translation);
      op_translation[loop.dim] -= loop.stride;
      op_translation[loop.dim] -= loop.stride;  // this loop wraps when an outer one advances
      factors_.push_back(loop.factor);
      translation_id_.push_back(Intern(t));
    }
    memo_.assign((factors_.size() + 1) * (translations_.size() + 1), {-1, 0});
  }

  std::int64_t Total() {
    // The first visit fetches the whole tile and leaves no translation on record.
    Result rest = Internal(static_cast<int>(factors_.size()), kNoTranslation);
    return box_words_ + rest.words;
  }

 private:
  static constexpr int kNoTranslation = -1;
  struct Result {
    std::int64_t words;  // -1 in the memo: not computed yet
    int state;           // translation on record afterwards
  };

  Translation Project(const std::vector<std::int64_t>& op) const {
    Translation t;
    for (int r = 0; r < num_ranks_; ++r)
      for (const ProjectionTerm& term : space_.ranks[r].terms)
        t.offset[r] += term.coefficient * op[term.dim];
    return t;
  }

  int Intern(const Translation& t) {
    for (size_t i = 0; i < translations_.size(); ++i)
      if (translations_[i] == t) return static_cast<int>(i);
    translations_.push_back(t);
    bool zero = true;
    std::int64_t overlap = 1;
    for (int r = 0; r < num_ranks_; ++r) {
      if (t.offset[r] != 0) zero = false;
      overlap *= std::max<std::int64_t>(0, span_[r] - std::llabs(t.offset[r]));
    }
    is_zero_.push_back(zero);
    shift_words_.push_back(box_words_ - overlap);
    return static_cast<int>(translations_.size()) - 1;
  }

  // One visit reached by translation `t` with `state` on record.
  Result Visit(int t, int state) const {
    if (is_zero_[t]) return {0, state};
    if (state == kNoTranslation) return {shift_words_[t], t};
    if (state == t) return {shift_words_[t], state};
    return {box_words_, kNoTranslation};  // stride changed: previous tile discarded
  }

  // The 2^k - 1 visits that follow the first visit of a block of loops 0..k-1.
  Result Internal(int k, int state) {
    if (k == 0) return {0, state};
    Result& memo = memo_[k * (translations_.size() + 1) + (state + 1)];
    if (memo.words >= 0) return memo;
    Result low = Internal(k - 1, state);
    Result step = Visit(translation_id_[k - 1], low.state);
    Result high = Internal(k - 1, step.state);
    memo = {low.words + (factors_[k - 1] - 1) * (step.words + high.words), high.state};
    return memo;
  }

  const DataSpace& space_;
  int num_ranks_ = 0;
  std::int64_t span_[kMaxRanks] = {};
  std::int64_t box_words_ = 0;
  std::vector<std::int64_t> factors_;  // the non-trivial temporal loops above, innermost first
  std::vector<int> translation_id_;    // per loop: the translation when it advances
  std::vector<Translation> translations_;
  std::vector<bool> is_zero_;
  std::vector<std::int64_t> shift_words_;  // per translation: words new after that shift
  std::vector<Result> memo_;
};

}  // namespace

std::int64_t TemporalDeltaWords(const Problem& problem, int space, const Nest& nest, int level) {
  DeltaWalk walk(problem, problem.data_spaces[space], nest, level);
  return walk.Total();
}

}  // namespace tessel
