// Shapes, indexing and data movement on constant values: what shape chains and mask builders use.
#include <algorithm>
#include <cmath>

#include "tessel/io/onnx/kernels.h"

namespace tessel::io::onnx_detail::kernels {
namespace {

using onnx::TensorProto;

// Copies element `from` of `src` to element `to` of `dst` (same representation family).
void CopyElement(const Value& src, std::int64_t from, Value& dst, std::int64_t to) {
  if (dst.IsReal())
    dst.reals[to] = src.Real(from);
  else
    dst.ints[to] = src.Int(from);
}

// The coordinates of flat index `flat` in a tensor with `strides`.
std::vector<std::int64_t> Coordinates(std::int64_t flat, const std::vector<std::int64_t>& shape,
                                      const std::vector<std::int64_t>& strides) {
  std::vector<std::int64_t> c(shape.size());
  for (size_t d = 0; d < shape.size(); ++d) c[d] = (flat / strides[d]) % shape[d];
  return c;
}

std::int64_t Flat(const std::vector<std::int64_t>& c, const std::vector<std::int64_t>& strides) {
  std::int64_t flat = 0;
  for (size_t d = 0; d < c.size(); ++d) flat += c[d] * strides[d];
  return flat;
}

std::int64_t Rank(const Value& v) { return static_cast<std::int64_t>(v.shape.size()); }

// GatherElements / ScatterElements: indices of the data's rank, no wider than it on any axis
// but `axis`.
void CheckElementIndices(const Value& data, const Value& indices, std::int64_t axis) {
  if (Rank(indices) != Rank(data)) throw NotEvaluable("its indices differ in rank from the data");
  for (std::int64_t d = 0; d < Rank(data); ++d)
    if (d != axis && indices.shape[d] > data.shape[d])
      throw NotEvaluable("its indices are wider than the data");
}

std::vector<Value> Shape(const onnx::NodeProto& node, const Inputs& inputs) {
  if (inputs.empty() || !inputs[0].shape) throw NotEvaluable("its input's shape is unknown");
  const std::vector<std::int64_t>& shape = *inputs[0].shape;
  const std::int64_t rank = static_cast<std::int64_t>(shape.size());
  if (node.op_type() == "Size") {
    Value size = MakeValue(TensorProto::INT64, {});
    size.ints[0] = 1;
    for (std::int64_t e : shape) size.ints[0] *= e;
    return {size};
  }
  auto clamp = [rank](std::int64_t i) {
    return std::clamp(i < 0 ? i + rank : i, std::int64_t{0}, rank);
  };
  const std::int64_t start = clamp(IntAttr(node, "start", 0));
  const std::int64_t end = clamp(IntAttr(node, "end", rank));
  return {IntVector({shape.begin() + start, shape.begin() + std::max(start, end)})};
}

std::vector<Value> Constant(const onnx::NodeProto& node, const Inputs&) {
  for (const onnx::AttributeProto& a : node.attribute()) {
    if (a.name() == "value") return {ValueFromTensor(a.t(), "")};
    if (a.name() == "value_ints") return {IntVector({a.ints().begin(), a.ints().end()})};
    if (a.name() == "value_int") {
      Value v = MakeValue(TensorProto::INT64, {});
      v.ints[0] = a.i();
      return {v};
    }
    if (a.name() == "value_float" || a.name() == "value_floats") {
      const bool scalar = a.name() == "value_float";
      Value v = MakeValue(TensorProto::FLOAT, scalar ? std::vector<std::int64_t>{}
                                                     : std::vector<std::int64_t>{a.floats_size()});
      if (scalar) v.reals[0] = a.f();
      for (int i = 0; !scalar && i < a.floats_size(); ++i) v.reals[i] = a.floats(i);
      return {v};
    }
  }
  throw NotEvaluable("its value is not a dense numeric tensor");
}

std::vector<Value> ConstantOfShape(const onnx::NodeProto& node, const Inputs& inputs) {
  const std::vector<std::int64_t> shape = IntsOf(In(inputs, 0));
  Value fill = MakeValue(TensorProto::FLOAT, {1});
  if (const onnx::AttributeProto* a = Attr(node, "value")) fill = ValueFromTensor(a->t(), "");
  if (fill.size() != 1)
    throw NotEvaluable("its value has " + std::to_string(fill.size()) + " elements, not 1");
  Value out = MakeValue(fill.type, shape);
  for (std::int64_t i = 0; i < out.size(); ++i) CopyElement(fill, 0, out, i);
  return {out};
}

std::vector<Value> Gather(const onnx::NodeProto& node, const Inputs& inputs) {
  const Value &data = In(inputs, 0), &indices = In(inputs, 1);
  const std::int64_t axis = NormalizeAxis(IntAttr(node, "axis", 0), Rank(data));
  std::vector<std::int64_t> shape(data.shape.begin(), data.shape.begin() + axis);
  shape.insert(shape.end(), indices.shape.begin(), indices.shape.end());
  shape.insert(shape.end(), data.shape.begin() + axis + 1, data.shape.end());
  Value out = MakeValue(data.type, shape);
  const std::int64_t inner = Strides(data.shape)[axis], extent = data.shape[axis];
  const std::int64_t count = indices.size();
  for (std::int64_t i = 0; i < out.size(); ++i) {
    const std::int64_t outer = i / (count * inner), k = (i / inner) % count, in = i % inner;
    std::int64_t index = indices.Int(k);
    if (index < -extent || index >= extent) throw NotEvaluable("a Gather index is out of range");
    if (index < 0) index += extent;
    CopyElement(data, (outer * extent + index) * inner + in, out, i);
  }
  return {out};
}

std::vector<Value> GatherElements(const onnx::NodeProto& node, const Inputs& inputs) {
  const Value &data = In(inputs, 0), &indices = In(inputs, 1);
  const std::int64_t axis = NormalizeAxis(IntAttr(node, "axis", 0), Rank(data));
  CheckElementIndices(data, indices, axis);
  Value out = MakeValue(data.type, indices.shape);
  const auto in_strides = Strides(data.shape), out_strides = Strides(indices.shape);
  for (std::int64_t i = 0; i < out.size(); ++i) {
    std::vector<std::int64_t> c = Coordinates(i, indices.shape, out_strides);
    std::int64_t index = indices.Int(i);
    if (index < 0) index += data.shape[axis];
    if (index < 0 || index >= data.shape[axis]) throw NotEvaluable("an index is out of range");
    c[axis] = index;
    CopyElement(data, Flat(c, in_strides), out, i);
  }
  return {out};
}

std::vector<Value> Slice(const onnx::NodeProto& node, const Inputs& inputs) {
  const Value& data = In(inputs, 0);
  const std::int64_t rank = Rank(data);
  std::vector<std::int64_t> starts = IntsAttr(node, "starts"), ends = IntsAttr(node, "ends");
  std::vector<std::int64_t> axes = IntsAttr(node, "axes"), steps;
  if (inputs.size() > 1) {  // opset 10 and later
    starts = IntsOf(In(inputs, 1));
    ends = IntsOf(In(inputs, 2));
    if (const Value* v = Optional(inputs, 3)) axes = IntsOf(*v);
    if (const Value* v = Optional(inputs, 4)) steps = IntsOf(*v);
  }
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<std::int64_t>(i));
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size())
    throw NotEvaluable("its starts, ends, axes and steps differ in length");
  std::vector<std::int64_t> begin(rank, 0), step(rank, 1), shape = data.shape;
  for (size_t i = 0; i < starts.size(); ++i) {
    const std::int64_t axis = NormalizeAxis(axes[i], rank), dim = data.shape[axis];
    if (steps[i] == 0) throw NotEvaluable("a Slice step is 0");
    if (dim == 0) continue;  // nothing to take
    // ONNX's rule: negative positions count from the end, then clamp to the axis (to [-1,
    // dim - 1] for the end of a backward slice).
    std::int64_t s = starts[i] < 0 ? starts[i] + dim : starts[i];
    std::int64_t e = ends[i] < 0 ? ends[i] + dim : ends[i];
    if (steps[i] > 0) {
      s = std::clamp<std::int64_t>(s, 0, dim);
      e = std::clamp<std::int64_t>(e, 0, dim);
    } else {
      s = std::clamp<std::int64_t>(s, 0, dim - 1);
      e = std::clamp<std::int64_t>(e, -1, dim - 1);
    }
    const std::int64_t span = steps[i] > 0 ? e - s : s - e, magnitude = std::llabs(steps[i]);
    shape[axis] = std::max<std::int64_t>(0, (span + magnitude - 1) / magnitude);
    begin[axis] = s;
    step[axis] = steps[i];
  }
  Value out = MakeValue(data.type, shape);
  const auto in_strides = Strides(data.shape), out_strides = Strides(shape);
  for (std::int64_t i = 0; i < out.size(); ++i) {
    std::vector<std::int64_t> c = Coordinates(i, shape, out_strides);
    for (std::int64_t d = 0; d < rank; ++d) c[d] = begin[d] + c[d] * step[d];
    CopyElement(data, Flat(c, in_strides), out, i);
  }
  return {out};
}

std::vector<Value> Concat(const onnx::NodeProto& node, const Inputs& inputs) {
  const Value& first = In(inputs, 0);
  const std::int64_t axis = NormalizeAxis(IntAttr(node, "axis", 0), Rank(first));
  std::vector<std::int64_t> shape = first.shape;
  shape[axis] = 0;
  for (size_t k = 0; k < inputs.size(); ++k) {
    const Value& v = In(inputs, k);
    if (Rank(v) != Rank(first)) throw NotEvaluable("its inputs differ in rank");
    for (std::int64_t d = 0; d < Rank(v); ++d)
      if (d != axis && v.shape[d] != first.shape[d])
        throw NotEvaluable("its inputs differ in extents other than the axis's");
    shape[axis] += v.shape[axis];
  }
  Value out = MakeValue(first.type, shape);
  const std::int64_t inner = Strides(shape)[axis];
  std::int64_t outer = 1;
  for (std::int64_t d = 0; d < axis; ++d) outer *= shape[d];
  std::int64_t at = 0;
  for (std::int64_t o = 0; o < outer; ++o)
    for (size_t k = 0; k < inputs.size(); ++k) {
      const Value& v = In(inputs, k);
      const std::int64_t block = v.shape[axis] * inner;
      for (std::int64_t j = 0; j < block; ++j) CopyElement(v, o * block + j, out, at++);
    }
  return {out};
}

// Copies the block [offset, offset + length) along `axis` of `data` into a new value.
Value Narrow(const Value& data, std::int64_t axis, std::int64_t offset, std::int64_t length) {
  std::vector<std::int64_t> shape = data.shape;
  shape[axis] = length;
  Value out = MakeValue(data.type, shape);
  const auto in_strides = Strides(data.shape), out_strides = Strides(shape);
  for (std::int64_t i = 0; i < out.size(); ++i) {
    std::vector<std::int64_t> c = Coordinates(i, shape, out_strides);
    c[axis] += offset;
    CopyElement(data, Flat(c, in_strides), out, i);
  }
  return out;
}

std::vector<Value> Split(const onnx::NodeProto& node, const Inputs& inputs) {
  const Value& data = In(inputs, 0);
  const std::int64_t axis = NormalizeAxis(IntAttr(node, "axis", 0), Rank(data));
  std::vector<std::int64_t> sizes = IntsAttr(node, "split");
  if (const Value* v = Optional(inputs, 1)) sizes = IntsOf(*v);
  if (sizes.empty()) {  // equal parts; opset 18's num_outputs lets the last one be smaller
    const std::int64_t parts = IntAttr(node, "num_outputs", node.output_size());
    if (parts < 1) throw NotEvaluable("it splits into no parts");
    const std::int64_t chunk = (data.shape[axis] + parts - 1) / parts;
    for (std::int64_t k = 0, left = data.shape[axis]; k < parts; ++k, left -= chunk)
      sizes.push_back(std::max<std::int64_t>(0, std::min(chunk, left)));
  }
  std::int64_t total = 0;
  for (std::int64_t size : sizes) {
    if (size < 0 || size > data.shape[axis]) throw NotEvaluable("a split size is out of range");
    total += size;
  }
  if (total != data.shape[axis]) throw NotEvaluable("its split sizes do not add up");
  std::vector<Value> outputs;
  std::int64_t offset = 0;
  for (std::int64_t size : sizes) {
    outputs.push_back(Narrow(data, axis, offset, size));
    offset += size;
  }
  return outputs;
}

std::vector<std::int64_t> AxesOf(const onnx::NodeProto& node, const Inputs& inputs) {
  std::vector<std::int64_t> axes = IntsAttr(node, "axes");
  if (const Value* v = Optional(inputs, 1)) axes = IntsOf(*v);
  return axes;
}

Value WithShape(const Value& data, std::vector<std::int64_t> shape) {
  Value out = data;
  out.shape = std::move(shape);
  return out;
}

std::vector<Value> Squeeze(const onnx::NodeProto& node, const Inputs& inputs) {
  const Value& data = In(inputs, 0);
  std::vector<bool> drop(data.shape.size(), false);
  std::vector<std::int64_t> axes = AxesOf(node, inputs);
  for (size_t d = 0; d < data.shape.size(); ++d) drop[d] = axes.empty() && data.shape[d] == 1;
  for (std::int64_t axis : axes) drop[NormalizeAxis(axis, Rank(data))] = true;
  std::vector<std::int64_t> shape;
  for (size_t d = 0; d < data.shape.size(); ++d) {
    if (drop[d] && data.shape[d] != 1) throw NotEvaluable("it squeezes an axis of extent > 1");
    if (!drop[d]) shape.push_back(data.shape[d]);
  }
  return {WithShape(data, shape)};
}

std::vector<Value> Unsqueeze(const onnx::NodeProto& node, const Inputs& inputs) {
  const Value& data = In(inputs, 0);
  const std::vector<std::int64_t> axes = AxesOf(node, inputs);
  const std::int64_t rank = Rank(data) + static_cast<std::int64_t>(axes.size());
  std::vector<bool> inserted(rank, false);
  for (std::int64_t axis : axes) {
    const std::int64_t at = NormalizeAxis(axis, rank);
    if (inserted[at]) throw NotEvaluable("an axis repeats");
    inserted[at] = true;
  }
  std::vector<std::int64_t> shape;
  for (std::int64_t d = 0, k = 0; d < rank; ++d) shape.push_back(inserted[d] ? 1 : data.shape[k++]);
  return {WithShape(data, shape)};
}

std::vector<Value> Reshape(const onnx::NodeProto& node, const Inputs& inputs) {
  const Value& data = In(inputs, 0);
  std::vector<std::int64_t> shape = IntsOf(In(inputs, 1));
  const bool allow_zero = IntAttr(node, "allowzero", 0) != 0;
  __int128 known = 1;  // saturating: the product of the given extents
  std::int64_t infer = -1;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == 0 && !allow_zero) {
      if (d >= data.shape.size()) throw NotEvaluable("a 0 in its shape has no input axis");
      shape[d] = data.shape[d];
    }
    if (shape[d] == -1) {
      if (infer >= 0) throw NotEvaluable("its shape has two -1 extents");
      infer = static_cast<std::int64_t>(d);
    } else {
      if (shape[d] < 0) throw NotEvaluable("its shape has the extent " + std::to_string(shape[d]));
      known = std::min<__int128>(known * shape[d], INT64_MAX);
    }
  }
  if (infer >= 0) shape[infer] = known ? data.size() / static_cast<std::int64_t>(known) : 0;
  if (CheckValueSize(shape) != data.size())
    throw NotEvaluable("its shape does not have the input's element count");
  return {WithShape(data, shape)};
}

std::vector<Value> Flatten(const onnx::NodeProto& node, const Inputs& inputs) {
  const Value& data = In(inputs, 0);
  std::int64_t axis = IntAttr(node, "axis", 1);
  if (axis < 0) axis += Rank(data);
  if (axis < 0 || axis > Rank(data)) throw NotEvaluable("its axis is out of range");
  std::int64_t outer = 1;
  for (std::int64_t d = 0; d < axis; ++d) outer *= data.shape[d];
  return {WithShape(data, {outer, outer ? data.size() / outer : 0})};
}

std::vector<Value> Expand(const onnx::NodeProto&, const Inputs& inputs) {
  const Value& data = In(inputs, 0);
  const std::vector<std::int64_t> shape = BroadcastShapes({data.shape, IntsOf(In(inputs, 1))});
  Value out = MakeValue(data.type, shape);
  BroadcastIndex index(data.shape, shape);
  for (std::int64_t i = 0; i < out.size(); ++i) CopyElement(data, index(i), out, i);
  return {out};
}

std::vector<Value> Tile(const onnx::NodeProto&, const Inputs& inputs) {
  const Value& data = In(inputs, 0);
  const std::vector<std::int64_t> repeats = IntsOf(In(inputs, 1));
  if (static_cast<std::int64_t>(repeats.size()) != Rank(data))
    throw NotEvaluable("its repeats do not match the input's rank");
  std::vector<std::int64_t> shape = data.shape;
  for (size_t d = 0; d < shape.size(); ++d) shape[d] *= repeats[d];
  Value out = MakeValue(data.type, shape);
  const auto in_strides = Strides(data.shape), out_strides = Strides(shape);
  for (std::int64_t i = 0; i < out.size(); ++i) {
    std::vector<std::int64_t> c = Coordinates(i, shape, out_strides);
    for (size_t d = 0; d < c.size(); ++d) c[d] %= data.shape[d];
    CopyElement(data, Flat(c, in_strides), out, i);
  }
  return {out};
}

std::vector<Value> Transpose(const onnx::NodeProto& node, const Inputs& inputs) {
  const Value& data = In(inputs, 0);
  std::vector<std::int64_t> perm = IntsAttr(node, "perm");
  if (perm.empty())
    for (std::int64_t d = Rank(data); d-- > 0;) perm.push_back(d);
  if (static_cast<std::int64_t>(perm.size()) != Rank(data))
    throw NotEvaluable("its perm does not match the input's rank");
  std::vector<std::int64_t> shape;
  std::vector<bool> used(perm.size(), false);
  for (std::int64_t& p : perm) {
    p = NormalizeAxis(p, Rank(data));
    if (used[p]) throw NotEvaluable("its perm is not a permutation");
    used[p] = true;
    shape.push_back(data.shape[p]);
  }
  Value out = MakeValue(data.type, shape);
  const auto in_strides = Strides(data.shape), out_strides = Strides(shape);
  for (std::int64_t i = 0; i < out.size(); ++i) {
    const std::vector<std::int64_t> c = Coordinates(i, shape, out_strides);
    std::int64_t flat = 0;
    for (size_t d = 0; d < perm.size(); ++d) flat += c[d] * in_strides[perm[d]];
    CopyElement(data, flat, out, i);
  }
  return {out};
}

std::vector<Value> Range(const onnx::NodeProto&, const Inputs& inputs) {
  const Value &start = In(inputs, 0), &limit = In(inputs, 1), &delta = In(inputs, 2);
  if (ScalarReal(delta) == 0) throw NotEvaluable("its delta is 0");
  const double n = std::ceil((ScalarReal(limit) - ScalarReal(start)) / ScalarReal(delta));
  if (!std::isfinite(n)) throw NotEvaluable("its length is not finite");
  Value out = MakeValue(start.type, {static_cast<std::int64_t>(std::max(0.0, std::min(n, 1e15)))});
  for (std::int64_t i = 0; i < out.size(); ++i) {
    if (out.IsReal())
      out.reals[i] = start.Real(0) + static_cast<double>(i) * delta.Real(0);
    else
      out.ints[i] = start.Int(0) + i * delta.Int(0);
  }
  return {out};
}

// ScatterND / ScatterElements reduction of `update` into `target`.
void Combine(Value& out, std::int64_t at, const Value& updates, std::int64_t from,
             const std::string& reduction) {
  if (reduction == "none") return CopyElement(updates, from, out, at);
  const double a = out.Real(at), b = updates.Real(from);
  const double r = reduction == "add"   ? a + b
                   : reduction == "mul" ? a * b
                   : reduction == "max" ? std::max(a, b)
                                        : std::min(a, b);
  out.Set(at, r);
}

std::vector<Value> ScatterND(const onnx::NodeProto& node, const Inputs& inputs) {
  const Value &data = In(inputs, 0), &indices = In(inputs, 1), &updates = In(inputs, 2);
  const std::string reduction = StringAttr(node, "reduction", "none");
  if (indices.shape.empty()) throw NotEvaluable("its indices are a scalar");
  const std::int64_t k = indices.shape.back(),
                     count = indices.size() / std::max<std::int64_t>(1, k);
  if (k > Rank(data)) throw NotEvaluable("its index tuples are longer than the data's rank");
  const auto strides = Strides(data.shape);
  // Each index tuple addresses a block of the trailing rank - k axes.
  const std::int64_t block = k == 0 ? data.size() : strides[k - 1];
  if (updates.size() != count * block) throw NotEvaluable("its updates have the wrong size");
  Value out = data;
  for (std::int64_t t = 0; t < count; ++t) {
    std::int64_t base = 0;
    for (std::int64_t d = 0; d < k; ++d) {
      std::int64_t index = indices.Int(t * k + d);
      if (index < 0) index += data.shape[d];
      if (index < 0 || index >= data.shape[d]) throw NotEvaluable("an index is out of range");
      base += index * strides[d];
    }
    for (std::int64_t j = 0; j < block; ++j)
      Combine(out, base + j, updates, t * block + j, reduction);
  }
  return {out};
}

std::vector<Value> ScatterElements(const onnx::NodeProto& node, const Inputs& inputs) {
  const Value &data = In(inputs, 0), &indices = In(inputs, 1), &updates = In(inputs, 2);
  const std::int64_t axis = NormalizeAxis(IntAttr(node, "axis", 0), Rank(data));
  const std::string reduction = StringAttr(node, "reduction", "none");
  CheckElementIndices(data, indices, axis);
  if (updates.size() < indices.size()) throw NotEvaluable("it has fewer updates than indices");
  Value out = data;
  const auto data_strides = Strides(data.shape), index_strides = Strides(indices.shape);
  for (std::int64_t i = 0; i < indices.size(); ++i) {
    std::vector<std::int64_t> c = Coordinates(i, indices.shape, index_strides);
    std::int64_t index = indices.Int(i);
    if (index < 0) index += data.shape[axis];
    if (index < 0 || index >= data.shape[axis]) throw NotEvaluable("an index is out of range");
    c[axis] = index;
    Combine(out, Flat(c, data_strides), updates, i, reduction);
  }
  return {out};
}

std::vector<Value> NonZero(const onnx::NodeProto&, const Inputs& inputs) {
  const Value& data = In(inputs, 0);
  std::vector<std::int64_t> hits;
  for (std::int64_t i = 0; i < data.size(); ++i)
    if (data.Real(i) != 0) hits.push_back(i);
  const std::int64_t count = static_cast<std::int64_t>(hits.size());
  Value out = MakeValue(TensorProto::INT64, {Rank(data), count});
  const auto strides = Strides(data.shape);
  for (std::int64_t j = 0; j < count; ++j) {
    const std::vector<std::int64_t> c = Coordinates(hits[j], data.shape, strides);
    for (std::int64_t d = 0; d < Rank(data); ++d) out.ints[d * count + j] = c[d];
  }
  return {out};
}

std::vector<Value> Trilu(const onnx::NodeProto& node, const Inputs& inputs) {
  const Value& data = In(inputs, 0);
  if (Rank(data) < 2) throw NotEvaluable("its input has rank < 2");
  const std::int64_t k = Optional(inputs, 1) ? ScalarInt(In(inputs, 1)) : 0;
  const bool upper = IntAttr(node, "upper", 1) != 0;
  const std::int64_t rows = data.shape[Rank(data) - 2], cols = data.shape.back();
  Value out = data;
  for (std::int64_t i = 0; i < data.size(); ++i) {
    const std::int64_t col = i % cols, row = (i / cols) % rows;
    const bool keep = upper ? col - row >= k : col - row <= k;
    if (!keep) out.SetInt(i, 0);
  }
  return {out};
}

std::vector<Value> Pad(const onnx::NodeProto& node, const Inputs& inputs) {
  const Value& data = In(inputs, 0);
  if (StringAttr(node, "mode", "constant") != "constant")
    throw NotEvaluable("mode '" + StringAttr(node, "mode", "") + "' is not evaluated");
  const std::int64_t rank = Rank(data);
  std::vector<std::int64_t> pads = IntsAttr(node, "pads"), axes;
  double fill = FloatAttr(node, "value", 0.0);
  if (const Value* v = Optional(inputs, 1)) pads = IntsOf(*v);
  if (const Value* v = Optional(inputs, 2); v && v->size() > 0) fill = v->Real(0);
  if (const Value* v = Optional(inputs, 3)) axes = IntsOf(*v);
  if (axes.empty())
    for (std::int64_t d = 0; d < rank; ++d) axes.push_back(d);
  const std::int64_t n = static_cast<std::int64_t>(axes.size());
  if (static_cast<std::int64_t>(pads.size()) != 2 * n) throw NotEvaluable("its pads do not match");
  std::vector<std::int64_t> before(rank, 0), shape = data.shape;
  for (std::int64_t i = 0; i < n; ++i) {
    const std::int64_t axis = NormalizeAxis(axes[i], rank);
    before[axis] = pads[i];
    shape[axis] += pads[i] + pads[i + n];
  }
  Value out = MakeValue(data.type, shape);
  const auto in_strides = Strides(data.shape), out_strides = Strides(shape);
  for (std::int64_t i = 0; i < out.size(); ++i) {
    std::vector<std::int64_t> c = Coordinates(i, shape, out_strides);
    bool inside = true;
    for (std::int64_t d = 0; d < rank; ++d) {
      c[d] -= before[d];
      inside &= c[d] >= 0 && c[d] < data.shape[d];
    }
    if (inside)
      CopyElement(data, Flat(c, in_strides), out, i);
    else
      out.Set(i, fill);
  }
  return {out};
}

}  // namespace

void AddShapeKernels(KernelTable& table) {
  table["Shape"] = Shape;
  table["Size"] = Shape;
  table["Constant"] = Constant;
  table["ConstantOfShape"] = ConstantOfShape;
  table["Gather"] = Gather;
  table["GatherElements"] = GatherElements;
  table["Slice"] = Slice;
  table["Concat"] = Concat;
  table["Split"] = Split;
  table["Squeeze"] = Squeeze;
  table["Unsqueeze"] = Unsqueeze;
  table["Reshape"] = Reshape;
  table["Flatten"] = Flatten;
  table["Expand"] = Expand;
  table["Tile"] = Tile;
  table["Transpose"] = Transpose;
  table["Range"] = Range;
  table["ScatterND"] = ScatterND;
  table["ScatterElements"] = ScatterElements;
  table["Scatter"] = ScatterElements;
  table["NonZero"] = NonZero;
  table["Trilu"] = Trilu;
  table["Pad"] = Pad;
}

}  // namespace tessel::io::onnx_detail::kernels
