// LoadInputs on every reference input, checked against what Timeloop itself printed for the same
// files: the SPECS section of each stats.txt (instances and mesh, size, word bits, block and
// cluster size, bandwidths, technology, ERT energies) and the loop nest of each map.txt.
// The numbers asserted are Timeloop's (parsed from its outputs), never tessel's own.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "tessel/io/inputs.h"

namespace tessel {
namespace {

const std::string kTimeloop = std::string(TESSEL_TEST_DATA_DIR) + "/timeloop/";
const std::string kCosa = std::string(TESSEL_TEST_DATA_DIR) + "/cosa/";

// ---- A reader for the SPECS part of timeloop-model's stats.txt ----

struct SpecsLevel {
  std::string name;
  bool arithmetic = false;                   // the "=== mac ===" block
  std::map<std::string, std::string> specs;  // "Word bits" -> "8"
};

std::string Trim(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t");
  const size_t end = text.find_last_not_of(" \t\r");
  return begin == std::string::npos ? "" : text.substr(begin, end - begin + 1);
}

// Levels in printed order (arithmetic first, then storage innermost first); only the first
// section ("Buffer and Arithmetic Levels") up to "Networks".
std::vector<SpecsLevel> ReadSpecs(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::vector<SpecsLevel> levels;
  bool in_specs = false;
  std::string line;
  const std::regex header(R"(^=== (.+) ===$)");
  std::smatch m;
  while (std::getline(in, line)) {
    if (line.rfind("Networks", 0) == 0) break;
    if (std::regex_match(line, m, header)) {
      levels.push_back(SpecsLevel{m[1], false, {}});
      in_specs = false;
      continue;
    }
    const std::string trimmed = Trim(line);
    if (trimmed == "SPECS") in_specs = true;
    if (trimmed == "STATS" || trimmed == "MAPPING") in_specs = false;
    const size_t colon = trimmed.find(" : ");
    if (!in_specs || levels.empty() || colon == std::string::npos) continue;
    const std::string key = Trim(trimmed.substr(0, colon));
    levels.back().specs[key] = Trim(trimmed.substr(colon + 3));
    if (key == "Compute energy") levels.back().arithmetic = true;
  }
  return levels;
}

// "256 (16*16)" -> {256, 16, 16}
struct InstancesSpec {
  std::int64_t count = 0, x = 0, y = 0;
};
InstancesSpec ParseInstances(const std::string& text) {
  InstancesSpec spec;
  std::smatch m;
  const std::regex pattern(R"((\d+) \((\d+)\*(\d+)\))");
  EXPECT_TRUE(std::regex_match(text, m, pattern)) << text;
  spec.count = std::stoll(m[1]);
  spec.x = std::stoll(m[2]);
  spec.y = std::stoll(m[3]);
  return spec;
}

std::optional<double> OptionalNumber(const std::string& text) {
  if (text == "-") return std::nullopt;
  return std::stod(text);
}

double LeadingNumber(const std::string& text) { return std::stod(text); }  // "0.84 pJ" -> 0.84

// ---- A reader for timeloop's map.txt: per level, its loops outermost first ----

struct MapLoop {
  std::string dim;
  std::int64_t bound = 0;
  char spatial = 0;  // 0, 'X' or 'Y'
};

std::map<std::string, std::vector<MapLoop>> ReadMapTxt(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::map<std::string, std::vector<MapLoop>> levels;
  std::string current, line;
  const std::regex level_header(R"(^(\S+) \[.*\]\s*$)");
  const std::regex loop(R"(for (\w+) in \[0:(\d+)\)( \(Spatial-([XY])\))?)");
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_match(line, m, level_header)) {
      current = m[1];
      levels[current];
    } else if (std::regex_search(line, m, loop) && std::stoll(m[2]) > 1) {
      levels[current].push_back(
          MapLoop{m[1], std::stoll(m[2]), m[4].matched ? m[4].str()[0] : '\0'});
    }
  }
  return levels;
}

// ---- The 17 reference cases ----

struct Case {
  std::string name;
  std::vector<std::string> inputs;  // relative to tests/data/timeloop
  std::string stats;
  std::string map_txt;
};

std::vector<Case> Cases() {
  std::vector<Case> cases;
  for (const char* dir :
       {"00-model-conv1d-1level/ref-output", "01-model-conv1d-2level/ref-output/ws",
        "01-model-conv1d-2level/ref-output/os", "02-model-conv1d+oc-2level/ref-output/no-tiling",
        "02-model-conv1d+oc-2level/ref-output/tiling",
        "03-model-conv1d+oc-3level/ref-output/no-bypass",
        "03-model-conv1d+oc-3level/ref-output/bypass",
        "04-model-conv1d+oc-3levelspatial/ref-output/cp",
        "04-model-conv1d+oc-3levelspatial/ref-output/kp"}) {
    const std::string out = std::string("exercises/") + dir + "/";
    cases.push_back({dir,
                     {out + "parsed-processed-input.yaml", out + "timeloop-model.ERT.yaml"},
                     out + "timeloop-model.stats.txt",
                     out + "timeloop-model.map.txt"});
  }
  for (const char* run : {"null", "freebypass", "baked"}) {
    const std::string out = std::string("exercises/05-mapper-conv1d+oc-3level/ref-output/") + run;
    cases.push_back({out,
                     {out + "/parsed-processed-input.yaml", out + "/timeloop-mapper.map.yaml",
                      out + "/timeloop-mapper.ERT.yaml"},
                     out + "/timeloop-mapper.stats.txt",
                     out + "/timeloop-mapper.map.txt"});
  }
  for (const char* design : {"06-mapper-convlayer-eyeriss", "eyeriss_like", "simba_like",
                             "simple_output_stationary", "simple_weight_stationary"}) {
    const std::string out = std::string("current/") + design + "/";
    cases.push_back({out,
                     {out + "input.yaml", out + "ERT.yaml"},
                     out + "timeloop-model.stats.txt",
                     out + "timeloop-model.map.txt"});
  }
  return cases;
}

class ReferenceInputs : public ::testing::TestWithParam<Case> {
 protected:
  Inputs Load() const {
    std::vector<std::string> paths;
    for (const std::string& input : GetParam().inputs) paths.push_back(kTimeloop + input);
    return LoadInputs(paths);
  }
};

void ExpectStorageMatches(const StorageLevel& level, const SpecsLevel& ref) {
  const std::string& name = ref.name;
  InstancesSpec instances = ParseInstances(ref.specs.at("Instances"));
  EXPECT_EQ(level.instances, instances.count) << name;
  EXPECT_EQ(level.mesh_x, instances.x) << name;
  EXPECT_EQ(level.mesh_y, instances.y) << name;
  const std::string& size = ref.specs.at("Size");
  if (size == "-") {
    EXPECT_FALSE(level.size_words.has_value()) << name;
  } else {
    ASSERT_TRUE(level.size_words.has_value()) << name;
    EXPECT_EQ(*level.size_words, std::stoll(size)) << name;
  }
  EXPECT_EQ(level.word_bits, std::stoi(ref.specs.at("Word bits"))) << name;
  EXPECT_EQ(level.block_size, std::stoll(ref.specs.at("Block size"))) << name;
  EXPECT_EQ(level.cluster_size, std::stoll(ref.specs.at("Cluster size"))) << name;
  EXPECT_EQ(level.is_dram, ref.specs.at("Technology") == "DRAM") << name;
  EXPECT_DOUBLE_EQ(level.multiple_buffering, std::stod(ref.specs.at("Multiple buffering")));
  EXPECT_EQ(level.read_bandwidth, OptionalNumber(ref.specs.at("Read bandwidth"))) << name;
  EXPECT_EQ(level.write_bandwidth, OptionalNumber(ref.specs.at("Write bandwidth"))) << name;
  EXPECT_EQ(level.shared_bandwidth, OptionalNumber(ref.specs.at("Shared bandwidth"))) << name;
  // Timeloop prints the largest ERT action energy, per member of a cluster, as the vector access
  // energy (2 decimals). The ERT's own numbers are kept as they are (per access of a whole row).
  EXPECT_EQ(level.energy_source, "ERT") << name;
  const StorageEnergy& e = level.energy;
  const double max_energy = std::max({e.read_pJ, e.fill_pJ, e.update_pJ, e.leak_pJ});
  EXPECT_NEAR(max_energy / level.cluster_size, LeadingNumber(ref.specs.at("Vector access energy")),
              0.0051)
      << name;
}

TEST_P(ReferenceInputs, LevelSpecsMatchTimeloopStats) {
  Inputs inputs = Load();
  EXPECT_TRUE(inputs.has_ert);
  std::vector<SpecsLevel> ref = ReadSpecs(kTimeloop + GetParam().stats);
  ASSERT_FALSE(ref.empty());
  ASSERT_TRUE(ref.front().arithmetic);
  // Arithmetic level.
  const ArithmeticLevel& mac = inputs.arch.arithmetic;
  EXPECT_EQ(mac.name, ref.front().name);
  InstancesSpec instances = ParseInstances(ref.front().specs.at("Instances"));
  EXPECT_EQ(mac.instances, instances.count);
  EXPECT_EQ(mac.mesh_x, instances.x);
  EXPECT_EQ(mac.mesh_y, instances.y);
  EXPECT_EQ(mac.word_bits, std::stoi(ref.front().specs.at("Word bits")));
  EXPECT_EQ(mac.energy_source, "ERT");
  EXPECT_NEAR(mac.compute_pJ, LeadingNumber(ref.front().specs.at("Compute energy")), 0.0051);
  // Storage levels, innermost first; timeloopfe's dummy levels are not printed by Timeloop.
  std::vector<const StorageLevel*> printed;
  for (const StorageLevel& level : inputs.arch.storage)
    if (level.klass != "dummy_storage") printed.push_back(&level);
  ASSERT_EQ(printed.size(), ref.size() - 1);
  for (size_t i = 0; i < printed.size(); ++i) {
    EXPECT_EQ(printed[i]->name, ref[i + 1].name);
    ExpectStorageMatches(*printed[i], ref[i + 1]);
  }
  EXPECT_TRUE(inputs.arch.EnergiesFromErt());
}

TEST_P(ReferenceInputs, MappingMatchesTimeloopMapTxt) {
  Inputs inputs = Load();
  ASSERT_TRUE(inputs.mapping.has_value());
  const Mapping& mapping = *inputs.mapping;
  ASSERT_EQ(mapping.levels.size(), inputs.arch.storage.size());
  std::map<std::string, std::vector<MapLoop>> ref = ReadMapTxt(kTimeloop + GetParam().map_txt);
  for (size_t s = 0; s < inputs.arch.storage.size(); ++s) {
    const std::string& name = inputs.arch.storage[s].name;
    ASSERT_TRUE(ref.count(name)) << name;
    // map.txt lists a level's temporal loops, then its spatial loops, each outermost first.
    std::vector<MapLoop> ours;
    const LevelMapping& level = mapping.levels[s];
    for (auto it = level.temporal.rbegin(); it != level.temporal.rend(); ++it)
      ours.push_back({inputs.problem.dims[it->dim].name, it->factor, '\0'});
    for (auto it = level.spatial.rbegin(); it != level.spatial.rend(); ++it)
      ours.push_back(
          {inputs.problem.dims[it->dim].name, it->factor, it->axis == SpatialAxis::kX ? 'X' : 'Y'});
    const std::vector<MapLoop>& want = ref[name];
    ASSERT_EQ(ours.size(), want.size()) << name;
    for (size_t i = 0; i < ours.size(); ++i) {
      EXPECT_EQ(ours[i].dim, want[i].dim) << name << " loop " << i;
      EXPECT_EQ(ours[i].bound, want[i].bound) << name << " loop " << i;
      EXPECT_EQ(ours[i].spatial, want[i].spatial) << name << " loop " << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllCases, ReferenceInputs, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           std::string name;
                           for (char ch : info.param.name)
                             name += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
                           return name;
                         });

// The bypass directives of exercise 03 (keep/bypass lists in parsed-processed-input.yaml).
TEST(ReferenceInputsDetail, Exercise03BypassKeepsWhatTheMappingSays) {
  const std::string dir = kTimeloop + "exercises/03-model-conv1d+oc-3level/ref-output/bypass/";
  Inputs inputs = LoadInputs({dir + "parsed-processed-input.yaml"});
  EXPECT_FALSE(inputs.has_ert);
  ASSERT_TRUE(inputs.mapping.has_value());
  const int rf = inputs.arch.StorageIndex("RegisterFile");
  const int glb = inputs.arch.StorageIndex("GlobalBuffer");
  const int weights = inputs.problem.DataSpaceIndex("Weights");
  const int outputs = inputs.problem.DataSpaceIndex("Outputs");
  EXPECT_EQ(rf, 0);
  EXPECT_EQ(glb, 1);
  EXPECT_FALSE(inputs.mapping->levels[rf].keep[weights]);
  EXPECT_TRUE(inputs.mapping->levels[rf].keep[outputs]);
  EXPECT_TRUE(inputs.mapping->levels[glb].keep[weights]);
  EXPECT_FALSE(inputs.mapping->levels[glb].keep[outputs]);
  EXPECT_EQ(inputs.arch.storage[glb].energy_source, "default estimate");
}

// Exercise 05 "baked": keep constraints come from the dumped architecture_constraints.
TEST(ReferenceInputsDetail, Exercise05ConstraintsKeepEverything) {
  const std::string dir = kTimeloop + "exercises/05-mapper-conv1d+oc-3level/";
  Inputs baked = LoadInputs({dir + "ref-output/baked/parsed-processed-input.yaml"});
  EXPECT_FALSE(baked.mapping.has_value());  // `mapping: []`
  ASSERT_EQ(baked.constraints.levels.size(), 3u);
  EXPECT_EQ(baked.constraints.levels[0].keep, (std::vector<std::optional<bool>>{true, true, true}));
  EXPECT_EQ(baked.constraints.levels[1].keep, (std::vector<std::optional<bool>>{true, true, true}));
  EXPECT_EQ(baked.constraints.levels[2].keep,
            (std::vector<std::optional<bool>>{std::nullopt, std::nullopt, std::nullopt}));
  // The raw constraints file, merged over the dumped input, gives the same answer.
  Inputs raw = LoadInputs({dir + "ref-output/null/parsed-processed-input.yaml",
                           dir + "constraints/conv1d+oc-3level-1mapping.constraints.yaml"});
  for (int l = 0; l < 3; ++l)
    EXPECT_EQ(raw.constraints.levels[l].keep, baked.constraints.levels[l].keep) << l;
  Inputs free = LoadInputs({dir + "ref-output/freebypass/parsed-processed-input.yaml"});
  for (int l = 0; l < 3; ++l)
    EXPECT_EQ(free.constraints.levels[l].keep,
              (std::vector<std::optional<bool>>{std::nullopt, std::nullopt, std::nullopt}));
}

// CoSA: Simba in the flat form, its mapspace, and a ResNet-50 layer.
TEST(ReferenceInputsDetail, CosaSimbaMapspaceAndResnetLayer) {
  Inputs inputs = LoadInputs({kCosa + "arch/simba.yaml", kCosa + "mapspace/mapspace.yaml",
                              kCosa + "workloads/resnet50_graph/_outputs_input.11.yaml"});
  const Arch& arch = inputs.arch;
  // arch/simba.yaml lists storage innermost first: Registers ... DRAM.
  ASSERT_EQ(arch.storage.size(), 6u);
  const std::vector<std::string> names = {"Registers",   "AccumulationBuffer", "WeightBuffer",
                                          "InputBuffer", "GlobalBuffer",       "DRAM"};
  for (size_t i = 0; i < names.size(); ++i) EXPECT_EQ(arch.storage[i].name, names[i]);
  EXPECT_EQ(arch.arithmetic.instances, 1024);
  EXPECT_EQ(arch.arithmetic.word_bits, 8);
  EXPECT_EQ(arch.arithmetic.mesh_x, 1024);  // no meshX given: one row
  EXPECT_EQ(arch.storage[0].size_words, 1);
  EXPECT_EQ(arch.storage[0].cluster_size, 64);
  EXPECT_EQ(arch.storage[1].word_bits, 24);
  EXPECT_EQ(arch.storage[1].size_words, 64);
  EXPECT_EQ(arch.storage[1].instances, 128);
  EXPECT_EQ(arch.storage[2].block_size, 8);
  EXPECT_EQ(arch.storage[3].size_words, 4096);
  EXPECT_EQ(arch.storage[4].size_words, 65536);
  EXPECT_TRUE(arch.storage[5].is_dram);
  EXPECT_FALSE(arch.storage[5].size_words.has_value());
  EXPECT_EQ(arch.storage[5].block_size, 64);
  EXPECT_EQ(arch.storage[5].read_bandwidth, 10.0);  // deprecated bandwidth 20 -> 20 / 2
  EXPECT_EQ(arch.storage[5].write_bandwidth, 10.0);
  EXPECT_FALSE(inputs.has_ert);
  EXPECT_EQ(arch.storage[4].energy_source, "default estimate");
  // The layer: C=64 K=256 P=Q=56 R=S=1, in CoSA's names.
  const Problem& p = inputs.problem;
  ASSERT_EQ(p.dims.size(), 7u);
  EXPECT_EQ(p.dims[p.DimIndex("K")].bound, 256);
  EXPECT_EQ(p.dims[p.DimIndex("C")].bound, 64);
  EXPECT_EQ(p.dims[p.DimIndex("P")].bound, 56);
  EXPECT_EQ(p.DimIndex("M"), -1);
  EXPECT_EQ(p.TotalOperations(), 64LL * 256 * 56 * 56);
  // mapspace.yaml: Registers keep Weights only; GlobalBuffer bypasses Weights.
  const int w = p.DataSpaceIndex("Weights"), in = p.DataSpaceIndex("Inputs");
  const int out = p.DataSpaceIndex("Outputs");
  ASSERT_EQ(inputs.constraints.levels.size(), 6u);
  EXPECT_EQ(inputs.constraints.levels[0].keep[w], true);
  EXPECT_EQ(inputs.constraints.levels[0].keep[in], false);
  EXPECT_EQ(inputs.constraints.levels[1].keep[out], true);
  EXPECT_EQ(inputs.constraints.levels[4].keep[w], false);
  EXPECT_EQ(inputs.constraints.levels[4].keep[in], true);
  EXPECT_FALSE(inputs.constraints.levels[5].keep[w].has_value());  // DRAM: unconstrained
  EXPECT_FALSE(inputs.mapping.has_value());
}

// Every CoSA workload file loads with the Simba arch.
TEST(ReferenceInputsDetail, EveryCosaResnet50LayerLoads) {
  std::ifstream list(kCosa + "workloads/resnet50_graph/layers.yaml");
  std::string line;
  int loaded = 0;
  while (std::getline(list, line)) {
    const size_t dash = line.find("- ");
    if (dash == std::string::npos) continue;
    const std::string layer = Trim(line.substr(dash + 2));
    Inputs inputs = LoadInputs(
        {kCosa + "arch/simba.yaml", kCosa + "workloads/resnet50_graph/" + layer + ".yaml"});
    EXPECT_GT(inputs.problem.TotalOperations(), 0) << layer;
    ++loaded;
  }
  EXPECT_GT(loaded, 40);
}

}  // namespace
}  // namespace tessel
