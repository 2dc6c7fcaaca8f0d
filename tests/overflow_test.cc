// Sizes that do not fit in 64 bits (issue 14, docs/reliability.md): dimension bounds, data-space
// sizes, factors, instance counts and capacities whose products overflow, access counts past
// 2^63-1, a YAML document that expands to a billion layers, ONNX tensors declared huge. Each must
// give a clear error -- a UserError `file:line:col: message` or an invalid-mapping reason --
// never a wrapped number or an out-of-memory kill. Messages are checked word for word; the
// numbers in them are worked out by hand in the comments.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli_run.h"
#include "tessel/common/error.h"
#include "tessel/io/inputs.h"
#include "tessel/io/onnx/reader.h"
#include "tessel/io/workload_yaml.h"
#include "tessel/model/evaluate.h"

namespace tessel {
namespace {

const std::string kData = TESSEL_TEST_DATA_DIR;

// A two-level machine with unbounded DRAM over a 64-word buffer.
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

// Conv1D (Timeloop exercise 00's shape) with the instance line given.
std::string Conv1d(const std::string& instance) {
  return R"(problem:
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
  instance: )" +
         instance + "\n";
}

const char* const kMapping = R"(mapping:
- target: Buffer
  type: temporal
  factors: R=3 P=16
  permutation: RP
)";

// Loads the documents as prob.yaml, arch.yaml, map.yaml; the error text ("" if none).
std::string LoadError(const std::string& problem, const std::string& arch,
                      const std::string& mapping) {
  try {
    LoadInputsFromStrings({problem, arch, mapping}, {"prob.yaml", "arch.yaml", "map.yaml"});
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

TEST(Overflow, TheBaseInputsAreValid) {
  EXPECT_EQ(LoadError(Conv1d("{R: 3, P: 16}"), kArch, kMapping), "");
}

TEST(Overflow, OperationCountPast64Bits) {
  // 2^32 x 2^32 = 2^64 > 2^63-1 (it would wrap to 0). The instance map starts at line 13, col 13.
  EXPECT_EQ(LoadError(Conv1d("{R: 4294967296, P: 4294967296}"), kArch, kMapping),
            "prob.yaml:13:13: the operation count (the product of the bounds R=4294967296 x "
            "P=4294967296) exceeds 2^63-1");
}

TEST(Overflow, DataSpaceSizePast64Bits) {
  // Inputs span 1 + 1 x (3-1) + 2^62 x (4-1) = 3 x 2^62 + 3 words > 2^63-1; 12 operations fit.
  const std::string problem = R"(problem:
  shape:
    name: Strided
    dimensions: [R, P]
    coefficients:
    - name: Wstride
      default: 1
    data_spaces:
    - name: Weights
      projection: [[[R]]]
    - name: Inputs
      projection: [[[R], [P, Wstride]]]
    - name: Outputs
      projection: [[[P]]]
      read_write: True
  instance: {R: 3, P: 4, Wstride: 4611686018427387904}
)";
  EXPECT_EQ(LoadError(problem, kArch, kMapping),
            "prob.yaml:16:13: data space 'Inputs' (bounds R=3 x P=4) has more than 2^63-1 "
            "elements");
}

TEST(Overflow, FactorsThatWrapToTheBoundAreRejected) {
  // 5 x 7378697629483820647 = 36893488147419103235 = 2^65 + 3: modulo 2^64 exactly the bound 3,
  // so a wrapping product would accept this mapping.
  const std::string mapping = R"(mapping:
- target: MainMemory
  type: temporal
  factors: R=5 P=1
  permutation: RP
- target: Buffer
  type: temporal
  factors: R=7378697629483820647 P=16
  permutation: RP
)";
  const Inputs in = LoadInputsFromStrings({Conv1d("{R: 3, P: 16}"), kArch, mapping},
                                          {"prob.yaml", "arch.yaml", "map.yaml"});
  ASSERT_TRUE(in.mapping.has_value());
  EXPECT_EQ(CheckMappingStructure(in.problem, in.arch, *in.mapping),
            "the factors of dimension R multiply to more than 2^63-1 (its bound is 3)");
}

TEST(Overflow, InstancesPast64Bits) {
  // 2^32 PEs of 2^32 buffers each: 2^64 instances. The buffer's name is at line 12, col 15.
  const std::string arch = R"(architecture:
  version: 0.4
  subtree:
  - name: System
    local:
    - name: MainMemory
      class: DRAM
      attributes: {width: 64, datawidth: 8}
    subtree:
    - name: PE[0..4294967295]
      local:
      - name: Buffer[0..4294967295]
        class: regfile
        attributes: {depth: 64, width: 8, datawidth: 8}
      - name: MACC
        class: intmac
)";
  EXPECT_EQ(LoadError(Conv1d("{R: 3, P: 16}"), arch, kMapping),
            "arch.yaml:12:15: the instances of 'Buffer' (the product of the fan-outs around it) "
            "exceed 2^63-1");
}

// kArch with the buffer's attributes replaced (they start at line 11, col 19).
std::string ArchWithBuffer(const std::string& attributes) {
  return R"(architecture:
  version: 0.4
  subtree:
  - name: System
    local:
    - name: MainMemory
      class: DRAM
      attributes: {width: 64, datawidth: 8}
    - name: Buffer
      class: regfile
      attributes: )" +
         attributes + R"(
    - name: MACC
      class: intmac
)";
}

TEST(Overflow, CapacityPast64Bits) {
  // block_size = width / datawidth = 64 / 8 = 8 words; 2^62 rows x 8 words = 2^65 words.
  EXPECT_EQ(
      LoadError(Conv1d("{R: 3, P: 16}"),
                ArchWithBuffer("{depth: 4611686018427387904, width: 64, datawidth: 8}"), kMapping),
      "arch.yaml:11:27: depth x block_size of 'Buffer' (4611686018427387904 x 8 words) "
      "exceeds 2^63-1");
  // 1e300 KB x 1024 x 8 / 8 bits is far past 2^63 words (converting it would be undefined).
  EXPECT_EQ(
      LoadError(Conv1d("{R: 3, P: 16}"), ArchWithBuffer("{sizeKB: 1e300, datawidth: 8}"), kMapping),
      "arch.yaml:11:28: sizeKB of 'Buffer' is 1e300, more than 2^63-1 words");
  // meshX x meshY = 2^32 x 2^32 does not fit, let alone equal the 1 instance.
  EXPECT_EQ(
      LoadError(Conv1d("{R: 3, P: 16}"),
                ArchWithBuffer("{depth: 64, width: 8, datawidth: 8, meshX: 4294967296, "
                               "meshY: 4294967296}"),
                kMapping),
      "arch.yaml:9:7: meshX * meshY of 'Buffer' is 4294967296 * 4294967296 = more than 2^63-1, "
      "which is not its number of instances 1");
}

TEST(Overflow, AccessCountsPast64BitsMakeTheMappingInvalid) {
  // Inputs[P x 2^40]: the buffer's tile of P=1024 spans 2^40 x 1023 + 1 words (about 2^50).
  // MainMemory walks P=2 inside K=8192, so the buffer refills a fresh tile 2 x 8192 = 2^14
  // times: about 2^64 words, past 2^63-1. The problem itself fits: 2^24 operations, Inputs
  // 2^40 x 2047 + 1 words.
  const std::string problem = R"(problem:
  shape:
    name: Strided
    dimensions: [P, K]
    coefficients:
    - name: Wstride
      default: 1
    data_spaces:
    - name: Weights
      projection: [[[K]]]
    - name: Inputs
      projection: [[[P, Wstride]]]
    - name: Outputs
      projection: [[[K]], [[P]]]
      read_write: True
  instance: {P: 2048, K: 8192, Wstride: 1099511627776}
)";
  const std::string mapping = R"(mapping:
- target: MainMemory
  type: temporal
  factors: P=2 K=8192
  permutation: PK
- target: Buffer
  type: temporal
  factors: P=1024 K=1
  permutation: PK
)";
  const Inputs in =
      LoadInputsFromStrings({problem, kArch, mapping}, {"prob.yaml", "arch.yaml", "map.yaml"});
  ASSERT_TRUE(in.mapping.has_value());
  EXPECT_EQ(Evaluate(in.problem, in.arch, *in.mapping).invalid_reason,
            "the access counts of Inputs exceed 2^63-1");
}

TEST(Overflow, BillionLayerYamlIsRefusedBeforeItIsExpanded) {
  // Ten aliases of ten aliases ... nine levels deep: 10^9 layers in 600 bytes of YAML.
  std::string text = "l0: &l0 [";
  for (int i = 0; i < 10; ++i) text += (i ? ", " : "") + std::string("{name: a, elements: 1}");
  text += "]\n";
  for (int level = 1; level <= 8; ++level) {
    const std::string below = "*l" + std::to_string(level - 1);
    text += "l" + std::to_string(level) + ": &l" + std::to_string(level) + " [";
    for (int i = 0; i < 10; ++i) text += (i ? ", " : "") + below;
    text += "]\n";
  }
  text += "layers: *l8\n";
  try {
    io::LoadWorkloadYamlString(text, "net.yaml");
    FAIL() << "no error";
  } catch (const UserError& e) {
    EXPECT_EQ(std::string(e.what()),
              "net.yaml: the document has more than 2000000 nodes with its aliases expanded; "
              "tessel reads no more");
  }
}

TEST(Overflow, OversizedYamlFileIsRefusedBeforeItIsParsed) {
  const std::string text = "layers:\n" + std::string(16u << 20, ' ');
  try {
    io::LoadWorkloadYamlString(text, "net.yaml");
    FAIL() << "no error";
  } catch (const UserError& e) {
    // 8 bytes of "layers:\n" plus 16 MiB of spaces.
    EXPECT_EQ(std::string(e.what()),
              "net.yaml: the file has 16777224 bytes; tessel reads YAML files of at most "
              "16777216 bytes");
  }
}

TEST(Overflow, RepeatedLayerPast64Bits) {
  // M x N x K = 2^31 x 2^31 x 1 = 2^62 MACs fit; repeated 4 times they are 2^64.
  const std::string text =
      "layers:\n"
      "- {name: fc, op: Gemm, M: 2147483648, N: 2147483648, K: 1, repeat: 4}\n";
  try {
    io::LoadWorkloadYamlString(text, "net.yaml");
    FAIL() << "no error";
  } catch (const UserError& e) {
    EXPECT_EQ(std::string(e.what()),
              "net.yaml:2:3: layer 'fc' repeated 4 times has more than 2^63-1 MACs or tensor "
              "elements");
  }
}

std::string OnnxError(const std::string& name) {
  try {
    io::ReadOnnxFile(kData + "/onnx/overflow/" + name);
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

TEST(Overflow, OnnxTensorDeclaredPast64Bits) {
  // x[2^32, 2^32, 4] has 2^66 elements (tests/tools/make_onnx_overflow.py).
  EXPECT_EQ(OnnxError("huge_tensor.onnx"),
            kData +
                "/onnx/overflow/huge_tensor.onnx: node 'relu' (Relu): tensor 'x' has more "
                "than 2^63-1 elements");
}

TEST(Overflow, OnnxConvWhoseMacsPass64Bits) {
  // Every tensor fits (x 2^48, w 2^32, y 2^48 elements) but the MACs are
  // N x M x P x Q x C x R x S = 1 x 2^16 x 2^16 x 2^16 x 2^16 x 1 x 1 = 2^64.
  EXPECT_EQ(OnnxError("huge_conv.onnx"),
            kData +
                "/onnx/overflow/huge_conv.onnx: node 'conv' (Conv): the operation count (the "
                "product of the bounds R=1 x S=1 x P=65536 x Q=65536 x C=65536 x M=65536 x "
                "N=1) exceeds 2^63-1");
}

TEST(Overflow, CliSaysWhereAndExitsTwo) {
  testing::TempDir dir;
  testing::WriteFile(dir.path() / "prob.yaml", Conv1d("{R: 4294967296, P: 4294967296}"));
  testing::WriteFile(dir.path() / "arch.yaml", kArch);
  testing::WriteFile(dir.path() / "map.yaml", kMapping);
  const testing::RunResult r =
      testing::RunTessel("eval prob.yaml arch.yaml map.yaml --json out.json", dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "tessel: error: prob.yaml:13:13: the operation count (the product of the bounds "
            "R=4294967296 x P=4294967296) exceeds 2^63-1\n");
  EXPECT_EQ(dir.Files(), (std::vector<std::string>{"arch.yaml", "map.yaml", "prob.yaml"}));
}

}  // namespace
}  // namespace tessel
