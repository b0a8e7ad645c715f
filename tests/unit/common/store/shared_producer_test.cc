// Tests of kafka::SharedProducer (common/kafka/shared_producer.h), the one
// producer every partition's outbox publishes through, over the store
// tests' FakeProducer (whose reports the test sends).

#include "common/kafka/shared_producer.h"

#include <map>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/unit/common/store/fake_producer.h"

namespace caserelay::kafka {
namespace {

using store::testing::FakeProducer;
using store::testing::FakeProducerFactory;

// Collects one view's reports.
struct Reports {
  absl::Mutex mu;
  std::vector<DeliveryReport> got;
  DeliveryCallback Callback() {
    return [this](const DeliveryReport& r) {
      absl::MutexLock lock(&mu);
      got.push_back(r);
    };
  }
  std::vector<DeliveryReport> Take() {
    absl::MutexLock lock(&mu);
    return got;
  }
};

TEST(SharedProducerTest, ViewsShareOneProducerAndKeepTheirOwnTokens) {
  // contract item 2: "publishing may share one producer"; each partition's
  // outbox numbers its records from 1, so tokens collide across views.
  FakeProducer* fake = nullptr;
  int built = 0;
  auto factory = FakeProducerFactory(&fake);
  SharedProducer shared([&](DeliveryCallback cb) {
    ++built;
    return factory(std::move(cb));
  });
  Reports first;
  Reports second;
  auto a = shared.Attach(first.Callback());
  auto b = shared.Attach(second.Callback());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(built, 1);
  ASSERT_TRUE((*a)->ProduceRecord({"t-changelog", 1, "k", "a"}, 1).ok());
  ASSERT_TRUE(
      (*b)->ProduceRecord({"t-changelog", 2, "k", std::nullopt}, 1).ok());
  ASSERT_EQ(fake->produced().size(), 2u);
  EXPECT_EQ(fake->produced()[0].partition, 1);
  EXPECT_TRUE(fake->produced()[1].null_value);
  EXPECT_EQ((*a)->Flush(absl::ZeroDuration()).code(),
            absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(fake->DeliverAll(absl::OkStatus()), 2);
  ASSERT_EQ(first.Take().size(), 1u);
  ASSERT_EQ(second.Take().size(), 1u);
  EXPECT_EQ(first.Take()[0].token, 1u);
  EXPECT_EQ(second.Take()[0].token, 1u);
  EXPECT_TRUE((*a)->Flush(absl::ZeroDuration()).ok());
}

TEST(SharedProducerTest, AFatalErrorBuildsANewGenerationOnTheNextAttach) {
  // contract item 2 with outbox_publisher.h: a fatal producer is rebuilt.
  FakeProducer* fake = nullptr;
  int built = 0;
  auto factory = FakeProducerFactory(&fake);
  SharedProducer shared([&](DeliveryCallback cb) {
    ++built;
    return factory(std::move(cb));
  });
  Reports reports;
  auto a = shared.Attach(reports.Callback());
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE((*a)->Produce("t", "k", "v", 7).ok());
  fake->DeliverAll(absl::InternalError("fatal"));
  EXPECT_EQ((*a)->Produce("t", "k", "v", 8).code(), absl::StatusCode::kInternal)
      << "every view of a failed producer reports INTERNAL";
  a->reset();
  auto again = shared.Attach(reports.Callback());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(built, 2);
  EXPECT_TRUE((*again)->Produce("t", "k", "v", 8).ok());
}

TEST(SharedProducerTest, AClosedViewReportsWhatIsLeftCancelled) {
  FakeProducer* fake = nullptr;
  SharedProducer shared(FakeProducerFactory(&fake));
  Reports reports;
  auto a = shared.Attach(reports.Callback());
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE((*a)->Produce("t", "k", "v", 5).ok());
  a->reset();  // waits a moment, then gives up on token 5
  std::vector<DeliveryReport> got = reports.Take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].token, 5u);
  EXPECT_EQ(got[0].status.code(), absl::StatusCode::kCancelled);
  // The late report of the real producer goes nowhere.
  EXPECT_EQ(fake->DeliverAll(absl::OkStatus()), 1);
  EXPECT_EQ(reports.Take().size(), 1u);
}

}  // namespace
}  // namespace caserelay::kafka
