// Internal to the ONNX reader: the value of a constant tensor, as the evaluator of constant and
// shape subgraphs (evaluate.h) computes it. Only src/tessel/io/onnx/*.cc include this header.
//
// A Value holds integers exactly (int64, shape arithmetic) and floating-point numbers as doubles
// (rounded to float after every operation when the ONNX type is FLOAT, so float shape chains give
// what a float runtime gives). Values are small by construction: nothing builds one of more than
// kMaxValueElements elements (see CheckValueSize).
#pragma once

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace tessel::io::onnx_detail {

// The evaluator's size cap, in elements: constants larger than this are folded away unevaluated
// (their shapes still come from shape inference), and a shape that needs one is an error.
inline constexpr std::int64_t kMaxValueElements = 1 << 20;

// Why a value could not be computed; caught by the evaluator and kept as the tensor's reason.
struct NotEvaluable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Value {
  int type = onnx::TensorProto::INT64;  // onnx::TensorProto::DataType
  std::vector<std::int64_t> shape;
  std::vector<std::int64_t> ints;  // integer and BOOL types
  std::vector<double> reals;       // FLOAT, DOUBLE

  bool IsReal() const { return IsRealType(type); }
  std::int64_t size() const;
  // Element i as a double / as an integer (a real truncates toward zero, as a cast does).
  double Real(std::int64_t i) const { return IsReal() ? reals[i] : static_cast<double>(ints[i]); }
  std::int64_t Int(std::int64_t i) const;
  // Resizes the storage to `shape`'s element count (checked against the cap).
  void Allocate(std::vector<std::int64_t> new_shape);
  // Stores x at i in this value's representation.
  void Set(std::int64_t i, double x);
  void SetInt(std::int64_t i, std::int64_t x);
  // Rounds to the precision of `type` (float for FLOAT, wrap-around for narrow integers, 0/1 for
  // BOOL).
  void Normalize();

  static bool IsRealType(int type);
  // Whether the evaluator handles this ONNX element type (no strings, float16 or complex).
  static bool IsSupportedType(int type);
};

// The element count of `shape`; throws NotEvaluable when it exceeds kMaxValueElements or an
// extent is negative.
std::int64_t CheckValueSize(const std::vector<std::int64_t>& shape);

// "int64", "float", ... for messages.
std::string TypeName(int type);

// Reads a TensorProto's data (typed fields, raw_data, or external data in a file relative to
// `base_dir`). Throws NotEvaluable with the reason when there is no data (weights left out, a
// missing external file), the type is not supported, or the tensor exceeds the cap.
Value ValueFromTensor(const onnx::TensorProto& tensor, const std::string& base_dir);

// The value as a TensorProto named `name`, data inline (what shape inference reads).
onnx::TensorProto TensorFromValue(const Value& value, const std::string& name);

}  // namespace tessel::io::onnx_detail
