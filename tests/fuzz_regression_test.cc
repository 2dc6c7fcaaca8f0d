// Inputs the fuzz targets (fuzz/, docs/reliability.md) found crashing a reader, kept as they were
// found (tests/data/fuzz/TARGET/), each with the answer it must get now: a UserError checked word
// for word, never an uncaught exception, a sanitizer report or a wrong number.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli_run.h"
#include "tessel/common/error.h"
#include "tessel/io/inputs.h"
#include "tessel/io/onnx/reader.h"
#include "tessel/report/json_report.h"

namespace tessel {
namespace {

const std::string kFuzz = std::string(TESSEL_TEST_DATA_DIR) + "/fuzz";

template <typename Load>
std::string ErrorOf(Load load) {
  try {
    load();
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

// timeloop_eval_fuzz: a data-space name with the byte 0x90 ("Weigh\x90s") went through the model
// and made `--json` throw nlohmann's invalid-UTF-8 error (an internal error, exit 1). YAML text
// is now checked for UTF-8 where it is read; the byte is on line 7, column 18.
TEST(FuzzRegression, TimeloopYamlThatIsNotUtf8) {
  const std::string dir = kFuzz + "/timeloop_eval/invalid_utf8/";
  EXPECT_EQ(ErrorOf([&] {
              LoadInputs({dir + "1level.arch.yaml", dir + "conv1d.prob.yaml",
                          dir + "conv1d-1level.map.yaml"});
            }),
            dir + "conv1d.prob.yaml:7:18: byte 0x90 is not UTF-8 text; YAML files must be UTF-8");
}

TEST(FuzzRegression, Utf8CheckCountsCharactersAndAcceptsMultibyteText) {
  // "é" (2 bytes) and "→" (3 bytes) are accepted and count one column each: the stray 0xFF
  // after them is column 5.
  EXPECT_EQ(ErrorOf([] { LoadInputsFromStrings({"é: →\xFF\n"}, {"x.yaml"}); }),
            "x.yaml:1:5: byte 0xFF is not UTF-8 text; YAML files must be UTF-8");
  // Overlong "/" (0xC0 0xAF) and a UTF-16 surrogate (0xED 0xA0 0x80) are not UTF-8 either.
  EXPECT_EQ(ErrorOf([] { LoadInputsFromStrings({"a: \xC0\xAF\n"}, {"x.yaml"}); }),
            "x.yaml:1:4: byte 0xC0 is not UTF-8 text; YAML files must be UTF-8");
  EXPECT_EQ(ErrorOf([] { LoadInputsFromStrings({"a: \xED\xA0\x80\n"}, {"x.yaml"}); }),
            "x.yaml:1:4: byte 0xED is not UTF-8 text; YAML files must be UTF-8");
}

TEST(FuzzRegression, JsonWithAStrayByteIsWrittenNotThrown) {
  // ONNX names are protobuf bytes, not checked: U+FFFD (EF BF BD) stands for the stray byte.
  EXPECT_EQ(DumpJson(nlohmann::ordered_json{{"name",
                                             "a\xFF"
                                             "b"}}),
            "{\n  \"name\": \"a\xEF\xBF\xBD"
            "b\"\n}\n");
}

// onnx_fuzz: an initializer's external_data offset "\x8b" "32" made std::stoll throw
// std::invalid_argument out of the reader. Now the tensor is not evaluable (like a missing data
// file) and the model gets the reader's own error: its operator "Mat)ul" is not supported.
TEST(FuzzRegression, OnnxExternalOffsetThatIsNotANumber) {
  const std::string path = kFuzz + "/onnx/external_offset_not_a_number.onnx";
  EXPECT_EQ(ErrorOf([&] { io::ReadOnnxFile(path); }),
            path +
                ": 1 node has an operator that tessel does not support: 'fc' (Mat)ul) "
                "(supported operators are listed in docs/workloads.md)");
}

// onnx_fuzz: Shape reading the output of an unknown operator ("Cknv", a mutated Conv) crashed
// libonnx 1.12's shape inference (a null type in Shape's data propagation; a custom-domain
// operator does the same). The tensor is now declared with an empty type for inference, and the
// reader names the operators it does not support.
TEST(FuzzRegression, OnnxShapeOfAnUnknownOperator) {
  const std::string path = kFuzz + "/onnx/shape_of_unknown_op.onnx";
  EXPECT_EQ(ErrorOf([&] { io::ReadOnnxFile(path); }),
            path +
                ": 1 node has an operator that tessel does not support: 'c1' (Cknv) "
                "(supported operators are listed in docs/workloads.md)");
}

// onnx_fuzz: the same libonnx crash a second way: Shape reading 'c234', the output of a known
// operator name mutated into one ONNX has no schema for ("ConstanatfShpOe") and read through
// Flatten, so the tensor Shape reads ('fl_v') has no type although its producer is known. Every
// untyped Shape input now gets an empty type, and the reader says which shape it cannot work out
// and why.
TEST(FuzzRegression, OnnxShapeOfATensorWhoseInferenceFailed) {
  const std::string path = kFuzz + "/onnx/shape_of_failed_inference.onnx";
  EXPECT_EQ(ErrorOf([&] { io::ReadOnnxFile(path); }),
            path +
                ": cannot work out the shape of tensor 'fl_shape' (output 0 of node 'fl_shape' "
                "(Shape)): dimension 0 is unknown; node 'c234' (ConstanatfShpOe) could not work "
                "out the shape of its output 'c234': ONNX 1.12 knows no operator ConstanatfShpOe "
                "at opset 16, so nothing works out its output's shape");
}

// onnx_fuzz (CI's 60 s smoke run): an initializer declared with extents whose product passes
// 2^63-1 (3629547432356630400 x 18) overflowed in the reader's count of small initializers (UBSan)
// before any check. The count now stops at the eager-read limit; the tensor's size is refused
// where its node reads it.
TEST(FuzzRegression, OnnxInitializerWhoseDimsOverflow) {
  const std::string path = kFuzz + "/onnx/initializer_dims_overflow.onnx";
  EXPECT_EQ(ErrorOf([&] { io::ReadOnnxFile(path); }),
            path + ": node 'reshape' (Reshape): tensor 'target' has more than 2^63-1 elements");
}

// report_json_fuzz: a number out of double's range ("1e3080") makes nlohmann's parser throw
// out_of_range, not parse_error, and `tessel report` let it out (internal error, exit 1).
TEST(FuzzRegression, ReportJsonWithANumberPastDouble) {
  testing::TempDir dir;
  testing::WriteFile(dir.path() / "r.json", "{\"layers\": [1e3080]}\n");
  const testing::RunResult r = testing::RunTessel("report r.json", dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "tessel: error: r.json: not valid JSON: [json.exception.out_of_range.406] number "
            "overflow parsing '1e3080'\n");
  EXPECT_EQ(dir.Files(), std::vector<std::string>{"r.json"});
}

}  // namespace
}  // namespace tessel
