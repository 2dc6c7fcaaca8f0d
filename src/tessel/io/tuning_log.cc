#include "tessel/io/tuning_log.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tessel/common/error.h"

namespace tessel::io {
namespace {

using Json = nlohmann::ordered_json;

Json MappingToLogJson(const Mapping& mapping) {
  Json levels = Json::array();
  for (const LevelMapping& level : mapping.levels) {
    Json temporal = Json::array(), spatial = Json::array(), keep = Json::array();
    for (const Loop& loop : level.temporal) temporal.push_back({loop.dim, loop.factor});
    for (const Loop& loop : level.spatial)
      spatial.push_back({loop.dim, loop.factor, loop.axis == SpatialAxis::kX ? "X" : "Y"});
    for (bool k : level.keep) keep.push_back(k);
    levels.push_back({{"temporal", temporal}, {"spatial", spatial}, {"keep", keep}});
  }
  return levels;
}

// A malformed line: where and what.
class LineError {
 public:
  LineError(const std::string& file, int line) : where_{file, line, 0} {}
  [[noreturn]] void Fail(const std::string& message) const { throw UserError(where_, message); }
  const Json& Field(const Json& object, const char* key, bool (Json::*is)() const,
                    const char* type) const {
    auto it = object.find(key);
    if (it == object.end()) Fail(std::string("missing \"") + key + "\"");
    if (!((*it).*is)()) Fail(std::string("\"") + key + "\" must be " + type);
    return *it;
  }

 private:
  SourceLocation where_;
};

Loop ParseLoop(const Json& j, bool spatial, const LineError& err) {
  const std::size_t size = spatial ? 3 : 2;
  if (!j.is_array() || j.size() != size || !j[0].is_number_integer() || !j[1].is_number_integer() ||
      j[0].get<int>() < 0 || j[1].get<std::int64_t>() < 1)
    err.Fail(spatial ? "a spatial loop must be [dim, factor, \"X\"|\"Y\"]"
                     : "a temporal loop must be [dim, factor]");
  Loop loop{j[0].get<int>(), j[1].get<std::int64_t>(), SpatialAxis::kX};
  if (spatial) {
    if (j[2] != "X" && j[2] != "Y") err.Fail("a spatial loop's axis must be \"X\" or \"Y\"");
    loop.axis = j[2] == "X" ? SpatialAxis::kX : SpatialAxis::kY;
  }
  return loop;
}

Mapping ParseLogMapping(const Json& levels, const LineError& err) {
  if (!levels.is_array()) err.Fail("\"mapping\" must be a list of levels");
  Mapping mapping;
  for (const Json& level : levels) {
    if (!level.is_object()) err.Fail("a mapping level must be an object");
    LevelMapping lm;
    for (const Json& j : err.Field(level, "temporal", &Json::is_array, "a list"))
      lm.temporal.push_back(ParseLoop(j, false, err));
    for (const Json& j : err.Field(level, "spatial", &Json::is_array, "a list"))
      lm.spatial.push_back(ParseLoop(j, true, err));
    for (const Json& j : err.Field(level, "keep", &Json::is_array, "a list")) {
      if (!j.is_boolean()) err.Fail("\"keep\" must list true/false");
      lm.keep.push_back(j.get<bool>());
    }
    mapping.levels.push_back(std::move(lm));
  }
  return mapping;
}

TuningRecord ParseRecord(const Json& j, const LineError& err) {
  if (!j.is_object()) err.Fail("a tuning record must be a JSON object");
  TuningRecord record;
  record.layer_key = err.Field(j, "layer", &Json::is_string, "a string").get<std::string>();
  const Json& schedule = err.Field(j, "schedule", &Json::is_object, "an object");
  for (const auto& [name, value] :
       err.Field(schedule, "knobs", &Json::is_object, "an object").items()) {
    if (!value.is_number_integer()) err.Fail("knob \"" + name + "\" must be an integer");
    record.schedule.Set(name, value.get<std::int64_t>());
  }
  if (schedule.contains("mapping"))
    record.schedule.mapping = ParseLogMapping(schedule["mapping"], err);
  if (j.contains("invalid")) {
    record.invalid_reason = err.Field(j, "invalid", &Json::is_string, "a string");
    if (record.invalid_reason.empty()) err.Fail("\"invalid\" must give a reason");
    return record;
  }
  const Json& cycles = err.Field(j, "cycles", &Json::is_number_integer, "an integer");
  if (cycles.get<std::int64_t>() < 0) err.Fail("\"cycles\" must not be negative");
  record.cycles = cycles.get<std::int64_t>();
  record.energy_pJ = err.Field(j, "energy_pJ", &Json::is_number, "a number").get<double>();
  return record;
}

// Truncates the file after its last '\n': drops the partial record of a killed run, so that the
// next record starts on a line of its own.
void CutUnterminatedTail(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.empty() || text.back() == '\n') return;
  const std::size_t keep = text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
  std::error_code ec;
  std::filesystem::resize_file(path, keep, ec);
  if (ec)
    throw UserError(SourceLocation{path, 0, 0}, "cannot repair the tuning log: " + ec.message());
}

}  // namespace

std::string FormatTuningRecord(const TuningRecord& record) {
  Json schedule = {{"knobs", Json::object()}};
  for (const auto& [name, value] : record.schedule.knobs) schedule["knobs"][name] = value;
  if (record.schedule.mapping) schedule["mapping"] = MappingToLogJson(*record.schedule.mapping);
  Json j = {{"layer", record.layer_key}, {"schedule", schedule}};
  if (!record.invalid_reason.empty()) {
    j["invalid"] = record.invalid_reason;
  } else {
    j["cycles"] = record.cycles;
    j["energy_pJ"] = record.energy_pJ;
  }
  // Layer keys carry ONNX names (protobuf bytes, not checked for UTF-8): a stray byte is written
  // as U+FFFD rather than throwing midway through a tuning run.
  return j.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::vector<TuningRecord> ParseTuningLog(const std::string& text, const std::string& name) {
  std::vector<TuningRecord> records;
  std::istringstream in(text);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const LineError err(name, number);
    Json j = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    // A last line without its '\n' that does not parse is the record a killed run was writing:
    // never complete, so never a record (TuningLogAppender cuts it off before appending).
    if (j.is_discarded() && in.eof() && !text.empty() && text.back() != '\n') break;
    if (j.is_discarded()) err.Fail("not a JSON object (a tuning log has one record per line)");
    records.push_back(ParseRecord(j, err));
  }
  return records;
}

std::vector<TuningRecord> ReadTuningLog(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return {};
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UserError(SourceLocation{path, 0, 0}, "cannot read the tuning log");
  std::ostringstream text;
  text << in.rdbuf();
  return ParseTuningLog(text.str(), path);
}

TuningLogAppender::TuningLogAppender(const std::string& path) : path_(path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) CutUnterminatedTail(path);
  out_.open(path, std::ios::binary | std::ios::app);
  if (!out_) throw UserError(SourceLocation{path, 0, 0}, "cannot append to the tuning log");
}

void TuningLogAppender::Append(const TuningRecord& record) {
  out_ << FormatTuningRecord(record);
  out_.flush();
  if (!out_) throw UserError(SourceLocation{path_, 0, 0}, "cannot append to the tuning log");
}

void AppendTuningLog(const std::string& path, const std::vector<TuningRecord>& records) {
  if (records.empty()) return;
  std::string text;
  for (const TuningRecord& r : records) text += FormatTuningRecord(r);
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out << text;
  out.flush();
  if (!out) throw UserError(SourceLocation{path, 0, 0}, "cannot append to the tuning log");
}

}  // namespace tessel::io
