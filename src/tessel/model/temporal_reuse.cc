#include "tessel/model/temporal_reuse.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <vector>

namespace tessel {

namespace {

constexpr int kMaxRanks = 8;
constexpr int kMaxLoops = 64;
constexpr int kMaxDims = 32;  // non-trivial temporal loops above a level (2^64 visits)

// A translation of the tile in data-space coordinates, one entry per rank.
struct Translation {
  std::int64_t offset[kMaxRanks];
};

// The visits of the loops above a level and what each translation costs.
class DeltaWalk {
 public:
  DeltaWalk(const Problem& problem, const DataSpace& space, const Nest& nest, int level)
      : space_(space) {
    if (problem.dims.size() > kMaxDims || space.ranks.size() > kMaxRanks)
      throw std::length_error("problem exceeds the model's dimension or rank limits");
    const std::int64_t* extent = nest.Extent(level);
    num_ranks_ = static_cast<int>(space.ranks.size());
    for (int r = 0; r < num_ranks_; ++r) {
      span_[r] = 1;
      for (const ProjectionTerm& term : space.ranks[r].terms)
        span_[r] += std::llabs(term.coefficient) * (extent[term.dim] - 1);
    }
    box_words_ = ProjectedBoxSize(space, extent);
    std::int64_t op_translation[kMaxDims] = {};
    for (const NestLoop& loop : nest.loops) {
      if (loop.level <= level) continue;
      if (loop.spatial) continue;
      // Loop j advancing while all loops inside it (above `level`) wrap from 1 back to 0.
      op_translation[loop.dim] += loop.stride;
      Translation t = Project(op_translation);
      op_translation[loop.dim] -= loop.stride;
      op_translation[loop.dim] -= loop.stride;  // this loop wraps when an outer one advances
      if (num_loops_ == kMaxLoops) throw std::length_error("more than 64 non-trivial loops");
      factors_[num_loops_] = loop.factor;
      translation_id_[num_loops_++] = Intern(t);
    }
    memo_stride_ = num_translations_ + 1;
    std::fill(memo_valid_, memo_valid_ + (num_loops_ + 1) * memo_stride_, false);
  }

  std::int64_t Total() {
    // The first visit fetches the whole tile and leaves no translation on record.
    Result rest = Internal(num_loops_, kNoTranslation);
    return box_words_ + rest.words;
  }

 private:
  static constexpr int kNoTranslation = -1;
  struct Result {
    std::int64_t words;
    int state;  // translation on record afterwards
  };

  Translation Project(const std::int64_t* op) const {
    Translation t;
    for (int r = 0; r < num_ranks_; ++r) {
      t.offset[r] = 0;
      for (const ProjectionTerm& term : space_.ranks[r].terms)
        t.offset[r] += term.coefficient * op[term.dim];
    }
    return t;
  }

  int Intern(const Translation& t) {
    for (int i = 0; i < num_translations_; ++i)
      if (std::equal(t.offset, t.offset + num_ranks_, translations_[i].offset)) return i;
    int id = num_translations_++;
    translations_[id] = t;
    bool zero = true;
    std::int64_t overlap = 1;
    for (int r = 0; r < num_ranks_; ++r) {
      if (t.offset[r] != 0) zero = false;
      overlap *= std::max<std::int64_t>(0, span_[r] - std::llabs(t.offset[r]));
    }
    is_zero_[id] = zero;
    shift_words_[id] = box_words_ - overlap;
    return id;
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
    int slot = k * memo_stride_ + state + 1;
    if (memo_valid_[slot]) return memo_[slot];
    Result low = Internal(k - 1, state);
    Result step = Visit(translation_id_[k - 1], low.state);
    Result high = Internal(k - 1, step.state);
    Result result{low.words + (factors_[k - 1] - 1) * (step.words + high.words), high.state};
    memo_valid_[slot] = true;
    memo_[slot] = result;
    return result;
  }

  const DataSpace& space_;
  int num_ranks_ = 0;
  std::int64_t span_[kMaxRanks] = {};
  std::int64_t box_words_ = 0;
  // The non-trivial temporal loops above the level, innermost first, and per loop the
  // translation (an interned id) the tile makes when that loop advances.
  int num_loops_ = 0;
  std::int64_t factors_[kMaxLoops];
  int translation_id_[kMaxLoops];
  int num_translations_ = 0;
  Translation translations_[kMaxLoops];
  bool is_zero_[kMaxLoops];
  std::int64_t shift_words_[kMaxLoops];  // per translation: words new after that shift
  // Memo of Internal(k, state) at [k * memo_stride_ + state + 1]; only the flags are cleared.
  int memo_stride_ = 1;
  bool memo_valid_[(kMaxLoops + 1) * (kMaxLoops + 1)];
  Result memo_[(kMaxLoops + 1) * (kMaxLoops + 1)];
};

}  // namespace

std::int64_t TemporalDeltaWords(const Problem& problem, int space, const Nest& nest, int level) {
  DeltaWalk walk(problem, problem.data_spaces[space], nest, level);
  return walk.Total();
}

}  // namespace tessel
