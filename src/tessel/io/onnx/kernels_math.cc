// Element-wise arithmetic, comparisons, logic, casts and reductions on constant values.
#include <cmath>
#include <functional>

#include "tessel/io/onnx/kernels.h"

namespace tessel::io::onnx_detail::kernels {
namespace {

using onnx::TensorProto;
using RealOp = std::function<double(double, double)>;
using IntOp = std::function<std::int64_t(std::int64_t, std::int64_t)>;

// Folds `operands` pairwise with broadcasting into a value of `out_type`. Integer inputs use
// `integer` (exact), real inputs use `real`; a comparison gives BOOL from either.
Value Broadcast(const std::vector<const Value*>& operands, int out_type, const RealOp& real,
                const IntOp& integer) {
  std::vector<std::vector<std::int64_t>> shapes;
  for (const Value* v : operands) shapes.push_back(v->shape);
  const std::vector<std::int64_t> shape = BroadcastShapes(shapes);
  const bool reals = operands[0]->IsReal();
  Value acc = MakeValue(reals ? TensorProto::DOUBLE : TensorProto::INT64, shape);
  BroadcastIndex first(operands[0]->shape, shape);
  for (std::int64_t i = 0; i < acc.size(); ++i) {
    if (reals)
      acc.reals[i] = operands[0]->Real(first(i));
    else
      acc.ints[i] = operands[0]->Int(first(i));
  }
  for (size_t k = 1; k < operands.size(); ++k) {
    BroadcastIndex index(operands[k]->shape, shape);
    for (std::int64_t i = 0; i < acc.size(); ++i) {
      if (reals)
        acc.reals[i] = real(acc.reals[i], operands[k]->Real(index(i)));
      else
        acc.ints[i] = integer(acc.ints[i], operands[k]->Int(index(i)));
    }
  }
  Value out = MakeValue(out_type, shape);
  for (std::int64_t i = 0; i < out.size(); ++i) {
    if (reals)
      out.Set(i, acc.reals[i]);
    else
      out.SetInt(i, acc.ints[i]);
  }
  return out;
}

std::vector<const Value*> AllInputs(const Inputs& inputs) {
  std::vector<const Value*> values;
  for (size_t i = 0; i < inputs.size(); ++i) values.push_back(&In(inputs, i));
  if (values.empty()) throw NotEvaluable("it has no inputs");
  return values;
}

std::int64_t IntDiv(std::int64_t a, std::int64_t b) {
  if (b == 0) throw NotEvaluable("it divides an integer by zero");
  return a / b;  // truncation toward zero, as integer Div runs
}

std::int64_t IntMod(std::int64_t a, std::int64_t b, bool fmod) {
  if (b == 0) throw NotEvaluable("it takes an integer modulo zero");
  std::int64_t r = a % b;
  if (!fmod && r != 0 && ((r < 0) != (b < 0))) r += b;  // the divisor's sign, as Python's %
  return r;
}

std::int64_t IntPow(std::int64_t base, std::int64_t exponent) {
  if (exponent < 0) return base == 1 ? 1 : (base == -1 ? (exponent % 2 ? -1 : 1) : 0);
  std::int64_t result = 1;
  for (std::int64_t e = 0; e < exponent && e < 64; ++e) result *= base;
  return result;
}

std::vector<Value> Arithmetic(const onnx::NodeProto& node, const Inputs& inputs) {
  const std::string& op = node.op_type();
  std::vector<const Value*> values = AllInputs(inputs);
  const int type = values[0]->type;
  if (op == "Add" || op == "Sum")
    return {Broadcast(values, type, std::plus<double>(), std::plus<std::int64_t>())};
  if (op == "Sub")
    return {Broadcast(values, type, std::minus<double>(), std::minus<std::int64_t>())};
  if (op == "Mul")
    return {Broadcast(values, type, std::multiplies<double>(), std::multiplies<std::int64_t>())};
  if (op == "Div") return {Broadcast(values, type, std::divides<double>(), IntDiv)};
  if (op == "Max")
    return {Broadcast(
        values, type, [](double a, double b) { return std::max(a, b); },
        [](std::int64_t a, std::int64_t b) { return std::max(a, b); })};
  if (op == "Min")
    return {Broadcast(
        values, type, [](double a, double b) { return std::min(a, b); },
        [](std::int64_t a, std::int64_t b) { return std::min(a, b); })};
  if (op == "Pow") {
    if (values.size() != 2) throw NotEvaluable("Pow needs two inputs");
    return {Broadcast(
        values, type, [](double a, double b) { return std::pow(a, b); }, IntPow)};
  }
  if (op == "Mod") {
    const bool fmod = IntAttr(node, "fmod", 0) != 0;
    return {Broadcast(
        values, type,
        [fmod](double a, double b) {
          const double r = std::fmod(a, b);
          return !fmod && r != 0 && ((r < 0) != (b < 0)) ? r + b : r;
        },
        [fmod](std::int64_t a, std::int64_t b) { return IntMod(a, b, fmod); })};
  }
  // Mean
  Value sum =
      Broadcast(values, TensorProto::DOUBLE, std::plus<double>(), std::plus<std::int64_t>());
  Value out = MakeValue(type, sum.shape);
  for (std::int64_t i = 0; i < out.size(); ++i)
    out.Set(i, sum.reals[i] / static_cast<double>(values.size()));
  return {out};
}

std::vector<Value> Compare(const onnx::NodeProto& node, const Inputs& inputs) {
  const std::string& op = node.op_type();
  std::vector<const Value*> values = {&In(inputs, 0), &In(inputs, 1)};
  std::function<bool(double, double)> test;
  if (op == "Equal") test = std::equal_to<double>();
  if (op == "Less") test = std::less<double>();
  if (op == "Greater") test = std::greater<double>();
  if (op == "LessOrEqual") test = std::less_equal<double>();
  if (op == "GreaterOrEqual") test = std::greater_equal<double>();
  if (op == "And") test = [](double a, double b) { return a != 0 && b != 0; };
  if (op == "Or") test = [](double a, double b) { return a != 0 || b != 0; };
  if (op == "Xor") test = [](double a, double b) { return (a != 0) != (b != 0); };
  // Integers compare exactly (int64 extents near INT64_MAX are common in Slice ends).
  auto exact = [&](std::int64_t a, std::int64_t b) -> std::int64_t {
    if (op == "Equal") return a == b;
    if (op == "Less") return a < b;
    if (op == "Greater") return a > b;
    if (op == "LessOrEqual") return a <= b;
    if (op == "GreaterOrEqual") return a >= b;
    return test(static_cast<double>(a), static_cast<double>(b));
  };
  return {Broadcast(
      values, TensorProto::BOOL, [&](double a, double b) { return test(a, b) ? 1.0 : 0.0; },
      exact)};
}

std::vector<Value> Unary(const onnx::NodeProto& node, const Inputs& inputs) {
  const std::string& op = node.op_type();
  const Value& x = In(inputs, 0);
  Value out = MakeValue(op == "Not" ? TensorProto::BOOL : x.type, x.shape);
  for (std::int64_t i = 0; i < x.size(); ++i) {
    if (!x.IsReal() && (op == "Neg" || op == "Abs" || op == "Sign" || op == "Relu")) {
      const std::int64_t v = x.ints[i];
      out.ints[i] = op == "Neg"    ? -v
                    : op == "Abs"  ? std::llabs(v)
                    : op == "Sign" ? (v > 0) - (v < 0)
                                   : std::max<std::int64_t>(v, 0);
      continue;
    }
    const double v = x.Real(i);
    double r = v;
    if (op == "Neg") r = -v;
    if (op == "Abs") r = std::fabs(v);
    if (op == "Sign") r = (v > 0) - (v < 0);
    if (op == "Relu") r = std::max(v, 0.0);
    if (op == "Not") r = v == 0;
    if (op == "Ceil") r = std::ceil(v);
    if (op == "Floor") r = std::floor(v);
    if (op == "Round") r = std::nearbyint(v);  // half to even, as ONNX Round
    if (op == "Sqrt") r = std::sqrt(v);
    if (op == "Reciprocal") r = 1.0 / v;
    if (op == "Exp") r = std::exp(v);
    if (op == "Log") r = std::log(v);
    if (op == "Sigmoid") r = 1.0 / (1.0 + std::exp(-v));
    if (op == "Tanh") r = std::tanh(v);
    if (op == "Erf") r = std::erf(v);
    out.Set(i, r);
  }
  return {out};
}

std::vector<Value> Clip(const onnx::NodeProto& node, const Inputs& inputs) {
  const Value& x = In(inputs, 0);
  double low = FloatAttr(node, "min", -HUGE_VAL), high = FloatAttr(node, "max", HUGE_VAL);
  if (const Value* v = Optional(inputs, 1)) low = ScalarReal(*v);
  if (const Value* v = Optional(inputs, 2)) high = ScalarReal(*v);
  Value out = x;
  for (std::int64_t i = 0; i < x.size(); ++i) {
    if (x.IsReal())
      out.reals[i] = std::min(std::max(x.reals[i], low), high);
    else
      out.ints[i] =
          static_cast<std::int64_t>(std::min(std::max(static_cast<double>(x.ints[i]), low), high));
  }
  return {out};
}

std::vector<Value> CastTo(const Value& x, int type) {
  if (!Value::IsSupportedType(type))
    throw NotEvaluable("casting to " + TypeName(type) + " is not evaluated");
  Value out = MakeValue(type, x.shape);
  for (std::int64_t i = 0; i < x.size(); ++i) {
    if (type == TensorProto::BOOL)
      out.ints[i] = x.Real(i) != 0;
    else if (out.IsReal())
      out.reals[i] = x.Real(i);
    else
      out.ints[i] = x.Int(i);  // a real truncates toward zero
  }
  return {out};
}

std::vector<Value> Cast(const onnx::NodeProto& node, const Inputs& inputs) {
  if (node.op_type() == "CastLike") return CastTo(In(inputs, 0), In(inputs, 1).type);
  return CastTo(In(inputs, 0), static_cast<int>(IntAttr(node, "to", TensorProto::FLOAT)));
}

std::vector<Value> Where(const onnx::NodeProto&, const Inputs& inputs) {
  const Value &c = In(inputs, 0), &a = In(inputs, 1), &b = In(inputs, 2);
  const std::vector<std::int64_t> shape = BroadcastShapes({c.shape, a.shape, b.shape});
  Value out = MakeValue(a.type, shape);
  BroadcastIndex ci(c.shape, shape), ai(a.shape, shape), bi(b.shape, shape);
  for (std::int64_t i = 0; i < out.size(); ++i) {
    const Value& pick = c.Real(ci(i)) != 0 ? a : b;
    const std::int64_t j = c.Real(ci(i)) != 0 ? ai(i) : bi(i);
    if (out.IsReal())
      out.reals[i] = pick.Real(j);
    else
      out.ints[i] = pick.Int(j);
  }
  return {out};
}

std::vector<Value> Identity(const onnx::NodeProto& node, const Inputs& inputs) {
  std::vector<Value> outputs = {In(inputs, 0)};
  if (node.op_type() == "Dropout" && node.output_size() > 1) {  // inference: the mask is all true
    outputs.push_back(MakeValue(TensorProto::BOOL, outputs[0].shape));
    std::fill(outputs[1].ints.begin(), outputs[1].ints.end(), 1);
  }
  return outputs;
}

// The axes a reduction covers: the `axes` attribute (before opset 18; ReduceSum before 13) or
// input 1; all axes when neither is given, unless noop_with_empty_axes.
std::vector<bool> ReducedAxes(const onnx::NodeProto& node, const Inputs& inputs, size_t rank,
                              bool* noop) {
  std::vector<std::int64_t> axes = IntsAttr(node, "axes");
  if (const Value* v = Optional(inputs, 1)) axes = IntsOf(*v);
  *noop = axes.empty() && IntAttr(node, "noop_with_empty_axes", 0) != 0;
  std::vector<bool> reduced(rank, axes.empty());
  for (std::int64_t axis : axes)
    reduced[NormalizeAxis(axis, static_cast<std::int64_t>(rank))] = true;
  return reduced;
}

std::vector<Value> Reduce(const onnx::NodeProto& node, const Inputs& inputs) {
  const std::string& op = node.op_type();
  const Value& x = In(inputs, 0);
  bool noop = false;
  const std::vector<bool> reduced = ReducedAxes(node, inputs, x.shape.size(), &noop);
  if (noop) return {x};
  const bool keep = IntAttr(node, "keepdims", 1) != 0;
  std::vector<std::int64_t> kept_shape, out_shape;
  for (size_t d = 0; d < x.shape.size(); ++d) {
    kept_shape.push_back(reduced[d] ? 1 : x.shape[d]);
    if (!reduced[d] || keep) out_shape.push_back(kept_shape.back());
  }
  Value acc = MakeValue(TensorProto::DOUBLE, kept_shape);
  std::vector<bool> seen(acc.size(), false);
  const std::vector<std::int64_t> strides = Strides(x.shape);
  BroadcastIndex to_acc(kept_shape, x.shape);  // x index -> acc index (reduced axes collapse)
  for (std::int64_t i = 0; i < x.size(); ++i) {
    const std::int64_t j = to_acc(i);
    const double v = x.Real(i);
    double& a = acc.reals[j];
    if (!seen[j])
      a = op == "ReduceProd" ? v : (op == "ReduceSumSquare" ? v * v : v);
    else if (op == "ReduceMax")
      a = std::max(a, v);
    else if (op == "ReduceMin")
      a = std::min(a, v);
    else if (op == "ReduceProd")
      a *= v;
    else if (op == "ReduceSumSquare")
      a += v * v;
    else
      a += v;  // ReduceSum, ReduceMean
    seen[j] = true;
  }
  const std::int64_t count = acc.size() ? x.size() / acc.size() : 0;
  Value out = MakeValue(x.type, out_shape);
  for (std::int64_t i = 0; i < out.size(); ++i)
    out.Set(i, op == "ReduceMean" ? acc.reals[i] / static_cast<double>(count) : acc.reals[i]);
  return {out};
}

std::vector<Value> CumSum(const onnx::NodeProto& node, const Inputs& inputs) {
  const Value& x = In(inputs, 0);
  const std::int64_t rank = static_cast<std::int64_t>(x.shape.size());
  const std::int64_t axis = NormalizeAxis(ScalarInt(In(inputs, 1)), rank);
  const bool exclusive = IntAttr(node, "exclusive", 0) != 0;
  const bool reverse = IntAttr(node, "reverse", 0) != 0;
  const std::int64_t stride = Strides(x.shape)[axis], extent = x.shape[axis];
  Value out = MakeValue(x.type, x.shape);
  for (std::int64_t i = 0; i < x.size(); ++i) {
    if ((i / stride) % extent != 0) continue;  // start of one line along `axis`
    double running = 0;
    for (std::int64_t k = 0; k < extent; ++k) {
      const std::int64_t at = i + (reverse ? extent - 1 - k : k) * stride;
      if (!exclusive) running += x.Real(at);
      out.Set(at, running);
      if (exclusive) running += x.Real(at);
    }
  }
  return {out};
}

}  // namespace

void AddMathKernels(KernelTable& table) {
  for (const char* op : {"Add", "Sub", "Mul", "Div", "Mod", "Pow", "Max", "Min", "Sum", "Mean"})
    table[op] = Arithmetic;
  for (const char* op :
       {"Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor"})
    table[op] = Compare;
  for (const char* op : {"Neg", "Abs", "Sign", "Relu", "Not", "Ceil", "Floor", "Round", "Sqrt",
                         "Reciprocal", "Exp", "Log", "Sigmoid", "Tanh", "Erf"})
    table[op] = Unary;
  for (const char* op :
       {"ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceSumSquare"})
    table[op] = Reduce;
  table["Clip"] = Clip;
  table["Cast"] = Cast;
  table["CastLike"] = Cast;
  table["Where"] = Where;
  table["Identity"] = Identity;
  table["Dropout"] = Identity;
  table["CumSum"] = CumSum;
}

}  // namespace tessel::io::onnx_detail::kernels
