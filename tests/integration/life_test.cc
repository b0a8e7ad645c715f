// One case's whole life across the levels of Shanxi, through the real
// processes (issue 3, "Must show"): submitted online about a township of
// 沁源县 → registered at the county bureau → assigned (交办) to the
// township → accepted → extended → replied → review (复查) at the county
// government → re-review (复核) at the city government 长治市 → terminated
// (终结); the same petition again is refused. SMS and deadlines follow
// each step. Also: the history is a hash chain that `casectl verify`
// checks, naming exactly the event altered in routing's RocksDB.

#include <signal.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "caserelay/v1/events.pb.h"
#include "common/store/store.h"
#include "common/time/timestamp.h"
#include "gtest/gtest.h"
#include "tests/integration/life_steps.h"

namespace caserelay::testing {
namespace {

using caserelay::v1::ActRequest;
using caserelay::v1::CaseState;
using caserelay::v1::DeadlineKind;

constexpr char kTownship[] = "140431100";  // 沁河镇, 沁源县
constexpr char kCountyBureau[] = "140431:bureau";
constexpr char kTownshipGov[] = "140431100:gov";
constexpr char kCountyGov[] = "140431:gov";   // reviews the township (Art. 35)
constexpr char kCityGov[] = "140400:gov";     // 长治市: re-reviews (Art. 36)
constexpr char kStranger[] = "140200:bureau"; // 大同市: no part in this case

// 送达: the petitioner received the decision today, by `method`.
void Served(ActRequest& r, caserelay::v1::ServiceMethod method) {
  r.mutable_serve()->set_method(method);
  *r.mutable_serve()->mutable_received_at() = time::ToProto(absl::Now());
}

SystemOptions LifeOffices() {
  return {{kCountyBureau, kTownshipGov, kCountyGov, kCityGov, kStranger}};
}

// The petition of the life: one petitioner with an ID number, so the same
// petition again is the same petitioner's same matter.
caserelay::v1::SubmitPetitionRequest LifePetition(const std::string& request_id) {
  auto req = SamplePetition(kTownship, 7);
  req.mutable_petitioner()->set_id_number("11010519491231002X");
  req.set_request_id(request_id);
  return req;
}

TEST(LifeTest, OneCaseFromOnlineSubmissionToTerminationAcrossFourLevels) {
  auto sys = System::Start(LifeOffices());
  ASSERT_TRUE(sys.ok()) << sys.status();
  Steps steps(**sys);
  const std::string id = steps.Submit(LifePetition("life-1"));
  ASSERT_FALSE(id.empty());

  // Registered at the county bureau, which the rules (属地管理、分级负责)
  // tell to assign (交办) it to the township government.
  auto detail = steps.AwaitState(kCountyBureau, id, caserelay::v1::CASE_STATE_REGISTERED);
  ASSERT_TRUE(detail.ok()) << detail.status();
  EXPECT_EQ(detail->view().office_code(), kCountyBureau);
  EXPECT_EQ(detail->view().decision().disposition(), caserelay::v1::DISPOSITION_ASSIGN);
  EXPECT_EQ(detail->view().decision().target_office_code(), kTownshipGov);
  steps.ExpectDeadlines(id, {caserelay::v1::DEADLINE_KIND_TRANSFER});
  steps.ExpectSms(id, {"received"});

  struct Step {
    const char* office;
    const char* what;  // the rule it walks (DOMAIN.md)
    std::function<void(ActRequest&)> fill;
    CaseState state;
    std::string holder;
    std::vector<DeadlineKind> deadlines;  // ARMED after the step
    std::vector<std::string> sms;         // every trigger so far
  };
  using K = DeadlineKind;
  std::vector<std::string> sms = {"received"};
  auto with = [&](const char* t) {
    sms.push_back(t);
    return sms;
  };
  const std::vector<Step> life = {
      {kCountyBureau, "交办 Art. 22", [](ActRequest& r) { r.mutable_assign(); },
       caserelay::v1::CASE_STATE_ASSIGNED, kTownshipGov,
       {K::DEADLINE_KIND_ACCEPTANCE, K::DEADLINE_KIND_RESULT_REPORT}, with("assigned")},
      {kTownshipGov, "受理 Art. 23", [](ActRequest& r) { r.mutable_accept(); },
       caserelay::v1::CASE_STATE_ACCEPTED, kTownshipGov,
       {K::DEADLINE_KIND_HANDLING, K::DEADLINE_KIND_RESULT_REPORT}, with("accepted")},
      {kTownshipGov, "延期 Art. 34",
       [](ActRequest& r) {
         r.set_reason("需调取施工合同，核实工程款支付情况");
         r.mutable_extend()->set_days(30);
       },
       caserelay::v1::CASE_STATE_EXTENDED, kTownshipGov,
       {K::DEADLINE_KIND_HANDLING, K::DEADLINE_KIND_RESULT_REPORT}, with("extended")},
      {kTownshipGov, "处理意见 Art. 34",
       [](ActRequest& r) {
         r.mutable_reply()->set_outcome(caserelay::v1::OUTCOME_EXPLAIN);
       },
       caserelay::v1::CASE_STATE_REPLIED, kTownshipGov,
       {K::DEADLINE_KIND_RESULT_REPORT, K::DEADLINE_KIND_SERVICE},
       with("replied")},
      {kTownshipGov, "送达 Art. 35 (issue 23 item 4)",
       [](ActRequest& r) { Served(r, caserelay::v1::SERVICE_METHOD_PORTAL); },
       caserelay::v1::CASE_STATE_REPLIED, kTownshipGov,
       {K::DEADLINE_KIND_RESULT_REPORT}, sms},
      {kTownshipGov, "办结报告 (交办)", [](ActRequest& r) { r.mutable_report_result(); },
       caserelay::v1::CASE_STATE_REPLIED, kTownshipGov, {}, sms},
      {kCountyGov, "复查 Art. 35", [](ActRequest& r) { r.mutable_request_review(); },
       caserelay::v1::CASE_STATE_REVIEW_REQUESTED, kCountyGov,
       {K::DEADLINE_KIND_REVIEW}, with("review_received")},
      {kCountyGov, "复查意见 Art. 35",
       [](ActRequest& r) {
         r.mutable_decide_review()->set_outcome(caserelay::v1::OUTCOME_REJECT);
       },
       caserelay::v1::CASE_STATE_REVIEWED, kCountyGov,
       {K::DEADLINE_KIND_SERVICE}, with("review_decided")},
      {kCountyGov, "送达 Art. 36 (issue 23 item 4)",
       [](ActRequest& r) { Served(r, caserelay::v1::SERVICE_METHOD_POST); },
       caserelay::v1::CASE_STATE_REVIEWED, kCountyGov, {}, sms},
      {kCityGov, "复核 Art. 36", [](ActRequest& r) { r.mutable_request_rereview(); },
       caserelay::v1::CASE_STATE_REREVIEW_REQUESTED, kCityGov,
       {K::DEADLINE_KIND_REREVIEW}, with("rereview_received")},
      {kCityGov, "听证 Art. 36", [](ActRequest& r) { r.mutable_start_hearing(); },
       caserelay::v1::CASE_STATE_HEARING, kCityGov, {}, sms},
      {kCityGov, "听证结束 Art. 36", [](ActRequest& r) { r.mutable_end_hearing(); },
       caserelay::v1::CASE_STATE_REREVIEW_REQUESTED, kCityGov,
       {K::DEADLINE_KIND_REREVIEW}, sms},
      {kCityGov, "复核意见: 终结 Art. 36",
       [](ActRequest& r) {
         r.mutable_decide_rereview()->set_outcome(caserelay::v1::OUTCOME_REJECT);
       },
       caserelay::v1::CASE_STATE_TERMINATED, kCityGov, {}, with("rereview_decided")},
  };
  for (const Step& step : life) {
    SCOPED_TRACE(step.what);
    // Nobody else may take the step: the stranger is refused first.
    ActRequest wrong;
    step.fill(wrong);
    EXPECT_EQ(steps.Act(kStranger, id, wrong).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    ActRequest req;
    step.fill(req);
    grpc::Status s = steps.Act(step.office, id, req);
    ASSERT_TRUE(s.ok()) << s.error_message();
    auto now = steps.Get(System::kProvinceBureau, id);
    ASSERT_TRUE(now.ok()) << now.status();
    EXPECT_EQ(now->view().state(), step.state);
    EXPECT_EQ(now->view().office_code(), step.holder);
    steps.ExpectDeadlines(id, step.deadlines);
    steps.ExpectSms(id, step.sms);
  }

  // The whole life is in the history, one event per action, chained.
  auto final_detail = steps.Get(kCityGov, id);
  ASSERT_TRUE(final_detail.ok()) << final_detail.status();
  EXPECT_EQ(final_detail->events_size(), static_cast<int>(life.size()) + 1);
  auto verify = RunCommand(steps.Casectl(kCityGov) + " verify " + id);
  EXPECT_EQ(verify.code, 0) << verify.output;
  EXPECT_NE(verify.output.find("intact"), std::string::npos) << verify.output;

  // 信访终结: the same request on the same facts is not accepted again.
  const std::string again = steps.Submit(LifePetition("life-2"));
  auto refused = steps.AwaitState(kCountyBureau, again,
                                  caserelay::v1::CASE_STATE_NOT_ACCEPTED);
  ASSERT_TRUE(refused.ok()) << refused.status();
  EXPECT_EQ(refused->view().decision().disposition(),
            caserelay::v1::DISPOSITION_REFUSED_TERMINATED);
  EXPECT_EQ(refused->view().decision().linked_case_id(), id);
  steps.ExpectSms(again, {"not_accepted_terminated"});  // issue 23 item 5
  steps.ExpectDeadlines(again, {});
}

TEST(LifeTest, ARepeatIsLinkedToTheOpenCaseAndAHigherFilingIsNotAccepted) {
  auto sys = System::Start(LifeOffices());
  ASSERT_TRUE(sys.ok()) << sys.status();
  Steps steps(**sys);
  const std::string open = steps.Submit(LifePetition("repeat-1"));
  ASSERT_TRUE(steps.AwaitState(kCountyBureau, open, caserelay::v1::CASE_STATE_REGISTERED).ok());

  // DOMAIN.md 重复信访: the same petitioner (ID number) on the same matter
  // while it is open is linked to the open case, not opened again.
  const std::string repeat = steps.Submit(LifePetition("repeat-2"));
  auto linked = steps.AwaitState(kCountyBureau, repeat, caserelay::v1::CASE_STATE_LINKED);
  ASSERT_TRUE(linked.ok()) << linked.status();
  EXPECT_EQ(linked->view().decision().disposition(),
            caserelay::v1::DISPOSITION_LINKED_REPEAT);
  EXPECT_EQ(linked->view().decision().linked_case_id(), open);
  auto original = steps.Get(kCountyBureau, open);
  ASSERT_TRUE(original.ok()) << original.status();
  ASSERT_EQ(original->view().linked_cases_size(), 1);
  EXPECT_EQ(original->view().linked_cases(0), repeat);
  ASSERT_EQ(original->events_size(), 2);
  caserelay::v1::Envelope link;
  ASSERT_TRUE(link.ParseFromString(original->events(1)));
  EXPECT_EQ(link.case_event().action(), caserelay::v1::CASE_ACTION_LINK_REPEAT);
  EXPECT_EQ(link.case_event().linked_case_id(), repeat);

  // Regulation Art. 22 / DOMAIN.md: a higher organ does not accept an item
  // in progress below within its time limit — a visit to the city about it.
  auto higher = LifePetition("repeat-3");
  higher.mutable_matter()->set_channel(caserelay::v1::CHANNEL_VISIT);
  higher.mutable_matter()->set_lodged_with("140400:bureau");
  const std::string refused = steps.Submit(higher);
  auto not_accepted = steps.AwaitState(System::kProvinceBureau, refused,
                                       caserelay::v1::CASE_STATE_NOT_ACCEPTED);
  ASSERT_TRUE(not_accepted.ok()) << not_accepted.status();
  // Recorded by the city bureau that received the visit; the visitor is
  // told the county bureau is handling it.
  EXPECT_EQ(not_accepted->view().office_code(), "140400:bureau");
  EXPECT_EQ(not_accepted->view().decision().target_office_code(), kCountyBureau);
  // Its own ground and SMS, not 诉访分离 (issue 23 item 5).
  EXPECT_EQ(not_accepted->view().decision().refusal_ground(),
            caserelay::v1::REFUSAL_GROUND_IN_PROGRESS_BELOW);
  steps.ExpectSms(refused, {"not_accepted_in_progress"});

  // A different matter of the same petitioner (another category) is new.
  auto other = LifePetition("repeat-4");
  other.mutable_matter()->set_category("housing");
  const std::string fresh = steps.Submit(other);
  EXPECT_TRUE(steps.AwaitState(kCountyBureau, fresh, caserelay::v1::CASE_STATE_REGISTERED).ok());
}

TEST(LifeTest, VerifyNamesExactlyTheEventAlteredInTheStore) {
  auto sys = System::Start(LifeOffices());
  ASSERT_TRUE(sys.ok()) << sys.status();
  Steps steps(**sys);
  const std::string id = steps.Submit(LifePetition("tamper-1"));
  const std::string other = steps.Submit(SamplePetition(kTownship, 8));
  ASSERT_TRUE(steps.AwaitState(kCountyBureau, id, caserelay::v1::CASE_STATE_REGISTERED).ok());
  ASSERT_TRUE(steps.AwaitState(kCountyBureau, other, caserelay::v1::CASE_STATE_REGISTERED).ok());
  ActRequest assign;
  assign.mutable_assign();
  ASSERT_TRUE(steps.Act(kCountyBureau, id, assign).ok());
  ActRequest accept;
  accept.mutable_accept();
  ASSERT_TRUE(steps.Act(kTownshipGov, id, accept).ok());
  ActRequest extend;
  extend.set_reason("需现场核查");
  extend.mutable_extend()->set_days(10);
  ASSERT_TRUE(steps.Act(kTownshipGov, id, extend).ok());  // 4 events now

  // Rewrite event 2 (the assignment) in routing's RocksDB, as an insider
  // with disk access would: a different reason, everything else kept.
  (*sys)->Kill("routing", SIGTERM);
  {
    store::StoreOptions options;
    options.path = (*sys)->dir() + "/data-routing";
    options.column_families = {"cases",   "history",     "inbox",
                               "matters", "approvals",   "charged",
                               "inbox_state"};
    // routing's (case_store.h, charged_index.h, inbox_index.h)
    auto store = store::Store::Open(options);
    ASSERT_TRUE(store.ok()) << store.status();
    const std::string key = id + std::string(1, '\0') + store::EncodeUint64(2);
    auto raw = (*store)->Get("history", key);
    ASSERT_TRUE(raw.ok() && raw->has_value());
    caserelay::v1::Envelope event;
    ASSERT_TRUE(event.ParseFromString(**raw));
    event.mutable_case_event()->set_reason("已按程序交办（改写）");
    store::WriteBatch batch(store->get());
    batch.Put("history", key, event.SerializeAsString());
    ASSERT_TRUE((*store)->Commit(batch).ok());
  }
  ASSERT_TRUE((*sys)->Restart("routing").ok());

  auto broken = RunCommand(steps.Casectl(kCountyBureau) + " verify " + id);
  EXPECT_EQ(broken.code, 3) << broken.output;
  // Exactly event 2 is named as the altered one (event 3 only as the
  // witness whose recorded hash no longer matches).
  EXPECT_EQ(broken.output.rfind("broken: event 2:", 0), 0u) << broken.output;
  auto intact = RunCommand(steps.Casectl(kCountyBureau) + " verify " + other);
  EXPECT_EQ(intact.code, 0) << intact.output;
}

}  // namespace
}  // namespace caserelay::testing
