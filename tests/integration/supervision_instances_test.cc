// Supervision as three instances (issue 19 item 5, "its timers firing only
// while the partition is held"): 2,000 deadlines on case-events, spread
// over the 8 partitions the instances share; the clock jumps so that half
// of them fall due, one instance is SIGKILLed once it has fired, and the
// clock jumps past the rest while it is down. Its partitions move to the
// other two (consumer-group rebalance, restore from supervision-changelog),
// which fire what it had not committed. Then "supervision-events" read from
// its beginning holds every expected output exactly once as an id (a raw
// repeat, the killed instance's unconfirmed outbox published again by the
// new owner, carries the same payload: consumers dedupe by event id).
//
// Only devbroker and three supervision instances run, on a simulated
// clock; the test writes case-events as routing would. It needs
// supervision's partitioned state (services/supervision/definition.cc,
// on: README.md "Partitions"); label scale, not in the default run.
// 4,000/4,000 outputs once, 20-28 s.

#include <signal.h>

#include <atomic>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "caserelay/v1/events.pb.h"
#include "common/kafka/consumer.h"
#include "common/kafka/producer.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"
#include "tests/integration/supervision_watch.h"

namespace caserelay::testing {
namespace {

using caserelay::v1::Envelope;

constexpr int kCases = 2000;
constexpr char kMissed[] =
    "caserelay_supervision_timers_fired_total{kind=\"miss\"}";

// 2026-06-01 09:00 China time.
const absl::Time kStart =
    absl::FromCivil(absl::CivilSecond(2026, 6, 1, 9, 0, 0), time::ChinaTimeZone());

// Case i: a 15-day TRANSFER deadline of 沁源县信访局 (Art. 22), due
// start + 1 d + i minutes (so the first jump, to + 1 d + kCases/2 min,
// makes half of them due); its miss issues a 督办函 from 长治市信访局.
struct Planned {
  std::string case_id;
  absl::Time started, due;
  std::string deadline_id() const {
    return absl::StrCat(case_id, "/transfer/", absl::ToUnixMicros(started));
  }
};

Planned Plan(int i) {
  Planned p;
  p.due = kStart + absl::Hours(24) + i * absl::Minutes(1);
  p.started = p.due - absl::Hours(24 * 15);
  p.case_id =
      absl::StrCat("140431-", absl::FormatTime("%Y%m%d", p.started, time::ChinaTimeZone()),
                   "-", absl::StrFormat("%06d", i + 1));
  return p;
}

Envelope RegisterEvent(const Planned& p) {
  RegisteredCase c;
  c.case_id = p.case_id;
  c.started = p.started;
  c.due = p.due;
  return RegisterEvent(c);
}

TEST(SupervisionInstancesTest, EveryDeadlineFiresOnceWhenAnInstanceIsKilled) {
  SystemOptions options;
  options.services = {"supervision"};
  options.instances = {{"supervision", 3}};
  options.simulated_start = kStart;
  // Warnings off: the jumps pass every due at once, and a deadline already
  // due gets no warning anyway (README.md "Produces").
  options.settings["supervision"] = {{"supervision.warning_before", "0"}};
  auto started = System::Start(options);
  ASSERT_TRUE(started.ok()) << started.status();
  System& sys = **started;
  const std::vector<std::string> instances = sys.Instances("supervision");
  ASSERT_EQ(instances.size(), 3u);

  // 1. Arm: kCases new cases on case-events, keyed by case id.
  std::atomic<int> failed{0};
  auto producer = kafka::CreateKafkaProducer(
      {sys.bootstrap(), "instances-test", {}, absl::Seconds(10)},
      [&failed](const kafka::DeliveryReport& r) {
        if (!r.status.ok()) ++failed;
      });
  ASSERT_TRUE(producer.ok()) << producer.status();
  std::set<std::string> expected;
  for (int i = 0; i < kCases; ++i) {
    const Planned p = Plan(i);
    ASSERT_TRUE((*producer)
                    ->Produce("case-events", p.case_id,
                              RegisterEvent(p).SerializeAsString(), i)
                    .ok());
    expected.insert(absl::StrCat("supervision/", p.deadline_id(), "/missed"));
    expected.insert(
        absl::StrCat("supervision/", p.case_id, "/supervision/1/issued"));
  }
  ASSERT_TRUE((*producer)->Flush(absl::Seconds(30)).ok());
  ASSERT_EQ(failed.load(), 0) << "case-events not delivered";
  const std::string applied =
      "caserelay_events_applied_total{loop=\"case-events\"}";
  auto applied_all = [&] {
    double n = 0;
    for (const std::string& name : instances) {
      n += MetricOr0(sys, name, applied);
    }
    return n;
  };
  absl::Time give_up = absl::Now() + Scaled(absl::Seconds(120));
  while (applied_all() < kCases && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(200));
  }
  ASSERT_EQ(applied_all(), kCases) << "every case applied by some instance";
  for (const std::string& name : instances) {
    EXPECT_GT(MetricOr0(sys, name, applied), 0)
        << name << " holds no partition: the group did not share them";
  }

  // 2. Half of the deadlines fall due; supervision#2 is killed once it has
  // fired, then the rest fall due while it is down.
  sys.clock().Set(kStart + absl::Hours(24) + (kCases / 2) * absl::Minutes(1));
  give_up = absl::Now() + Scaled(absl::Seconds(60));
  while (MetricOr0(sys, "supervision#2", kMissed) == 0 &&
         absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  ASSERT_GT(MetricOr0(sys, "supervision#2", kMissed), 0)
      << "supervision#2 fired nothing before its kill";
  sys.Kill("supervision#2", SIGKILL);
  sys.clock().Set(kStart + absl::Hours(24) + kCases * absl::Minutes(1));

  // 3. supervision-events from its beginning, until every expected id is
  // in (the killed instance's partitions move after the group's session
  // timeout and a restore) or nothing new comes for 30 s.
  kafka::ConsumerOptions co;
  co.bootstrap = sys.bootstrap();
  co.group_id = absl::StrCat("instances-test-check-", getpid());
  co.topics = {"supervision-events"};
  auto reader = kafka::CreateKafkaConsumer(
      co, [](const std::string&, int32_t) { return std::nullopt; });
  ASSERT_TRUE(reader.ok()) << reader.status();
  std::map<std::string, std::string> payload_of;
  size_t raw = 0, different = 0;
  absl::Time last_new = absl::Now();
  while (absl::Now() - last_new < Scaled(absl::Seconds(30))) {
    auto batch = (*reader)->Poll(5000, absl::Milliseconds(200));
    ASSERT_TRUE(batch.ok()) << batch.status();
    for (const auto& m : *batch) {
      Envelope e;
      ASSERT_TRUE(e.ParseFromString(m.value));
      ++raw;
      const std::string payload = e.SerializeAsString();
      auto [it, fresh] = payload_of.emplace(e.event_id(), payload);
      if (fresh) {
        last_new = absl::Now();
      } else if (it->second != payload) {
        ++different;  // a repeat must be the same event
      }
    }
    if (payload_of.size() >= expected.size() &&
        absl::Now() - last_new > absl::Seconds(3)) {
      break;
    }
  }
  size_t missing = 0;
  for (const std::string& id : expected) {
    if (!payload_of.count(id) && ++missing <= 5) {
      ADD_FAILURE() << "never published: " << id;
    }
  }
  size_t unexpected = 0;
  for (const auto& [id, payload] : payload_of) {
    if (!expected.count(id) && ++unexpected <= 5) {
      ADD_FAILURE() << "not expected: " << id;
    }
  }
  EXPECT_EQ(missing, 0u);
  EXPECT_EQ(unexpected, 0u);
  EXPECT_EQ(different, 0u) << "a repeated event id with another payload";
  EXPECT_EQ(payload_of.size(), expected.size());
  std::printf("%zu distinct outputs (%d misses, %d 督办函), %zu raw\n",
              payload_of.size(), kCases, kCases, raw);
}

}  // namespace
}  // namespace caserelay::testing
