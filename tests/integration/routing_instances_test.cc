// routing as three instances with routing.partitioned on (issue 19 item 4;
// services/routing/README.md "Routing as N instances"): petitions fed on
// "petitions" as intake feeds them, spread over the 8 partitions the
// instances share. Every instance asked lists the office's whole inbox,
// paged across owners, in the one order (next due, case id), each case
// once; an office's Act sent to one instance reaches the case's owner, and
// its next GetCase and ListInbox through the others see it. With one
// instance SIGKILLed while petitions arrive, its partitions resume on the
// other two (restored from routing-changelog): every case is registered,
// exactly once as an event id on case-events, and listed once.
//
// Only devbroker and three routing instances run; label scale, not in the
// default run, like supervision_instances_test.

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <utility>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/routing.grpc.pb.h"
#include "common/kafka/consumer.h"
#include "common/kafka/producer.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"

namespace caserelay::testing {
namespace {

namespace v1 = caserelay::v1;
using v1::RoutingService;

constexpr char kCountyBureau[] = "140431:bureau";  // 沁源县信访局
constexpr char kTownship[] = "140431100";          // 沁河镇, 沁源县
constexpr int kFirst = 48;   // petitions before the kill
constexpr int kLater = 24;   // petitions while an instance dies
constexpr int kActed = 12;   // cases transferred through routing#2
constexpr int kPageSize = 7;  // pages end inside every owner's share

std::string CaseId(int i) {
  return absl::StrCat("140431-20261206-", absl::StrFormat("%06d", 700001 + i));
}

v1::Envelope PetitionEvent(int i) {
  const std::string id = CaseId(i);
  v1::Envelope e;
  e.set_event_id(absl::StrCat("intake/", id, "/received"));
  e.set_case_id(id);
  e.set_producer("intake");
  const int64_t now = absl::ToUnixSeconds(absl::Now());
  e.mutable_occurred_at()->set_seconds(now);
  v1::PetitionReceived* petition = e.mutable_petition_received();
  petition->set_case_number(id);
  petition->mutable_petitioner()->set_id(absl::StrCat("P", id));
  *petition->mutable_matter() = SamplePetition(kTownship, 800 + i).matter();
  petition->mutable_received_at()->set_seconds(now);
  return e;
}

void Produce(const System& sys, int from, int to) {
  std::atomic<int> failed{0};
  auto producer = kafka::CreateKafkaProducer(
      {sys.bootstrap(), "routing-instances-test", {}, absl::Seconds(10)},
      [&failed](const kafka::DeliveryReport& r) {
        if (!r.status.ok()) ++failed;
      });
  ASSERT_TRUE(producer.ok()) << producer.status();
  for (int i = from; i < to; ++i) {
    ASSERT_TRUE((*producer)
                    ->Produce("petitions", CaseId(i),
                              PetitionEvent(i).SerializeAsString(), i)
                    .ok());
  }
  ASSERT_TRUE((*producer)->Flush(absl::Seconds(30)).ok());
  ASSERT_EQ(failed.load(), 0) << "petitions not delivered";
}

void Within(grpc::ClientContext& ctx) {
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
}

// Calls `call` until it answers something other than UNAVAILABLE (a
// partition moving between instances) or `wait` passes; its last status.
grpc::Status UntilAvailable(const std::function<grpc::Status()>& call,
                            absl::Duration wait) {
  const absl::Time give_up = absl::Now() + Scaled(wait);
  grpc::Status s = call();
  while (s.error_code() == grpc::StatusCode::UNAVAILABLE &&
         absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(200));
    s = call();
  }
  return s;
}

// The county bureau's whole inbox as one instance answers it, page by
// page; UNAVAILABLE (or another error) as the first refused page says.
struct Listed {
  grpc::Status status;
  std::vector<v1::InboxItem> items;
};
Listed Inbox(RoutingService::Stub& stub) {
  Listed listed;
  v1::ListInboxRequest req;
  req.set_page_size(kPageSize);
  for (int page = 0; page < 200; ++page) {
    grpc::ClientContext ctx;
    Within(ctx);
    v1::ListInboxResponse resp;
    listed.status = stub.ListInbox(&ctx, req, &resp);
    if (!listed.status.ok()) return listed;
    for (const v1::InboxItem& item : resp.items()) listed.items.push_back(item);
    if (resp.next_page_token().empty()) return listed;
    req.set_page_token(resp.next_page_token());
  }
  listed.status = grpc::Status(grpc::StatusCode::INTERNAL, "200 pages");
  return listed;
}

Listed WholeInbox(RoutingService::Stub& stub) {
  Listed listed;
  UntilAvailable(
      [&] {
        listed = Inbox(stub);
        return listed.status;
      },
      absl::Seconds(90));
  return listed;
}

std::vector<std::string> Ids(const Listed& listed) {
  std::vector<std::string> ids;
  for (const v1::InboxItem& item : listed.items) ids.push_back(item.case_id());
  return ids;
}

// The inbox order: next due, then case id (inbox_index.h).
bool InInboxOrder(const std::vector<v1::InboxItem>& items) {
  for (size_t i = 1; i < items.size(); ++i) {
    const auto& a = items[i - 1];
    const auto& b = items[i];
    const auto due = [](const v1::InboxItem& item) {
      return item.has_next_due()
                 ? std::make_pair(item.next_due().seconds(),
                                  static_cast<int64_t>(item.next_due().nanos()))
                 : std::make_pair(INT64_MAX, int64_t{0});
    };
    if (due(a) > due(b) || (due(a) == due(b) && a.case_id() >= b.case_id())) {
      return false;
    }
  }
  return true;
}

absl::StatusOr<v1::CaseDetail> GetCase(RoutingService::Stub& stub,
                                       const std::string& id) {
  v1::CaseDetail detail;
  grpc::Status s = UntilAvailable(
      [&] {
        grpc::ClientContext ctx;
        Within(ctx);
        v1::GetCaseRequest req;
        req.set_case_id(id);
        return stub.GetCase(&ctx, req, &detail);
      },
      absl::Seconds(60));
  if (!s.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                        s.error_message());
  }
  return detail;
}

// Every REGISTER on case-events from its beginning, as event ids per case,
// until `cases` cases have one or nothing new comes for 20 s.
std::map<std::string, std::set<std::string>> Registrations(const System& sys,
                                                           size_t cases) {
  kafka::ConsumerOptions co;
  co.bootstrap = sys.bootstrap();
  co.group_id = absl::StrCat("routing-instances-check-", getpid());
  co.topics = {"case-events"};
  auto reader = kafka::CreateKafkaConsumer(
      co, [](const std::string&, int32_t) { return std::nullopt; });
  EXPECT_TRUE(reader.ok()) << reader.status();
  std::map<std::string, std::set<std::string>> registered;
  if (!reader.ok()) return registered;
  absl::Time last_new = absl::Now();
  while (absl::Now() - last_new < Scaled(absl::Seconds(20))) {
    auto batch = (*reader)->Poll(5000, absl::Milliseconds(200));
    EXPECT_TRUE(batch.ok()) << batch.status();
    if (!batch.ok()) break;
    for (const auto& m : *batch) {
      v1::Envelope e;
      EXPECT_TRUE(e.ParseFromString(m.value));
      if (e.case_event().action() != v1::CASE_ACTION_REGISTER) continue;
      if (registered[e.case_id()].insert(e.event_id()).second) {
        last_new = absl::Now();
      }
    }
    if (registered.size() >= cases) break;
  }
  return registered;
}

TEST(RoutingInstancesTest, CallsReachTheOwnerAndListsAreWholeAcrossAKill) {
  SystemOptions options;
  options.services = {"routing"};
  options.instances = {{"routing", 3}};
  options.offices = {kCountyBureau};
  options.settings["routing"] = {{"routing.partitioned", "true"}};
  auto started = System::Start(options);
  ASSERT_TRUE(started.ok()) << started.status();
  System& sys = **started;
  const std::vector<std::string> instances = sys.Instances("routing");
  ASSERT_EQ(instances.size(), 3u);
  std::map<std::string, std::unique_ptr<RoutingService::Stub>> stubs;
  for (const std::string& name : instances) {
    stubs[name] = RoutingService::NewStub(sys.Channel(name, kCountyBureau));
  }

  // 0. The group has shared the 8 partitions among the three.
  {
    const absl::Time give_up = absl::Now() + Scaled(absl::Seconds(60));
    bool shared = false;
    std::string seen;
    while (!shared && absl::Now() < give_up) {
      double sum = 0;
      shared = true;
      seen.clear();
      for (const std::string& name : instances) {
        auto held = sys.Metric(name, "caserelay_partitions_held");
        shared = shared && held.ok() && *held > 0;
        sum += held.ok() ? *held : 0;
        absl::StrAppend(&seen, " ", name, ": ",
                        held.ok() ? absl::StrCat(*held)
                                  : std::string(held.status().message()));
      }
      shared = shared && sum == 8;
      if (!shared) absl::SleepFor(absl::Milliseconds(200));
    }
    ASSERT_TRUE(shared) << "the instances did not share the partitions:"
                        << seen;
  }

  // 1. kFirst petitions, each registered at the county bureau; every case
  // read through the first instance (forwarded to its owner).
  Produce(sys, 0, kFirst);
  std::map<std::string, v1::CaseDetail> cases;
  for (int i = 0; i < kFirst; ++i) {
    absl::StatusOr<v1::CaseDetail> detail;
    const absl::Time give_up = absl::Now() + Scaled(absl::Seconds(90));
    do {
      detail = GetCase(*stubs["routing"], CaseId(i));
      if (detail.ok() || !absl::IsNotFound(detail.status())) break;
      absl::SleepFor(absl::Milliseconds(200));
    } while (absl::Now() < give_up);
    ASSERT_TRUE(detail.ok()) << CaseId(i) << ": " << detail.status();
    ASSERT_EQ(detail->view().office_code(), kCountyBureau);
    cases[CaseId(i)] = *detail;
  }
  const std::string applied =
      "caserelay_events_applied_total{loop=\"routing-inputs\"}";
  for (const std::string& name : instances) {
    absl::StatusOr<double> n = sys.Metric(name, applied);
    EXPECT_TRUE(n.ok() && *n > 0)
        << name << " applied no petition: the group did not share them";
  }

  // 2. Every instance lists the whole inbox, the same pages, each case once
  // in the inbox order.
  std::vector<std::string> all;
  for (int i = 0; i < kFirst; ++i) all.push_back(CaseId(i));
  std::vector<std::string> first_order;
  for (const std::string& name : instances) {
    Listed listed = WholeInbox(*stubs[name]);
    ASSERT_TRUE(listed.status.ok())
        << name << ": " << listed.status.error_message();
    std::vector<std::string> ids = Ids(listed);
    EXPECT_TRUE(InInboxOrder(listed.items)) << name;
    std::vector<std::string> sorted = ids;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(sorted, all) << name << " lists every case exactly once";
    if (first_order.empty()) {
      first_order = ids;
    } else {
      EXPECT_EQ(ids, first_order) << name << " pages as the first instance";
    }
  }

  // 3. The bureau transfers kActed cases, every call sent to routing#2
  // (most cases are another instance's: forwarded); each is read back at
  // its new version through routing#3 and is gone from the bureau's inbox
  // as routing (the first) lists it.
  std::set<std::string> transferred;
  for (int i = 0; i < kActed; ++i) {
    const v1::CaseDetail& before = cases[CaseId(i)];
    const std::string target = before.view().decision().target_office_code();
    ASSERT_FALSE(target.empty()) << CaseId(i);
    v1::ActRequest req;
    req.set_case_id(CaseId(i));
    req.set_expected_version(before.view().version());
    req.set_reason("属地办理");
    req.mutable_transfer()->set_office_code(target);
    v1::CaseView after;
    grpc::Status s = UntilAvailable(
        [&] {
          grpc::ClientContext ctx;
          Within(ctx);
          return stubs["routing#2"]->Act(&ctx, req, &after);
        },
        absl::Seconds(60));
    ASSERT_TRUE(s.ok()) << CaseId(i) << ": " << s.error_message();
    EXPECT_EQ(after.version(), before.view().version() + 1);
    absl::StatusOr<v1::CaseDetail> read = GetCase(*stubs["routing#3"], CaseId(i));
    ASSERT_TRUE(read.ok()) << read.status();
    EXPECT_EQ(read->view().version(), after.version())
        << CaseId(i) << ": the office reads its own write elsewhere";
    EXPECT_EQ(read->view().office_code(), target);
    transferred.insert(CaseId(i));
  }
  {
    Listed listed = WholeInbox(*stubs["routing"]);
    ASSERT_TRUE(listed.status.ok()) << listed.status.error_message();
    std::vector<std::string> ids = Ids(listed);
    std::sort(ids.begin(), ids.end());
    std::vector<std::string> left;
    for (const std::string& id : all) {
      if (!transferred.count(id)) left.push_back(id);
    }
    EXPECT_EQ(ids, left) << "the transferred cases left the bureau's inbox";
  }

  // 4. routing#2 is SIGKILLed right after kLater more petitions reached
  // Kafka: its partitions move to the other two, which register what it
  // had not, and the lists are whole again.
  Produce(sys, kFirst, kFirst + kLater);
  sys.Kill("routing#2", SIGKILL);
  for (int i = 0; i < kFirst + kLater; ++i) all.push_back(CaseId(i));
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  std::vector<std::string> expected;
  for (const std::string& id : all) {
    if (!transferred.count(id)) expected.push_back(id);
  }
  for (const std::string name : {"routing", "routing#3"}) {
    std::vector<std::string> ids;
    const absl::Time give_up = absl::Now() + Scaled(absl::Seconds(90));
    Listed listed;
    do {
      listed = WholeInbox(*stubs[name]);
      ids = Ids(listed);
      std::sort(ids.begin(), ids.end());
      if (listed.status.ok() && ids.size() >= expected.size()) break;
      absl::SleepFor(absl::Milliseconds(500));
    } while (absl::Now() < give_up);
    ASSERT_TRUE(listed.status.ok()) << name << ": "
                                    << listed.status.error_message();
    EXPECT_EQ(ids, expected) << name << " lists every case once after the kill";
    EXPECT_TRUE(InInboxOrder(listed.items)) << name;
  }

  // 5. case-events holds one REGISTER per case, as one event id (a repeat
  // of the killed instance's unconfirmed outbox has the same id).
  std::map<std::string, std::set<std::string>> registered =
      Registrations(sys, all.size());
  EXPECT_EQ(registered.size(), all.size());
  for (const std::string& id : all) {
    auto it = registered.find(id);
    ASSERT_NE(it, registered.end()) << id << " never registered";
    EXPECT_EQ(it->second.size(), 1u) << id << " registered twice";
  }
}

}  // namespace
}  // namespace caserelay::testing
