// Every (layer, schedule) the tuner has evaluated, with its cost: the memory
// behind "a resumed run never evaluates a schedule twice". Records come from a
// tuning log (replayed) or from fresh evaluations in this run; a lookup by
// (layer key, schedule key) answers both alike, so a search takes the same
// decisions whether its costs were replayed or computed.
//
// Thread-safety: Find and Evaluate may be called concurrently; Add/TakeNew from
// one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "tessel/model/timing_model.h"
#include "tessel/workload/problem.h"

namespace tessel {

// What the log keeps of an evaluation: the schedule and its cost (cycles,
// energy_pJ or why it is invalid). Counts and energy breakdowns are not kept.
struct TuningRecord {
  std::string layer_key;  // LayerKey(...)
  Schedule schedule;
  std::int64_t cycles = 0;
  double energy_pJ = 0;
  std::string invalid_reason;  // "" when valid
};

// The key of a layer in the log: model name, arch fingerprint and the layer's
// shape (ShapeKey: two layers of the same shape share records).
std::string LayerKey(std::string_view model, std::string_view arch_key, const Problem& layer);

// FNV-1a 64 of `text` as 16 hex digits: a fingerprint for arch files' contents.
std::string Fingerprint(std::string_view text);

class EvaluationCache {
 public:
  // Adds a replayed record (from a log). A later record for the same key
  // replaces an earlier one.
  void AddReplayed(TuningRecord record);

  // The cost of `schedule` for `layer_key`: the stored one, or
  // `evaluate(schedule)` (stored and counted as a fresh evaluation).
  // Thread-safe; `evaluate` runs outside the lock.
  TimingResult Evaluate(const std::string& layer_key, const Schedule& schedule,
                        const std::function<TimingResult(const Schedule&)>& evaluate);

  // The stored cost, or nullptr.
  const TuningRecord* Find(const std::string& layer_key, const std::string& schedule_key) const;

  // Fresh records since the last call, sorted by (layer key, schedule key) so
  // that the log's content does not depend on thread timing. Empty with a sink.
  std::vector<TuningRecord> TakeNew();

  // From now on each fresh record goes to `sink` as soon as it is stored
  // (under the cache's lock: calls never overlap), in the order evaluations
  // finish, instead of waiting for TakeNew: the CLI appends it to the tuning
  // log and flushes, so an interrupted run keeps every record it computed.
  // With one thread that order is deterministic. Set before evaluating.
  void SetSink(std::function<void(const TuningRecord&)> sink) { sink_ = std::move(sink); }

  std::int64_t fresh_evaluations() const { return fresh_; }
  std::int64_t replayed() const { return replayed_; }
  std::int64_t hits() const { return hits_; }

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, TuningRecord> records_;
  std::vector<std::pair<std::string, std::string>> new_keys_;
  std::function<void(const TuningRecord&)> sink_;
  std::int64_t fresh_ = 0;
  std::int64_t replayed_ = 0;
  std::int64_t hits_ = 0;
};

// The record's cost as a TimingResult (no counts, no breakdown).
TimingResult ResultOf(const TuningRecord& record);

}  // namespace tessel
