#include "tessel/model/temporal_reuse.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>

namespace tessel {

namespace {

constexpr int kMaxRanks = 8;
constexpr int kMaxLoops = 64;  // non-trivial temporal loops in a nest

// A vector in data-space coordinates, one entry per rank.
struct RankVector {
  std::int64_t v[kMaxRanks];
};

// The temporal loops of a nest, innermost first, each with the data-space step its advance
// makes (its operation-space stride projected onto the data space).
struct TemporalLoops {
  int count = 0;
  int level[kMaxLoops];
  std::int64_t factor[kMaxLoops];
  RankVector step[kMaxLoops];
};

TemporalLoops CollectTemporalLoops(const DataSpace& space, const Nest& nest) {
  TemporalLoops loops;
  int ranks = static_cast<int>(space.ranks.size());
  for (const NestLoop& loop : nest.loops) {
    if (loop.spatial) continue;
    if (loops.count == kMaxLoops) throw std::length_error("more than 64 non-trivial loops");
    int i = loops.count++;
    loops.level[i] = loop.level;
    loops.factor[i] = loop.factor;
    for (int r = 0; r < ranks; ++r) {
      std::int64_t step = 0;
      for (const ProjectionTerm& term : space.ranks[r].terms)
        if (term.dim == loop.dim) step += term.coefficient * loop.stride;
      loops.step[i].v[r] = step;
    }
  }
  return loops;
}

// The visits of the temporal loops above one level, and what each translation costs.
class DeltaWalk {
 public:
  DeltaWalk(const DataSpace& space, const Nest& nest, const TemporalLoops& all, int level) {
    const std::int64_t* extent = nest.Extent(level);
    ranks_ = static_cast<int>(space.ranks.size());
    box_words_ = 1;
    for (int r = 0; r < ranks_; ++r) {
      span_[r] = 1;
      for (const ProjectionTerm& term : space.ranks[r].terms)
        span_[r] += std::llabs(term.coefficient) * (extent[term.dim] - 1);
      box_words_ *= span_[r];
    }
    // Loop j advancing while every loop inside it (above `level`) wraps from 1 back to 0.
    RankVector wrapped{};
    for (int i = 0; i < all.count; ++i) {
      if (all.level[i] <= level) continue;
      RankVector t;
      for (int r = 0; r < ranks_; ++r) {
        t.v[r] = wrapped.v[r] + all.step[i].v[r];
        wrapped.v[r] -= all.step[i].v[r];
      }
      factor_[loops_] = all.factor[i];
      translation_of_loop_[loops_] = Intern(t);
      // The block of loops 0..k-1 visits T0 T1 T0 T2 T0 T1 T0 ...: its first moving visit is
      // the innermost loop whose translation is non-zero.
      first_move_[loops_ + 1] = first_move_[loops_] != kNone ? first_move_[loops_]
                                : is_zero_[translation_of_loop_[loops_]] ? kNone
                                                                          : translation_of_loop_[loops_];
      ++loops_;
    }
    std::fill(&memo_valid_[0][0], &memo_valid_[0][0] + 3 * (loops_ + 1), false);
  }

  std::int64_t Total() {
    // The first visit fetches the whole tile and leaves no translation on record.
    std::int64_t words = 0;
    if (__builtin_add_overflow(box_words_, Internal(loops_, kNone).words, &words)) return INT64_MAX;
    return words;
  }

 private:
  static constexpr int kNone = -1;  // no translation on record
  struct Result {
    std::int64_t words;
    int state;  // translation on record afterwards
  };

  int Intern(const RankVector& t) {
    for (int i = 0; i < translations_; ++i)
      if (std::equal(t.v, t.v + ranks_, translation_[i].v)) return i;
    int id = translations_++;
    translation_[id] = t;
    bool zero = true;
    std::int64_t overlap = 1;
    for (int r = 0; r < ranks_; ++r) {
      if (t.v[r] != 0) zero = false;
      overlap *= std::max<std::int64_t>(0, span_[r] - std::llabs(t.v[r]));
    }
    is_zero_[id] = zero;
    shift_words_[id] = box_words_ - overlap;
    return id;
  }

  // One visit reached by translation `t` with `state` on record.
  Result Visit(int t, int state) const {
    if (is_zero_[t]) return {0, state};
    if (state == kNone) return {shift_words_[t], t};
    if (state == t) return {shift_words_[t], state};
    return {box_words_, kNone};  // stride changed: the previous tile is discarded
  }

  // The 2^k - 1 visits that follow the first visit of the block of loops 0..k-1. Until the
  // block's first moving visit nothing happens, and that visit only asks whether the state on
  // record is none, the same translation, or another; so three memo entries per k suffice.
  Result Internal(int k, int state) {
    if (k == 0 || first_move_[k] == kNone) return {0, state};
    int kind = state == kNone ? 0 : state == first_move_[k] ? 1 : 2;
    if (memo_valid_[k][kind]) return memo_[k][kind];
    Result low = Internal(k - 1, state);
    Result step = Visit(translation_of_loop_[k - 1], low.state);
    Result high = Internal(k - 1, step.state);
    // Saturating: a walk past 2^63-1 words stays at INT64_MAX (words are never negative).
    std::int64_t words = 0;
    if (__builtin_add_overflow(step.words, high.words, &words) ||
        __builtin_mul_overflow(factor_[k - 1] - 1, words, &words) ||
        __builtin_add_overflow(low.words, words, &words))
      words = INT64_MAX;
    Result result{words, high.state};
    memo_valid_[k][kind] = true;
    memo_[k][kind] = result;
    return result;
  }

  int ranks_ = 0;
  std::int64_t span_[kMaxRanks];  // the tile's extent along each rank
  std::int64_t box_words_ = 0;
  int loops_ = 0;  // non-trivial temporal loops above the level, innermost first
  std::int64_t factor_[kMaxLoops];
  int translation_of_loop_[kMaxLoops];
  int translations_ = 0;  // distinct translations, interned
  RankVector translation_[kMaxLoops];
  bool is_zero_[kMaxLoops];
  std::int64_t shift_words_[kMaxLoops];  // words new after that shift
  int first_move_[kMaxLoops + 1] = {kNone};  // per block size k: its first non-zero translation
  bool memo_valid_[kMaxLoops + 1][3];
  Result memo_[kMaxLoops + 1][3];
};

void CheckLimits(const DataSpace& space) {
  if (space.ranks.size() > kMaxRanks)
    throw std::length_error("data space " + space.name + " has more than 8 ranks");
}

}  // namespace

std::int64_t TemporalDeltaWords(const Problem& problem, int space, const Nest& nest, int level) {
  const DataSpace& ds = problem.data_spaces[space];
  CheckLimits(ds);
  TemporalLoops loops = CollectTemporalLoops(ds, nest);
  return DeltaWalk(ds, nest, loops, level).Total();
}

struct TemporalDeltas::Loops : TemporalLoops {};

TemporalDeltas::TemporalDeltas(const Problem& problem, int space, const Nest& nest)
    : space_(problem.data_spaces[space]), nest_(nest), loops_(std::make_unique<Loops>()) {
  CheckLimits(space_);
  static_cast<TemporalLoops&>(*loops_) = CollectTemporalLoops(space_, nest);
}

TemporalDeltas::~TemporalDeltas() = default;

std::int64_t TemporalDeltas::Words(int level) const {
  return DeltaWalk(space_, nest_, *loops_, level).Total();
}

}  // namespace tessel
