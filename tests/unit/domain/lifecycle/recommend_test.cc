// 改进工作建议 / 追责建议 after a 督办 (RECOMMEND, issue 18 item 4): who may
// propose, in which states, after what, and what it records. DOMAIN.md
// "Supervision" (Regulation Arts. 39-40: instruments 督办函, 改进建议,
// 追责建议); 2005 Art. 36 (the 30-day reply to 督办 and 改进建议), Art. 38
// (the proposal of sanctions, 追责). The reply's due is 30 calendar days
// after the 督办 (DOMAIN.md "Deadlines"), worked out by hand below.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/time/timestamp.h"
#include "domain/lifecycle/lifecycle.h"
#include "domain/lifecycle/transitions.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/unit/domain/lifecycle/case_builder.h"

namespace caserelay::lifecycle::testing {
namespace {

using ::testing::HasSubstr;
using C = absl::StatusCode;

constexpr char kId[] = "QY-2026-000001/supervision/1";

// A manual 督办 (推诿、敷衍、拖延) from the city bureau to the county 人社局.
v1::SupervisionIssued Manual() {
  v1::SupervisionIssued s;
  s.set_supervision_id(kId);
  s.set_level(v1::SUPERVISION_LEVEL_LETTER);
  s.set_issuer_office_code(kCityBureau);
  s.set_issuer_office_name("长治市信访局");
  s.set_target_office_code(kCountyHrss);
  s.set_target_office_name("沁源县人力资源和社会保障局");
  s.set_source(v1::SUPERVISION_SOURCE_MANUAL);
  s.set_ground(v1::SUPERVISION_GROUND_SHIRKING);
  s.set_reason("群众反映久拖不决");
  s.set_issued_by("督查员甲");
  return s;
}

// The case ACCEPTED by the county 人社局 (2026-03-02 on), supervised by hand
// on 2026-04-01 09:00: the reply's last day is 05-01 (a holiday in the
// 2026 table: 劳动节 05-01..05-05), moved to Wed 05-06, due 05-07 00:00.
struct Supervised {
  CaseBuilder builder;
  Built built;
};
const absl::Time kIssued = China(2026, 4, 1, 9);
const absl::Time kReplyDue = China(2026, 5, 7);

absl::Status Make(Supervised& s) {
  absl::StatusOr<Built> built =
      s.builder.InState(v1::CASE_STATE_ACCEPTED, China(2026, 3, 2, 9));
  if (!built.ok()) return built.status();
  s.built = *std::move(built);
  absl::StatusOr<v1::CaseEvent> e = s.builder.lifecycle().Supervise(
      Manual(), kIssued, kIssued, s.built.record);
  return e.status();
}

Command Recommend(const std::string& actor, absl::Time now,
                  v1::RecommendationKind kind) {
  Command cmd = ValidCommand(v1::CASE_ACTION_RECOMMEND, actor, now);
  cmd.recommendation_kind = kind;
  cmd.reason = "建议对相关责任人员依规追责";
  return cmd;
}

TEST(RecommendTest, SuperviseRecordsTheSupervisionWithItsReplyDue) {
  Supervised s;
  ASSERT_TRUE(Make(s).ok());
  const v1::CaseView& view = s.built.record.view();
  ASSERT_EQ(view.supervisions_size(), 1);
  EXPECT_EQ(view.supervisions(0).issued().supervision_id(), kId);
  EXPECT_EQ(view.supervisions(0).issued().source(),
            v1::SUPERVISION_SOURCE_MANUAL);
  EXPECT_EQ(time::FromProto(view.supervisions(0).issued_at()), kIssued);
  // DOMAIN.md Deadlines: reply to a 督办 in 30 days (2005 Art. 36).
  EXPECT_EQ(time::FromProto(view.supervisions(0).reply_due_at()), kReplyDue);
  EXPECT_FALSE(view.supervisions(0).has_replied_at());
}

TEST(RecommendTest, ManualSupervisionTellsItsGroundAndReason) {
  CaseBuilder builder;
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_ACCEPTED, China(2026, 3, 2, 9));
  ASSERT_TRUE(built.ok());
  absl::StatusOr<v1::CaseEvent> e =
      builder.lifecycle().Supervise(Manual(), kIssued, kIssued, built->record);
  ASSERT_TRUE(e.ok()) << e.status();
  // DOMAIN.md Supervision: 推诿、敷衍、拖延 is a ground of 督办 (2005 Art. 36
  // item 4); the history says it was issued by hand, on what, and why.
  EXPECT_THAT(e->reason(), HasSubstr("手动督办"));
  EXPECT_THAT(e->reason(), HasSubstr("推诿、敷衍、拖延"));
  EXPECT_THAT(e->reason(), HasSubstr("群众反映久拖不决"));
  EXPECT_THAT(e->reason(), HasSubstr("reply due 2026-05-06"));
  EXPECT_EQ(e->supervision().ground(), v1::SUPERVISION_GROUND_SHIRKING);
}

struct Row {
  const char* rule;
  const char* actor;
  absl::Time now;
  bool replied;  // the county 人社局 replied on 04-10 first
  int kind;
  const char* supervision_id;
  C want;
};

TEST(RecommendTest, WhoMayRecommendAndWhen) {
  const absl::Time before_due = China(2026, 5, 6, 23);
  const absl::Time after_due = China(2026, 5, 7, 9);
  const auto improvement = v1::RECOMMENDATION_KIND_IMPROVEMENT;
  const auto accountability = v1::RECOMMENDATION_KIND_ACCOUNTABILITY;
  const std::vector<Row> rows = {
      {"2005 Art. 36: unanswered past its 30-day reply: the issuer proposes "
       "改进工作建议",
       kCityBureau, after_due, false, improvement, "", C::kOk},
      {"2005 Art. 38 (DOMAIN.md Supervision 追责建议): unanswered past its "
       "reply: the issuer proposes 追责建议",
       kCityBureau, after_due, false, accountability, kId, C::kOk},
      {"2005 Art. 36: the reply is still due: nothing follows yet",
       kCityBureau, before_due, false, improvement, "", C::kFailedPrecondition},
      {"DOMAIN.md Supervision: after a reply (found unsatisfactory) the "
       "issuer may propose, before the reply's due too",
       kCityBureau, before_due, true, accountability, "", C::kOk},
      {"DOMAIN.md Supervision: only the issuing bureau proposes (the county "
       "bureau issued no 督办 here)",
       kCountyBureau, after_due, false, improvement, "", C::kPermissionDenied},
      {"DOMAIN.md Supervision: the supervised office does not recommend on "
       "itself",
       kCountyHrss, after_due, false, improvement, "", C::kPermissionDenied},
      {"Regulation Arts. 39-40: a recommendation names its kind", kCityBureau,
       after_due, false, 0, "", C::kInvalidArgument},
      {"DOMAIN.md Supervision: it follows a 督办 recorded on the case",
       kCityBureau, after_due, false, improvement,
       "QY-2026-000001/supervision/9", C::kFailedPrecondition},
  };
  for (const Row& row : rows) {
    Supervised s;
    ASSERT_TRUE(Make(s).ok());
    if (row.replied) {
      Command reply = ValidCommand(v1::CASE_ACTION_REPLY_SUPERVISION,
                                   kCountyHrss, China(2026, 4, 10, 9));
      reply.reason = "已整改";
      ASSERT_TRUE(s.builder.lifecycle().Apply(reply, s.built.record).ok());
      EXPECT_TRUE(s.built.record.view().supervisions(0).has_replied_at());
    }
    Command cmd = Recommend(row.actor, row.now,
                            static_cast<v1::RecommendationKind>(row.kind));
    cmd.supervision_id = row.supervision_id;
    const v1::RoutingCaseRecord before = s.built.record;
    absl::StatusOr<v1::CaseEvent> e =
        s.builder.lifecycle().Apply(cmd, s.built.record);
    EXPECT_EQ(e.status().code(), row.want) << row.rule << ": " << e.status();
    if (!e.ok()) {
      EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
          before, s.built.record))
          << row.rule << ": a refusal changes nothing";
      if (row.want == C::kFailedPrecondition) {
        EXPECT_THAT(std::string(e.status().message()),
                    HasSubstr(kRuleRecommend))
            << row.rule;
      }
      continue;
    }
    // What it records: no state change, the recommendation on the case and
    // the event (counted by statistics from the event).
    EXPECT_EQ(e->action(), v1::CASE_ACTION_RECOMMEND) << row.rule;
    EXPECT_EQ(e->from_state(), v1::CASE_STATE_ACCEPTED) << row.rule;
    EXPECT_EQ(e->to_state(), v1::CASE_STATE_ACCEPTED) << row.rule;
    EXPECT_EQ(e->recommendation().kind(), row.kind) << row.rule;
    EXPECT_EQ(e->recommendation().supervision_id(), kId) << row.rule;
    EXPECT_EQ(e->recommendation().target_office_code(), kCountyHrss);
    ASSERT_EQ(s.built.record.view().recommendations_size(), 1) << row.rule;
    EXPECT_EQ(s.built.record.view().recommendations(0).kind(), row.kind);
  }
}

TEST(RecommendTest, EachKindOncePerSupervision) {
  // DOMAIN.md Supervision: 改进建议 then, if need be, 追责建议 — each once.
  Supervised s;
  ASSERT_TRUE(Make(s).ok());
  const absl::Time after_due = China(2026, 5, 7, 9);
  ASSERT_TRUE(s.builder.lifecycle()
                  .Apply(Recommend(kCityBureau, after_due,
                                   v1::RECOMMENDATION_KIND_IMPROVEMENT),
                         s.built.record)
                  .ok());
  EXPECT_EQ(s.builder.lifecycle()
                .Apply(Recommend(kCityBureau, after_due + absl::Hours(1),
                                 v1::RECOMMENDATION_KIND_IMPROVEMENT),
                       s.built.record)
                .status()
                .code(),
            C::kFailedPrecondition);
  EXPECT_TRUE(s.builder.lifecycle()
                  .Apply(Recommend(kCityBureau, after_due + absl::Hours(2),
                                   v1::RECOMMENDATION_KIND_ACCOUNTABILITY),
                         s.built.record)
                  .ok());
  EXPECT_EQ(s.built.record.view().recommendations_size(), 2);
  // Nothing is offered any more (CaseView.allowed_actions).
  EXPECT_EQ(s.builder.lifecycle()
                .MayOffer(kCityBureau, v1::CASE_ACTION_RECOMMEND,
                          s.built.record, after_due + absl::Hours(3))
                .code(),
            C::kFailedPrecondition);
}

TEST(RecommendTest, OfferedToTheIssuerOnlyOnceOpen) {
  // The console offers RECOMMEND exactly when Apply would take it.
  Supervised s;
  ASSERT_TRUE(Make(s).ok());
  const Lifecycle& lc = s.builder.lifecycle();
  EXPECT_EQ(lc.MayOffer(kCityBureau, v1::CASE_ACTION_RECOMMEND, s.built.record,
                        China(2026, 5, 6, 23))
                .code(),
            C::kFailedPrecondition);
  EXPECT_TRUE(lc.MayOffer(kCityBureau, v1::CASE_ACTION_RECOMMEND,
                          s.built.record, China(2026, 5, 7, 9))
                  .ok());
  // The holder may try any action, but is not offered one it cannot take.
  EXPECT_FALSE(lc.MayOffer(kCountyHrss, v1::CASE_ACTION_RECOMMEND,
                           s.built.record, China(2026, 5, 7, 9))
                   .ok());
  EXPECT_EQ(lc.MayTake(kCountyBureau, v1::CASE_ACTION_RECOMMEND, s.built.record)
                .code(),
            C::kPermissionDenied);
}

TEST(RecommendTest, NotOnALinkedRepeat) {
  // DOMAIN.md Routing: a repeat is linked to its open case, which is the
  // one supervised and recommended on.
  EXPECT_EQ(FindTransition(v1::CASE_STATE_LINKED, v1::CASE_ACTION_RECOMMEND),
            nullptr);
  EXPECT_NE(FindTransition(v1::CASE_STATE_CLOSED, v1::CASE_ACTION_RECOMMEND),
            nullptr);
}

}  // namespace
}  // namespace caserelay::lifecycle::testing
