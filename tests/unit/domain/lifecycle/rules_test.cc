// The windows and deadlines of DOMAIN.md "Deadlines", each row citing its
// rule, counted against the real holiday tables (data/holidays). Dates are
// worked out by hand in the comments, not by the calendar under test.

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/time/timestamp.h"
#include "domain/lifecycle/lifecycle.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/unit/domain/lifecycle/case_builder.h"

namespace caserelay::lifecycle::testing {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::HasSubstr;

using time::FromProto;

const v1::RunningDeadline* Deadline(const v1::RoutingCaseRecord& record,
                                    v1::DeadlineKind kind) {
  for (const auto& d : record.view().deadlines()) {
    if (d.kind() == kind) return &d;
  }
  return nullptr;
}

// Builds a case in `state` (received at `start`), applies one action, and
// checks the status code, that a refusal names `message_has` and leaves
// the record exactly as it was. Returns the record after.
v1::RoutingCaseRecord Expect(const CaseBuilder& builder, v1::CaseState state,
                             absl::Time start, BuildOptions options,
                             const std::function<Command(const Built&)>& make,
                             absl::StatusCode want,
                             const std::string& message_has = "") {
  absl::StatusOr<Built> built = builder.InState(state, start, options);
  EXPECT_TRUE(built.ok()) << built.status();
  if (!built.ok()) return {};
  const v1::RoutingCaseRecord before = built->record;
  absl::StatusOr<v1::CaseEvent> event =
      builder.lifecycle().Apply(make(*built), built->record);
  EXPECT_EQ(event.status().code(), want) << event.status();
  if (want != absl::StatusCode::kOk) {
    EXPECT_THAT(std::string(event.status().message()), HasSubstr(message_has));
    EXPECT_TRUE(MessageDifferencer::Equals(before, built->record))
        << "the record changed on error";
  }
  return built->record;
}

constexpr absl::StatusCode kOk = absl::StatusCode::kOk;
constexpr absl::StatusCode kFailed = absl::StatusCode::kFailedPrecondition;
constexpr absl::StatusCode kInvalid = absl::StatusCode::kInvalidArgument;

TEST(ObjectionRuleTest, WindowIsFiveWorkingDaysByTheHolidayTable) {
  struct Row {
    const char* rule;
    absl::Time start;  // transferred one hour later
    absl::Time now;
    absl::StatusCode want;
  };
  const absl::Time before_national_day = China(2026, 9, 29, 9);  // Tue
  const absl::Time ordinary_week = China(2026, 3, 2, 9);         // Mon
  const Row rows[] = {
      {"Art. 23, 5 working days: 9-30 is the 1st", before_national_day,
       China(2026, 9, 30, 10), kOk},
      {"Art. 23: 10-1..10-7 (国庆节) are not working days, still in window",
       before_national_day, China(2026, 10, 5, 12), kOk},
      {"Art. 23: Sat 10-10 is a make-up working day (调休), the 4th",
       before_national_day, China(2026, 10, 10, 12), kOk},
      {"Art. 23: Mon 10-12 is the 5th working day, its last second",
       before_national_day, China(2026, 10, 12, 23, 59, 59), kOk},
      {"Art. 23: Tue 10-13 is the 6th working day: refused",
       before_national_day, China(2026, 10, 13), kFailed},
      {"Art. 23: no holiday, Mon 3-9 is the 5th working day", ordinary_week,
       China(2026, 3, 9, 23, 59, 59), kOk},
      {"Art. 23: no holiday, Tue 3-10 is the 6th: refused", ordinary_week,
       China(2026, 3, 10), kFailed},
  };
  CaseBuilder builder;
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    v1::RoutingCaseRecord after = Expect(
        builder, v1::CASE_STATE_TRANSFERRED, row.start, {},
        [&](const Built&) {
          return ValidCommand(v1::CASE_ACTION_OBJECT, kCountyHrss, row.now);
        },
        row.want, "Art. 23");
    if (row.want == kOk) {
      EXPECT_EQ(after.view().state(), v1::CASE_STATE_REGISTERED);
      EXPECT_EQ(after.view().office_code(), kCountyBureau);
    }
  }
}

TEST(ExtensionRuleTest, OnceAtMostThirtyDaysWithReasonBeforeTheDeadline) {
  // Accepted Mon 2026-03-02 11:00: HANDLING's last day 3-2 + 60 = 5-1, in
  // the 劳动节 break (5-1..5-5), so Wed 5-6; due 5-7 00:00.
  struct Row {
    const char* rule;
    v1::CaseState state;
    bool simplified;
    int days;
    const char* reason;
    absl::Time now;
    absl::StatusCode want;
    const char* message_has;
  };
  const absl::Time in_time = China(2026, 3, 10, 9);
  const Row rows[] = {
      {"Art. 34: at most 30 days", v1::CASE_STATE_ACCEPTED, false, 30, "复杂",
       in_time, kOk, ""},
      {"Art. 34: 31 days is more than 30", v1::CASE_STATE_ACCEPTED, false, 31,
       "复杂", in_time, kInvalid, "days"},
      {"Art. 34: an extension is of at least one day", v1::CASE_STATE_ACCEPTED,
       false, 0, "复杂", in_time, kInvalid, "days"},
      {"Art. 34: the reason is told to the petitioner", v1::CASE_STATE_ACCEPTED,
       false, 10, "", in_time, kInvalid, "reason"},
      {"Art. 34: extension once", v1::CASE_STATE_EXTENDED, false, 10, "复杂",
       in_time, kFailed, "Art. 34"},
      {"简易办理: a simplified case is not extended", v1::CASE_STATE_ACCEPTED,
       true, 10, "复杂", in_time, kFailed, "简易办理"},
      {"Art. 34: asked on the last day of the limit", v1::CASE_STATE_ACCEPTED,
       false, 10, "复杂", China(2026, 5, 6, 23, 59, 59), kOk, ""},
      {"Art. 34: asked after the limit passed", v1::CASE_STATE_ACCEPTED, false,
       10, "复杂", China(2026, 5, 7), kFailed, "handling deadline passed"},
  };
  CaseBuilder builder;
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    const v1::CaseState state =
        row.simplified ? v1::CASE_STATE_TRANSFERRED : row.state;
    absl::StatusOr<Built> built =
        builder.InState(state, China(2026, 3, 2, 9), {});
    ASSERT_TRUE(built.ok()) << built.status();
    if (row.simplified) {
      Command accept = ValidCommand(v1::CASE_ACTION_ACCEPT, kCountyHrss,
                                    built->last + absl::Hours(1));
      accept.simplified = true;
      ASSERT_TRUE(builder.lifecycle().Apply(accept, built->record).ok());
    }
    const v1::RoutingCaseRecord before = built->record;
    Command cmd = ValidCommand(v1::CASE_ACTION_EXTEND, kCountyHrss, row.now);
    cmd.days = row.days;
    cmd.reason = row.reason;
    absl::StatusOr<v1::CaseEvent> event =
        builder.lifecycle().Apply(cmd, built->record);
    EXPECT_EQ(event.status().code(), row.want) << event.status();
    if (row.want != kOk) {
      EXPECT_THAT(std::string(event.status().message()),
                  HasSubstr(row.message_has));
      EXPECT_TRUE(MessageDifferencer::Equals(before, built->record));
    } else {
      EXPECT_EQ(event->extension_days(), row.days);
      EXPECT_TRUE(built->record.view().extended());
    }
  }
}

TEST(ExtensionRuleTest, MovesTheHandlingLastDayByTheDays) {
  CaseBuilder builder;
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_ACCEPTED, China(2026, 3, 2, 9));
  ASSERT_TRUE(built.ok()) << built.status();
  // DOMAIN.md Deadlines, Art. 34: 60 days from acceptance; 3-2 + 60 = 5-1,
  // a holiday, so the last day is 5-6 (民法典 Art. 203).
  const v1::RunningDeadline* handling =
      Deadline(built->record, v1::DEADLINE_KIND_HANDLING);
  ASSERT_NE(handling, nullptr);
  EXPECT_EQ(FromProto(handling->due_at()), China(2026, 5, 7));
  Command cmd =
      ValidCommand(v1::CASE_ACTION_EXTEND, kCountyHrss, China(2026, 4, 1, 9));
  cmd.days = 30;
  ASSERT_TRUE(builder.lifecycle().Apply(cmd, built->record).ok());
  // 5-6 + 30 = Fri 6-5, a working day: due at its end.
  handling = Deadline(built->record, v1::DEADLINE_KIND_HANDLING);
  ASSERT_NE(handling, nullptr);
  EXPECT_EQ(FromProto(handling->due_at()), China(2026, 6, 6));
  EXPECT_EQ(built->record.view().state(), v1::CASE_STATE_EXTENDED);
}

TEST(SimplifiedRuleTest, OnlyFirstTimeCasesAndTenWorkingDays) {
  struct Row {
    const char* rule;
    bool first_time;
    absl::StatusCode want;
  };
  const Row rows[] = {
      {"简易办理办法: a first-time case may be simplified", true, kOk},
      {"简易办理办法: a repeat petitioner's case may not", false, kFailed},
  };
  CaseBuilder builder;
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    BuildOptions options;
    options.first_time = row.first_time;
    // Transferred Mon 2026-09-28 10:00, accepted 11:00.
    v1::RoutingCaseRecord after = Expect(
        builder, v1::CASE_STATE_TRANSFERRED, China(2026, 9, 28, 9), options,
        [](const Built& b) {
          Command cmd = ValidCommand(v1::CASE_ACTION_ACCEPT, kCountyHrss,
                                     b.last + absl::Hours(1));
          cmd.simplified = true;
          return cmd;
        },
        row.want, "first-time");
    if (row.want != kOk) continue;
    // 10 working days after 9-28: 9-29, 9-30, (国庆 10-1..10-7), 10-8,
    // 10-9, Sat 10-10 (调休), 10-12, 10-13, 10-14, 10-15, 10-16.
    const v1::RunningDeadline* simplified =
        Deadline(after, v1::DEADLINE_KIND_SIMPLIFIED);
    ASSERT_NE(simplified, nullptr);
    EXPECT_EQ(FromProto(simplified->due_at()), China(2026, 10, 17));
    EXPECT_EQ(Deadline(after, v1::DEADLINE_KIND_HANDLING), nullptr);
    EXPECT_TRUE(after.view().simplified());
  }
}

TEST(ReviewWindowRuleTest, ThirtyDaysToAskAndCloseOnlyAfter) {
  // Replied 2026-03-02 12:00, received (送达) the same day: the 30-day
  // window's last day is Wed 4-1.
  // Replied 2026-09-05 12:00: 9-5 + 30 = 10-5, in 国庆节, so Thu 10-8.
  // Reviewed 2026-03-02 15:00, received that day: the re-review window
  // ends with 4-1 too.
  struct Row {
    const char* rule;
    v1::CaseState state;
    absl::Time start;
    v1::CaseAction action;
    const char* actor;
    absl::Time now;
    absl::StatusCode want;
    const char* message_has;
  };
  const absl::Time march = China(2026, 3, 2, 9);
  const absl::Time september = China(2026, 9, 5, 9);
  const auto kReview = v1::CASE_ACTION_REQUEST_REVIEW;
  const auto kRereview = v1::CASE_ACTION_REQUEST_REREVIEW;
  const auto kClose = v1::CASE_ACTION_CLOSE;
  const auto kReplied = v1::CASE_STATE_REPLIED;
  const auto kReviewed = v1::CASE_STATE_REVIEWED;
  const Row rows[] = {
      {"Art. 35: review asked on the 30th day", kReplied, march, kReview,
       kCityHrss, China(2026, 4, 1, 23, 59, 59), kOk, ""},
      {"Art. 35: review asked on the 31st day", kReplied, march, kReview,
       kCityHrss, China(2026, 4, 2), kFailed, "Art. 35"},
      {"Art. 35 + 民法典 Art. 203: 30th day in 国庆节 moves to 10-8", kReplied,
       september, kReview, kCityHrss, China(2026, 10, 8, 23, 59, 59), kOk, ""},
      {"Art. 35 + 民法典 Art. 203: 10-9 is past the window", kReplied,
       september, kReview, kCityHrss, China(2026, 10, 9), kFailed, "Art. 35"},
      {"Art. 35: no close while the review window is open", kReplied, march,
       kClose, kCountyHrss, China(2026, 4, 1, 23, 59, 59), kFailed,
       "review window"},
      {"Art. 35: close once the review window passed", kReplied, march, kClose,
       kCountyHrss, China(2026, 4, 2), kOk, ""},
      {"Art. 36: re-review asked on the 30th day", kReviewed, march, kRereview,
       kProvinceHrss, China(2026, 4, 1, 23, 59, 59), kOk, ""},
      {"Art. 36: re-review asked on the 31st day", kReviewed, march, kRereview,
       kProvinceHrss, China(2026, 4, 2), kFailed, "Art. 36"},
      {"Art. 36: no close while the re-review window is open", kReviewed, march,
       kClose, kCityHrss, China(2026, 4, 1, 23, 59, 59), kFailed,
       "re-review window"},
      {"Art. 36: close once the re-review window passed", kReviewed, march,
       kClose, kCityHrss, China(2026, 4, 2), kOk, ""},
  };
  CaseBuilder builder;
  BuildOptions served;
  served.served = true;
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    Expect(
        builder, row.state, row.start, served,
        [&](const Built&) {
          return ValidCommand(row.action, row.actor, row.now);
        },
        row.want, row.message_has);
  }
}

TEST(ReviewDeadlineRuleTest, ReviewAndRereviewDecisionsDueInThirtyDays) {
  CaseBuilder builder;
  // Review requested 2026-03-02 13:00, re-review 15:00: 3-2 + 30 = Wed 4-1.
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_REREVIEW_REQUESTED, China(2026, 3, 2, 9));
  ASSERT_TRUE(built.ok()) << built.status();
  const v1::RunningDeadline* rereview =
      Deadline(built->record, v1::DEADLINE_KIND_REREVIEW);
  ASSERT_NE(rereview, nullptr);
  EXPECT_EQ(rereview->office_code(), kProvinceHrss);
  EXPECT_EQ(FromProto(rereview->due_at()), China(2026, 4, 2));
  EXPECT_EQ(Deadline(built->record, v1::DEADLINE_KIND_REVIEW), nullptr);
}

TEST(HearingRuleTest, PauseMovesTheRereviewDueByExactlyThePausedTime) {
  // DOMAIN.md Deadlines, Art. 36: hearing (听证) time is not counted.
  CaseBuilder builder;
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_REREVIEW_REQUESTED, China(2026, 3, 2, 9));
  ASSERT_TRUE(built.ok()) << built.status();
  const absl::Time due = China(2026, 4, 2);
  const absl::Time start = China(2026, 3, 10, 9, 30);
  const absl::Time end = China(2026, 3, 13, 14, 37, 11);

  ASSERT_TRUE(builder.lifecycle()
                  .Apply(ValidCommand(v1::CASE_ACTION_START_HEARING,
                                      kProvinceHrss, start),
                         built->record)
                  .ok());
  const v1::RunningDeadline* paused =
      Deadline(built->record, v1::DEADLINE_KIND_REREVIEW);
  ASSERT_NE(paused, nullptr);
  EXPECT_EQ(FromProto(paused->paused_at()), start);
  EXPECT_EQ(FromProto(paused->due_at()), due);

  absl::StatusOr<v1::CaseEvent> ended = builder.lifecycle().Apply(
      ValidCommand(v1::CASE_ACTION_END_HEARING, kProvinceHrss, end),
      built->record);
  ASSERT_TRUE(ended.ok()) << ended.status();
  const v1::RunningDeadline* resumed =
      Deadline(built->record, v1::DEADLINE_KIND_REREVIEW);
  ASSERT_NE(resumed, nullptr);
  EXPECT_EQ(FromProto(resumed->due_at()), due + (end - start));
  EXPECT_EQ(FromProto(resumed->due_at()), China(2026, 4, 5, 5, 7, 11));
  EXPECT_FALSE(resumed->has_paused_at());
  EXPECT_EQ(built->record.view().state(), v1::CASE_STATE_REREVIEW_REQUESTED);
  ASSERT_EQ(ended->deadlines_size(), 1);
  EXPECT_EQ(FromProto(ended->deadlines(0).due_at()), due + (end - start));
}

TEST(HearingRuleTest, NoRereviewDecisionDuringAHearing) {
  CaseBuilder builder;
  Expect(
      builder, v1::CASE_STATE_HEARING, China(2026, 3, 2, 9), {},
      [](const Built& b) {
        return ValidCommand(v1::CASE_ACTION_DECIDE_REREVIEW, kProvinceHrss,
                            b.last + absl::Hours(1));
      },
      kFailed, "Art. 36");
}

TEST(PolicyRuleTest, LimitsComeFromThePolicy) {
  // DOMAIN.md Deadlines: "all configurable". A 2-working-day objection
  // window: transferred Mon 3-2, the 2nd working day is Wed 3-4.
  Policy policy;
  policy.objection_working_days = 2;
  CaseBuilder builder(policy);
  for (const auto& [now, want] : {std::pair{China(2026, 3, 4, 23, 59, 59), kOk},
                                  std::pair{China(2026, 3, 5), kFailed}}) {
    Expect(
        builder, v1::CASE_STATE_TRANSFERRED, China(2026, 3, 2, 9), {},
        [now = now](const Built&) {
          return ValidCommand(v1::CASE_ACTION_OBJECT, kCountyHrss, now);
        },
        want, "2 working days");
  }
}

TEST(CalendarRuleTest, AMissingHolidayTableRefusesAndLeavesTheRecord) {
  // DOMAIN.md Deadlines: the calendar never guesses. Transferred 2026-12-20:
  // the acceptance deadline (15 days) falls in 2027, which has no table.
  CaseBuilder builder;
  Expect(
      builder, v1::CASE_STATE_REGISTERED, China(2026, 12, 10, 9), {},
      [](const Built&) {
        return ValidCommand(v1::CASE_ACTION_TRANSFER, kCountyBureau,
                            China(2026, 12, 20, 9));
      },
      kFailed, "2027");
}

}  // namespace
}  // namespace caserelay::lifecycle::testing
