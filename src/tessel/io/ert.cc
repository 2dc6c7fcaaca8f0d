#include "tessel/io/ert.h"

#include <algorithm>
#include <map>
#include <optional>
#include <vector>

namespace tessel::io {
namespace {

// Action name -> energy in pJ (the maximum over entries of that name).
using ActionEnergies = std::map<std::string, double>;

void AddActionEnergy(const std::string& table, const std::string& action, const YNode& entry,
                     ActionEnergies* energies) {
  YNode energy = entry.Get("energy");
  if (!energy.Valid() || energy.IsNull()) return;  // Timeloop skips entries without energy
  const std::string what = "ERT energy of action '" + action + "' of '" + table + "'";
  const double value = energy.AsDouble(what);
  if (value < 0) energy.Fail(what + " must not be negative, got '" + energy.raw().Scalar() + "'");
  auto [it, inserted] = energies->emplace(action, value);
  if (!inserted) it->second = std::max(it->second, value);
}

// v0.3/v0.4: actions: [{name, arguments, energy}, ...]
ActionEnergies ParseActionList(const std::string& table, const YNode& actions) {
  ActionEnergies energies;
  for (const YNode& action : actions.Items("ERT actions")) {
    YNode name = action.Get("name");
    if (!name.Valid()) action.Fail("ERT action of '" + table + "' has no 'name'");
    AddActionEnergy(table, name.AsString("ERT action name"), action, &energies);
  }
  return energies;
}

// v0.2: {action: [{arguments, energy}, ...]} or {action: {energy}}
ActionEnergies ParseActionMap(const std::string& table, const YNode& actions) {
  ActionEnergies energies;
  for (const auto& [action, value] : actions.Entries()) {
    if (value.IsSeq()) {
      for (const YNode& entry : value.Items("ERT action")) {
        AddActionEnergy(table, action, entry, &energies);
      }
    } else {
      AddActionEnergy(table, action, value, &energies);
    }
  }
  return energies;
}

std::optional<double> Pick(const ActionEnergies& energies,
                           std::initializer_list<const char*> priority) {
  for (const char* action : priority) {
    auto it = energies.find(action);
    if (it != energies.end()) return it->second;
  }
  return std::nullopt;
}

// Returns whether any action matched.
bool ApplyToStorage(const ActionEnergies& energies, StorageLevel* level) {
  bool matched = false;
  auto set = [&](double* field, std::initializer_list<const char*> priority) {
    if (auto value = Pick(energies, priority)) {
      *field = *value;
      matched = true;
    }
  };
  set(&level->energy.read_pJ, {"random_read", "read"});
  set(&level->energy.fill_pJ, {"random_fill", "random_write", "fill", "write"});
  set(&level->energy.update_pJ, {"random_update", "random_write", "update", "write"});
  set(&level->energy.leak_pJ, {"leak"});
  return matched;
}

void ApplyTable(const std::string& table, const ActionEnergies& energies, Arch* arch) {
  const std::string component = ErtComponentName(table);
  for (StorageLevel& level : arch->storage) {
    if (level.name == component && ApplyToStorage(energies, &level)) level.energy_source = "ERT";
  }
  if (arch->arithmetic.name == component) {
    if (auto value = Pick(energies, {"mac_random", "mult_random", "mac", "mult", "compute"})) {
      arch->arithmetic.compute_pJ = *value;
      arch->arithmetic.energy_source = "ERT";
    }
  }
}

}  // namespace

std::string ErtComponentName(const std::string& table_name) {
  // Split at dots outside brackets, keep the last part, drop its [..] range.
  size_t start = 0;
  int depth = 0;
  for (size_t i = 0; i < table_name.size(); ++i) {
    if (table_name[i] == '[') ++depth;
    if (table_name[i] == ']') --depth;
    if (table_name[i] == '.' && depth == 0) start = i + 1;
  }
  std::string last = table_name.substr(start);
  return last.substr(0, last.find('['));
}

void ApplyErt(const YNode& ert, Arch* arch) {
  if (!ert.IsMap()) ert.Fail("ERT must be a map with 'tables'");
  YNode tables = ert.Get("tables");
  if (!tables.Valid()) ert.Fail("ERT has no 'tables'");
  if (tables.IsMap()) {
    for (const auto& [table, actions] : tables.Entries())
      ApplyTable(table, ParseActionMap(table, actions), arch);
    return;
  }
  for (const YNode& table : tables.Items("ERT tables")) {
    YNode name = table.Get("name");
    if (!name.Valid()) table.Fail("ERT table has no 'name'");
    const std::string table_name = name.AsString("ERT table name");
    ApplyTable(table_name, ParseActionList(table_name, table.Get("actions")), arch);
  }
}

}  // namespace tessel::io
