// ConsumeLoop on a store whose disk fails (issue 14 item 6: "on each [write
// error, full disk, failed fsync], the service stops taking input, reports
// unhealthy on /healthz, loses nothing and resumes when the fault clears").
// The real loop, a real Store through FaultFileSystem, the real publisher
// over a FakeProducer, a scripted consumer.

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/service/store_health.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/common/service/consume_loop_fixture.h"
#include "tests/unit/common/store/fault_file_system.h"

namespace caserelay::service {
namespace {

using ::caserelay::service::testing::ConsumeLoopTest;
using ::caserelay::service::testing::Envelope;
using ::caserelay::service::testing::Event;
using ::caserelay::service::testing::Eventually;
using ::caserelay::service::testing::kTopic;
using ::caserelay::service::testing::StoredOffset;
using ::caserelay::store::testing::FaultFileSystem;
using ::caserelay::store::testing::InjectedFault;
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Optional;

struct FaultRow {
  InjectedFault fault;
  const char* kind;  // store::StoreFault::kind, as /healthz and /metrics say
};

// Issue 14 item 6: the three faults it names.
const FaultRow kFaults[] = {
    {InjectedFault::kWriteError, "write_error"},
    {InjectedFault::kNoSpace, "no_space"},
    {InjectedFault::kSyncError, "sync_error"},
};

class ConsumeLoopFaultTest : public ConsumeLoopTest,
                             public ::testing::WithParamInterface<FaultRow> {
 protected:
  void SetUp() override {
    fs_ = std::make_shared<FaultFileSystem>();
    file_system_ = fs_;
    OpenStore();
    ConsumeLoopOptions options;
    options.retry_initial = absl::Milliseconds(1);
    options.retry_max = absl::Milliseconds(20);
    options.stuck_after = 3;
    CreateLoop(options);
  }

  // How many times each event id reached the producer.
  std::map<std::string, int> ProducedIds() {
    std::map<std::string, int> ids;
    for (const auto& r : producer_->produced()) {
      Envelope e;
      EXPECT_TRUE(e.ParseFromString(r.value));
      ++ids[e.event_id()];
    }
    return ids;
  }

  std::shared_ptr<FaultFileSystem> fs_;
};

TEST_P(ConsumeLoopFaultTest, StopsTakingInputAndResumesWithNothingLost) {
  consumer_->AddBatch({Event(0, "e0")});
  ASSERT_TRUE(loop_->RunOnce().ok());

  fs_->Inject(GetParam().fault);
  consumer_->AddBatch({Event(1, "e1"), Event(2, "e2")});
  consumer_->AddBatch({Event(3, "e3")});
  loop_->Start();

  // Unhealthy, with the reason, on the loop and on the store.
  ASSERT_TRUE(Eventually([&] { return !loop_->healthy(); }));
  EXPECT_THAT(loop_->Health(), HasSubstr("stuck: commit failed"));
  const std::string store_health = StoreHealth(*store_);
  EXPECT_THAT(store_health, HasSubstr(absl::StrCat("(", GetParam().kind, ")")));
  EXPECT_THAT(store_health, HasSubstr("takes no input"));
  metrics::Registry registry;
  StoreMetrics store_metrics(&registry);
  store_metrics.Update(*store_);
  EXPECT_THAT(registry.Render(),
              HasSubstr(absl::StrCat("caserelay_store_fault{kind=\"",
                                     GetParam().kind, "\"} 1")));
  // Nothing past the stored input is taken, committed or published: the
  // loop holds the failed batch and polls no more.
  absl::SleepFor(absl::Milliseconds(200));
  EXPECT_EQ(consumer_->batches_left(), 1u);
  EXPECT_THAT(StoredOffset(*store_, kTopic, 0), Optional(1));
  EXPECT_EQ(Read("cases", "case-1"), std::optional<std::string>("e0;"));
  EXPECT_THAT(ProducedIds(), ElementsAre(::testing::Pair("e0/routed", 1)));

  fs_->Clear();
  ASSERT_TRUE(Eventually([&] {
    return loop_->healthy() && StoredOffset(*store_, kTopic, 0) == 4;
  }));
  loop_->Stop();
  EXPECT_THAT(StoreHealth(*store_), IsEmpty());
  store_metrics.Update(*store_);
  EXPECT_THAT(registry.Render(),
              HasSubstr(absl::StrCat("caserelay_store_fault{kind=\"",
                                     GetParam().kind, "\"} 0")));
  EXPECT_THAT(registry.Render(), HasSubstr("caserelay_store_reopens_total 1"));
  // Every input applied exactly once, every output published.
  EXPECT_EQ(Read("cases", "case-1"),
            std::optional<std::string>("e0;e1;e2;e3;"));
  ASSERT_TRUE(Eventually([&] { return ProducedIds().size() == 4; }));
  std::map<std::string, int> produced = ProducedIds();
  EXPECT_THAT(
      produced,
      ElementsAre(::testing::Key("e0/routed"), ::testing::Key("e1/routed"),
                  ::testing::Key("e2/routed"), ::testing::Key("e3/routed")));
  // Once each; after a failed fsync the batch may have reached the disk
  // and be committed again: a copy (dropped by event id downstream).
  for (const auto& [id, times] : produced) {
    const int most = GetParam().fault == InjectedFault::kSyncError ? 2 : 1;
    EXPECT_GE(times, 1) << id;
    EXPECT_LE(times, most) << id;
  }
  EXPECT_EQ(CounterValue("caserelay_events_dead_letter_total"), 0u);
}

INSTANTIATE_TEST_SUITE_P(Faults, ConsumeLoopFaultTest,
                         ::testing::ValuesIn(kFaults), [](const auto& info) {
                           return std::string(info.param.kind);
                         });

}  // namespace
}  // namespace caserelay::service
