// BulletinLog (issue 19: statistics as several instances) against
// librdkafka's in-process mock cluster, with real stores and outboxes:
// instances that record their bulletins on statistics-bulletins and follow
// it hold the same bulletins, and a race between two of them is decided
// by the topic's order (the first record of an id, and of a number, wins
// everywhere); a new instance applies everything recorded before.
#include "services/statistics/bulletins/bulletin_log.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/kafka/producer.h"
#include "common/time/timestamp.h"
#include "gtest/gtest.h"
#include "tests/unit/common/kafka/mock_cluster.h"

namespace caserelay::bulletins {
namespace {

namespace v1 = caserelay::v1;

// One statistics instance's bulletins: its store, outbox and follower.
struct Instance {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<BulletinStore> bulletins;
  std::unique_ptr<store::OutboxPublisher> publisher;
  std::unique_ptr<BulletinLog> log;
};

std::unique_ptr<Instance> Open(const std::string& name,
                               const std::string& bootstrap) {
  auto instance = std::make_unique<Instance>();
  const std::string path = ::testing::TempDir() + "bulletin_log_" + name;
  std::filesystem::remove_all(path);
  store::StoreOptions options;
  options.path = path;
  options.sync = false;
  options.column_families = {kBulletinsFamily};
  auto opened = store::Store::Open(options);
  EXPECT_TRUE(opened.ok()) << opened.status();
  if (!opened.ok()) return nullptr;
  instance->store = *std::move(opened);
  instance->bulletins = std::make_unique<BulletinStore>(instance->store.get());
  auto publisher = store::OutboxPublisher::Create(
      instance->store.get(), [bootstrap](kafka::DeliveryCallback callback) {
        kafka::ProducerOptions producer;
        producer.bootstrap = bootstrap;
        return kafka::CreateKafkaProducer(producer, std::move(callback));
      });
  EXPECT_TRUE(publisher.ok()) << publisher.status();
  if (!publisher.ok()) return nullptr;
  instance->publisher = *std::move(publisher);
  auto reader = kafka::CreateKafkaPartitionReader({bootstrap, name, {}});
  EXPECT_TRUE(reader.ok()) << reader.status();
  if (!reader.ok()) return nullptr;
  auto log = BulletinLog::Create(instance->store.get(),
                                 instance->bulletins.get(),
                                 instance->publisher.get(), *std::move(reader));
  EXPECT_TRUE(log.ok()) << log.status();
  if (!log.ok()) return nullptr;
  instance->log = *std::move(log);
  instance->log->Start();
  return instance;
}

// The province bureau's daily of `first_day` (2026-03-DD), 第`number`期,
// issued at second `issued` of the epoch.
v1::Bulletin Daily(int first_day, int number, int64_t issued,
                   bool scheduled = true) {
  v1::Bulletin record;
  const std::string day = absl::StrFormat("2026-03-%02d", first_day);
  record.set_id(absl::StrCat("140000:bureau/daily/", day));
  record.set_bureau_code("140000:bureau");
  record.set_kind(v1::BULLETIN_KIND_DAILY);
  record.set_first_day(day);
  record.set_last_day(day);
  record.set_due_day(day);
  record.set_year(2026);
  record.set_number(number);
  record.set_title(absl::StrCat("每日信访 2026年第", number, "期"));
  *record.mutable_issued_at() = time::ToProto(absl::FromUnixSeconds(issued));
  record.set_scheduled(scheduled);
  return record;
}

Documents Docs(const std::string& tag) {
  return {"<p>" + tag + "</p>", "%PDF " + tag, "信访总量," + tag + "\r\n"};
}

// Waits until `instance` has applied every record on the topic now.
void AwaitCaughtUp(const Instance& instance) {
  const absl::Time now = absl::Now();
  const absl::Time until = now + absl::Seconds(30);
  while (instance.log->CaughtUpAt() <= now && absl::Now() < until) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  ASSERT_GT(instance.log->CaughtUpAt(), now);
}

std::vector<std::string> Ids(const Instance& instance) {
  auto page = instance.bulletins->List("140000:bureau", std::nullopt, 0, 50, "");
  EXPECT_TRUE(page.ok()) << page.status();
  std::vector<std::string> ids;
  if (page.ok()) {
    for (const v1::Bulletin& b : page->bulletins) ids.push_back(b.id());
  }
  return ids;
}

TEST(BulletinLogTest, EveryInstanceKeepsTheFirstRecordOfAnIdAndOfANumber) {
  kafka::testing::MockCluster cluster(1);
  ASSERT_EQ(cluster.CreateTopic(kBulletinsTopic, 1),
            RD_KAFKA_RESP_ERR_NO_ERROR);
  std::unique_ptr<Instance> a = Open("a", cluster.bootstrap());
  std::unique_ptr<Instance> b = Open("b", cluster.bootstrap());
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);

  // A records the daily of 03-09 as 第1期.
  absl::StatusOr<Issued> first = a->log->Record(Daily(9, 1, 100), Docs("a"));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->already_issued);
  // B made the same bulletin at once (a lease moving): A's is the one.
  absl::StatusOr<Issued> twice = b->log->Record(Daily(9, 1, 200), Docs("b"));
  ASSERT_TRUE(twice.ok()) << twice.status();
  EXPECT_TRUE(twice->already_issued);
  EXPECT_EQ(twice->bulletin.issued_at().seconds(), 100);
  // B's next daily with a number already taken is passed over: made again.
  absl::StatusOr<Issued> taken = b->log->Record(Daily(10, 1, 300), Docs("b"));
  EXPECT_EQ(taken.status().code(), absl::StatusCode::kAborted);
  absl::StatusOr<Issued> second = b->log->Record(Daily(10, 2, 300), Docs("b"));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_FALSE(second->already_issued);

  // Both hold the same bulletins, bytes and schedule cursor.
  ASSERT_NO_FATAL_FAILURE(AwaitCaughtUp(*a));
  const std::vector<std::string> want = {"140000:bureau/daily/2026-03-10",
                                         "140000:bureau/daily/2026-03-09"};
  for (const Instance* instance : {a.get(), b.get()}) {
    EXPECT_EQ(Ids(*instance), want);
    auto html = instance->bulletins->Document("140000:bureau/daily/2026-03-09",
                                              v1::BULLETIN_FORMAT_HTML);
    ASSERT_TRUE(html.ok()) << html.status();
    EXPECT_EQ(*html, "<p>a</p>");
    auto cursor =
        instance->bulletins->ScheduleCursor("140000:bureau", BulletinKind::kDaily);
    ASSERT_TRUE(cursor.ok()) << cursor.status();
    ASSERT_TRUE(cursor->has_value());
    EXPECT_EQ(**cursor, absl::CivilDay(2026, 3, 10));
  }

  // A new instance applies everything recorded before it came.
  std::unique_ptr<Instance> c = Open("c", cluster.bootstrap());
  ASSERT_NE(c, nullptr);
  ASSERT_NO_FATAL_FAILURE(AwaitCaughtUp(*c));
  EXPECT_EQ(Ids(*c), want);
  for (const auto& instance : {a.get(), b.get(), c.get()}) {
    instance->log->Stop();
  }
}

}  // namespace
}  // namespace caserelay::bulletins
