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
