// Service (送达) of a written decision and the petitioner's windows (issue
// 23 item 4): Arts. 35-36 count 30 days from the petitioner's receipt of
// the opinion or of the review (收到书面答复之日), so SERVE records the day
// and the way, and the windows run from it; without it nothing is guessed.
// Dates worked out by hand: 2026-03-10 + 30 = Thu 4-9; 3-23 + 30 = Wed 4-22.

#include <functional>
#include <string>

#include "absl/status/status.h"
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

constexpr absl::StatusCode kOk = absl::StatusCode::kOk;
constexpr absl::StatusCode kFailed = absl::StatusCode::kFailedPrecondition;
constexpr absl::StatusCode kInvalid = absl::StatusCode::kInvalidArgument;

const v1::RunningDeadline* Find(const v1::RoutingCaseRecord& r,
                                v1::DeadlineKind kind) {
  for (const auto& d : r.view().deadlines()) {
    if (d.kind() == kind) return &d;
  }
  return nullptr;
}

TEST(ServiceWindowTest, WindowsCountFromReceiptNotFromIssue) {
  struct Row {
    const char* rule;
    v1::CaseState state;  // built from 2026-03-02 09:00, unserved
    absl::Time received;  // zero: no SERVE before the action
    v1::CaseAction action;
    const char* actor;
    absl::Time now;
    absl::StatusCode want;
    const char* message_has;
  };
  const absl::Time none = absl::InfinitePast();
  const absl::Time mar10 = China(2026, 3, 10, 16);
  const absl::Time mar23 = China(2026, 3, 23, 10);
  const auto kReplied = v1::CASE_STATE_REPLIED;
  const auto kReviewed = v1::CASE_STATE_REVIEWED;
  const auto kReview = v1::CASE_ACTION_REQUEST_REVIEW;
  const auto kRereview = v1::CASE_ACTION_REQUEST_REREVIEW;
  const auto kClose = v1::CASE_ACTION_CLOSE;
  const Row rows[] = {
      {"Art. 35: received 3-10, so 4-9 is the 30th day (issued 3-2: the old "
       "count would have ended 4-1)",
       kReplied, mar10, kReview, kCityHrss, China(2026, 4, 9, 23, 59, 59), kOk,
       ""},
      {"Art. 35: 4-10 is the 31st day after receipt", kReplied, mar10, kReview,
       kCityHrss, China(2026, 4, 10), kFailed, "received on 2026-03-10"},
      {"Art. 35: receipt not recorded: the request cannot be late (no guess)",
       kReplied, none, kReview, kCityHrss, China(2026, 6, 1), kOk, ""},
      {"Art. 35: no close while receipt is not recorded", kReplied, none,
       kClose, kCountyHrss, China(2026, 6, 1), kFailed, "尚未登记送达"},
      {"Art. 35: no close within 30 days of receipt", kReplied, mar10, kClose,
       kCountyHrss, China(2026, 4, 9, 23, 59, 59), kFailed, "open until"},
      {"Art. 35: close once 30 days after receipt passed", kReplied, mar10,
       kClose, kCountyHrss, China(2026, 4, 10), kOk, ""},
      {"Art. 36: the review received 3-23: 4-22 is the 30th day", kReviewed,
       mar23, kRereview, kProvinceHrss, China(2026, 4, 22, 23, 59, 59), kOk,
       ""},
      {"Art. 36: 4-23 is past the re-review window", kReviewed, mar23,
       kRereview, kProvinceHrss, China(2026, 4, 23), kFailed, "Art. 36"},
      {"Art. 36: no close of a reviewed case before its receipt is recorded",
       kReviewed, none, kClose, kCityHrss, China(2026, 6, 1), kFailed,
       "尚未登记送达"},
  };
  CaseBuilder builder;
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    absl::StatusOr<Built> built =
        builder.InState(row.state, China(2026, 3, 2, 9));
    ASSERT_TRUE(built.ok()) << built.status();
    if (row.received != none) {
      Command serve = ValidCommand(v1::CASE_ACTION_SERVE,
                                   built->record.view().office_code(),
                                   row.received + absl::Hours(1));
      serve.received_at = row.received;
      ASSERT_TRUE(builder.lifecycle().Apply(serve, built->record).ok());
    }
    const v1::RoutingCaseRecord before = built->record;
    absl::StatusOr<v1::CaseEvent> event = builder.lifecycle().Apply(
        ValidCommand(row.action, row.actor, row.now), built->record);
    EXPECT_EQ(event.status().code(), row.want) << event.status();
    if (row.want != kOk) {
      EXPECT_THAT(std::string(event.status().message()),
                  HasSubstr(row.message_has));
      EXPECT_TRUE(MessageDifferencer::Equals(before, built->record));
    }
  }
}

TEST(ServiceTest, ServeRecordsTheDayAndTheWayAndEndsItsDeadline) {
  // Arts. 35-36 with deadline.service_days (10, local practice): the
  // opinion of 3-2 is to be served (recorded) by 3-12.
  CaseBuilder builder;
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_REPLIED, China(2026, 3, 2, 9));
  ASSERT_TRUE(built.ok()) << built.status();
  const v1::RunningDeadline* service =
      Find(built->record, v1::DEADLINE_KIND_SERVICE);
  ASSERT_NE(service, nullptr);
  EXPECT_EQ(service->office_code(), kCountyHrss);
  EXPECT_EQ(FromProto(service->due_at()), China(2026, 3, 13));
  EXPECT_EQ(built->record.view().window().request(),
            v1::CASE_ACTION_REQUEST_REVIEW);
  EXPECT_FALSE(built->record.view().window().has_service());
  EXPECT_FALSE(built->record.view().window().has_ends_at());

  Command serve =
      ValidCommand(v1::CASE_ACTION_SERVE, kCountyHrss, China(2026, 3, 11, 9));
  serve.service_method = v1::SERVICE_METHOD_PORTAL;
  serve.received_at = China(2026, 3, 10, 16);
  absl::StatusOr<v1::CaseEvent> event =
      builder.lifecycle().Apply(serve, built->record);
  ASSERT_TRUE(event.ok()) << event.status();
  EXPECT_EQ(event->to_state(), v1::CASE_STATE_REPLIED);
  EXPECT_EQ(event->service().document(), v1::CASE_ACTION_REPLY);
  EXPECT_EQ(event->service().method(), v1::SERVICE_METHOD_PORTAL);
  EXPECT_EQ(FromProto(event->service().received_on()), China(2026, 3, 10));
  EXPECT_EQ(Find(built->record, v1::DEADLINE_KIND_SERVICE), nullptr);
  EXPECT_EQ(FromProto(built->record.view().window().ends_at()),
            China(2026, 4, 10));
  // The event carries the window, for the petitioner's look-up (intake).
  EXPECT_TRUE(MessageDifferencer::Equals(event->window(),
                                         built->record.view().window()));

  // The request ends the window; the review decision opens the next one.
  built->last = China(2026, 3, 11, 9);
  built =
      builder.Then(std::move(built), v1::CASE_ACTION_REQUEST_REVIEW, kCityHrss);
  ASSERT_TRUE(built.ok()) << built.status();
  EXPECT_FALSE(built->record.view().has_window());
  built =
      builder.Then(std::move(built), v1::CASE_ACTION_DECIDE_REVIEW, kCityHrss);
  ASSERT_TRUE(built.ok()) << built.status();
  EXPECT_EQ(built->record.view().window().request(),
            v1::CASE_ACTION_REQUEST_REREVIEW);
  ASSERT_NE(Find(built->record, v1::DEADLINE_KIND_SERVICE), nullptr);
  EXPECT_EQ(Find(built->record, v1::DEADLINE_KIND_SERVICE)->office_code(),
            kCityHrss);
}

TEST(ServiceTest, ACaseRepliedBeforeWindowsWereKeptCanBeServedAndClosed) {
  // Art. 35: a case stored before this release has no window; SERVE opens
  // it from the state, so the case is not stuck between "receipt not
  // recorded" and "nothing to serve".
  CaseBuilder builder;
  absl::StatusOr<Built> built =
      builder.InState(v1::CASE_STATE_REPLIED, China(2026, 3, 2, 9));
  ASSERT_TRUE(built.ok()) << built.status();
  built->record.mutable_view()->clear_window();
  Command serve =
      ValidCommand(v1::CASE_ACTION_SERVE, kCountyHrss, China(2026, 3, 3, 9));
  serve.received_at = China(2026, 3, 3, 8);
  ASSERT_TRUE(builder.lifecycle().Apply(serve, built->record).ok());
  EXPECT_EQ(built->record.view().window().request(),
            v1::CASE_ACTION_REQUEST_REVIEW);
  EXPECT_EQ(FromProto(built->record.view().window().ends_at()),
            China(2026, 4, 3));
  EXPECT_TRUE(builder.lifecycle()
                  .Apply(ValidCommand(v1::CASE_ACTION_CLOSE, kCountyHrss,
                                      China(2026, 4, 3)),
                         built->record)
                  .ok());
}

TEST(ServiceTest, BadServiceIsRefusedByNameAndTheRecordKept) {
  struct Row {
    const char* rule;
    std::function<void(Command&)> edit;
    bool serve_first;
    absl::StatusCode want;
    const char* message_has;
  };
  const Row rows[] = {
      {"Arts. 35-36: the way of service is required",
       [](Command& c) { c.service_method = v1::SERVICE_METHOD_UNSPECIFIED; },
       false, kInvalid, "service_method"},
      {"Arts. 35-36: the day of receipt is required",
       [](Command& c) { c.received_at = absl::InfinitePast(); }, false,
       kInvalid, "received_at"},
      {"Arts. 35-36: not received before the decision was issued (3-2)",
       [](Command& c) { c.received_at = China(2026, 3, 1, 18); }, false,
       kInvalid, "received_at"},
      {"Arts. 35-36: not received after today",
       [](Command& c) { c.received_at = c.now + absl::Hours(48); }, false,
       kInvalid, "received_at"},
      {"Arts. 35-36: a decision is served once", nullptr, true, kFailed,
       "served already"},
  };
  CaseBuilder builder;
  for (const Row& row : rows) {
    SCOPED_TRACE(row.rule);
    BuildOptions options;
    options.served = row.serve_first;
    absl::StatusOr<Built> built =
        builder.InState(v1::CASE_STATE_REPLIED, China(2026, 3, 2, 9), options);
    ASSERT_TRUE(built.ok()) << built.status();
    Command cmd = ValidCommand(v1::CASE_ACTION_SERVE, kCountyHrss,
                               built->last + absl::Hours(1));
    if (row.edit) row.edit(cmd);
    const v1::RoutingCaseRecord before = built->record;
    absl::StatusOr<v1::CaseEvent> event =
        builder.lifecycle().Apply(cmd, built->record);
    EXPECT_EQ(event.status().code(), row.want) << event.status();
    EXPECT_THAT(std::string(event.status().message()),
                HasSubstr(row.message_has));
    EXPECT_TRUE(MessageDifferencer::Equals(before, built->record));
  }
}

}  // namespace
}  // namespace caserelay::lifecycle::testing
