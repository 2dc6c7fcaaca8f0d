#include "tessel/schedule/ratree.h"

#include <cctype>
#include <set>

namespace tessel {
namespace {

void Print(const RaNode& node, const Workload& workload, std::string* out) {
  if (node.kind == RaKind::kLeaf) {
    *out += workload.layer(node.layer).name;
    return;
  }
  *out += node.kind == RaKind::kS ? "S" : "T";
  *out += std::to_string(node.batch) + "(";
  for (size_t i = 0; i < node.children.size(); ++i) {
    if (i) *out += " ";
    Print(node.children[i], workload, out);
  }
  *out += ")";
}

class Parser {
 public:
  Parser(const std::string& text, const std::string& file, const Workload& workload)
      : text_(text), file_(file), workload_(workload) {}

  RaNode ParseAll() {
    Skip();
    if (pos_ >= text_.size()) Fail("the tree is empty");
    RaNode root = ParseNode();
    Skip();
    if (pos_ < text_.size())
      Fail("unexpected '" + std::string(1, text_[pos_]) + "' after the tree");
    return root;
  }

 private:
  [[noreturn]] void Fail(const std::string& what) const {
    int line = 1, col = 1;
    for (size_t i = 0; i < pos_ && i < text_.size(); ++i)
      text_[i] == '\n' ? (++line, col = 1) : ++col;
    throw UserError(SourceLocation{file_, line, col}, what);
  }
  void Skip() {
    while (pos_ < text_.size()) {
      if (std::isspace(static_cast<unsigned char>(text_[pos_]))) {
        ++pos_;
      } else if (text_[pos_] == '#') {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else {
        break;
      }
    }
  }
  static bool NameChar(char c) {
    return !std::isspace(static_cast<unsigned char>(c)) && c != '(' && c != ')' && c != '#';
  }
  RaNode ParseNode() {
    const size_t start = pos_;
    while (pos_ < text_.size() && NameChar(text_[pos_])) ++pos_;
    std::string word = text_.substr(start, pos_ - start);
    if (word.empty()) Fail("expected a layer name or a cut such as 'S4(' here");
    if (pos_ < text_.size() && text_[pos_] == '(') return ParseCut(word, start);
    RaNode leaf;
    leaf.layer = workload_.LayerIndex(word);
    if (leaf.layer < 0) {
      pos_ = start;
      Fail("'" + word + "' is not a layer of workload '" + workload_.name() + "'");
    }
    return leaf;
  }
  RaNode ParseCut(const std::string& word, size_t start) {
    RaNode cut;
    bool digits = word.size() > 1;
    for (size_t i = 1; i < word.size(); ++i)
      digits = digits && std::isdigit(static_cast<unsigned char>(word[i]));
    if ((word[0] != 'S' && word[0] != 'T') || !digits || word.size() > 10) {
      pos_ = start;
      Fail("a cut is S or T followed by its batch, as in 'S4(' (got '" + word + "(')");
    }
    cut.kind = word[0] == 'S' ? RaKind::kS : RaKind::kT;
    cut.batch = std::stoll(word.substr(1));
    if (cut.batch < 1) {
      pos_ = start;
      Fail("the batch of a cut must be at least 1");
    }
    ++pos_;  // '('
    while (true) {
      Skip();
      if (pos_ >= text_.size()) Fail("missing ')' to close the cut opened here");
      if (text_[pos_] == ')') break;
      cut.children.push_back(ParseNode());
    }
    if (cut.children.empty()) Fail("a cut needs at least one child");
    ++pos_;
    return cut;
  }

  const std::string& text_;
  const std::string& file_;
  const Workload& workload_;
  size_t pos_ = 0;
};

void CollectLeaves(const RaNode& node, std::vector<int>* out) {
  if (node.kind == RaKind::kLeaf) {
    out->push_back(node.layer);
    return;
  }
  for (const RaNode& c : node.children) CollectLeaves(c, out);
}

std::string CheckCut(const RaNode& node, const RaNode* parent, bool parent_is_root,
                     std::int64_t parent_batch) {
  if (node.kind == RaKind::kLeaf) return "";
  const std::string kind = node.kind == RaKind::kS ? "S" : "T";
  if (parent_batch % node.batch != 0)
    return "the batch " + std::to_string(node.batch) + " of a " + kind +
           " cut does not divide its parent's batch " + std::to_string(parent_batch);
  if (parent != nullptr) {
    if (node.children.size() < 2) return "a " + kind + " cut below the root has one child";
    if (!parent_is_root && parent->kind == node.kind)
      return "a " + kind + " cut is directly under another " + kind + " cut";
  }
  for (const RaNode& c : node.children) {
    std::string why = CheckCut(c, &node, parent == nullptr, node.batch);
    if (!why.empty()) return why;
  }
  return "";
}

}  // namespace

std::string PrintRaTree(const RaNode& node, const Workload& workload) {
  std::string out;
  Print(node, workload, &out);
  return out;
}

RaNode ParseRaTree(const std::string& text, const std::string& file, const Workload& workload) {
  return Parser(text, file, workload).ParseAll();
}

std::vector<int> RaLeaves(const RaNode& node) {
  std::vector<int> out;
  CollectLeaves(node, &out);
  return out;
}

std::string ValidateRaTree(const RaNode& root, const Workload& workload, std::int64_t batch) {
  if (root.kind != RaKind::kT) return "the root must be a T cut over segments";
  if (batch % root.batch != 0)
    return "the root's batch " + std::to_string(root.batch) + " does not divide the batch " +
           std::to_string(batch);
  std::string why = CheckCut(root, nullptr, false, batch);
  if (!why.empty()) return why;
  std::vector<int> leaves = RaLeaves(root);
  std::vector<int> seen(workload.size(), 0);
  for (int l : leaves) ++seen[l];
  for (int l = 0; l < workload.size(); ++l) {
    if (seen[l] == 0) return "layer '" + workload.layer(l).name + "' is not in the tree";
    if (seen[l] > 1) return "layer '" + workload.layer(l).name + "' is in the tree twice";
  }
  std::vector<bool> placed(workload.size(), false);
  for (int l : leaves) {
    for (int p : workload.layer(l).producers)
      if (!placed[p])
        return "layer '" + workload.layer(l).name + "' comes before its producer '" +
               workload.layer(p).name + "'";
    placed[l] = true;
  }
  return "";
}

namespace {
void Normalize(RaNode* node, bool is_root) {
  if (node->kind == RaKind::kLeaf) return;
  for (RaNode& c : node->children) Normalize(&c, false);
  std::vector<RaNode> kids;
  for (RaNode& c : node->children) {
    if (c.kind != RaKind::kLeaf && c.children.size() == 1) {
      RaNode only = std::move(c.children[0]);
      c = std::move(only);
    }
    if (!is_root && c.kind == node->kind) {
      for (RaNode& g : c.children) kids.push_back(std::move(g));
    } else {
      kids.push_back(std::move(c));
    }
  }
  node->children = std::move(kids);
}

// Top-down: a cut whose batch does not divide its parent's takes the parent's.
void FixBatches(RaNode* node) {
  for (RaNode& c : node->children) {
    if (c.kind == RaKind::kLeaf) continue;
    if (node->batch % c.batch != 0) c.batch = node->batch;
    FixBatches(&c);
  }
}
}  // namespace

void NormalizeRaTree(RaNode* root) {
  Normalize(root, true);
  FixBatches(root);
}

}  // namespace tessel
