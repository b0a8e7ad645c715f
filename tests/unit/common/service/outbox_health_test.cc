// OutboxHealth and OutboxMetrics: the outbox on /healthz and /metrics
// (issue 22 item 1: "/healthz fails when the oldest pending outbox record
// is older than a configured age"; issue 14 item 6: dead letters and
// producer rebuilds "show on /healthz and /metrics").

#include "common/service/outbox_health.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace caserelay::service {
namespace {

using ::testing::HasSubstr;

TEST(OutboxHealthTest, AnswersByTheOldestPendingAgeAndTheProducer) {
  struct Row {
    const char* rule;
    store::OutboxStats stats;
    int code;
    const char* says;
  };
  const absl::Duration max_age = absl::Minutes(2);
  store::OutboxStats idle;
  store::OutboxStats young;
  young.pending = 3;
  young.oldest_pending_age = absl::Seconds(119);
  store::OutboxStats stalled = young;
  stalled.oldest_pending_age = absl::Seconds(121);
  store::OutboxStats down;
  down.producer_ready = false;
  down.producer_error = "sequence desync";
  store::OutboxStats counted;
  counted.dead_lettered = 2;
  counted.producer_rebuilds = 1;
  const std::vector<Row> rows = {
      {"nothing pending: healthy", idle, 200, "outbox: pending 0"},
      {"pending, younger than outbox.max_pending_age: healthy", young, 200,
       "oldest 119s"},
      {"issue 22.1: older than outbox.max_pending_age: 503", stalled, 503,
       "outbox stalled"},
      {"issue 14.6: a producer failed and not rebuilt: 503", down, 503,
       "sequence desync"},
      {"issue 14.6: dead letters and rebuilds show, and are no outage",
       counted, 200, "dead letters 2, producer rebuilds 1"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    admin::HttpResponse r = OutboxHealth(row.stats, max_age);
    EXPECT_EQ(r.status, row.code);
    EXPECT_THAT(r.body, HasSubstr(row.says));
  }
}

// issue 19 item 2 (each partition DB has its own outbox) with issue 22
// item 1: a partitioned service's outbox on /metrics and /healthz is the
// local DB's and every held partition's together.
TEST(SumOutboxStatsTest, ThePartitionsOutboxesCountWithTheLocalOne) {
  struct Row {
    const char* rule;
    std::vector<store::OutboxStats> each;
    uint64_t pending;
    int64_t oldest_seconds;
    uint64_t dead_lettered;
    bool producer_ready;
    const char* error;
  };
  store::OutboxStats local;  // the local DB's: idle
  store::OutboxStats p3;
  p3.pending = 5;
  p3.oldest_pending_age = absl::Seconds(40);
  p3.dead_lettered = 1;
  store::OutboxStats p7;
  p7.pending = 2;
  p7.oldest_pending_age = absl::Seconds(130);
  p7.dead_lettered = 2;
  store::OutboxStats down;
  down.producer_ready = false;
  down.producer_error = "fenced";
  const std::vector<Row> rows = {
      {"no publisher at all: an idle outbox", {}, 0, 0, 0, true, ""},
      {"a single-DB service: the local outbox as it is", {p3}, 5, 40, 1, true,
       ""},
      {"issue 19.2: pending records of held partitions count, summed",
       {local, p3, p7}, 7, 130, 3, true, ""},
      {"issue 22.1: the oldest age is the oldest of any partition",
       {p7, p3}, 7, 130, 3, true, ""},
      {"issue 14.6: one publisher's producer down makes the outbox down",
       {local, down, p3}, 5, 40, 1, false, "fenced"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    const store::OutboxStats sum = SumOutboxStats(row.each);
    EXPECT_EQ(sum.pending, row.pending);
    EXPECT_EQ(absl::ToInt64Seconds(sum.oldest_pending_age),
              row.oldest_seconds);
    EXPECT_EQ(sum.dead_lettered, row.dead_lettered);
    EXPECT_EQ(sum.producer_ready, row.producer_ready);
    EXPECT_EQ(sum.producer_error, row.error);
  }
  // What /healthz makes of the sum: a partition's stalled record fails it
  // although the local outbox is idle.
  EXPECT_EQ(OutboxHealth(SumOutboxStats({local, p7}), absl::Minutes(2)).status,
            503);
}

TEST(OutboxMetricsTest, CountersFollowThePublishersCounts) {
  metrics::Registry registry;
  OutboxMetrics m(&registry);
  store::OutboxStats s;
  s.pending = 4;
  s.oldest_pending_age = absl::Seconds(7);
  s.dead_lettered = 2;
  s.producer_rebuilds = 1;
  m.Update(s);
  m.Update(s);  // a second scrape adds nothing
  s.dead_lettered = 3;
  m.Update(s);
  const std::string text = registry.Render();
  EXPECT_THAT(text, HasSubstr("caserelay_outbox_pending 4"));
  EXPECT_THAT(text, HasSubstr("caserelay_outbox_oldest_pending_seconds 7"));
  EXPECT_THAT(text, HasSubstr("caserelay_outbox_dead_letter_total 3"));
  EXPECT_THAT(text, HasSubstr("caserelay_kafka_producer_rebuilds_total 1"));
}

}  // namespace
}  // namespace caserelay::service
