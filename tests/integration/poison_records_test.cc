// Poison records (issue 14 item 5: "A poison record on any topic goes to
// the dead letters with its reason and never stops or crash-loops a
// service (one test per service)"). For each service and every topic it
// consumes, through the real processes: bytes that are no Envelope, an
// Envelope whose payload does not belong on the topic, and an oversized
// one (≈900 kB, under the producers' 1 MB limit) are each kept in the
// service's dead letters under their own "<topic>/<partition>/<offset>"
// with the reason; /healthz stays 200; and a good record produced after
// them is applied (its effect is seen through the service's API).

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "caserelay/v1/events.pb.h"
#include "common/kafka/producer.h"
#include "common/time/timestamp.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"

namespace caserelay::testing {
namespace {

namespace v1 = caserelay::v1;

constexpr char kDeadLetters[] = "caserelay_events_dead_letter_total";
// Under kafka.max_message_bytes (1,000,000) of the producers, far above
// any record the services write.
constexpr size_t kOversized = 900 * 1000;

// One record to put on a topic, and the reason its dead letter must give.
struct Poison {
  std::string what;
  std::string topic;
  std::string value;
  std::string reason;
};

Poison Garbage(const std::string& topic) {
  return {"bytes that are no Envelope on " + topic, topic,
          "\xff\xff\xff poison: not a protobuf",
          "INVALID_ARGUMENT: not an Envelope"};
}

// An Envelope of case `case_id` with `payload` set by `set`.
v1::Envelope PoisonEnvelope(const std::string& case_id,
                            const std::function<void(v1::Envelope&)>& set) {
  v1::Envelope e;
  e.set_event_id(absl::StrCat("poison/", case_id));
  e.set_case_id(case_id);
  e.set_sequence(1);
  e.set_producer("poison-test");
  e.mutable_occurred_at()->set_seconds(absl::ToUnixSeconds(absl::Now()));
  set(e);
  return e;
}

// The three poisons for a consumer of case-events: garbage, an SmsSent,
// and an oversized PetitionReceived (its text ≈900 kB).
std::vector<Poison> CaseEventsPoisons() {
  const std::string topic = "case-events";
  v1::Envelope sms = PoisonEnvelope(
      "140431-20261206-990101", [](v1::Envelope& e) { e.mutable_sms_sent(); });
  v1::Envelope big =
      PoisonEnvelope("140431-20261206-990102", [](v1::Envelope& e) {
        e.mutable_petition_received()->mutable_matter()->set_text(
            std::string(kOversized, 'x'));
      });
  return {
      Garbage(topic),
      {"an SmsSent on case-events", topic, sms.SerializeAsString(),
       "carries sms_sent, not case_event"},
      {"an oversized PetitionReceived on case-events", topic,
       big.SerializeAsString(), "carries petition_received, not case_event"}};
}

// Produces `records` (key, topic, value) in order; returns the dead-letter
// key of each ("<topic>/<partition>/<offset>").
std::vector<std::string> ProduceAll(
    const System& system,
    const std::vector<std::pair<std::string, Poison>>& records) {
  absl::Mutex mu;
  std::map<uint64_t, std::string> keys;
  int failed = 0;
  auto producer = kafka::CreateKafkaProducer(
      {system.bootstrap(), "poison-records-test", {}, absl::Seconds(10)},
      [&](const kafka::DeliveryReport& r) {
        absl::MutexLock lock(&mu);
        if (!r.status.ok()) {
          ++failed;
          return;
        }
        keys[r.token] = absl::StrCat(r.topic, "/", r.partition, "/", r.offset);
      });
  EXPECT_TRUE(producer.ok()) << producer.status();
  if (!producer.ok()) return {};
  for (size_t i = 0; i < records.size(); ++i) {
    const auto& [key, record] = records[i];
    EXPECT_TRUE(
        (*producer)->Produce(record.topic, key, record.value, i + 1).ok())
        << record.what;
  }
  EXPECT_TRUE((*producer)->Flush(absl::Seconds(30)).ok());
  absl::MutexLock lock(&mu);
  EXPECT_EQ(failed, 0);
  std::vector<std::string> out;
  for (size_t i = 0; i < records.size(); ++i) out.push_back(keys[i + 1]);
  return out;
}

// Produces each poison (keyed by a case id of its own), waits until the
// service lists each as a dead letter with its reason, and checks the
// service is healthy and counted exactly these.
void ExpectDeadLettered(System& system, const std::string& service,
                        const std::vector<Poison>& poisons) {
  auto before = system.MetricSum(service, kDeadLetters);
  ASSERT_TRUE(before.ok()) << before.status();
  std::vector<std::pair<std::string, Poison>> records;
  for (size_t i = 0; i < poisons.size(); ++i) {
    records.push_back({absl::StrCat("poison-", i), poisons[i]});
  }
  const std::vector<std::string> keys = ProduceAll(system, records);
  ASSERT_EQ(keys.size(), poisons.size());

  std::map<std::string, std::string> listed;  // key -> the line's rest
  absl::StatusOr<std::string> list;
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (absl::Now() < deadline) {
    list = system.AdminGet(service, "/dead-letters");
    ASSERT_TRUE(list.ok()) << service
                           << " stopped answering: " << list.status();
    listed.clear();
    for (absl::string_view line : absl::StrSplit(*list, '\n')) {
      std::vector<std::string> fields = absl::StrSplit(line, '\t');
      if (fields.size() >= 2) listed[fields[0]] = fields[1];
    }
    bool all = true;
    for (const std::string& key : keys) all = all && listed.count(key) > 0;
    if (all) break;
    absl::SleepFor(absl::Milliseconds(200));
  }
  for (size_t i = 0; i < poisons.size(); ++i) {
    SCOPED_TRACE(absl::StrCat(service, ": ", poisons[i].what));
    ASSERT_TRUE(listed.count(keys[i])) << keys[i] << " not in\n" << *list;
    EXPECT_TRUE(absl::StrContains(listed[keys[i]], poisons[i].reason))
        << listed[keys[i]];
  }
  EXPECT_FALSE(absl::StrContains(*list, "poison: not a protobuf"))
      << "the record itself is never shown";
  auto after = system.MetricSum(service, kDeadLetters);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(*after - *before, static_cast<double>(poisons.size()));
  auto health = system.Healthz(service);
  ASSERT_TRUE(health.ok()) << health.status();
  EXPECT_EQ(*health, 200);
}

// Polls `done` (every 100 ms, up to 30 s); true once it returned true.
bool Eventually(const std::function<bool()>& done) {
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (absl::Now() < deadline) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(100));
  }
  return done();
}

// routing's REGISTER of a new case (sequence 1), as consumers of
// case-events see it, with the holder's TRANSFER deadline.
v1::Envelope Registered(const std::string& case_id) {
  const int64_t now = absl::ToUnixSeconds(absl::Now());
  v1::Envelope e;
  e.set_event_id(absl::StrCat("routing/", case_id, "/1"));
  e.set_case_id(case_id);
  e.set_sequence(1);
  e.set_producer("routing");
  e.mutable_occurred_at()->set_seconds(now);
  v1::CaseEvent* c = e.mutable_case_event();
  c->set_action(v1::CASE_ACTION_REGISTER);
  c->set_actor_office_code("routing");
  c->set_from_state(v1::CASE_STATE_RECEIVED);
  c->set_to_state(v1::CASE_STATE_REGISTERED);
  c->set_holder_office_code("140431:bureau");
  c->set_holder_office_name("沁源县信访局");
  v1::RouteDecision* d = c->mutable_decision();
  d->set_disposition(v1::DISPOSITION_TRANSFER);
  d->set_target_office_code("140431:labour");
  d->set_target_office_name("沁源县人力资源和社会保障局");
  d->set_registering_office_code("140431:bureau");
  d->set_registering_office_name("沁源县信访局");
  c->mutable_petitioner()->set_id(absl::StrCat("P", case_id));
  c->set_channel(v1::CHANNEL_ONLINE);
  c->set_region_code("140431");
  c->set_category("labour");
  c->set_matter_class(v1::MATTER_CLASS_CLAIM);
  c->mutable_received_at()->set_seconds(now);
  v1::RunningDeadline* transfer = c->add_deadlines();
  transfer->set_kind(v1::DEADLINE_KIND_TRANSFER);
  transfer->set_office_code("140431:bureau");
  transfer->mutable_started_at()->set_seconds(now);
  transfer->mutable_due_at()->set_seconds(now + 15 * 86400);
  return e;
}

void ProduceGood(const System& system, const std::string& topic,
                 const v1::Envelope& event) {
  ProduceAll(system,
             {{event.case_id(),
               {"the good record", topic, event.SerializeAsString(), ""}}});
}

TEST(PoisonRecordsTest, IntakeDeadLettersPoisonOnCaseEventsAndGoesOn) {
  SystemOptions options;
  options.services = {"intake"};
  auto sys = System::Start(options);
  ASSERT_TRUE(sys.ok()) << sys.status();
  System& system = **sys;
  ExpectDeadLettered(system, "intake", CaseEventsPoisons());

  // The next good record: a REGISTER of a petition intake stored moves
  // its read model, which the petitioner's look-up shows.
  v1::SubmitPetitionResponse submitted;
  {
    grpc::ClientContext ctx;
    grpc::Status s = system.intake().SubmitPetition(
        &ctx, SamplePetition("140431100", 1), &submitted);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  ProduceGood(system, "case-events", Registered(submitted.case_number()));
  v1::GetCaseStatusResponse status;
  EXPECT_TRUE(Eventually([&] {
    grpc::ClientContext ctx;
    v1::GetCaseStatusRequest req;
    req.set_case_number(submitted.case_number());
    req.set_lookup_code(submitted.lookup_code());
    return system.intake().GetCaseStatus(&ctx, req, &status).ok() &&
           status.state() == v1::CASE_STATE_REGISTERED;
  })) << status.DebugString();
  EXPECT_EQ(*system.Healthz("intake"), 200);
}

TEST(PoisonRecordsTest, RoutingDeadLettersPoisonOnBothTopicsAndGoesOn) {
  SystemOptions options;
  options.services = {"routing"};
  auto sys = System::Start(options);
  ASSERT_TRUE(sys.ok()) << sys.status();
  System& system = **sys;
  const std::string wrong = "routing: expected PetitionReceived";
  v1::Envelope sms = PoisonEnvelope(
      "140431-20261206-990201", [](v1::Envelope& e) { e.mutable_sms_sent(); });
  v1::Envelope big =
      PoisonEnvelope("140431-20261206-990202", [](v1::Envelope& e) {
        e.mutable_case_event()->set_reason(std::string(kOversized, 'x'));
      });
  ExpectDeadLettered(
      system, "routing",
      {Garbage("petitions"),
       {"an SmsSent on petitions", "petitions", sms.SerializeAsString(), wrong},
       {"an oversized CaseEvent on petitions", "petitions",
        big.SerializeAsString(), wrong},
       Garbage("supervision-events"),
       {"an SmsSent on supervision-events", "supervision-events",
        sms.SerializeAsString(), wrong},
       {"an oversized CaseEvent on supervision-events", "supervision-events",
        big.SerializeAsString(), wrong}});

  // The next good record: a petition is registered.
  const std::string case_id = "140431-20261206-990203";
  v1::Envelope petition;
  petition.set_event_id(absl::StrCat("intake/", case_id, "/received"));
  petition.set_case_id(case_id);
  petition.set_producer("intake");
  const int64_t now = absl::ToUnixSeconds(absl::Now());
  petition.mutable_occurred_at()->set_seconds(now);
  v1::PetitionReceived* p = petition.mutable_petition_received();
  p->set_case_number(case_id);
  p->mutable_petitioner()->set_id(absl::StrCat("P", case_id));
  *p->mutable_matter() = SamplePetition("140431100", 2).matter();
  p->mutable_received_at()->set_seconds(now);
  ProduceGood(system, "petitions", petition);
  v1::CaseDetail detail;
  EXPECT_TRUE(Eventually([&] {
    grpc::ClientContext ctx;
    v1::GetCaseRequest req;
    req.set_case_id(case_id);
    return system.routing().GetCase(&ctx, req, &detail).ok();
  })) << case_id
      << " was not registered";
  EXPECT_EQ(detail.view().state(), v1::CASE_STATE_REGISTERED);
  EXPECT_EQ(*system.Healthz("routing"), 200);
}

TEST(PoisonRecordsTest, SupervisionDeadLettersPoisonOnCaseEventsAndGoesOn) {
  SystemOptions options;
  options.services = {"supervision"};
  auto sys = System::Start(options);
  ASSERT_TRUE(sys.ok()) << sys.status();
  System& system = **sys;
  ExpectDeadLettered(system, "supervision", CaseEventsPoisons());

  // The next good record: a REGISTER arms the holder's transfer deadline.
  const std::string case_id = "140431-20261206-990301";
  ProduceGood(system, "case-events", Registered(case_id));
  v1::ListDeadlinesResponse deadlines;
  EXPECT_TRUE(Eventually([&] {
    grpc::ClientContext ctx;
    v1::ListDeadlinesRequest req;
    req.set_case_id(case_id);
    return system.supervision().ListDeadlines(&ctx, req, &deadlines).ok() &&
           deadlines.deadlines_size() == 1;
  })) << deadlines.DebugString();
  EXPECT_EQ(*system.Healthz("supervision"), 200);
}

TEST(PoisonRecordsTest, StatisticsDeadLettersPoisonOnCaseEventsAndGoesOn) {
  SystemOptions options;
  options.services = {"statistics"};
  auto sys = System::Start(options);
  ASSERT_TRUE(sys.ok()) << sys.status();
  System& system = **sys;
  ExpectDeadLettered(system, "statistics", CaseEventsPoisons());

  // The next good record: a REGISTER counts one petition of 沁源县 today,
  // and no poison counted anything.
  const std::string case_id = "140431-20261206-990501";
  ProduceGood(system, "case-events", Registered(case_id));
  v1::GetVolumeResponse volume;
  EXPECT_TRUE(Eventually([&] {
    grpc::ClientContext ctx;
    v1::GetVolumeRequest req;
    req.mutable_scope()->set_region_code("140431");
    const absl::CivilDay today =
        absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(8 * 3600));
    *req.mutable_from() = time::ToProto(
        absl::FromCivil(today, absl::FixedTimeZone(8 * 3600)));
    return system.statistics().GetVolume(&ctx, req, &volume).ok() &&
           volume.total().current().cases() == 1;
  })) << volume.DebugString();
  EXPECT_EQ(*system.Healthz("statistics"), 200);
}

TEST(PoisonRecordsTest, NotificationDeadLettersPoisonOnCaseEventsAndGoesOn) {
  SystemOptions options;
  options.services = {"intake", "notification"};
  auto sys = System::Start(options);
  ASSERT_TRUE(sys.ok()) << sys.status();
  System& system = **sys;
  ExpectDeadLettered(system, "notification", CaseEventsPoisons());

  // The next good record: a REGISTER queues the receipt SMS.
  const std::string case_id = "140431-20261206-990401";
  ProduceGood(system, "case-events", Registered(case_id));
  v1::ListMessagesResponse messages;
  EXPECT_TRUE(Eventually([&] {
    grpc::ClientContext ctx;
    v1::ListMessagesRequest req;
    req.set_case_id(case_id);
    return system.notification().ListMessages(&ctx, req, &messages).ok() &&
           messages.messages_size() == 1;
  })) << messages.DebugString();
  EXPECT_EQ(*system.Healthz("notification"), 200);
}

}  // namespace
}  // namespace caserelay::testing
