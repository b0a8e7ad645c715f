// Issue 22 item 2: no request to routing can put bytes into a
// RoutingCaseRecord (or its history, inbox entry or matter) that protobuf
// would write but never parse back. Every string field of each request
// routing serves is given invalid UTF-8: over gRPC the request does not
// parse; in process, the service's own check (request_bounds.h, run by
// each handler before anything else) refuses it with INVALID_ARGUMENT
// naming the field. Valid but odd text (emoji, NUL) passes the check.

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/routing.pb.h"
#include "common/store/store.h"
#include "common/text/utf8.h"
#include "common/time/calendar.h"
#include "common/time/timestamp.h"
#include "domain/lifecycle/lifecycle.h"
#include "domain/routing/router.h"
#include "domain/routing/statutory_routes.h"
#include "gtest/gtest.h"
#include "services/routing/case_store.h"
#include "services/routing/directory_resolver.h"
#include "services/routing/request_bounds.h"
#include "services/routing/routing_service.h"
#include "tests/unit/services/hostile_text.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::routing {
namespace {

using caserelay::v1::ActRequest;

using svctest::Hostile;

std::vector<Hostile> InvalidTexts() { return svctest::InvalidTexts("140431"); }
std::vector<Hostile> OddTexts() { return svctest::OddTexts("a"); }

// One string field of a request: its path, how to set it, and the
// handler's check.
struct TextField {
  const char* path;
  std::function<absl::Status(const std::string&)> check;
};

std::vector<TextField> TextFields() {
  const RequestBounds b;
  using S = const std::string;
  auto act = [b](std::function<void(ActRequest&, S&)> set) {
    return [b, set](S& t) {
      ActRequest req;
      req.set_case_id("140431-20261122-000001");
      set(req, t);
      if (!text::IsValidUtf8(t)) {  // gRPC would not even parse it
        ActRequest wire;
        EXPECT_FALSE(wire.ParseFromString(req.SerializeAsString()));
      }
      return CheckAct(req, b);
    };
  };
  auto matter = [b](std::function<void(caserelay::v1::Matter&, S&)> set) {
    return [b, set](S& t) {
      caserelay::v1::PreviewRouteRequest req;
      set(*req.mutable_matter(), t);
      return CheckPreviewRoute(req, b);
    };
  };
  return {
      {"case_id",
       [b](S& t) {
         caserelay::v1::GetCaseRequest req;
         req.set_case_id(t);
         return CheckGetCase(req, b);
       }},
      {"office_code",
       [b](S& t) {
         caserelay::v1::ListInboxRequest req;
         req.set_office_code(t);
         return CheckListInbox(req, b);
       }},
      {"page_token",
       [b](S& t) {
         caserelay::v1::ListInboxRequest req;
         req.set_page_token(t);
         return CheckListInbox(req, b);
       }},
      {"case_id", act([](ActRequest& r, S& t) { r.set_case_id(t); })},
      {"operator", act([](ActRequest& r, S& t) { r.set_operator_(t); })},
      {"reason", act([](ActRequest& r, S& t) { r.set_reason(t); })},
      {"transfer.office_code", act([](ActRequest& r, S& t) {
         r.mutable_transfer()->set_office_code(t);
       })},
      {"assign.office_code", act([](ActRequest& r, S& t) {
         r.mutable_assign()->set_office_code(t);
       })},
      {"decline.route",
       act([](ActRequest& r, S& t) { r.mutable_decline()->set_route(t); })},
      {"reply_supervision.supervision_id", act([](ActRequest& r, S& t) {
         r.mutable_reply_supervision()->set_supervision_id(t);
       })},
      {"identity_key",
       [b](S& t) {
         caserelay::v1::PreviewRouteRequest req;
         req.set_identity_key(t);
         return CheckPreviewRoute(req, b);
       }},
      {"matter.region_code",
       matter([](caserelay::v1::Matter& m, S& t) { m.set_region_code(t); })},
      {"matter.category",
       matter([](caserelay::v1::Matter& m, S& t) { m.set_category(t); })},
      {"matter.lodged_with",
       matter([](caserelay::v1::Matter& m, S& t) { m.set_lodged_with(t); })},
      {"matter.title",
       matter([](caserelay::v1::Matter& m, S& t) { m.set_title(t); })},
      {"matter.accused",
       matter([](caserelay::v1::Matter& m, S& t) { m.set_accused(t); })},
      {"matter.text",
       matter([](caserelay::v1::Matter& m, S& t) { m.set_text(t); })},
      {"matter.accused_offices[0]", matter([](caserelay::v1::Matter& m, S& t) {
         m.add_accused_offices(t);
       })},
      {"matter.other_regions[0]",
       matter([](caserelay::v1::Matter& m, S& t) { m.add_other_regions(t); })},
      {"matter.other_categories[0]", matter([](caserelay::v1::Matter& m, S& t) {
         m.add_other_categories(t);
       })},
  };
}

TEST(RoutingStoredTextTest, InvalidUtf8InAnyRequestFieldIsRefusedByName) {
  for (const TextField& f : TextFields()) {
    for (const Hostile& h : InvalidTexts()) {
      SCOPED_TRACE(absl::StrCat(f.path, " with ", h.what));
      absl::Status s = f.check(h.bytes);
      EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
      EXPECT_TRUE(absl::StartsWith(s.message(), absl::StrCat(f.path, ": ")))
          << s.message();
      EXPECT_TRUE(absl::StrContains(s.message(), "not valid UTF-8")) << s;
    }
  }
}

TEST(RoutingStoredTextTest, OddValidTextPassesTheCheck) {
  for (const TextField& f : TextFields()) {
    for (const Hostile& h : OddTexts()) {
      SCOPED_TRACE(absl::StrCat(f.path, " with ", h.what));
      EXPECT_EQ(f.check(h.bytes).code(), absl::StatusCode::kOk);
    }
  }
}

TEST(RoutingStoredTextTest, InvalidUtf8InAConsumedEventDoesNotParse) {
  // routing's inputs (PetitionReceived, SupervisionIssued) come off Kafka
  // through Envelope::ParseFromString; such a record is a dead letter and
  // never reaches Apply.
  for (const Hostile& h : InvalidTexts()) {
    SCOPED_TRACE(h.what);
    caserelay::v1::Envelope e;
    e.mutable_petition_received()->mutable_matter()->set_text(h.bytes);
    caserelay::v1::Envelope back;
    EXPECT_FALSE(back.ParseFromString(e.SerializeAsString()));
    caserelay::v1::Envelope s;
    s.mutable_supervision_issued()->set_supervision_id(h.bytes);
    EXPECT_FALSE(back.ParseFromString(s.SerializeAsString()));
  }
}

}  // namespace
}  // namespace caserelay::routing

// ---------------------------------------------------------------------------
// The service itself: a petition and an office's Act carry valid but odd
// text into every family routing keeps, and each record parses back.

namespace caserelay::routing {
namespace {

using caserelay::v1::Envelope;

template <typename T>
const T& OrDie(absl::StatusOr<T> loaded) {
  if (!loaded.ok()) {
    ADD_FAILURE() << loaded.status();
    std::abort();
  }
  return *new T(*std::move(loaded));
}

class RoutingServiceTextTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t =
        svctest::TestContext::Create(ColumnFamilies(),
                                     svctest::ChinaTime(2026, 11, 22, 10, 0));
    ASSERT_TRUE(t.ok()) << t.status();
    t_ = *std::move(t);
    service::Context context = t_->context();
    context.auth = &caller_;
    service_ = std::make_unique<RoutingServiceImpl>(
        context, RoutingParts{&svctest::ShippedOfficeDirectory(), &router_,
                              &lifecycle_, &caller_});
  }

  static const StatutoryRoutes* Routes() {
    // Held by reference: the loaded unique_ptr stays reachable for the
    // whole run (LeakSanitizer reported it when only .get() was kept).
    static const std::unique_ptr<StatutoryRoutes>& routes =
        OrDie(StatutoryRoutes::Load(CASERELAY_SOURCE_DIR
                                    "/data/routing/statutory_routes.tsv"));
    return routes.get();
  }
  static const time::Calendar* Holidays() {
    static const time::Calendar* calendar =
        &OrDie(time::Calendar::Load(CASERELAY_SOURCE_DIR "/data/holidays"));
    return calendar;
  }

  // intake's PetitionReceived of case `n` with `text` in every free text.
  static Envelope Petition(int n, const std::string& text) {
    const std::string id = absl::StrCat("140431-20261122-00000", n);
    Envelope e;
    e.set_event_id(absl::StrCat("intake/", id, "/received"));
    e.set_case_id(id);
    e.set_producer("intake");
    *e.mutable_occurred_at() =
        time::ToProto(svctest::ChinaTime(2026, 11, 22, 10, 0));
    auto* r = e.mutable_petition_received();
    r->set_case_number(id);
    r->mutable_petitioner()->set_id(absl::StrCat("P", id));
    auto* m = r->mutable_matter();
    m->set_region_code("140431");
    m->set_category("labour");
    m->set_matter_class(caserelay::v1::MATTER_CLASS_CLAIM);
    m->set_channel(caserelay::v1::CHANNEL_ONLINE);
    m->set_title(text);
    m->set_text(text);
    m->set_accused(text);
    *r->mutable_received_at() = e.occurred_at();
    r->set_identity_key(absl::StrCat("key-", n));
    return e;
  }

  void ExpectEveryRecordLoads() {
    auto scan = [&](const char* cf, auto parses) {
      int n = 0;
      absl::Status s = t_->store().Scan(
          cf, "", "", [&](std::string_view key, std::string_view value) {
            EXPECT_TRUE(parses(value)) << cf << "/" << key;
            ++n;
            return true;
          });
      EXPECT_TRUE(s.ok()) << s;
      EXPECT_GT(n, 0) << cf;
    };
    auto as = [](auto record) {
      return [record](std::string_view v) mutable {
        return record.ParseFromArray(v.data(), static_cast<int>(v.size()));
      };
    };
    scan(kCases, as(caserelay::v1::RoutingCaseRecord()));
    scan(kHistory, as(Envelope()));
    scan(kInbox, as(caserelay::v1::RoutingInboxEntry()));
    scan(kInboxState, as(caserelay::v1::RoutingInboxEntry()));
    // Published() fails the test for an envelope that does not parse.
    t_->Published("case-events");
  }

  svctest::FixedCaller caller_{"140431:bureau"};
  Router router_{&svctest::ShippedRegions(), &svctest::ShippedOfficeDirectory(),
                 Routes()};
  DirectoryResolver resolver_{&svctest::ShippedOfficeDirectory()};
  lifecycle::Lifecycle lifecycle_{lifecycle::Policy{}, Holidays(), &resolver_};
  std::unique_ptr<svctest::TestContext> t_;
  std::unique_ptr<RoutingServiceImpl> service_;
};

TEST_F(RoutingServiceTextTest,
       OddTextInAPetitionAndAnActLeavesRecordsThatLoad) {
  int n = 0;
  for (const Hostile& h : OddTexts()) {
    SCOPED_TRACE(h.what);
    Envelope petition = Petition(++n, h.bytes);
    store::WriteBatch batch(&t_->store());
    ASSERT_EQ(service_->Apply(petition, batch).code(), absl::StatusCode::kOk);
    ASSERT_TRUE(t_->publisher().Commit(batch).ok());
    service_->Committed();

    ActRequest req;
    req.set_case_id(petition.case_id());
    req.set_expected_version(1);
    // The operator comes from the credentials (issue 14 item 2): the odd
    // text rides in as the authenticated person's label.
    caller_.Become("140431:bureau", h.bytes);
    req.set_reason(h.bytes);
    req.mutable_transfer();
    grpc::ServerContext ctx;
    caserelay::v1::CaseView view;
    grpc::Status s = service_->Act(&ctx, &req, &view);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(view.version(), 2u);
  }
  ExpectEveryRecordLoads();
}

TEST_F(RoutingServiceTextTest, ActWithInvalidUtf8IsRefusedAndStoresNothing) {
  Envelope petition = Petition(1, "某公司拖欠工资三个月。");
  store::WriteBatch batch(&t_->store());
  ASSERT_EQ(service_->Apply(petition, batch).code(), absl::StatusCode::kOk);
  ASSERT_TRUE(t_->publisher().Commit(batch).ok());
  service_->Committed();
  for (const Hostile& h : InvalidTexts()) {
    SCOPED_TRACE(h.what);
    ActRequest req;
    req.set_case_id(petition.case_id());
    req.set_expected_version(1);
    req.set_reason(h.bytes);
    req.mutable_transfer();
    grpc::ServerContext ctx;
    caserelay::v1::CaseView view;
    grpc::Status s = service_->Act(&ctx, &req, &view);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_TRUE(absl::StartsWith(s.error_message(), "reason: "))
        << s.error_message();
  }
  ExpectEveryRecordLoads();
  EXPECT_EQ(t_->Published("case-events").size(), 1u);
}

// Issue 14 item 2: the record names who acted from authentication (the
// token's holder label, else the office), never ActRequest.operator; a
// request that names someone else is refused and records nothing.
TEST_F(RoutingServiceTextTest, ActRecordsTheAuthenticatedOperatorOnly) {
  struct Row {
    const char* rule;
    const char* holder;   // the authenticated person; "" none
    const char* request;  // ActRequest.operator
    grpc::StatusCode code;
    const char* recorded;  // CaseEvent.operator; "" nothing recorded
  };
  int n = 0;
  for (const Row& row : std::vector<Row>{
           {"the holder label is recorded", "王五", "", grpc::StatusCode::OK,
            "王五"},
           {"without a holder the office is", "", "", grpc::StatusCode::OK,
            "140431:bureau"},
           {"naming oneself is no conflict", "王五", "王五",
            grpc::StatusCode::OK, "王五"},
           {"naming another person is refused", "王五", "李四",
            grpc::StatusCode::INVALID_ARGUMENT, ""},
           {"also without a holder", "", "李四",
            grpc::StatusCode::INVALID_ARGUMENT, ""},
       }) {
    Envelope petition = Petition(++n, "某公司拖欠工资三个月。");
    store::WriteBatch batch(&t_->store());
    ASSERT_EQ(service_->Apply(petition, batch).code(), absl::StatusCode::kOk);
    ASSERT_TRUE(t_->publisher().Commit(batch).ok());
    service_->Committed();
    const size_t before = t_->Published("case-events").size();
    caller_.Become("140431:bureau", row.holder);
    ActRequest req;
    req.set_case_id(petition.case_id());
    req.set_expected_version(1);
    req.set_operator_(row.request);
    req.mutable_transfer();
    grpc::ServerContext ctx;
    caserelay::v1::CaseView view;
    EXPECT_EQ(service_->Act(&ctx, &req, &view).error_code(), row.code)
        << row.rule;
    const std::vector<Envelope> events = t_->Published("case-events");
    if (std::string(row.recorded).empty()) {
      EXPECT_EQ(events.size(), before) << row.rule;
      continue;
    }
    ASSERT_EQ(events.size(), before + 1) << row.rule;
    EXPECT_EQ(events.back().case_event().operator_(), row.recorded) << row.rule;
  }
}

}  // namespace
}  // namespace caserelay::routing
