// The console's 待办 search through the real processes (issue 16): intake's
// FindCases by the petitioner's phone or name, then routing's
// ListInbox(case_ids), which keeps only the cases whose petitioner the
// caller may see (domain/access CaseAccess::MaySeePetitioner); the inbox
// filters; and Art. 30: an accused unit never sees the accusation in any
// filter's result.

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "caserelay/v1/intake.grpc.pb.h"
#include "common/rpc/auth.h"
#include "common/time/timestamp.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/integration/life_steps.h"

namespace caserelay::testing {
namespace {

using caserelay::v1::ListInboxRequest;
using caserelay::v1::ListInboxResponse;

constexpr char kTownship[] = "140431100";        // 沁河镇, 沁源县
constexpr char kCountyBureau[] = "140431:bureau";  // holds the claim
constexpr char kCityBureau[] = "140400:bureau";    // accused in the accusation
constexpr char kCountyDiscipline[] = "140431:discipline";
constexpr char kOtherCity[] = "140200:bureau";  // 大同市: nothing to do with it

std::vector<std::string> FindByPhone(System& sys, const std::string& office,
                                     const std::string& phone) {
  auto stub = caserelay::v1::IntakeService::NewStub(
      sys.Channel("intake", office));
  grpc::ClientContext ctx;
  caserelay::v1::FindCasesRequest req;
  req.set_phone(phone);
  caserelay::v1::FindCasesResponse resp;
  grpc::Status s = stub->FindCases(&ctx, req, &resp);
  EXPECT_TRUE(s.ok()) << office << ": " << s.error_message();
  return {resp.case_ids().begin(), resp.case_ids().end()};
}

grpc::Status List(System& sys, const std::string& caller,
                  ListInboxRequest req, ListInboxResponse* resp) {
  grpc::ClientContext ctx;
  req.set_page_size(500);
  return sys.routing_as(caller).ListInbox(&ctx, req, resp);
}

std::vector<std::string> Ids(const ListInboxResponse& resp) {
  std::vector<std::string> ids;
  for (const auto& item : resp.items()) ids.push_back(item.case_id());
  return ids;
}

bool Has(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

class InboxSearchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto sys = System::Start(
        {{kCountyBureau, kCityBureau, kCountyDiscipline, kOtherCity}});
    ASSERT_TRUE(sys.ok()) << sys.status();
    sys_ = sys->release();
    Steps steps(*sys_);
    // One petitioner (测试人31, the same mobile): a wage claim, and an
    // accusation against the city bureau, which supervises the county.
    claim_ = steps.Submit(SamplePetition(kTownship, 31));
    auto accusation = SampleAccusation(kTownship, 31, kCityBureau);
    accusation.set_request_id(accusation.request_id() + "-accusation");
    accusation_ = steps.Submit(accusation);
    phone_ = accusation.petitioner().phone();
    ASSERT_TRUE(steps.AwaitState(kCountyBureau, claim_,
                                 caserelay::v1::CASE_STATE_REGISTERED)
                    .ok());
    auto registered = steps.AwaitState(System::kProvinceBureau, accusation_,
                                       caserelay::v1::CASE_STATE_REGISTERED);
    ASSERT_TRUE(registered.ok()) << registered.status();
    caserelay::v1::ActRequest transfer;
    transfer.mutable_transfer()->set_office_code(kCountyDiscipline);
    grpc::Status s =
        steps.Act(registered->view().office_code(), accusation_, transfer);
    ASSERT_TRUE(s.ok()) << s.error_message();
    ASSERT_TRUE(steps.AwaitState(kCountyDiscipline, accusation_,
                                 caserelay::v1::CASE_STATE_TRANSFERRED)
                    .ok());
  }
  static void TearDownTestSuite() {
    delete sys_;
    sys_ = nullptr;
  }

  static System* sys_;
  static std::string claim_, accusation_, phone_;
};

System* InboxSearchTest::sys_ = nullptr;
std::string InboxSearchTest::claim_;
std::string InboxSearchTest::accusation_;
std::string InboxSearchTest::phone_;

// An entitled office finds the case by the petitioner's phone: intake's
// ids, then its own inbox with them (the holder sees its petitioner).
TEST_F(InboxSearchTest, AnEntitledOfficeFindsTheCaseByPhone) {
  // intake learns the parties from case-events: wait until it has them.
  std::vector<std::string> found;
  for (int i = 0; i < 100; ++i) {
    found = FindByPhone(*sys_, kCountyBureau, phone_);
    if (Has(found, claim_) && Has(found, accusation_)) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_TRUE(Has(found, claim_));
  ASSERT_TRUE(Has(found, accusation_));
  ListInboxRequest req;
  for (const auto& id : found) req.add_case_ids(id);
  ListInboxResponse resp;
  grpc::Status s = List(*sys_, kCountyBureau, req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(Ids(resp), std::vector<std::string>{claim_});
  const auto& item = resp.items(0);
  EXPECT_EQ(item.channel(), caserelay::v1::CHANNEL_ONLINE);
  EXPECT_EQ(item.office_code(), kCountyBureau);
  EXPECT_TRUE(item.has_received_at());
  // Just registered: the 15-day transfer limit is far (Art. 22): green.
  EXPECT_EQ(item.light(), caserelay::v1::DEADLINE_LIGHT_GREEN);
  // The commission, holder of the accusation, finds that one in its own.
  ListInboxResponse own;
  ASSERT_TRUE(List(*sys_, kCountyDiscipline, req, &own).ok());
  EXPECT_EQ(Ids(own), std::vector<std::string>{accusation_});
}

// An office not entitled gets nothing: intake names it no case (not even
// an id), another office's inbox is refused, and its own holds none of
// the ids it might have guessed.
TEST_F(InboxSearchTest, AnOfficeNotEntitledGetsNothing) {
  const auto found = FindByPhone(*sys_, kOtherCity, phone_);
  EXPECT_TRUE(found.empty());
  ListInboxRequest req;
  for (const auto& id : found) req.add_case_ids(id);
  req.add_case_ids(claim_);
  req.add_case_ids(accusation_);
  ListInboxResponse resp;
  req.set_office_code(kCountyBureau);
  EXPECT_EQ(List(*sys_, kOtherCity, req, &resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  req.clear_office_code();
  ListInboxResponse own;
  ASSERT_TRUE(List(*sys_, kOtherCity, req, &own).ok());
  EXPECT_TRUE(Ids(own).empty());
}

// Art. 30: the city bureau supervises the county commission's inbox, but
// the accusation against it is in no filter's result; the claim it may
// see is, under the same filters where they match.
TEST_F(InboxSearchTest, TheAccusedUnitNeverSeesTheAccusationInAnyFilter) {
  const absl::Time now = absl::Now();
  struct Row {
    std::string filter;
    std::function<void(ListInboxRequest&)> set;
  };
  for (const Row& r : std::vector<Row>{
           {"none", [](ListInboxRequest&) {}},
           {"state",
            [](ListInboxRequest& q) {
              q.add_states(caserelay::v1::CASE_STATE_TRANSFERRED);
            }},
           {"category", [](ListInboxRequest& q) { q.add_categories("discipline"); }},
           {"channel",
            [](ListInboxRequest& q) {
              q.add_channels(caserelay::v1::CHANNEL_ONLINE);
            }},
           {"period",
            [now](ListInboxRequest& q) {
              *q.mutable_received_from() = time::ToProto(now - absl::Hours(1));
              *q.mutable_received_to() = time::ToProto(now + absl::Hours(1));
            }},
           {"due_before",
            [now](ListInboxRequest& q) {
              *q.mutable_due_before() =
                  time::ToProto(now + absl::Hours(24 * 365));
            }},
           {"words of its title", [](ListInboxRequest& q) { q.set_query("收受好处"); }},
           {"its case number",
            [](ListInboxRequest& q) { q.set_query(accusation_); }},
           {"case_ids from FindCases",
            [](ListInboxRequest& q) { q.add_case_ids(accusation_); }},
       }) {
    ListInboxRequest req;
    r.set(req);
    req.set_office_code(kCountyDiscipline);
    ListInboxResponse resp;
    grpc::Status s = List(*sys_, kCityBureau, req, &resp);
    ASSERT_TRUE(s.ok()) << r.filter << ": " << s.error_message();
    EXPECT_FALSE(Has(Ids(resp), accusation_)) << r.filter;
    // The holder itself sees it under every one of these filters.
    ListInboxResponse holder;
    req.clear_office_code();
    ASSERT_TRUE(List(*sys_, kCountyDiscipline, req, &holder).ok());
    EXPECT_TRUE(Has(Ids(holder), accusation_)) << r.filter;
  }
  // Its search by the petitioner's phone gives it nothing of the
  // accusation either: intake names only the claim, which it supervises.
  // intake learns the parties from case-events (each test runs in its own
  // process under ctest, so this one waits as the first test does).
  std::vector<std::string> found;
  for (int i = 0; i < 100 && !Has(found, claim_); ++i) {
    if (i > 0) absl::SleepFor(absl::Milliseconds(100));
    found = FindByPhone(*sys_, kCityBureau, phone_);
  }
  EXPECT_TRUE(Has(found, claim_));
  EXPECT_FALSE(Has(found, accusation_));
  ListInboxRequest req;
  for (const auto& id : found) req.add_case_ids(id);
  req.add_case_ids(accusation_);  // guessed: still left out
  req.set_office_code(kCountyDiscipline);
  ListInboxResponse resp;
  ASSERT_TRUE(List(*sys_, kCityBureau, req, &resp).ok());
  EXPECT_TRUE(Ids(resp).empty());
}

// The console's case page asks intake's GetPetitioner (issue 16): the
// holder and the bureau supervising it get the contact (MaySeePetitioner),
// an office outside the case and the accused unit (Art. 30) are refused
// alike, and a service identity is no office (intake.proto).
TEST_F(InboxSearchTest, OnlyEntitledOfficesGetThePetitioner) {
  struct Row {
    const char* rule;
    std::string caller, case_id;
    grpc::StatusCode want;
  };
  for (const Row& r : std::vector<Row>{
           {"the claim's holder", kCountyBureau, claim_, grpc::StatusCode::OK},
           {"the city bureau supervises the claim's holder", kCityBureau,
            claim_, grpc::StatusCode::OK},
           {"the accusation's holder", kCountyDiscipline, accusation_,
            grpc::StatusCode::OK},
           {"Art. 30: the accused city bureau", kCityBureau, accusation_,
            grpc::StatusCode::PERMISSION_DENIED},
           {"another city's bureau, outside the case", kOtherCity, claim_,
            grpc::StatusCode::PERMISSION_DENIED},
           {"intake.proto: notification is no office", "service:notification",
            claim_, grpc::StatusCode::PERMISSION_DENIED},
       }) {
    auto stub =
        caserelay::v1::IntakeService::NewStub(sys_->Channel("intake", r.caller));
    caserelay::v1::GetPetitionerRequest req;
    req.set_case_id(r.case_id);
    caserelay::v1::GetPetitionerResponse resp;
    grpc::Status s;
    // intake learns the parties from case-events: an entitled office may
    // have to wait for them.
    for (int i = 0; i < 100; ++i) {
      grpc::ClientContext ctx;
      resp.Clear();
      s = stub->GetPetitioner(&ctx, req, &resp);
      if (s.error_code() == r.want) break;
      absl::SleepFor(absl::Milliseconds(100));
    }
    EXPECT_EQ(s.error_code(), r.want) << r.rule << ": " << s.error_message();
    if (r.want == grpc::StatusCode::OK) {
      EXPECT_FALSE(resp.name().empty()) << r.rule;
      EXPECT_EQ(resp.phone(), phone_) << r.rule;
    } else {
      EXPECT_EQ(resp.ByteSizeLong(), 0u) << r.rule;
    }
  }
}

// Through the gateway's identity for a console user, the roles' read scope
// holds too (roles.h MayReadCaseAs, as routing's GetCase): the holder's
// handler and the city bureau's inspector (reads the subtree) get the
// petitioner; the city bureau's registrar (only cases its office is named
// in) and the holder's administrator (reads no case) do not.
TEST_F(InboxSearchTest, AConsoleUserGetsThePetitionerOnlyWithinTheirRoles) {
  struct Row {
    const char* rule;
    std::string office, roles;
    grpc::StatusCode want;
  };
  for (const Row& r : std::vector<Row>{
           {"the holder's handler", kCountyBureau, "handler",
            grpc::StatusCode::OK},
           {"the supervising bureau's inspector reads the subtree",
            kCityBureau, "inspector", grpc::StatusCode::OK},
           {"the supervising bureau's registrar: its office is not named",
            kCityBureau, "registrar", grpc::StatusCode::PERMISSION_DENIED},
           {"the holder's administrator reads no case", kCountyBureau,
            "admin", grpc::StatusCode::PERMISSION_DENIED},
       }) {
    auto stub = caserelay::v1::IntakeService::NewStub(
        sys_->Channel("intake", "service:web"));
    caserelay::v1::GetPetitionerRequest req;
    req.set_case_id(claim_);
    caserelay::v1::GetPetitionerResponse resp;
    grpc::Status s;
    for (int i = 0; i < 100; ++i) {
      grpc::ClientContext ctx;
      ctx.AddMetadata(rpc::kUserMetadata, "user1");
      ctx.AddMetadata(rpc::kOfficeMetadata, r.office);
      ctx.AddMetadata(rpc::kRolesMetadata, r.roles);
      resp.Clear();
      s = stub->GetPetitioner(&ctx, req, &resp);
      if (s.error_code() == r.want) break;
      absl::SleepFor(absl::Milliseconds(100));
    }
    EXPECT_EQ(s.error_code(), r.want) << r.rule << ": " << s.error_message();
    EXPECT_EQ(resp.phone(), r.want == grpc::StatusCode::OK ? phone_ : "")
        << r.rule;
  }
}

// The filters narrow the holder's own inbox (issue 16: category, channel,
// period, words, case number).
TEST_F(InboxSearchTest, FiltersNarrowTheInbox) {
  const absl::Time now = absl::Now();
  struct Row {
    std::string filter;
    std::function<void(ListInboxRequest&)> set;
    bool claim_listed;
  };
  for (const Row& r : std::vector<Row>{
           {"its category", [](ListInboxRequest& q) { q.add_categories("labour"); },
            true},
           {"another category",
            [](ListInboxRequest& q) { q.add_categories("housing"); }, false},
           {"another channel",
            [](ListInboxRequest& q) {
              q.add_channels(caserelay::v1::CHANNEL_VISIT);
            },
            false},
           {"received later",
            [now](ListInboxRequest& q) {
              *q.mutable_received_from() = time::ToProto(now + absl::Hours(1));
            },
            false},
           {"a word of its text and of its title",
            [](ListInboxRequest& q) { q.set_query("农民工 拖欠"); }, true},
           {"a word it lacks", [](ListInboxRequest& q) { q.set_query("征地"); },
            false},
           {"its case number", [](ListInboxRequest& q) { q.set_query(claim_); },
            true},
       }) {
    ListInboxRequest req;
    r.set(req);
    ListInboxResponse resp;
    grpc::Status s = List(*sys_, kCountyBureau, req, &resp);
    ASSERT_TRUE(s.ok()) << r.filter << ": " << s.error_message();
    EXPECT_EQ(Has(Ids(resp), claim_), r.claim_listed) << r.filter;
  }
}

}  // namespace
}  // namespace caserelay::testing
