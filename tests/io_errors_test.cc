// Bad inputs: each must be rejected with a UserError whose text, `file:line:col: message`, is
// checked word for word (DESIGN.md §6: say what is wrong and what would be right).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tessel/common/error.h"
#include "tessel/io/inputs.h"

namespace tessel {
namespace {

// A valid 1-D convolution on a two-level machine; tests replace one of the three documents.
const char* const kProblem = R"(problem:
  shape:
    name: Conv1D
    dimensions: [R, P]
    data_spaces:
    - name: Weights
      projection: [[[R]]]
    - name: Inputs
      projection: [[[R], [P]]]
    - name: Outputs
      projection: [[[P]]]
      read_write: True
  instance: {R: 3, P: 16}
)";

const char* const kArch = R"(architecture:
  version: 0.4
  subtree:
  - name: System
    local:
    - name: MainMemory
      class: DRAM
      attributes: {width: 64, datawidth: 8}
    - name: Buffer
      class: regfile
      attributes: {depth: 64, width: 8, datawidth: 8}
    - name: MACC
      class: intmac
)";

const char* const kMapping = R"(mapping:
- target: Buffer
  type: temporal
  factors: R=3 P=16
  permutation: RP
)";

// Loads prob.yaml, arch.yaml, map.yaml (+ extra.yaml) and returns the error text ("" if none).
std::string ErrorOf(const std::string& problem, const std::string& arch, const std::string& mapping,
                    const std::string& extra = "") {
  std::vector<std::string> texts = {problem, arch, mapping};
  std::vector<std::string> names = {"prob.yaml", "arch.yaml", "map.yaml"};
  if (!extra.empty()) {
    texts.push_back(extra);
    names.push_back("extra.yaml");
  }
  try {
    LoadInputsFromStrings(texts, names);
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

TEST(IoErrors, TheBaseInputsAreValid) { EXPECT_EQ(ErrorOf(kProblem, kArch, kMapping), ""); }

TEST(IoErrors, MalformedYamlReportsYamlCppMessageWithLineAndColumn) {
  EXPECT_EQ(ErrorOf("problem: {R: 3\n", kArch, kMapping),
            "prob.yaml:2:1: end of map flow not found");
  EXPECT_EQ(ErrorOf(kProblem, "architecture:\n  version: 0.4\n bad: 1\n", kMapping),
            "arch.yaml:3:2: end of map not found");
}

TEST(IoErrors, MissingFile) {
  const std::string path = "/nonexistent-dir/tessel/missing.yaml";
  try {
    LoadInputs({path});
    FAIL() << "no error";
  } catch (const UserError& e) {
    EXPECT_STREQ(e.what(), "/nonexistent-dir/tessel/missing.yaml: cannot open file");
  }
}

TEST(IoErrors, MalformedYamlInAFile) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / "tessel_io_errors_test_malformed.yaml";
  {
    std::ofstream out(path);
    out << "problem:\n  shape: [R, P\n";
  }
  try {
    LoadInputs({path.string()});
    FAIL() << "no error";
  } catch (const UserError& e) {
    EXPECT_EQ(std::string(e.what()), path.string() + ":3:1: end of sequence flow not found");
  }
  std::filesystem::remove(path);
}

TEST(IoErrors, TopLevelMustBeAMap) {
  EXPECT_EQ(ErrorOf(kProblem, "- just\n- a list\n", kMapping),
            "arch.yaml:1:1: the top level of an input file must be a map of sections (problem, "
            "architecture, mapping, ERT, ...)");
}

TEST(IoErrors, UnknownMappingTarget) {
  EXPECT_EQ(ErrorOf(kProblem, kArch, "mapping:\n- target: Bufer\n  type: temporal\n"),
            "map.yaml:2:11: mapping target 'Bufer' is not a storage level; levels are: Buffer, "
            "MainMemory");
}

TEST(IoErrors, UnknownDimensionInFactors) {
  EXPECT_EQ(ErrorOf(kProblem, kArch,
                    "mapping:\n- target: Buffer\n  type: temporal\n  factors: R=3 Z=16\n"),
            "map.yaml:4:12: unknown dimension 'Z' in factors; the problem's dimensions are: R, P");
}

TEST(IoErrors, UnknownDimensionInPermutation) {
  EXPECT_EQ(ErrorOf(kProblem, kArch,
                    "mapping:\n- target: Buffer\n  type: temporal\n  factors: R=3 P=16\n"
                    "  permutation: RQ\n"),
            "map.yaml:5:16: unknown dimension 'Q' in permutation 'RQ'; the problem's dimensions "
            "are: R, P");
}

TEST(IoErrors, UnknownDataSpaceInKeep) {
  EXPECT_EQ(ErrorOf(kProblem, kArch,
                    "mapping:\n- target: Buffer\n  type: bypass\n  keep: [Weights, Psums]\n"),
            "map.yaml:4:19: unknown data space 'Psums' in keep; the problem's data spaces are: "
            "Weights, Inputs, Outputs");
}

TEST(IoErrors, NonIntegerFactor) {
  EXPECT_EQ(ErrorOf(kProblem, kArch,
                    "mapping:\n- target: Buffer\n  type: temporal\n  factors: R=3 P=1.5\n"),
            "map.yaml:4:12: factor of 'P' is '1.5', not an integer; factors are non-negative "
            "integers (0 means the whole remaining bound)");
}

TEST(IoErrors, NegativeFactor) {
  EXPECT_EQ(ErrorOf(kProblem, kArch,
                    "mapping:\n- target: Buffer\n  type: temporal\n  factors: {R: 3, P: -4}\n"),
            "map.yaml:4:22: factor of 'P' is '-4', which is negative; factors are non-negative "
            "integers (0 means the whole remaining bound)");
}

TEST(IoErrors, ImperfectFactorIsNotSupported) {
  EXPECT_EQ(ErrorOf(kProblem, kArch,
                    "mapping:\n- target: Buffer\n  type: temporal\n  factors: R=3 P=8,5\n"),
            "map.yaml:4:12: imperfect factor 'P=8,5' is not supported; give perfect factors whose "
            "product over all levels equals the dimension's bound");
}

TEST(IoErrors, UnknownDirectiveType) {
  EXPECT_EQ(ErrorOf(kProblem, kArch, "mapping:\n- target: Buffer\n  type: temproal\n"),
            "map.yaml:3:9: mapping directive type 'temproal' is not supported; use temporal, "
            "spatial or bypass (alias datatype, dataspace)");
}

TEST(IoErrors, MissingInstanceBound) {
  std::string problem = kProblem;
  problem.replace(problem.find("{R: 3, P: 16}"), 13, "{R: 3}");
  EXPECT_EQ(ErrorOf(problem, kArch, kMapping),
            "prob.yaml:13:13: problem instance has no bound for dimension 'P'; add 'P: <positive "
            "integer>' to problem.instance");
}

TEST(IoErrors, ZeroBound) {
  std::string problem = kProblem;
  problem.replace(problem.find("P: 16"), 5, "P: 0");
  EXPECT_EQ(ErrorOf(problem, kArch, kMapping),
            "prob.yaml:13:23: dimension 'P' has bound 0; a dimension bound must be a positive "
            "integer");
}

TEST(IoErrors, NegativeBound) {
  std::string problem = kProblem;
  problem.replace(problem.find("R: 3"), 4, "R: -2");
  EXPECT_EQ(ErrorOf(problem, kArch, kMapping),
            "prob.yaml:13:17: dimension 'R' has bound -2; a dimension bound must be a positive "
            "integer");
}

TEST(IoErrors, NonIntegerBound) {
  std::string problem = kProblem;
  problem.replace(problem.find("R: 3"), 4, "R: 3.5");
  EXPECT_EQ(ErrorOf(problem, kArch, kMapping),
            "prob.yaml:13:17: bound of dimension 'R' must be an integer, got '3.5'");
}

TEST(IoErrors, UnknownCoefficientInProjection) {
  std::string problem = kProblem;
  problem.replace(problem.find("[[[R], [P]]]"), 12, "[[[R], [P, Wstride]]]");
  EXPECT_EQ(ErrorOf(problem, kArch, kMapping),
            "prob.yaml:9:26: unknown coefficient 'Wstride' in the projection of data space "
            "'Inputs'; the shape declares no coefficients (list them under shape.coefficients)");
}

TEST(IoErrors, MissingProblemKey) {
  try {
    LoadInputsFromStrings({kArch, kMapping}, {"arch.yaml", "map.yaml"});
    FAIL() << "no error";
  } catch (const UserError& e) {
    EXPECT_STREQ(e.what(),
                 "no input file has a top-level 'problem' key (read: arch.yaml, map.yaml); add a "
                 "'problem:' section with shape and instance");
  }
}

TEST(IoErrors, MissingArchitectureKey) {
  try {
    LoadInputsFromStrings({kProblem}, {"prob.yaml"});
    FAIL() << "no error";
  } catch (const UserError& e) {
    EXPECT_STREQ(e.what(),
                 "no input file has a top-level 'architecture' (or 'arch') key (read: prob.yaml); "
                 "add an 'architecture:' section with its storage levels and arithmetic level");
  }
}

TEST(IoErrors, ArchWithoutComputeLevel) {
  EXPECT_EQ(ErrorOf(kProblem, "arch:\n  storage:\n  - name: DRAM\n    technology: DRAM\n", ""),
            "arch.yaml:2:3: architecture has no arithmetic (compute) level; add a component "
            "whose class contains 'mac' or 'compute' (e.g. class: intmac)");
}

TEST(IoErrors, MalformedInstanceRangeInName) {
  std::string arch = kArch;
  arch.replace(arch.find("name: Buffer"), 12, "name: Buffer[0..x]");
  EXPECT_EQ(ErrorOf(kProblem, arch, kMapping),
            "arch.yaml:9:13: malformed instance range in component name 'Buffer[0..x]'; write "
            "it as Name[first..last], e.g. PE[0..15]");
}

TEST(IoErrors, MeshDoesNotMatchInstances) {
  std::string arch = kArch;
  arch.replace(arch.find("name: Buffer"), 12, "name: Buffer[0..15]");
  arch.replace(arch.find("datawidth: 8}\n    - name: MACC"), 13, "datawidth: 8, meshX: 5}");
  EXPECT_EQ(ErrorOf(kProblem, arch, ""),
            "arch.yaml:9:7: meshX 5 of 'Buffer' does not divide its number of instances 16");
}

TEST(IoErrors, ErtWithNonNumericEnergy) {
  EXPECT_EQ(ErrorOf(kProblem, kArch, kMapping,
                    "ERT:\n  version: 0.4\n  tables:\n  - name: System.Buffer[1..1]\n"
                    "    actions:\n    - name: read\n      energy: abc\n"),
            "extra.yaml:7:15: ERT energy of action 'read' of 'System.Buffer[1..1]' must be a "
            "number, got 'abc'");
}

TEST(IoErrors, UnknownTargetInMapspaceConstraints) {
  EXPECT_EQ(ErrorOf(kProblem, kArch, kMapping,
                    "mapspace:\n  constraints:\n  - target: GlobalBuffer\n    type: datatype\n"
                    "    keep: [Weights]\n"),
            "extra.yaml:3:13: constraint target 'GlobalBuffer' is not a storage level; levels "
            "are: Buffer, MainMemory");
}

TEST(IoErrors, UnsupportedFlatProblemShape) {
  EXPECT_EQ(ErrorOf("problem:\n  shape: gemm_ABZ\n  M: 4\n", kArch, ""),
            "prob.yaml:2:10: unsupported problem shape 'gemm_ABZ'; the flat form supports "
            "cnn-layer only (write other shapes as a map with dimensions, coefficients and "
            "data_spaces)");
}

TEST(IoErrors, FlatProblemMissingDimension) {
  EXPECT_EQ(ErrorOf("problem:\n  shape: cnn-layer\n  R: 3\n", kArch, ""),
            "prob.yaml:2:3: problem has no bound for dimension 'S'; add 'S: <positive integer>' "
            "(shape cnn-layer needs R, S, P, Q, C, K, N)");
}

TEST(IoErrors, ZeroFactorAtTwoLevels) {
  EXPECT_EQ(ErrorOf(kProblem, kArch,
                    "mapping:\n- target: Buffer\n  type: temporal\n  factors: R=3 P=0\n"
                    "- target: MainMemory\n  type: temporal\n  factors: P=0\n"),
            "map.yaml:7:12: factor 0 (the whole remaining bound) of dimension 'P' is given at "
            "more than one level; give it at one level only");
}

}  // namespace
}  // namespace tessel
