// Stream's tutorial labs scheduled end to end: valid schedules (checked from the JSON alone),
// latency and energy within a factor of 2 of Stream's own figures (shared/reference/README.md:
// lab1 79,340 cycles / 6,143,532 pJ; lab3 25,614 cycles / 1,929,669 pJ), fusion at least halving
// lab1's latency, determinism, saved allocations that reload to the same schedule, and the GA's
// best no worse than the single-core and round-robin allocations.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "schedule_check.h"
#include "tessel/io/stream/stream_hardware.h"
#include "tessel/io/stream/stream_mapping.h"
#include "tessel/io/workload_source.h"
#include "tessel/report/json_report.h"
#include "tessel/report/schedule_json.h"
#include "tessel/schedule/schedule_run.h"
#include "tessel/schedule/simulator.h"

namespace tessel {
namespace {

const std::string kData = std::string(TESSEL_TEST_DATA_DIR) + "/stream";

struct Lab {
  System system;
  Workload workload;
  LayerMapping mapping;
};

Lab LoadLab(const std::string& lab) {
  const std::string dir = kData + "/" + lab + "/inputs";
  return {io::LoadStreamSystem(dir + "/hardware/hda_bus.yaml"),
          io::LoadWorkload(dir + "/workload/4_convs.onnx"),
          io::LoadStreamMapping(dir + "/mapping/mapping.yaml")};
}

ScheduleOptions Options(ScheduleMode mode, AllocationSearch search) {
  ScheduleOptions o;
  o.mode = mode;
  o.search = search;
  o.threads = 2;
  o.ga.generations = 4;
  o.ga.population = 4;
  o.ga.seed = 0;
  return o;
}

std::string Json(const Lab& lab, const ScheduleResult& r) {
  return DumpJson(ScheduleToJson(lab.system, lab.workload, r));
}

void ExpectValid(const std::string& text, const Workload& w) {
  std::map<std::string, std::int64_t> macs;
  for (const Layer& l : w.layers()) macs[l.name] = l.Macs();
  std::vector<std::string> bad = testing::CheckScheduleJson(nlohmann::json::parse(text), macs);
  EXPECT_TRUE(bad.empty()) << bad.size() << " violations, first: " << bad.front();
}

void ExpectWithinFactor2(double ours, double stream) {
  EXPECT_LE(ours, 2 * stream);
  EXPECT_GE(ours, stream / 2);
}

// The three labs share one process run so the cost mapping happens once per lab.
class StreamLabs : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    lab1_ = new Lab(LoadLab("lab1"));
    lab2_ = new Lab(LoadLab("lab2"));
    lab3_ = new Lab(LoadLab("lab3"));
    r1_ = new ScheduleResult(
        RunSchedule(lab1_->system, lab1_->workload, lab1_->mapping,
                    Options(ScheduleMode::kLayerByLayer, AllocationSearch::kFixed)));
    r2_ = new ScheduleResult(
        RunSchedule(lab2_->system, lab2_->workload, lab2_->mapping,
                    Options(ScheduleMode::kLayerByLayer, AllocationSearch::kFixed)));
    r3_ = new ScheduleResult(RunSchedule(lab3_->system, lab3_->workload, lab3_->mapping,
                                         Options(ScheduleMode::kFused, AllocationSearch::kGa)));
  }
  static Lab *lab1_, *lab2_, *lab3_;
  static ScheduleResult *r1_, *r2_, *r3_;
};
Lab *StreamLabs::lab1_, *StreamLabs::lab2_, *StreamLabs::lab3_;
ScheduleResult *StreamLabs::r1_, *StreamLabs::r2_, *StreamLabs::r3_;

TEST_F(StreamLabs, SchedulesAreValidFromTheirJson) {
  ExpectValid(Json(*lab1_, *r1_), lab1_->workload);
  ExpectValid(Json(*lab2_, *r2_), lab2_->workload);
  ExpectValid(Json(*lab3_, *r3_), lab3_->workload);
  EXPECT_EQ(r1_->schedule.nodes.size(), 4u);
  EXPECT_EQ(r2_->schedule.nodes.size(), 12u);
  EXPECT_EQ(r3_->schedule.nodes.size(), 224u);
}

TEST_F(StreamLabs, Lab1FixedAllocationAsTheFileSays) {
  EXPECT_EQ(r1_->allocation.cores, (std::vector<std::vector<int>>{{0}, {1}, {2}, {0}}));
}

TEST_F(StreamLabs, LatencyAndEnergyWithinFactor2OfStream) {
  ExpectWithinFactor2(double(r1_->schedule.latency_cycles), 79340);
  ExpectWithinFactor2(r1_->schedule.energy_pJ(), 6143532);
  ExpectWithinFactor2(double(r3_->schedule.latency_cycles), 25614);
  ExpectWithinFactor2(r3_->schedule.energy_pJ(), 1929669);
}

TEST_F(StreamLabs, FusionAtLeastHalvesLayerByLayerLatency) {
  EXPECT_LE(2 * r3_->schedule.latency_cycles, r1_->schedule.latency_cycles);
}

TEST_F(StreamLabs, GaBestNoWorseThanSingleCoreAndRoundRobin) {
  std::vector<std::string> warnings;
  const NodeGraph& g = r3_->graph;
  NodeCostTable costs(lab3_->system, lab3_->workload, g, ScheduleMode::kFused, {});
  costs.Prepare(&warnings);
  const std::vector<Gene> genes = FreeGenes(g);
  ASSERT_EQ(genes.size(), 4u);
  std::vector<std::vector<int>> baselines = {
      {0, 0, 0, 0}, {1, 1, 1, 1}, {2, 2, 2, 2}, {0, 1, 2, 0}};
  for (const std::vector<int>& pick : baselines) {
    SystemSchedule s = Simulate(lab3_->system, lab3_->workload, g, costs, MakeAllocation(g, genes, pick),
                          ScheduleMode::kFused);
    EXPECT_LE(r3_->schedule.latency_cycles, s.latency_cycles);
    // Some point of the Pareto front is at least as good in both objectives.
    bool covered = false;
    for (const ParetoPoint& p : r3_->pareto)
      covered = covered || (p.score.latency_cycles <= s.latency_cycles &&
                            p.score.energy_pJ <= s.energy_pJ() * (1 + 1e-12));
    EXPECT_TRUE(covered);
  }
}

TEST_F(StreamLabs, SameInputsSameJsonAndSavedAllocationReloads) {
  ScheduleResult again = RunSchedule(lab3_->system, lab3_->workload, lab3_->mapping,
                                     Options(ScheduleMode::kFused, AllocationSearch::kGa));
  EXPECT_EQ(Json(*lab3_, again), Json(*lab3_, *r3_));
  LayerMapping saved =
      io::ParseStreamMapping(io::WriteStreamMapping(FixAllocation(lab3_->mapping, lab3_->workload,
                                                                  r3_->graph, r3_->allocation)),
                             "saved.yaml");
  ScheduleResult reloaded = RunSchedule(lab3_->system, lab3_->workload, saved,
                                        Options(ScheduleMode::kFused, AllocationSearch::kFixed));
  EXPECT_EQ(reloaded.allocation, r3_->allocation);
  nlohmann::ordered_json a = ScheduleToJson(lab3_->system, lab3_->workload, reloaded);
  nlohmann::ordered_json b = ScheduleToJson(lab3_->system, lab3_->workload, *r3_);
  for (const char* key : {"search", "evaluations", "pareto", "allocation", "cost_entries"})
    a.erase(key), b.erase(key);
  EXPECT_EQ(DumpJson(a), DumpJson(b));
}

TEST_F(StreamLabs, MilpGivesAValidSchedule) {
  ScheduleResult m = RunSchedule(lab3_->system, lab3_->workload, lab3_->mapping,
                                 Options(ScheduleMode::kFused, AllocationSearch::kMilp));
  ExpectValid(Json(*lab3_, m), lab3_->workload);
}

}  // namespace
}  // namespace tessel

namespace tessel {
namespace {

// Stream's tpu_like_quad_core example (4 TPU-like cores, a pooling and a SIMD core, a ring of
// links, a 128-bit bus to DRAM) with ResNet-18 and Stream's GA mapping file, as they are.
TEST(StreamQuadCore, ResNet18ValidAndGaBeatsTheFixedAllocation) {
  const std::string dir = kData + "/examples";
  Lab lab{io::LoadStreamSystem(dir + "/hardware/tpu_like_quad_core.yaml"),
          io::LoadWorkload(dir + "/workload/resnet18.onnx"),
          io::LoadStreamMapping(dir + "/mapping/tpu_like_quad_core_ga.yaml")};
  ScheduleOptions o = Options(ScheduleMode::kFused, AllocationSearch::kFixed);
  ScheduleResult fixed = RunSchedule(lab.system, lab.workload, lab.mapping, o);
  ExpectValid(Json(lab, fixed), lab.workload);
  o.search = AllocationSearch::kGa;
  ScheduleResult ga = RunSchedule(lab.system, lab.workload, lab.mapping, o);
  ExpectValid(Json(lab, ga), lab.workload);
  EXPECT_LE(ga.schedule.latency_cycles, fixed.schedule.latency_cycles);
  // Pooling layers run on the pooling core (4), additions on the SIMD core (5), as mapped.
  for (const ScheduledNode& s : ga.schedule.nodes) {
    const std::string& op = lab.workload.layer(ga.graph.nodes[s.node].layer).op;
    if (op == "MaxPool" || op == "GlobalAveragePool") EXPECT_EQ(s.core, 4);
    if (op == "Add") EXPECT_EQ(s.core, 5);
  }
}

}  // namespace
}  // namespace tessel

namespace tessel {
namespace {

// tessel's own core form: two cores that are Timeloop's simba_like design (+ its ERT), beside
// lab1's off-chip core in ZigZag's format; both modes give valid schedules.
TEST(TesselCoreForm, TimeloopCoresScheduleValidly) {
  Lab lab{io::LoadStreamSystem(kData + "/tessel_form/two_simba_cores.yaml"),
          io::LoadWorkload(kData + "/lab3/inputs/workload/4_convs.onnx"),
          io::LoadStreamMapping(kData + "/tessel_form/mapping.yaml")};
  ASSERT_TRUE(lab.system.core(0).timeloop.has_value());
  EXPECT_EQ(lab.system.core(0).name, "simba_a");
  EXPECT_EQ(lab.system.core(0).Lanes(), lab.system.core(0).timeloop->arch.arithmetic.instances);
  for (ScheduleMode mode : {ScheduleMode::kFused, ScheduleMode::kLayerByLayer}) {
    ScheduleResult r =
        RunSchedule(lab.system, lab.workload, lab.mapping, Options(mode, AllocationSearch::kGa));
    ExpectValid(Json(lab, r), lab.workload);
  }
}

}  // namespace
}  // namespace tessel

namespace tessel {
namespace {

// K split over the three cores and fused: each output tile is read by the other two cores over
// the one bus, once (a broadcast), and the schedule stays valid counting each bus use once.
TEST(StreamBroadcast, KSplitFusedTilesAreBroadcastOnTheBus) {
  Lab lab = LoadLab("lab2");
  lab.mapping = io::LoadStreamMapping(kData + "/tessel_form/k_split_fused.yaml");
  ScheduleResult r = RunSchedule(lab.system, lab.workload, lab.mapping,
                                 Options(ScheduleMode::kFused, AllocationSearch::kFixed));
  EXPECT_EQ(r.schedule.nodes.size(), 672u);  // 4 layers x 3 K parts x 56 rows
  int broadcasts = 0;
  for (const Transfer& t : r.schedule.transfers) broadcasts += t.broadcast_of >= 0;
  EXPECT_GT(broadcasts, 0);
  ExpectValid(Json(lab, r), lab.workload);
}

}  // namespace
}  // namespace tessel
