#include "tessel/io/onnx/value.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace tessel::io::onnx_detail {
namespace {

using onnx::TensorProto;

// Bytes per element of the types raw_data may hold.
int ElementBytes(int type) {
  switch (type) {
    case TensorProto::BOOL:
    case TensorProto::INT8:
    case TensorProto::UINT8:
      return 1;
    case TensorProto::INT16:
    case TensorProto::UINT16:
      return 2;
    case TensorProto::INT32:
    case TensorProto::UINT32:
    case TensorProto::FLOAT:
      return 4;
    default:
      return 8;  // INT64, UINT64, DOUBLE
  }
}

// Element i of little-endian raw bytes of `type`.
void DecodeRaw(const std::string& bytes, int type, Value& value) {
  const std::int64_t n = value.size();
  const int width = ElementBytes(type);
  if (static_cast<std::int64_t>(bytes.size()) != n * width)
    throw NotEvaluable("its raw data has " + std::to_string(bytes.size()) + " bytes, not " +
                       std::to_string(n * width));
  const char* p = bytes.data();
  for (std::int64_t i = 0; i < n; ++i, p += width) {
    switch (type) {
      case TensorProto::FLOAT: {
        float x;
        std::memcpy(&x, p, 4);
        value.reals[i] = x;
        break;
      }
      case TensorProto::DOUBLE:
        std::memcpy(&value.reals[i], p, 8);
        break;
      case TensorProto::BOOL:
      case TensorProto::UINT8:
        value.ints[i] = static_cast<std::uint8_t>(*p);
        break;
      case TensorProto::INT8:
        value.ints[i] = static_cast<std::int8_t>(*p);
        break;
      case TensorProto::INT16: {
        std::int16_t x;
        std::memcpy(&x, p, 2);
        value.ints[i] = x;
        break;
      }
      case TensorProto::UINT16: {
        std::uint16_t x;
        std::memcpy(&x, p, 2);
        value.ints[i] = x;
        break;
      }
      case TensorProto::INT32: {
        std::int32_t x;
        std::memcpy(&x, p, 4);
        value.ints[i] = x;
        break;
      }
      case TensorProto::UINT32: {
        std::uint32_t x;
        std::memcpy(&x, p, 4);
        value.ints[i] = x;
        break;
      }
      default:  // INT64, UINT64 (kept as its two's-complement bits)
        std::memcpy(&value.ints[i], p, 8);
    }
  }
}

// An external_data `offset` or `length`: a non-negative decimal integer.
std::int64_t ExternalDataInt(const onnx::StringStringEntryProto& entry) {
  const std::string& text = entry.value();
  std::int64_t value = -1;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0)
    throw NotEvaluable("its external data " + entry.key() + " '" + text +
                       "' is not a non-negative integer");
  return value;
}

// The bytes of an external-data tensor: the file `location` (relative to base_dir) from `offset`,
// `length` bytes (default: to the end).
std::string ReadExternal(const TensorProto& tensor, const std::string& base_dir) {
  std::string location;
  std::int64_t offset = 0, length = -1;
  for (const onnx::StringStringEntryProto& entry : tensor.external_data()) {
    if (entry.key() == "location") location = entry.value();
    if (entry.key() == "offset") offset = ExternalDataInt(entry);
    if (entry.key() == "length") length = ExternalDataInt(entry);
  }
  const std::filesystem::path path = std::filesystem::path(base_dir) / location;
  std::ifstream in(path, std::ios::binary);
  if (location.empty() || !in)
    throw NotEvaluable("its external data file '" + path.string() + "' cannot be read");
  in.seekg(0, std::ios::end);
  const std::int64_t file_size = in.tellg();
  if (length < 0) length = file_size - offset;  // no length given: to the end
  // Both are >= 0 here unless the file is shorter than the offset; no sum that could overflow.
  if (offset > file_size || length < 0 || length > file_size - offset)
    throw NotEvaluable("its external data (offset " + std::to_string(offset) + ", " +
                       std::to_string(length) + " bytes) lies outside '" + path.string() + "'");
  std::string bytes(length, '\0');
  in.seekg(offset);
  in.read(bytes.data(), length);
  return bytes;
}

template <typename Field>
void CopyTyped(const Field& field, Value& value) {
  if (field.size() != value.size())
    throw NotEvaluable("it has " + std::to_string(field.size()) + " values for " +
                       std::to_string(value.size()) + " elements");
  for (std::int64_t i = 0; i < value.size(); ++i) {
    if (value.IsReal())
      value.reals[i] = static_cast<double>(field[i]);
    else
      value.ints[i] = static_cast<std::int64_t>(field[i]);
  }
}

}  // namespace

bool Value::IsRealType(int type) {
  return type == TensorProto::FLOAT || type == TensorProto::DOUBLE;
}

bool Value::IsSupportedType(int type) {
  switch (type) {
    case TensorProto::FLOAT:
    case TensorProto::DOUBLE:
    case TensorProto::BOOL:
    case TensorProto::INT8:
    case TensorProto::INT16:
    case TensorProto::INT32:
    case TensorProto::INT64:
    case TensorProto::UINT8:
    case TensorProto::UINT16:
    case TensorProto::UINT32:
    case TensorProto::UINT64:
      return true;
    default:
      return false;
  }
}

std::string TypeName(int type) {
  if (!TensorProto::DataType_IsValid(type)) return "type " + std::to_string(type);
  std::string name = TensorProto::DataType_Name(static_cast<TensorProto::DataType>(type));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

std::int64_t CheckValueSize(const std::vector<std::int64_t>& shape) {
  bool empty = false;
  for (std::int64_t extent : shape) {
    if (extent < 0)
      throw NotEvaluable("it would have the negative extent " + std::to_string(extent));
    empty |= extent == 0;
  }
  if (empty) return 0;
  __int128 n = 1;  // the product saturates at the int64 range: a size, not an allocation
  for (std::int64_t extent : shape) n = std::min<__int128>(n * extent, INT64_MAX);
  if (n > kMaxValueElements)
    throw NotEvaluable("it would have " + std::to_string(static_cast<std::int64_t>(n)) +
                       " elements, over the evaluator's limit of " +
                       std::to_string(kMaxValueElements));
  return static_cast<std::int64_t>(n);
}

std::int64_t Value::size() const {
  return static_cast<std::int64_t>(IsReal() ? reals.size() : ints.size());
}

std::int64_t Value::Int(std::int64_t i) const {
  if (!IsReal()) return ints[i];
  const double x = reals[i];
  if (!std::isfinite(x) || std::fabs(x) > 9.2e18)
    throw NotEvaluable("the value " + std::to_string(x) + " does not fit an integer");
  return static_cast<std::int64_t>(x);
}

void Value::Allocate(std::vector<std::int64_t> new_shape) {
  const std::int64_t n = CheckValueSize(new_shape);
  shape = std::move(new_shape);
  ints.clear();
  reals.clear();
  if (IsReal())
    reals.assign(n, 0.0);
  else
    ints.assign(n, 0);
}

void Value::Set(std::int64_t i, double x) {
  if (IsReal()) {
    reals[i] = x;
  } else {
    if (!std::isfinite(x) || std::fabs(x) > 9.2e18)
      throw NotEvaluable("the value " + std::to_string(x) + " does not fit " + TypeName(type));
    ints[i] = static_cast<std::int64_t>(x);
  }
}

void Value::SetInt(std::int64_t i, std::int64_t x) {
  if (IsReal())
    reals[i] = static_cast<double>(x);
  else
    ints[i] = x;
}

void Value::Normalize() {
  switch (type) {
    case TensorProto::FLOAT:
      for (double& x : reals) x = static_cast<float>(x);
      break;
    case TensorProto::BOOL:
      for (std::int64_t& x : ints) x = x != 0;
      break;
    case TensorProto::INT8:
      for (std::int64_t& x : ints) x = static_cast<std::int8_t>(x);
      break;
    case TensorProto::UINT8:
      for (std::int64_t& x : ints) x = static_cast<std::uint8_t>(x);
      break;
    case TensorProto::INT16:
      for (std::int64_t& x : ints) x = static_cast<std::int16_t>(x);
      break;
    case TensorProto::UINT16:
      for (std::int64_t& x : ints) x = static_cast<std::uint16_t>(x);
      break;
    case TensorProto::INT32:
      for (std::int64_t& x : ints) x = static_cast<std::int32_t>(x);
      break;
    case TensorProto::UINT32:
      for (std::int64_t& x : ints) x = static_cast<std::uint32_t>(x);
      break;
    default:
      break;
  }
}

Value ValueFromTensor(const TensorProto& tensor, const std::string& base_dir) {
  if (!Value::IsSupportedType(tensor.data_type()))
    throw NotEvaluable("its type " + TypeName(tensor.data_type()) + " is not evaluated");
  Value value;
  value.type = tensor.data_type();
  value.Allocate({tensor.dims().begin(), tensor.dims().end()});
  if (tensor.data_location() == TensorProto::EXTERNAL) {
    DecodeRaw(ReadExternal(tensor, base_dir), value.type, value);
  } else if (tensor.has_raw_data()) {
    DecodeRaw(tensor.raw_data(), value.type, value);
  } else if (value.type == TensorProto::FLOAT && tensor.float_data_size() > 0) {
    CopyTyped(tensor.float_data(), value);
  } else if (value.type == TensorProto::DOUBLE && tensor.double_data_size() > 0) {
    CopyTyped(tensor.double_data(), value);
  } else if (value.type == TensorProto::INT64 && tensor.int64_data_size() > 0) {
    CopyTyped(tensor.int64_data(), value);
  } else if ((value.type == TensorProto::UINT32 || value.type == TensorProto::UINT64) &&
             tensor.uint64_data_size() > 0) {
    CopyTyped(tensor.uint64_data(), value);
  } else if (tensor.int32_data_size() > 0) {
    CopyTyped(tensor.int32_data(), value);
  } else if (value.size() > 0) {
    throw NotEvaluable("its data is not in the model");
  }
  value.Normalize();
  return value;
}

TensorProto TensorFromValue(const Value& value, const std::string& name) {
  TensorProto tensor;
  tensor.set_name(name);
  tensor.set_data_type(value.type);
  for (std::int64_t extent : value.shape) tensor.add_dims(extent);
  for (std::int64_t i = 0; i < value.size(); ++i) {
    switch (value.type) {
      case TensorProto::FLOAT:
        tensor.add_float_data(static_cast<float>(value.reals[i]));
        break;
      case TensorProto::DOUBLE:
        tensor.add_double_data(value.reals[i]);
        break;
      case TensorProto::INT64:
        tensor.add_int64_data(value.ints[i]);
        break;
      case TensorProto::UINT32:
      case TensorProto::UINT64:
        tensor.add_uint64_data(static_cast<std::uint64_t>(value.ints[i]));
        break;
      default:
        tensor.add_int32_data(static_cast<std::int32_t>(value.ints[i]));
    }
  }
  return tensor;
}

}  // namespace tessel::io::onnx_detail
