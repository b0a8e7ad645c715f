// The petitioner's own actions (issue 15 item 2): what the life cycle
// offers per state and window (Arts. 35-36, the rating window = the
// opinion's window), the plain-Chinese refusals, and Apply of a
// petitioner's command. Each row cites its rule.
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/domain/lifecycle/case_builder.h"

namespace caserelay::lifecycle::testing {
namespace {

using ::testing::HasSubstr;
using C = absl::StatusCode;
using P = v1::PetitionerAction;

std::set<P> Offered(const Lifecycle& lifecycle,
                    const v1::RoutingCaseRecord& record, absl::Time now) {
  absl::StatusOr<std::vector<PetitionerOption>> options =
      lifecycle.PetitionerOptions(record, now);
  EXPECT_TRUE(options.ok()) << options.status();
  std::set<P> got;
  if (options.ok()) {
    for (const PetitionerOption& o : *options) got.insert(o.action);
  }
  return got;
}

Command PetitionerCommand(v1::CaseAction action, absl::Time now,
                          std::string organ = "") {
  Command cmd = ValidCommand(action, "", now);
  cmd.by_petitioner = true;
  cmd.operator_name = "petitioner";
  cmd.target_office_code = std::move(organ);
  return cmd;
}

TEST(PetitionerOptionsTest, OfferedPerStateInsideTheWindows) {
  struct Row {
    const char* rule;
    v1::CaseState state;
    std::set<P> want;
  };
  CaseBuilder builder;
  const absl::Time start = China(2026, 3, 2, 9);
  BuildOptions served;
  served.served = true;
  for (const Row& row : std::vector<Row>{
           {"no opinion yet: nothing to rate or review",
            v1::CASE_STATE_ACCEPTED,
            {}},
           {"table REPLIED->EVALUATED (rating) and Art. 35 (复查)",
            v1::CASE_STATE_REPLIED,
            {v1::PETITIONER_ACTION_RATE, v1::PETITIONER_ACTION_REQUEST_REVIEW}},
           {"issue 15 item 2: an office-entered rating (CaseBuilder's "
            "EVALUATED) is replaced by the petitioner's own; 复查 still "
            "open (Art. 35)",
            v1::CASE_STATE_EVALUATED,
            {v1::PETITIONER_ACTION_RATE, v1::PETITIONER_ACTION_REQUEST_REVIEW}},
           {"复查 under way: nothing for the petitioner",
            v1::CASE_STATE_REVIEW_REQUESTED,
            {}},
           {"Art. 36: 复核 after the review decision",
            v1::CASE_STATE_REVIEWED,
            {v1::PETITIONER_ACTION_REQUEST_REREVIEW}},
           {"Art. 36: 信访终结 after 复核", v1::CASE_STATE_TERMINATED, {}},
           {"Arts. 23, 31: not accepted", v1::CASE_STATE_NOT_ACCEPTED, {}},
           {"closed (办结归档)", v1::CASE_STATE_CLOSED, {}},
       }) {
    absl::StatusOr<Built> built = builder.InState(row.state, start, served);
    ASSERT_TRUE(built.ok()) << row.rule << ": " << built.status();
    EXPECT_EQ(Offered(builder.lifecycle(), built->record,
                      built->last + absl::Hours(1)),
              row.want)
        << row.rule;
  }
}

TEST(PetitionerOptionsTest, TheWindowEndsTheOfferWithAReasonInChinese) {
  struct Row {
    const char* rule;
    v1::CaseState state;
    v1::CaseAction action;
    const char* reason;
  };
  CaseBuilder builder;
  BuildOptions served;
  served.served = true;
  for (const Row& row : std::vector<Row>{
           {"Art. 35: 复查 within 30 days of receiving the opinion",
            v1::CASE_STATE_REPLIED, v1::CASE_ACTION_REQUEST_REVIEW,
            "申请复查的期限已过"},
           {"Art. 35 cited to the petitioner", v1::CASE_STATE_REPLIED,
            v1::CASE_ACTION_REQUEST_REVIEW, "第三十五条"},
           {"the rating window is the opinion's window", v1::CASE_STATE_REPLIED,
            v1::CASE_ACTION_EVALUATE, "评价期限已过"},
           {"Art. 36: 复核 within 30 days of receiving the review decision",
            v1::CASE_STATE_REVIEWED, v1::CASE_ACTION_REQUEST_REREVIEW,
            "申请复核的期限已过"},
           {"Art. 36 cited to the petitioner", v1::CASE_STATE_REVIEWED,
            v1::CASE_ACTION_REQUEST_REREVIEW, "第三十六条"},
       }) {
    absl::StatusOr<Built> built =
        builder.InState(row.state, China(2026, 3, 2, 9), served);
    ASSERT_TRUE(built.ok()) << built.status();
    const v1::PetitionerWindow& window = built->record.view().window();
    ASSERT_TRUE(window.has_ends_at()) << row.rule;
    const absl::Time ends = time::FromProto(window.ends_at());
    // The last instant inside: offered, until the window's end.
    absl::StatusOr<PetitionerOption> inside = builder.lifecycle().PetitionerMay(
        row.action, built->record, ends - absl::Seconds(1));
    ASSERT_TRUE(inside.ok()) << row.rule << ": " << inside.status();
    ASSERT_TRUE(inside->until.has_value());
    EXPECT_EQ(*inside->until, ends) << row.rule;
    // At the end: refused, saying why and the last day.
    absl::StatusOr<PetitionerOption> late =
        builder.lifecycle().PetitionerMay(row.action, built->record, ends);
    EXPECT_EQ(late.status().code(), C::kFailedPrecondition) << row.rule;
    EXPECT_THAT(std::string(late.status().message()), HasSubstr(row.reason))
        << row.rule;
    EXPECT_THAT(std::string(late.status().message()),
                HasSubstr(ChineseDay(time::ChinaDay(ends - absl::Seconds(1)))))
        << row.rule;
    EXPECT_TRUE(Offered(builder.lifecycle(), built->record, ends).empty())
        << row.rule;
  }
}

TEST(PetitionerOptionsTest, BeforeReceiptIsRecordedTheWindowIsOpenWithNoEnd) {
  // README "Service": while receipt is not recorded the window cannot have
  // ended; the view says no end day rather than guessing one.
  CaseBuilder builder;
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_REPLIED, China(2026, 3, 2, 9));
  ASSERT_TRUE(built.ok()) << built.status();
  absl::StatusOr<PetitionerOption> review = builder.lifecycle().PetitionerMay(
      v1::CASE_ACTION_REQUEST_REVIEW, built->record,
      built->last + absl::Hours(24 * 90));
  ASSERT_TRUE(review.ok()) << review.status();
  EXPECT_FALSE(review->until.has_value());
  // Arts. 35-36: the organs the petitioner may apply to, the handler's.
  ASSERT_EQ(review->organs.size(), 2u);
  EXPECT_EQ(review->organs[0].office.code, kCountyGov);
  EXPECT_EQ(review->organs[1].office.code, kCityHrss);
}

TEST(PetitionerOptionsTest, RefusalsAtTheWrongStageAreInChinese) {
  struct Row {
    const char* rule;
    v1::CaseState state;
    v1::CaseAction action;
    C code;
    const char* reason;
  };
  CaseBuilder builder;
  for (const Row& row : std::vector<Row>{
           {"no opinion yet", v1::CASE_STATE_ACCEPTED, v1::CASE_ACTION_EVALUATE,
            C::kFailedPrecondition, "处理意见出具后"},
           {"Art. 36: 复核 only after the review decision",
            v1::CASE_STATE_REPLIED, v1::CASE_ACTION_REQUEST_REREVIEW,
            C::kFailedPrecondition, "复查意见出具后"},
           {"an office's action is never the petitioner's",
            v1::CASE_STATE_ACCEPTED, v1::CASE_ACTION_REPLY,
            C::kPermissionDenied, "a petitioner may not take"},
       }) {
    absl::StatusOr<Built> built =
        builder.InState(row.state, China(2026, 3, 2, 9));
    ASSERT_TRUE(built.ok()) << built.status();
    absl::StatusOr<PetitionerOption> got = builder.lifecycle().PetitionerMay(
        row.action, built->record, built->last + absl::Hours(1));
    EXPECT_EQ(got.status().code(), row.code) << row.rule;
    EXPECT_THAT(std::string(got.status().message()), HasSubstr(row.reason))
        << row.rule;
  }
}

TEST(PetitionerApplyTest, ThePetitionersRatingIsRecordedAsTheirs) {
  // Issue 15: the petitioner's rating, recorded as theirs, on the holder's
  // opinion (actor: the holder); the office-entered one says it is not.
  CaseBuilder builder;
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_REPLIED, China(2026, 3, 2, 9));
  ASSERT_TRUE(built.ok()) << built.status();
  v1::RoutingCaseRecord record = built->record;
  Command cmd =
      PetitionerCommand(v1::CASE_ACTION_EVALUATE, built->last + absl::Hours(1));
  cmd.satisfaction = v1::SATISFACTION_BASICALLY;
  cmd.reason = "答复及时";
  absl::StatusOr<v1::CaseEvent> event = builder.lifecycle().Apply(cmd, record);
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_TRUE(event->by_petitioner());
  EXPECT_EQ(event->actor_office_code(), kCountyHrss);
  EXPECT_EQ(event->operator_(), "petitioner");
  EXPECT_EQ(event->reason(), "答复及时");
  EXPECT_EQ(event->satisfaction(), v1::SATISFACTION_BASICALLY);
  EXPECT_TRUE(record.view().rated_by_petitioner());
  EXPECT_EQ(record.view().state(), v1::CASE_STATE_EVALUATED);
  // Once: a second rating is refused in Chinese, the record unchanged.
  const v1::RoutingCaseRecord before = record;
  cmd.now += absl::Hours(1);
  absl::StatusOr<v1::CaseEvent> again = builder.lifecycle().Apply(cmd, record);
  EXPECT_EQ(again.status().code(), C::kFailedPrecondition);
  EXPECT_THAT(std::string(again.status().message()),
              HasSubstr("您已对处理意见作过评价"));
  EXPECT_EQ(record.SerializeAsString(), before.SerializeAsString());

  // The office-entered rating (CaseBuilder's EVALUATED) is not theirs.
  absl::StatusOr<Built> office =
      builder.InState(v1::CASE_STATE_EVALUATED, China(2026, 3, 2, 9));
  ASSERT_TRUE(office.ok()) << office.status();
  EXPECT_FALSE(office->record.view().rated_by_petitioner());
}

TEST(PetitionerApplyTest, ThePetitionersOwnRatingReplacesAnOfficeEnteredOne) {
  // Issue 15 item 2: the petitioner's own rating replaces the office-entered
  // one as the source of 参评率/满意率 — once, inside the rating window (the
  // opinion's window, Art. 35); an office never rates twice.
  struct Row {
    const char* rule;
    bool first_by_petitioner;  // whose rating the EVALUATED case has
    bool now_by_petitioner;    // who rates again
    bool after_window;
    C code;
    const char* reason;  // in the refusal; "" when accepted
  };
  CaseBuilder builder;
  BuildOptions served;
  served.served = true;
  for (const Row& row : std::vector<Row>{
           {"issue 15 item 2: the petitioner's own replaces the office's",
            false, true, false, C::kOk, ""},
           {"issue 15 item 2: a petitioner rates once", true, true, false,
            C::kFailedPrecondition, "您已对处理意见作过评价"},
           {"table EVALUATED->EVALUATED: an office never rates twice", false,
            false, false, C::kFailedPrecondition, "only the petitioner's own"},
           {"the rating window is the opinion's window (Art. 35)", false, true,
            true, C::kFailedPrecondition, "评价期限已过"},
       }) {
    absl::StatusOr<Built> built =
        builder.InState(v1::CASE_STATE_REPLIED, China(2026, 3, 2, 9), served);
    ASSERT_TRUE(built.ok()) << built.status();
    v1::RoutingCaseRecord record = built->record;
    const absl::Time ends = time::FromProto(record.view().window().ends_at());
    // The first rating: the office's (as CaseBuilder's EVALUATED) or the
    // petitioner's.
    Command first = row.first_by_petitioner
                        ? PetitionerCommand(v1::CASE_ACTION_EVALUATE,
                                            built->last + absl::Hours(1))
                        : ValidCommand(v1::CASE_ACTION_EVALUATE,
                                       record.view().office_code(),
                                       built->last + absl::Hours(1));
    first.satisfaction = v1::SATISFACTION_SATISFIED;
    ASSERT_TRUE(builder.lifecycle().Apply(first, record).ok()) << row.rule;
    ASSERT_EQ(record.view().state(), v1::CASE_STATE_EVALUATED) << row.rule;
    ASSERT_EQ(record.view().rated_by_petitioner(), row.first_by_petitioner);

    const absl::Time now = row.after_window ? ends : first.now + absl::Hours(1);
    Command again = row.now_by_petitioner
                        ? PetitionerCommand(v1::CASE_ACTION_EVALUATE, now)
                        : ValidCommand(v1::CASE_ACTION_EVALUATE,
                                       record.view().office_code(), now);
    again.satisfaction = v1::SATISFACTION_DISSATISFIED;
    const v1::RoutingCaseRecord before = record;
    absl::StatusOr<v1::CaseEvent> event =
        builder.lifecycle().Apply(again, record);
    EXPECT_EQ(event.status().code(), row.code) << row.rule << event.status();
    if (!event.ok()) {
      EXPECT_THAT(std::string(event.status().message()), HasSubstr(row.reason))
          << row.rule;
      EXPECT_EQ(record.SerializeAsString(), before.SerializeAsString())
          << row.rule;
      continue;
    }
    EXPECT_TRUE(event->by_petitioner()) << row.rule;
    EXPECT_EQ(event->satisfaction(), v1::SATISFACTION_DISSATISFIED);
    EXPECT_EQ(record.view().satisfaction(), v1::SATISFACTION_DISSATISFIED);
    EXPECT_TRUE(record.view().rated_by_petitioner()) << row.rule;
    EXPECT_EQ(record.view().state(), v1::CASE_STATE_EVALUATED) << row.rule;
    // Now rated by the petitioner: no more rating offered.
    EXPECT_EQ(Offered(builder.lifecycle(), record, now + absl::Hours(1)),
              std::set<P>{v1::PETITIONER_ACTION_REQUEST_REVIEW})
        << row.rule;
  }
}

TEST(PetitionerClosedTest, AnActionWhoseWindowEndedSaysWhy) {
  // Issue 15 item 2: after a window passed the page says why the action is
  // no longer offered; the reason is PetitionerMay's refusal (Arts. 35-36).
  struct Row {
    const char* rule;
    v1::CaseState state;
    bool after_window;
    std::vector<std::pair<P, const char*>> want;  // action, in its reason
  };
  CaseBuilder builder;
  BuildOptions served;
  served.served = true;
  for (const Row& row : std::vector<Row>{
           {"inside the window nothing is closed",
            v1::CASE_STATE_REPLIED,
            false,
            {}},
           {"Art. 35: the rating and the 复查 window ended",
            v1::CASE_STATE_REPLIED,
            true,
            {{v1::PETITIONER_ACTION_RATE, "评价期限已过"},
             {v1::PETITIONER_ACTION_REQUEST_REVIEW, "第三十五条"}}},
           {"issue 15 item 2: over an office's rating the petitioner's own "
            "was open too",
            v1::CASE_STATE_EVALUATED,
            true,
            {{v1::PETITIONER_ACTION_RATE, "评价期限已过"},
             {v1::PETITIONER_ACTION_REQUEST_REVIEW, "申请复查的期限已过"}}},
           {"Art. 36: the 复核 window ended",
            v1::CASE_STATE_REVIEWED,
            true,
            {{v1::PETITIONER_ACTION_REQUEST_REREVIEW, "第三十六条"}}},
           {"a state with no petitioner's action closes nothing",
            v1::CASE_STATE_REVIEW_REQUESTED,
            true,
            {}},
       }) {
    absl::StatusOr<Built> built =
        builder.InState(row.state, China(2026, 3, 2, 9), served);
    ASSERT_TRUE(built.ok()) << row.rule << ": " << built.status();
    const v1::PetitionerWindow& window = built->record.view().window();
    const absl::Time now = row.after_window && window.has_ends_at()
                               ? time::FromProto(window.ends_at())
                               : built->last + absl::Hours(1);
    std::vector<PetitionerClosedOption> closed =
        builder.lifecycle().PetitionerClosed(built->record, now);
    ASSERT_EQ(closed.size(), row.want.size()) << row.rule;
    for (size_t i = 0; i < closed.size(); ++i) {
      EXPECT_EQ(closed[i].action, row.want[i].first) << row.rule;
      EXPECT_THAT(closed[i].reason, HasSubstr(row.want[i].second)) << row.rule;
      // The window's last day, as the refusal names it.
      EXPECT_THAT(closed[i].reason,
                  HasSubstr(ChineseDay(
                      time::ChinaDay(closed[i].closed_at - absl::Seconds(1)))))
          << row.rule;
      EXPECT_EQ(closed[i].closed_at, time::FromProto(window.ends_at()));
    }
  }
}

TEST(PetitionerApplyTest, ARequestGoesToTheOrganThePetitionerNames) {
  struct Row {
    const char* rule;
    std::string organ;
    C code;
    std::string holder_after;
  };
  CaseBuilder builder;
  for (const Row& row : std::vector<Row>{
           {"Arts. 35-36: none named, the first organ (本级人民政府)", "",
            C::kOk, kCountyGov},
           {"Arts. 35-36: 上一级主管部门 when named", kCityHrss, C::kOk,
            kCityHrss},
           {"an office that reviews nothing of the handler's", kCountyHousing,
            C::kInvalidArgument, ""},
       }) {
    absl::StatusOr<Built> built =
        builder.InState(v1::CASE_STATE_REPLIED, China(2026, 3, 2, 9));
    ASSERT_TRUE(built.ok()) << built.status();
    v1::RoutingCaseRecord record = built->record;
    Command cmd = PetitionerCommand(v1::CASE_ACTION_REQUEST_REVIEW,
                                    built->last + absl::Hours(1), row.organ);
    cmd.reason = "对处理意见不服";
    absl::StatusOr<v1::CaseEvent> event =
        builder.lifecycle().Apply(cmd, record);
    EXPECT_EQ(event.status().code(), row.code) << row.rule << event.status();
    if (!event.ok()) continue;
    EXPECT_TRUE(event->by_petitioner()) << row.rule;
    EXPECT_EQ(record.view().office_code(), row.holder_after) << row.rule;
    EXPECT_EQ(record.view().state(), v1::CASE_STATE_REVIEW_REQUESTED);
    EXPECT_FALSE(event->review_rule().empty()) << row.rule;
  }
}

}  // namespace
}  // namespace caserelay::lifecycle::testing
