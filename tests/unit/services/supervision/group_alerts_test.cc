// 群体访 alerts (issue 18 item 3): "a configurable size above which the
// bureau gets an alert (an aggregate alert about the matter, never a list
// of people)" — raised once per case from its REGISTER, to the registering
// bureau, and listed under the red-light board's scope rule.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/supervision/group_alerts.h"
#include "tests/unit/services/supervision/supervision_fixture.h"

namespace caserelay::supervision::testing {
namespace {

using caserelay::v1::ListGroupAlertsRequest;
using caserelay::v1::ListGroupAlertsResponse;

// routing's REGISTER of `case_id` in `region` (its county bureau
// registers), by `representatives` representatives and `head_count`
// persons (0: unset), received `at`.
Envelope Register(const std::string& case_id, int head_count,
                  int representatives, const std::string& region = "140431",
                  absl::Time at = Received()) {
  Envelope e = Event(1, at, {}, case_id);
  auto* c = e.mutable_case_event();
  c->set_action(caserelay::v1::CASE_ACTION_REGISTER);
  c->set_from_state(caserelay::v1::CASE_STATE_RECEIVED);
  c->set_to_state(caserelay::v1::CASE_STATE_REGISTERED);
  c->mutable_decision()->set_registering_office_code(region + ":bureau");
  c->mutable_decision()->set_disposition(caserelay::v1::DISPOSITION_TRANSFER);
  c->mutable_petitioner()->set_id("P0123456789abcdef0123456789abcdef");
  c->set_region_code(region);
  c->set_category("labour");
  c->set_matter_class(caserelay::v1::MATTER_CLASS_CLAIM);
  *c->mutable_received_at() = time::ToProto(at);
  c->set_head_count(head_count);
  c->set_representatives(representatives);
  return e;
}

class GroupAlertsTest : public SupervisionTest {
 protected:
  std::vector<Envelope> Alerts() {
    return Published(Envelope::kGroupPetitionAlert);
  }
  absl::StatusOr<ListGroupAlertsResponse> List(ListGroupAlertsRequest req) {
    ListGroupAlertsResponse resp;
    grpc::ServerContext ctx;
    grpc::Status s = service_->ListGroupAlerts(&ctx, &req, &resp);
    if (!s.ok()) {
      return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                          s.error_message());
    }
    return resp;
  }
  std::vector<std::string> ListedCases(ListGroupAlertsRequest req) {
    auto resp = List(std::move(req));
    EXPECT_TRUE(resp.ok()) << resp.status();
    std::vector<std::string> out;
    if (resp.ok()) {
      for (const auto& a : resp->alerts()) out.push_back(a.alert_id());
    }
    return out;
  }
};

TEST_F(GroupAlertsTest, AGroupAtTheSettingAlertsItsRegisteringBureau) {
  struct Row {
    const char* rule;
    int setting;
    int head_count;
    int representatives;
    bool alert;
  };
  const std::vector<Row> rows = {
      {"group.alert_head_count (5): below it, no alert", 5, 4, 4, false},
      {"group.alert_head_count (5): at it, an alert", 5, 5, 5, true},
      {"issue 18.3: the head count, not the representatives, counts", 5, 40,
       5, true},
      {"head count unset: the representatives (EffectiveHeadCount)", 3, 0, 3,
       true},
      {"an individual petition (0 read as 1) never alerts", 2, 0, 0, false},
      {"a larger setting: 40 persons below 50, no alert", 50, 40, 5, false},
  };
  int n = 0;
  for (const Row& row : rows) {
    SupervisionOptions options;
    options.group_alert_head_count = row.setting;
    Make(options);
    const std::string id = absl::StrCat("140431-20261122-00010", n++);
    const size_t before = Alerts().size();
    ApplyAndCommit(Register(id, row.head_count, row.representatives));
    std::vector<Envelope> alerts = Alerts();
    ASSERT_EQ(alerts.size(), before + (row.alert ? 1 : 0)) << row.rule;
    if (!row.alert) continue;
    const Envelope& e = alerts.back();
    EXPECT_EQ(e.event_id(), "supervision/" + id + "/group-alert") << row.rule;
    EXPECT_EQ(e.case_id(), id);
    const caserelay::v1::GroupPetitionAlert& a = e.group_petition_alert();
    EXPECT_EQ(a.alert_id(), id + "/group-alert");
    EXPECT_EQ(a.office_code(), "140431:bureau") << "the registering bureau";
    EXPECT_EQ(a.office_name(), "沁源县信访局");
    EXPECT_EQ(a.head_count(),
              row.head_count > 0 ? row.head_count : row.representatives);
    EXPECT_EQ(a.category(), "labour");
    EXPECT_EQ(a.region_code(), "140431");
    EXPECT_EQ(a.matter_class(), caserelay::v1::MATTER_CLASS_CLAIM);
    // "never a list of people": not even the petitioner's reference.
    EXPECT_EQ(e.SerializeAsString().find("P0123456789abcdef"),
              std::string::npos);
  }
}

TEST_F(GroupAlertsTest, OncePerCaseAndOnlyFromItsRegister) {
  Envelope reg = Register(kCase, 30, 5);
  ApplyAndCommit(reg);
  ApplyAndCommit(reg);  // redelivered
  Envelope later = Event(2, Received() + absl::Hours(1), {});
  later.mutable_case_event()->set_head_count(30);  // not a REGISTER
  ApplyAndCommit(later);
  EXPECT_EQ(Alerts().size(), 1u);
  EXPECT_EQ(Count(kGroupAlerts), 1);
}

TEST_F(GroupAlertsTest, TheListIsTheBureausSubtreeNewestFirst) {
  // 沁源县 (140431) twice and 上党区 (140404) once, all under 长治市
  // (140400); the red-light board's scope rule.
  ApplyAndCommit(Register("140431-20261122-000001", 30, 5));
  ApplyAndCommit(Register("140404-20261122-000001", 8, 2, "140404",
                          Received() + absl::Hours(1)));
  ApplyAndCommit(Register("140431-20261122-000002", 12, 3, "140431",
                          Received() + absl::Hours(2)));
  ApplyAndCommit(Register("140431-20261122-000003", 2, 2));  // no alert

  Make({}, "140400:bureau");  // 长治市信访局: its whole subtree
  EXPECT_EQ(ListedCases({}),
            (std::vector<std::string>{"140431-20261122-000002/group-alert",
                                      "140404-20261122-000001/group-alert",
                                      "140431-20261122-000001/group-alert"}));
  ListGroupAlertsRequest page;
  page.set_limit(2);
  auto first = List(page);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->alerts_size(), 2);
  page.set_page_token(first->next_page_token());
  EXPECT_EQ(ListedCases(page), (std::vector<std::string>{
                                   "140431-20261122-000001/group-alert"}));

  Make({}, "140431:bureau");  // 沁源县信访局: its own
  EXPECT_EQ(ListedCases({}),
            (std::vector<std::string>{"140431-20261122-000002/group-alert",
                                      "140431-20261122-000001/group-alert"}));
  ListGroupAlertsRequest other;
  other.set_region_code("140404");
  EXPECT_EQ(List(other).status().code(), absl::StatusCode::kPermissionDenied)
      << "a sibling county's alerts";
  other.set_region_code("140400");
  EXPECT_EQ(List(other).status().code(), absl::StatusCode::kPermissionDenied)
      << "its superior's subtree";

  ListGroupAlertsRequest bad;
  bad.set_page_token("not-a-token");
  EXPECT_EQ(List(bad).status().code(), absl::StatusCode::kInvalidArgument);
  bad = {};
  bad.set_limit(10001);
  EXPECT_EQ(List(bad).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace caserelay::supervision::testing
