// Who may see and act on a case, through the real processes (issue 3,
// "Must show"; DOMAIN.md "Classification": an accusation is never routed
// to, nor visible to, the accused unit — Regulation Art. 30; DESIGN.md
// "Security": an office acts only on cases it holds, a superior bureau
// reads its subtree).

#include <string>
#include <vector>

#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/integration/life_steps.h"

namespace caserelay::testing {
namespace {

using caserelay::v1::ActRequest;

constexpr char kTownship[] = "140431100";  // 沁河镇, 沁源县
constexpr char kCountyBureau[] = "140431:bureau";
constexpr char kCityBureau[] = "140400:bureau";  // 长治市: supervises 沁源县
constexpr char kCountyDiscipline[] = "140431:discipline";
constexpr char kTownshipGov[] = "140431100:gov";
constexpr char kOtherCounty[] = "140200:bureau";  // 大同市

std::vector<std::string> InboxIds(System& sys, const std::string& caller,
                                  const std::string& office) {
  grpc::ClientContext ctx;
  caserelay::v1::ListInboxRequest req;
  req.set_office_code(office);
  req.set_page_size(500);
  caserelay::v1::ListInboxResponse resp;
  grpc::Status s = sys.routing_as(caller).ListInbox(&ctx, req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  std::vector<std::string> ids;
  for (const auto& item : resp.items()) ids.push_back(item.case_id());
  return ids;
}

bool Contains(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

TEST(AccessTest, TheAccusedUnitCannotListReadOrActOnTheAccusation) {
  auto sys = System::Start(
      {{kCountyBureau, kCityBureau, kCountyDiscipline, kOtherCounty}});
  ASSERT_TRUE(sys.ok()) << sys.status();
  Steps steps(**sys);
  // A: accuses the city bureau, which supervises everything in 沁源县.
  // B: accuses the township government; the city bureau is not accused.
  const std::string a =
      steps.Submit(SampleAccusation(kTownship, 21, kCityBureau));
  const std::string b =
      steps.Submit(SampleAccusation(kTownship, 22, kTownshipGov));
  auto registered_a = steps.AwaitState(System::kProvinceBureau, a,
                                       caserelay::v1::CASE_STATE_REGISTERED);
  ASSERT_TRUE(registered_a.ok()) << registered_a.status();
  auto registered_b = steps.AwaitState(System::kProvinceBureau, b,
                                       caserelay::v1::CASE_STATE_REGISTERED);
  ASSERT_TRUE(registered_b.ok()) << registered_b.status();
  // Neither the target nor the registering bureau is ever the accused.
  const auto& da = registered_a->view().decision();
  EXPECT_NE(da.target_office_code(), kCityBureau);
  EXPECT_NE(da.registering_office_code(), kCityBureau);
  EXPECT_NE(da.target_office_code().find(":discipline"), std::string::npos);
  EXPECT_EQ(registered_b->view().decision().target_office_code(),
            kCountyDiscipline);

  // Both end up with the county's discipline commission.
  ActRequest transfer;
  transfer.mutable_transfer()->set_office_code(kCountyDiscipline);
  grpc::Status s = steps.Act(registered_a->view().office_code(), a, transfer);
  ASSERT_TRUE(s.ok()) << s.error_message();
  s = steps.Act(registered_b->view().office_code(), b, transfer);
  ASSERT_TRUE(s.ok()) << s.error_message();

  // The city bureau supervises the county: it lists the commission's inbox
  // and reads B — but A, which accuses it, is absent and refused.
  auto listed = InboxIds(**sys, kCityBureau, kCountyDiscipline);
  EXPECT_TRUE(Contains(listed, b));
  EXPECT_FALSE(Contains(listed, a));
  EXPECT_TRUE(steps.Get(kCityBureau, b).ok());
  EXPECT_EQ(steps.Get(kCityBureau, a).status().code(),
            absl::StatusCode::kPermissionDenied);
  ActRequest accept;
  accept.mutable_accept();
  EXPECT_EQ(steps.Act(kCityBureau, a, accept).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // The holder sees and handles both.
  auto own = InboxIds(**sys, kCountyDiscipline, "");
  EXPECT_TRUE(Contains(own, a));
  EXPECT_TRUE(Contains(own, b));
  EXPECT_TRUE(steps.Act(kCountyDiscipline, a, accept).ok());
}

TEST(AccessTest, OfficesOutsideTheCaseAreRefusedEveryAction) {
  auto sys = System::Start({{kCountyBureau, kTownshipGov, kOtherCounty}});
  ASSERT_TRUE(sys.ok()) << sys.status();
  Steps steps(**sys);
  const std::string id = steps.Submit(SamplePetition(kTownship, 23));
  ASSERT_TRUE(
      steps.AwaitState(kCountyBureau, id, caserelay::v1::CASE_STATE_REGISTERED)
          .ok());
  // Another city's bureau may neither read nor list it...
  EXPECT_EQ(steps.Get(kOtherCounty, id).status().code(),
            absl::StatusCode::kPermissionDenied);
  {
    grpc::ClientContext ctx;
    caserelay::v1::ListInboxRequest req;
    req.set_office_code(kCountyBureau);
    caserelay::v1::ListInboxResponse resp;
    EXPECT_EQ((*sys)
                  ->routing_as(kOtherCounty)
                  .ListInbox(&ctx, req, &resp)
                  .error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  // ...nor take any action; neither may the township, which does not
  // hold it yet.
  std::vector<std::function<void(ActRequest&)>> actions = {
      [](ActRequest& r) { r.mutable_transfer(); },
      [](ActRequest& r) { r.mutable_assign(); },
      [](ActRequest& r) {
        r.set_reason("不属本单位职责");
        r.mutable_object();
      },
      [](ActRequest& r) { r.mutable_accept(); },
      [](ActRequest& r) {
        r.set_reason("理由");
        r.mutable_decline()->set_route("途径");
      },
      [](ActRequest& r) {
        r.set_reason("理由");
        r.mutable_extend()->set_days(5);
      },
      [](ActRequest& r) {
        r.mutable_reply()->set_outcome(caserelay::v1::OUTCOME_SUPPORT);
      },
      [](ActRequest& r) { r.mutable_close(); },
  };
  for (const auto& fill : actions) {
    for (const char* office : {kOtherCounty, kTownshipGov}) {
      ActRequest req;
      fill(req);
      SCOPED_TRACE(req.ShortDebugString() + " by " + office);
      EXPECT_EQ(steps.Act(office, id, req).error_code(),
                grpc::StatusCode::PERMISSION_DENIED);
    }
  }
  // A call without a token is not an office at all.
  grpc::ClientContext ctx;
  caserelay::v1::GetCaseRequest req;
  req.set_case_id(id);
  caserelay::v1::CaseDetail detail;
  auto channel = grpc::CreateChannel((*sys)->grpc_address("routing"),
                                     grpc::InsecureChannelCredentials());
  EXPECT_EQ(caserelay::v1::RoutingService::NewStub(channel)
                ->GetCase(&ctx, req, &detail)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  // And a stale version is ABORTED, not merged.
  auto current = steps.Get(kCountyBureau, id);
  ASSERT_TRUE(current.ok());
  ActRequest stale;
  stale.set_case_id(id);
  stale.set_expected_version(current->view().version() + 1);
  stale.mutable_assign();
  grpc::ClientContext actx;
  caserelay::v1::CaseView view;
  EXPECT_EQ(
      (*sys)->routing_as(kCountyBureau).Act(&actx, stale, &view).error_code(),
      grpc::StatusCode::ABORTED);
}

}  // namespace
}  // namespace caserelay::testing
