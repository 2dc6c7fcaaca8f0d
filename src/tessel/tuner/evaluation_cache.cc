#include "tessel/tuner/evaluation_cache.h"

#include <algorithm>
#include <cstdio>

#include "tessel/tuner/schedule_space.h"
#include "tessel/workload/workload.h"

namespace tessel {

std::string Fingerprint(std::string_view text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(hash));
  return out;
}

std::string LayerKey(std::string_view model, std::string_view arch_key, const Problem& layer) {
  return std::string(model) + "@" + std::string(arch_key) + ":" + Fingerprint(ShapeKey(layer));
}

TimingResult ResultOf(const TuningRecord& record) {
  TimingResult result;
  result.cycles = record.cycles;
  result.energy_pJ = record.energy_pJ;
  result.invalid_reason = record.invalid_reason;
  return result;
}

void EvaluationCache::AddReplayed(TuningRecord record) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::pair<std::string, std::string> key{record.layer_key, ScheduleKey(record.schedule)};
  records_[std::move(key)] = std::move(record);
  ++replayed_;
}

const TuningRecord* EvaluationCache::Find(const std::string& layer_key,
                                          const std::string& schedule_key) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = records_.find({layer_key, schedule_key});
  return it == records_.end() ? nullptr : &it->second;
}

TimingResult EvaluationCache::Evaluate(
    const std::string& layer_key, const Schedule& schedule,
    const std::function<TimingResult(const Schedule&)>& evaluate) {
  std::pair<std::string, std::string> key{layer_key, ScheduleKey(schedule)};
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = records_.find(key);
    if (it != records_.end()) {
      ++hits_;
      return ResultOf(it->second);
    }
  }
  TimingResult result = evaluate(schedule);
  TuningRecord record{layer_key, schedule, result.cycles, result.energy_pJ, result.invalid_reason};
  std::lock_guard<std::mutex> lock(mutex_);
  // Two threads may race on one new key: the first insert wins and counts once.
  auto [it, fresh] = records_.emplace(key, std::move(record));
  if (fresh) {
    if (sink_)
      sink_(it->second);
    else
      new_keys_.push_back(std::move(key));
    ++fresh_;
  }
  return result;
}

std::vector<TuningRecord> EvaluationCache::TakeNew() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::sort(new_keys_.begin(), new_keys_.end());
  std::vector<TuningRecord> out;
  out.reserve(new_keys_.size());
  for (const auto& key : new_keys_) out.push_back(records_.at(key));
  new_keys_.clear();
  return out;
}

}  // namespace tessel
