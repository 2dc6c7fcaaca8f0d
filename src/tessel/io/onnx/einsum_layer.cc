// Einsum: its output shape (ONNX 1.12 infers only the rank), and its matrix-product forms
// ("bhid,bhjd->bhij", "...ij,jk->...ik", "ij,jk") as batched matmul layers.
#include <algorithm>
#include <cctype>
#include <set>

#include "tessel/common/error.h"
#include "tessel/io/onnx/layers.h"
#include "tessel/workload/layer_shapes.h"

namespace tessel::io::onnx_detail {
namespace {

constexpr int kEllipsis = 1000;  // label of the ellipsis axis k places from the right: 1000 + k

// The labels of one term: letters as their character codes, the axes an ellipsis stands for as
// kEllipsis + k (k counted from the right, so ellipses of different ranks align as they
// broadcast). `rank` is the operand's rank (for the output: its letters plus the widest
// ellipsis). False when the term does not fit the rank.
bool Labels(const std::string& term, size_t rank, std::vector<int>* labels) {
  const size_t dots = term.find("...");
  const size_t letters = term.size() - (dots == std::string::npos ? 0 : 3);
  if (letters > rank || (dots == std::string::npos && letters != rank)) return false;
  for (size_t i = 0; i < term.size(); ++i) {
    if (i == dots) {
      for (size_t k = rank - letters; k-- > 0;) labels->push_back(kEllipsis + static_cast<int>(k));
      i += 2;
    } else if (std::isalpha(static_cast<unsigned char>(term[i]))) {
      labels->push_back(term[i]);
    } else {
      return false;
    }
  }
  return true;
}

std::string LabelName(int label) {
  return label >= kEllipsis ? "..." : std::string(1, static_cast<char>(label));
}

}  // namespace

EinsumTerms ParseEinsum(std::string equation,
                        const std::vector<std::vector<std::int64_t>>& shapes) {
  EinsumTerms e;
  auto failed = [&e](std::string why) {
    e.error = std::move(why);
    return e;
  };
  equation.erase(std::remove(equation.begin(), equation.end(), ' '), equation.end());
  e.equation = equation;
  const size_t arrow = equation.find("->");
  std::string lhs = equation.substr(0, arrow);
  std::vector<std::string> terms;
  for (size_t start = 0;;) {
    const size_t comma = lhs.find(',', start);
    terms.push_back(lhs.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (terms.size() != shapes.size())
    return failed("it has " + std::to_string(terms.size()) + " terms for " +
                  std::to_string(shapes.size()) + " operands");
  size_t widest = 0;
  std::map<int, int> count;  // label -> operands it appears in
  e.inputs.resize(terms.size());
  for (size_t k = 0; k < terms.size(); ++k) {
    if (!Labels(terms[k], shapes[k].size(), &e.inputs[k]))
      return failed("term '" + terms[k] + "' does not match operand " + std::to_string(k) +
                    "'s rank " + std::to_string(shapes[k].size()));
    for (size_t d = 0; d < e.inputs[k].size(); ++d) {
      const int label = e.inputs[k][d];
      if (label >= kEllipsis) widest = std::max(widest, static_cast<size_t>(label - kEllipsis + 1));
      auto [it, inserted] = e.extent.emplace(label, shapes[k][d]);
      if (!inserted && it->second != shapes[k][d] && it->second != 1 && shapes[k][d] != 1)
        return failed("subscript '" + LabelName(label) + "' has extents " +
                      std::to_string(it->second) + " and " + std::to_string(shapes[k][d]));
      it->second = std::max(it->second, shapes[k][d]);
      if (std::find(e.inputs[k].begin(), e.inputs[k].begin() + d, label) == e.inputs[k].begin() + d)
        ++count[label];
    }
  }
  if (arrow != std::string::npos) {
    const std::string term = equation.substr(arrow + 2);
    const bool dots = term.find("...") != std::string::npos;
    if (!Labels(term, term.size() - (dots ? 3 : 0) + (dots ? widest : 0), &e.output))
      return failed("its output term '" + term + "' is malformed");
  } else {  // implicit output: the ellipsis, then the letters that appear once, in order
    for (size_t k = widest; k-- > 0;) e.output.push_back(kEllipsis + static_cast<int>(k));
    for (const auto& [label, n] : count)
      if (label < kEllipsis && n == 1) e.output.push_back(label);
  }
  for (int label : e.output) {
    if (!e.extent.count(label))
      return failed("output subscript '" + LabelName(label) + "' is in no operand");
    e.output_shape.push_back(e.extent[label]);
  }
  return e;
}

Layer EinsumLayer(const Model& model, int index) {
  const onnx::NodeProto& node = model.node(index);
  const onnx::AttributeProto* attribute = FindAttribute(node, "equation");
  std::vector<std::vector<std::int64_t>> shapes;
  for (int k = 0; k < node.input_size(); ++k)
    shapes.push_back(KnownShape(model, index, node.input(k), "input " + std::to_string(k)));
  const EinsumTerms e = ParseEinsum(attribute ? attribute->s() : "", shapes);
  auto fail = [&](const std::string& why) {
    FailAt(model, index, "equation '" + e.equation + "' is not a product of two operands: " + why);
  };
  if (!e.error.empty()) fail(e.error);
  if (shapes.size() != 2) fail("it has " + std::to_string(shapes.size()) + " operands");
  std::int64_t batch = 1, m = 1, n = 1, k = 1;
  const std::set<int> a(e.inputs[0].begin(), e.inputs[0].end());
  const std::set<int> b(e.inputs[1].begin(), e.inputs[1].end());
  const std::set<int> out(e.output.begin(), e.output.end());
  if (a.size() != e.inputs[0].size() || b.size() != e.inputs[1].size() ||
      out.size() != e.output.size())
    fail("a subscript repeats within one term (a diagonal)");
  for (const auto& [label, extent] : e.extent) {
    const bool in_a = a.count(label), in_b = b.count(label), in_out = out.count(label);
    if (in_a && in_b && in_out)
      batch *= extent;
    else if (in_a && in_out)
      m *= extent;
    else if (in_b && in_out)
      n *= extent;
    else if (in_a && in_b)
      k *= extent;
    else
      fail("subscript '" + LabelName(label) + "' is summed within one operand");
  }
  return MakeMatMulLayer(model.labels[index], "Einsum", batch, m, n, k, true);
}

}  // namespace tessel::io::onnx_detail
