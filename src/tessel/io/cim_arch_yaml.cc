// Reads `cim_architecture:` section by section: every section's keys are checked against its
// list of valid keys first, then read; the relations between fields are checked last by
// CheckCimArch, whose issues are located here through the field -> location table.
#include "tessel/io/cim_arch_yaml.h"

#include <filesystem>
#include <map>
#include <optional>
#include <vector>

#include "tessel/io/bundled.h"

namespace tessel::io {
namespace {

class CimArchReader {
 public:
  explicit CimArchReader(const YNode& root) : root_(root) {}

  CimArch Read(const std::string& default_name);

 private:
  // A required sub-map of `parent`, its keys checked against `valid`.
  YNode Section(const YNode& parent, const std::string& key, const std::vector<std::string>& valid);
  // Fails at the first key of `map` that is not in `valid`, listing the valid ones.
  void CheckKeys(const YNode& map, const std::string& what, const std::vector<std::string>& valid);
  // `map`.`key` as an integer / number; nullopt-default means required. `field` is its path.
  std::int64_t Int(const YNode& map, const std::string& prefix, const std::string& key,
                   std::optional<std::int64_t> default_value = std::nullopt);
  double Number(const YNode& map, const std::string& prefix, const std::string& key);
  YNode Required(const YNode& map, const std::string& prefix, const std::string& key,
                 const std::string& placeholder);
  void ReadAdc(CimArch* arch);
  void ReadEnergy(CimArch* arch);
  void ReadChips(CimArch* arch);
  [[noreturn]] void FailAt(const std::string& field, const std::string& message) const;

  YNode root_;
  std::map<std::string, SourceLocation> where_;  // field path -> location of its value
};

std::string SectionName(const std::string& prefix) {
  return prefix.empty() ? "cim_architecture" : prefix.substr(0, prefix.size() - 1);
}

void CimArchReader::CheckKeys(const YNode& map, const std::string& what,
                              const std::vector<std::string>& valid) {
  const auto file = std::make_shared<const std::string>(map.file());
  for (const auto& entry : map.raw()) {
    if (!entry.first.IsScalar() || entry.first.Scalar() == "<<") continue;
    const std::string key = NormalizeKey(entry.first.Scalar());
    bool known = false;
    for (const std::string& v : valid) known = known || v == key;
    if (!known)
      YNode(entry.first, file)
          .Fail("unknown key '" + entry.first.Scalar() + "' in " + what +
                "; the valid keys are: " + JoinNames(valid));
  }
}

YNode CimArchReader::Section(const YNode& parent, const std::string& key,
                             const std::vector<std::string>& valid) {
  YNode section = parent.Get(key);
  if (!section.Valid())
    parent.Fail("cim_architecture has no '" + key + "' section; add '" + key + ":' with " +
                JoinNames(valid));
  if (!section.IsMap()) section.Fail("'" + key + "' must be a map of: " + JoinNames(valid));
  CheckKeys(section, key, valid);
  where_[key] = section.Location();
  return section;
}

YNode CimArchReader::Required(const YNode& map, const std::string& prefix, const std::string& key,
                              const std::string& placeholder) {
  YNode node = map.Get(key);
  if (!node.Valid())
    map.Fail(SectionName(prefix) + " has no '" + key + "'; add '" + key + ": " + placeholder + "'");
  where_[prefix + key] = node.Location();
  return node;
}

std::int64_t CimArchReader::Int(const YNode& map, const std::string& prefix, const std::string& key,
                                std::optional<std::int64_t> default_value) {
  if (default_value && !map.Has(key)) return *default_value;
  return Required(map, prefix, key, "<positive integer>").AsInt(prefix + key);
}

double CimArchReader::Number(const YNode& map, const std::string& prefix, const std::string& key) {
  return Required(map, prefix, key, "<pJ>").AsDouble(prefix + key);
}

void CimArchReader::FailAt(const std::string& field, const std::string& message) const {
  auto it = where_.find(field);
  throw UserError(it != where_.end() ? it->second : root_.Location(), message);
}

void CimArchReader::ReadAdc(CimArch* arch) {
  YNode adc =
      Section(root_, "adc", {"bits", "columns_per_adc", "adcs_per_array", "samples_per_cycle"});
  arch->adc_bits = Int(adc, "adc.", "bits");
  arch->adc_samples_per_cycle = Int(adc, "adc.", "samples_per_cycle");
  const bool per_adc = adc.Has("columns_per_adc"), per_array = adc.Has("adcs_per_array");
  if (per_adc && per_array)
    adc.Get("adcs_per_array")
        .Fail("adc gives both columns_per_adc and adcs_per_array; give one of them");
  if (!per_array) {
    arch->columns_per_adc = Int(adc, "adc.", "columns_per_adc");
    return;
  }
  // n ADCs per array: each serves ceil(columns / n) columns.
  const std::int64_t adcs = Int(adc, "adc.", "adcs_per_array");
  where_["adc.columns_per_adc"] = where_["adc.adcs_per_array"];
  if (adcs <= 0)
    FailAt("adc.adcs_per_array",
           "adc.adcs_per_array must be a positive integer, got " + std::to_string(adcs));
  if (arch->array_cols > 0 && adcs > arch->array_cols)
    FailAt("adc.adcs_per_array", "adc.adcs_per_array (" + std::to_string(adcs) +
                                     ") must not exceed array.columns (" +
                                     std::to_string(arch->array_cols) + ")");
  arch->columns_per_adc = (arch->array_cols + adcs - 1) / adcs;
}

void CimArchReader::ReadEnergy(CimArch* arch) {
  const std::string p = "energy_pJ.";
  YNode e = Section(root_, "energy_pJ",
                    {"array_read", "dac", "adc", "shift_add", "cu_input_buffer", "cu_output_buffer",
                     "pe_buffer"});
  arch->energy.array_read_pJ = Number(e, p, "array_read");
  arch->energy.dac_pJ = Number(e, p, "dac");
  arch->energy.adc_pJ = Number(e, p, "adc");
  arch->energy.shift_add_pJ = Number(e, p, "shift_add");
  arch->energy.cu_input_buffer_pJ = Number(e, p, "cu_input_buffer");
  arch->energy.cu_output_buffer_pJ = Number(e, p, "cu_output_buffer");
  arch->energy.pe_buffer_pJ = Number(e, p, "pe_buffer");
}

// Optional: chips, link: {bytes_per_cycle, energy_pJ_per_byte}, write: {cycles_per_row,
// parallel_arrays, energy_pJ_per_cell}.
void CimArchReader::ReadChips(CimArch* arch) {
  arch->chips = Int(root_, "", "chips", 1);
  if (root_.Has("link")) {
    YNode link = Section(root_, "link", {"bytes_per_cycle", "energy_pJ_per_byte"});
    arch->link_bytes_per_cycle = Required(link, "link.", "bytes_per_cycle", "<bytes per cycle>")
                                     .AsDouble("link.bytes_per_cycle");
    arch->link_energy_pJ_per_byte = Number(link, "link.", "energy_pJ_per_byte");
  }
  if (root_.Has("write")) {
    YNode write =
        Section(root_, "write", {"cycles_per_row", "parallel_arrays", "energy_pJ_per_cell"});
    arch->write_cycles_per_row = Int(write, "write.", "cycles_per_row");
    arch->write_parallel_arrays = Int(write, "write.", "parallel_arrays");
    arch->write_energy_pJ_per_cell = Number(write, "write.", "energy_pJ_per_cell");
  }
}

CimArch CimArchReader::Read(const std::string& default_name) {
  CheckKeys(root_, "cim_architecture",
            {"name", "pes", "cus_per_pe", "arrays_per_cu", "array", "weight_bits", "input_bits",
             "dac_bits", "adc", "pipeline_cycles", "inter_pe_cycles", "buffers", "energy_pJ",
             "chips", "link", "write"});
  CimArch arch;
  arch.name = root_.Has("name") ? root_.Get("name").AsString("name") : default_name;
  arch.pes = Int(root_, "", "pes");
  arch.cus_per_pe = Int(root_, "", "cus_per_pe");
  arch.arrays_per_cu = Int(root_, "", "arrays_per_cu");
  YNode array = Section(root_, "array", {"rows", "columns", "cell_bits"});
  arch.array_rows = Int(array, "array.", "rows");
  arch.array_cols = Int(array, "array.", "columns");
  arch.cell_bits = Int(array, "array.", "cell_bits");
  arch.weight_bits = Int(root_, "", "weight_bits");
  arch.input_bits = Int(root_, "", "input_bits");
  arch.dac_bits = Int(root_, "", "dac_bits");
  ReadAdc(&arch);
  arch.pipeline_cycles = Int(root_, "", "pipeline_cycles", arch.pipeline_cycles);
  arch.inter_pe_cycles = Int(root_, "", "inter_pe_cycles", arch.inter_pe_cycles);
  YNode buffers = Section(root_, "buffers", {"cu_input_bytes", "cu_output_bytes", "pe_bytes"});
  arch.cu_input_buffer_bytes = Int(buffers, "buffers.", "cu_input_bytes");
  arch.cu_output_buffer_bytes = Int(buffers, "buffers.", "cu_output_bytes");
  arch.pe_buffer_bytes = Int(buffers, "buffers.", "pe_bytes");
  ReadEnergy(&arch);
  ReadChips(&arch);
  std::vector<CimArchIssue> issues = CheckCimArch(arch);
  if (!issues.empty()) FailAt(issues.front().field, issues.front().message);
  return arch;
}

}  // namespace

CimArch ParseCimArch(const YNode& document, const std::string& default_name) {
  YNode root = document.Get("cim_architecture");
  if (!root.Valid()) {
    const std::string hint =
        "a compute-in-memory chip is a top-level 'cim_architecture:' map (see "
        "examples/cim/isaac_like.yaml)";
    if (document.Has("architecture") || document.Has("arch"))
      document.Fail("this is a Timeloop architecture, not a compute-in-memory chip; " + hint);
    throw UserError(SourceLocation{document.file(), 0, 0},
                    "no top-level 'cim_architecture' key; " + hint);
  }
  if (!root.IsMap())
    root.Fail("'cim_architecture' must be a map (see examples/cim/isaac_like.yaml)");
  return CimArchReader(root).Read(default_name);
}

CimArch LoadCimArchFile(const std::string& path) {
  return ParseCimArch(LoadYamlFile(path), std::filesystem::path(path).stem().string());
}

CimArch ParseCimArchString(const std::string& text, const std::string& name) {
  return ParseCimArch(ParseYaml(text, name), std::filesystem::path(name).stem().string());
}

std::string BundledCimArchPath() {
  const std::string dir = BundledExamplesDir();
  const std::filesystem::path path = std::filesystem::path(dir) / "cim" / "isaac_like.yaml";
  std::error_code ec;
  if (dir.empty() || !std::filesystem::is_regular_file(path, ec))
    throw UserError(
        "the bundled compute-in-memory chip examples/cim/isaac_like.yaml is missing; give one "
        "with --arch CIM.yaml");
  return path.string();
}

}  // namespace tessel::io
