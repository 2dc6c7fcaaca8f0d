// The RA-tree notation (print, parse, errors word for word), the structural checks, and the
// annealing moves keeping trees well formed.
#include <gtest/gtest.h>

#include <random>

#include "tessel/common/error.h"
#include "tessel/schedule/annealing.h"
#include "tessel/schedule/ratree.h"

namespace tessel {
namespace {

// a -> b -> c -> d, a -> e -> d (a diamond with a longer left arm).
Workload Net() {
  Workload w("net");
  for (const char* name : {"a", "b", "c", "d", "e"}) {
    Layer l;
    l.name = name;
    l.op = "Relu";
    w.AddLayer(l);
  }
  w.AddEdge(0, 1), w.AddEdge(1, 2), w.AddEdge(2, 3), w.AddEdge(0, 4), w.AddEdge(4, 3);
  return w;
}

std::string ErrorOf(const std::string& text) {
  try {
    ParseRaTree(text, "t.txt", Net());
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

TEST(RaTreeNotationTest, PrintParseRoundTrip) {
  const Workload w = Net();
  const std::string text = "T8(S4(a T2(b c)) e d)";
  RaNode tree = ParseRaTree(text, "t.txt", w);
  EXPECT_EQ(PrintRaTree(tree, w), text);
  EXPECT_EQ(tree.kind, RaKind::kT);
  EXPECT_EQ(tree.batch, 8);
  EXPECT_EQ(tree.children[0].kind, RaKind::kS);
  EXPECT_EQ(tree.children[0].children[1].batch, 2);
  EXPECT_EQ(RaLeaves(tree), (std::vector<int>{0, 1, 2, 4, 3}));
  EXPECT_EQ(ValidateRaTree(tree, w, 64), "");
  // Comments and line breaks are allowed.
  RaNode again = ParseRaTree("T8( # segments\n  S4(a T2(b c))\n  e d)\n", "t.txt", w);
  EXPECT_EQ(again, tree);
}

TEST(RaTreeNotationTest, ErrorsWordForWord) {
  EXPECT_EQ(ErrorOf(""), "t.txt:1:1: the tree is empty");
  EXPECT_EQ(ErrorOf("T8(a b"), "t.txt:1:7: missing ')' to close the cut opened here");
  EXPECT_EQ(ErrorOf("T8(a x)"), "t.txt:1:6: 'x' is not a layer of workload 'net'");
  EXPECT_EQ(ErrorOf("T8(a Q2(b))"),
            "t.txt:1:6: a cut is S or T followed by its batch, as in 'S4(' (got 'Q2(')");
  EXPECT_EQ(ErrorOf("T8(a b) c"), "t.txt:1:9: unexpected 'c' after the tree");
  EXPECT_EQ(ErrorOf("T8(a\n  S0(b c))"), "t.txt:2:3: the batch of a cut must be at least 1");
  EXPECT_EQ(ErrorOf("T8()"), "t.txt:1:4: a cut needs at least one child");
}

TEST(RaTreeNotationTest, ValidationReasons) {
  const Workload w = Net();
  auto why = [&](const std::string& text, std::int64_t batch = 8) {
    return ValidateRaTree(ParseRaTree(text, "t.txt", w), w, batch);
  };
  EXPECT_EQ(why("S8(a b c e d)"), "the root must be a T cut over segments");
  EXPECT_EQ(why("T3(a b c e d)"), "the root's batch 3 does not divide the batch 8");
  EXPECT_EQ(why("T8(S3(a b) c e d)"),
            "the batch 3 of a S cut does not divide its parent's batch 8");
  EXPECT_EQ(why("T8(S4(a S2(b c)) e d)"), "a S cut is directly under another S cut");
  EXPECT_EQ(why("T8(S4(a T2(b)) c e d)"), "a T cut below the root has one child");
  EXPECT_EQ(why("T8(a b c e)"), "layer 'd' is not in the tree");
  EXPECT_EQ(why("T8(a b c e d a)"), "layer 'a' is in the tree twice");
  EXPECT_EQ(why("T8(a c b e d)"), "layer 'c' comes before its producer 'b'");
}

TEST(RaTreeNotationTest, MovesKeepTreesWellFormed) {
  const Workload w = Net();
  RaNode tree = ParseRaTree("T8(a b c e d)", "t.txt", w);
  std::mt19937_64 rng(7);
  int valid = 0;
  for (int i = 0; i < 2000; ++i) {
    RaNode cand = tree;
    if (!RandomMove(&cand, rng, 8)) continue;
    // Every move keeps every layer exactly once and the structural rules.
    std::vector<int> leaves = RaLeaves(cand);
    std::sort(leaves.begin(), leaves.end());
    ASSERT_EQ(leaves, (std::vector<int>{0, 1, 2, 3, 4})) << PrintRaTree(cand, w);
    std::string why = ValidateRaTree(cand, w, 8);
    EXPECT_TRUE(why.empty() || why.find("comes before its producer") != std::string::npos)
        << PrintRaTree(cand, w) << ": " << why;
    if (why.empty()) tree = cand, ++valid;
  }
  EXPECT_GT(valid, 100);
}

}  // namespace
}  // namespace tessel
