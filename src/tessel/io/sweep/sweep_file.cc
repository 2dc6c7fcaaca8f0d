// ReadSweepFile: the sweep file's keys, then its inputs (parsed once, kept as yaml-cpp trees),
// then each parameter's paths resolved to one scalar of those trees. A point's inputs are the
// trees with its values written into those scalars, emitted back to YAML text and handed to the
// ordinary readers (LoadArchInputsFromStrings): no reader of its own.
#include "tessel/io/sweep/sweep_file.h"

#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>

#include "fmt/format.h"
#include "tessel/io/sweep/yaml_paths.h"
#include "tessel/io/workload_source.h"
#include "tessel/io/yaml_util.h"
#include "tessel/mapper/mapper.h"

namespace tessel::io {

struct SweepFile::Documents {
  std::vector<YAML::Node> roots;
  std::vector<std::string> names;               // input paths as the sweep file writes them
  std::vector<std::vector<PathMatch>> targets;  // [parameter][target]
  YAML::Node options;                           // the sweep file's `options:` (a map or null)
  std::shared_ptr<const std::string> file;      // the sweep file's name, for options' locations
  std::mutex mutex;  // InputTexts writes into `roots` and puts the originals back
};

namespace {

namespace fs = std::filesystem;

std::string ReadText(const std::string& path, const SourceLocation& where) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UserError(where, "cannot open '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A path relative to the sweep file's directory (absolute paths stay).
std::string Beside(const std::string& sweep_path, const std::string& path) {
  if (fs::path(path).is_absolute()) return path;
  return (fs::path(sweep_path).parent_path() / path).lexically_normal().string();
}

std::vector<sweep::ParameterValue> ReadValues(const YNode& parameter, const std::string& name) {
  const YNode list = parameter.Get("values"), range = parameter.Get("range");
  if (list.Valid() == range.Valid())
    parameter.Fail("parameter '" + name + "' needs either 'values' or 'range'");
  std::vector<sweep::ParameterValue> values;
  if (list.Valid()) {
    for (const YNode& item : list.Items("values")) {
      if (!item.IsScalar()) item.Fail("a value must be a scalar");
      values.push_back({item.AsString("value"), item.Location()});
    }
  } else {
    CheckMapKeys(range, "a range", {"from", "to", "step", "times"});
    const double from = RequiredKey(range, "from", "the range").AsDouble("from");
    const double to = RequiredKey(range, "to", "the range").AsDouble("to");
    const YNode step = range.Get("step"), times = range.Get("times");
    if (step.Valid() == times.Valid()) range.Fail("a range needs either 'step' or 'times'");
    const double step_value = step.Valid() ? step.AsDouble("step") : 0;
    const double times_value = times.Valid() ? times.AsDouble("times") : 0;
    if (step.Valid() && step_value <= 0) step.Fail("step must be positive");
    if (times.Valid() && times_value <= 1) times.Fail("times must be greater than 1");
    if (to < from) range.Fail("the range ends ('to') before it starts ('from')");
    for (double v : sweep::RangeValues(from, to, step_value, times_value))
      values.push_back({sweep::NumberText(v), range.Location()});
  }
  if (values.empty()) parameter.Fail("parameter '" + name + "' has no values");
  std::set<std::string> seen;
  for (const sweep::ParameterValue& value : values)
    if (!seen.insert(value.text).second)
      throw UserError(value.where, "value " + value.text + " of parameter '" + name + "' repeats");
  return values;
}

sweep::Parameter ReadParameter(const YNode& node) {
  CheckMapKeys(node, "a parameter", {"name", "path", "set", "option", "values", "range"});
  sweep::Parameter parameter;
  parameter.where = node.Location();
  const YNode path = node.Get("path"), set = node.Get("set"), option = node.Get("option");
  if (path.Valid() + set.Valid() + option.Valid() != 1)
    node.Fail("a parameter needs one of 'path', 'set' or 'option'");
  if (option.Valid()) {
    parameter.option = option.AsString("option");
  } else if (path.Valid()) {
    parameter.targets.push_back({path.AsString("path"), 1, path.Location()});
  } else {
    if (!set.IsMap() || set.Entries().empty()) set.Fail("'set' must map paths to factors");
    for (const auto& [key, factor] : set.Entries()) {
      const double value = factor.AsDouble("a factor");
      if (value <= 0) factor.Fail("a factor must be positive");
      parameter.targets.push_back({key, value, factor.Location()});
    }
  }
  const YNode name = node.Get("name");
  parameter.name = name.Valid()               ? name.AsString("name")
                   : parameter.option.empty() ? parameter.targets.front().path
                                              : parameter.option;
  parameter.values = ReadValues(node, parameter.name);
  for (const sweep::ParameterTarget& target : parameter.targets) {
    std::string text;
    for (const sweep::ParameterValue& value : parameter.values)
      if (!sweep::TargetText(value, target, &text))
        throw UserError(value.where, "value '" + value.text + "' of parameter '" + parameter.name +
                                         "' is not a number, but '" + target.path +
                                         "' takes it times a factor");
  }
  return parameter;
}

std::vector<SweepWorkload> ReadWorkloads(const YNode& list, const std::string& sweep_path) {
  std::vector<SweepWorkload> workloads;
  std::set<std::string> names;
  for (const YNode& item : list.Items("workloads")) {
    std::string spec = item.AsString("a workload");
    const std::string beside = Beside(sweep_path, spec);
    if (spec.rfind("cosa:", 0) != 0 && fs::exists(beside)) spec = beside;
    try {
      workloads.push_back({spec, LoadWorkload(spec)});
    } catch (const UserError& error) {
      item.Fail(fmt::format("workload '{}': {}", item.AsString("a workload"), error.what()));
    }
    if (!names.insert(workloads.back().workload.name()).second)
      item.Fail("two workloads are named '" + workloads.back().workload.name() + "'");
  }
  if (workloads.empty()) list.Fail("the sweep has no workloads");
  return workloads;
}

void ReadInputs(const YNode& list, SweepFile* sweep) {
  auto& docs = *sweep->documents;
  for (const YNode& item : list.Items("inputs")) {
    const std::string name = item.AsString("an input file");
    const std::string path = Beside(sweep->path, name);
    sweep->input_paths.push_back(path);
    docs.roots.push_back(ParseYaml(ReadText(path, item.Location()), path).raw());
    docs.names.push_back(path);
  }
  if (docs.roots.empty()) list.Fail("the sweep has no input files");
}

// The inputs a command reads in order (docs/sweep.md): schedule (Stream) the system file, then
// the mapping file; schedule (ratree) the mesh file; tune (cim-*) the chip file. Files after
// those are ones the first names (core files, tile files), listed so parameters can address them.
void CheckInputCount(const SweepFile& sweep, const YNode& inputs) {
  const size_t n = sweep.input_paths.size();
  if (sweep.command == "schedule" && !sweep.schedule.ratree() && n < 2)
    inputs.Fail(
        "a schedule sweep reads the system file, then the mapping file (then any core files the "
        "parameters address): give at least those two");
  if (sweep.command == "tune" && sweep.tune.cim() && n != 1)
    inputs.Fail("a tune sweep with model " + sweep.tune.model + " reads one chip file, not " +
                std::to_string(n));
}

void ResolveTargets(SweepFile* sweep) {
  auto& docs = *sweep->documents;
  std::vector<std::pair<PathMatch, std::string>> taken;
  for (const sweep::Parameter& parameter : sweep->parameters) {
    docs.targets.emplace_back();
    for (const sweep::ParameterTarget& target : parameter.targets) {
      PathMatch match = ResolvePath(docs.roots, docs.names, target.path, target.where);
      for (const auto& [other, owner] : taken)
        if (other.node.is(match.node))
          throw UserError(target.where, "path '" + target.path + "' addresses " +
                                            match.where.ToString() + ", which parameter '" + owner +
                                            "' already sets");
      taken.emplace_back(match, parameter.name);
      docs.targets.back().push_back(match);
    }
  }
}

// The sweep's `options:` with the option parameters chosen[i] >= 0 set to their values.
YNode OptionsWith(const SweepFile& sweep, const std::vector<int>& chosen) {
  auto& docs = *sweep.documents;
  std::lock_guard lock(docs.mutex);
  YAML::Node options = docs.options.IsMap() ? YAML::Clone(docs.options) : YAML::Node();
  for (size_t p = 0; p < sweep.parameters.size(); ++p)
    if (!sweep.parameters[p].option.empty() && chosen[p] >= 0)
      options[sweep.parameters[p].option] = sweep.parameters[p].values[chosen[p]].text;
  return YNode(options, docs.file);
}

// An option the command's reader rejects with `value` (alone, or with the other parameters'
// values of `point`): a UserError at the value, without the location of the edited options.
[[noreturn]] void RejectOption(const sweep::Parameter& parameter,
                               const sweep::ParameterValue& value, const UserError& error) {
  std::string message = error.what();
  const std::string prefix = error.where().ToString() + ": ";
  if (!error.where().file.empty() && message.rfind(prefix, 0) == 0)
    message = message.substr(prefix.size());
  throw UserError(value.where, fmt::format("parameter '{}' = {}: the options reject it: {}",
                                           parameter.name, value.text, message));
}

void ReadOptionsAt(const SweepFile& sweep, const std::vector<int>& chosen) {
  if (sweep.command == "schedule") ReadSweepScheduleOptions(OptionsWith(sweep, chosen));
  if (sweep.command == "tune") ReadSweepTuneOptions(OptionsWith(sweep, chosen));
}

// Option parameters: schedule and tune sweeps only; each value checked by the command's reader.
void CheckOptionParameters(const SweepFile& sweep, const YNode& list) {
  const std::vector<YNode> items = list.Items("parameters");
  for (size_t p = 0; p < sweep.parameters.size(); ++p) {
    const sweep::Parameter& parameter = sweep.parameters[p];
    if (parameter.option.empty()) continue;
    if (sweep.command == "map")
      items[p].Get("option").Fail("options are parameters of schedule and tune sweeps, not map");
    if (parameter.option == "search" || parameter.option == "model")
      items[p].Get("option").Fail("'" + parameter.option +
                                  "' decides what the inputs are: it cannot vary in one sweep");
    std::vector<int> chosen(sweep.parameters.size(), -1);
    for (size_t v = 0; v < parameter.values.size(); ++v) {
      chosen[p] = static_cast<int>(v);
      try {
        ReadOptionsAt(sweep, chosen);
      } catch (const UserError& error) {
        RejectOption(parameter, parameter.values[v], error);
      }
    }
  }
}

SweepFile Read(const YNode& root, const std::string& path) {
  CheckMapKeys(root, "the sweep file",
               {"command", "options", "inputs", "workloads", "parameters", "sample"});
  SweepFile sweep;
  sweep.path = path;
  sweep.documents = std::make_shared<SweepFile::Documents>();
  const YNode command = root.Get("command");
  if (command.Valid()) {
    sweep.command = command.AsString("command");
    if (sweep.command != "map" && sweep.command != "schedule" && sweep.command != "tune")
      command.Fail("command '" + sweep.command +
                   "' cannot be swept; the commands sweeps run are: map, schedule, tune");
  }
  const YNode options = root.Get("options");
  sweep.documents->options = options.Valid() ? YAML::Clone(options.raw()) : YAML::Node();
  sweep.documents->file = std::make_shared<const std::string>(path);
  if (sweep.command == "map") sweep.map = ReadSweepMapOptions(options);
  if (sweep.command == "schedule") sweep.schedule = ReadSweepScheduleOptions(root.Get("options"));
  if (sweep.command == "tune") sweep.tune = ReadSweepTuneOptions(root.Get("options"));
  const YNode inputs = RequiredKey(root, "inputs", "the sweep file");
  ReadInputs(inputs, &sweep);
  CheckInputCount(sweep, inputs);
  const YNode parameters = RequiredKey(root, "parameters", "the sweep file");
  std::set<std::string> names;
  for (const YNode& item : parameters.Items("parameters")) {
    sweep.parameters.push_back(ReadParameter(item));
    if (!names.insert(sweep.parameters.back().name).second)
      item.Fail("two parameters are named '" + sweep.parameters.back().name + "'");
  }
  if (sweep.parameters.empty()) parameters.Fail("the sweep has no parameters");
  ResolveTargets(&sweep);
  CheckOptionParameters(sweep, parameters);
  sweep.workloads = ReadWorkloads(RequiredKey(root, "workloads", "the sweep file"), path);
  const YNode sample = root.Get("sample");
  if (!sample.Valid()) {
    sweep.points = sweep::GridPoints(sweep.parameters);
  } else {
    CheckMapKeys(sample, "'sample'", {"points", "seed"});
    const std::int64_t count = RequiredKey(sample, "points", "'sample'").AsInt("points");
    if (count < 1) sample.Get("points").Fail("points must be at least 1");
    const YNode seed = sample.Get("seed");
    sweep.points =
        sweep::SamplePoints(sweep.parameters, count, seed.Valid() ? seed.AsInt("seed") : 1);
  }
  return sweep;
}

// The inputs as YAML text with parameter i set to its value chosen[i] (-1: left as it is).
std::vector<std::string> Emit(const SweepFile& sweep, const std::vector<int>& chosen) {
  auto& docs = *sweep.documents;
  std::lock_guard lock(docs.mutex);
  std::vector<std::pair<YAML::Node, std::string>> originals;
  for (size_t p = 0; p < sweep.parameters.size(); ++p) {
    if (chosen[p] < 0) continue;
    const sweep::Parameter& parameter = sweep.parameters[p];
    for (size_t t = 0; t < parameter.targets.size(); ++t) {
      std::string text;
      sweep::TargetText(parameter.values[chosen[p]], parameter.targets[t], &text);
      YAML::Node node = docs.targets[p][t].node;
      originals.emplace_back(node, node.Scalar());
      node = text;
    }
  }
  std::vector<std::string> texts;
  for (const YAML::Node& root : docs.roots) {
    YAML::Emitter out;
    out << root;
    texts.push_back(std::string(out.c_str()) + "\n");
  }
  for (auto& [node, text] : originals) node = text;
  return texts;
}

// The reader's complaint without its line:col, which point into emitted text, not a file.
std::string Complaint(const UserError& error) {
  std::string message = error.what();
  const std::string prefix = error.where().ToString();
  if (!prefix.empty() && message.rfind(prefix + ": ", 0) == 0)
    message = error.where().file + ": " + message.substr(prefix.size() + 2);
  return message;
}

}  // namespace

std::vector<std::string> SweepFile::InputTexts(const sweep::Point& point) const {
  return Emit(*this, point.values);
}

SweepScheduleOptions SweepFile::ScheduleOptions(const sweep::Point& point) const {
  return ReadSweepScheduleOptions(OptionsWith(*this, point.values));
}

SweepTuneOptions SweepFile::TuneOptions(const sweep::Point& point) const {
  return ReadSweepTuneOptions(OptionsWith(*this, point.values));
}

std::vector<std::string> SweepFile::InputNames(const sweep::Point&) const {
  return documents->names;
}

std::vector<std::pair<std::string, std::string>> SweepFile::Values(
    const sweep::Point& point) const {
  std::vector<std::pair<std::string, std::string>> values;
  for (size_t p = 0; p < parameters.size(); ++p)
    values.emplace_back(parameters[p].name, parameters[p].values[point.values[p]].text);
  return values;
}

SweepFile ReadSweepFile(const std::string& path) {
  return Read(ParseYaml(ReadText(path, {}), path), path);
}

void CheckSweepInputs(const SweepFile& sweep,
                      const std::function<void(const std::vector<std::string>& texts)>& load) {
  for (size_t p = 0; p < sweep.parameters.size(); ++p) {
    const sweep::Parameter& parameter = sweep.parameters[p];
    if (parameter.targets.empty()) continue;  // an option: checked while reading the file
    std::vector<int> chosen(sweep.parameters.size(), -1);
    for (size_t v = 0; v < parameter.values.size(); ++v) {
      chosen[p] = static_cast<int>(v);
      try {
        load(Emit(sweep, chosen));
      } catch (const UserError& error) {
        throw UserError(parameter.values[v].where,
                        fmt::format("parameter '{}' = {}: the inputs reject it: {}", parameter.name,
                                    parameter.values[v].text, Complaint(error)));
      }
    }
  }
  for (const sweep::Point& point : sweep.points) {
    try {
      load(sweep.InputTexts(point));
    } catch (const UserError& error) {
      std::vector<std::string> values;
      for (const auto& [name, text] : sweep.Values(point)) values.push_back(name + "=" + text);
      throw UserError(sweep.parameters.front().where,
                      fmt::format("point {} ({}): the inputs reject this combination: {}",
                                  point.index, JoinNames(values), Complaint(error)));
    }
  }
}

std::vector<ArchInputs> LoadSweepArchs(const SweepFile& sweep) {
  const auto& names = sweep.documents->names;
  CheckSweepInputs(sweep, [&](const std::vector<std::string>& texts) {
    LoadArchInputsFromStrings(texts, names);
  });
  std::vector<ArchInputs> archs;
  for (const sweep::Point& point : sweep.points)
    archs.push_back(LoadArchInputsFromStrings(sweep.InputTexts(point), names));
  return archs;
}

}  // namespace tessel::io
