// The schedule (issue 17 items 2 and 3): each bulletin issued when it
// falls due at 08:00 on the service's (simulated) clock, none twice and
// none skipped across a restart, rest days respected. These tests are
// about when bulletins are made; the PDF they carry comes from a quick
// renderer here (WeasyPrint takes 10-50 s a document on this machine; its
// own tests are pdf_renderer_test and bulletin_issuer_test).
#include "services/statistics/bulletins/schedule.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/unit/services/statistics/bulletins/issue_fixture.h"

namespace caserelay::bulletins {
namespace {

namespace v1 = caserelay::v1;

// A one-line PDF naming the HTML's length: quick, and distinct per input.
class QuickPdf final : public PdfRenderer {
 public:
  absl::StatusOr<std::string> Render(absl::string_view html) const override {
    return absl::StrCat("%PDF-1.7\n% ", html.size(), "\n%%EOF\n");
  }
};

class ScheduleTest : public IssueFixture {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(IssueFixture::SetUp());
    Make({BulletinKind::kDaily});
  }
  void TearDown() override {
    schedule_.reset();
    issuer_.reset();
    IssueFixture::TearDown();
  }
  // The issuer and schedule over the current store, for `kinds` of the
  // 太原市 and 山西省 bureaus.
  void Make(std::vector<BulletinKind> kinds) {
    schedule_.reset();
    issuer_ = std::make_unique<BulletinIssuer>(
        bulletins_.get(), rules_.get(), &figures_, &pdf_, &clock_, &progress_);
    ScheduleSettings settings;
    settings.bureaus = {Office("140100:bureau"), Office("140000:bureau")};
    settings.kinds = std::move(kinds);
    schedule_ = std::make_unique<BulletinSchedule>(
        issuer_.get(), bulletins_.get(), rules_.get(), &clock_, settings);
  }
  // A restart: everything built again over the store reopened.
  void Restart(std::vector<BulletinKind> kinds) {
    schedule_.reset();
    issuer_.reset();
    ASSERT_NO_FATAL_FAILURE(Reopen());
    Make(std::move(kinds));
  }
  // "<first day> #<number>" of `bureau`'s bulletins of `kind`, oldest first.
  std::vector<std::string> Issued(const std::string& bureau,
                                  BulletinKind kind) {
    auto page = bulletins_->List(bureau, kind, 0, 500, "");
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::string> out;
    for (auto it = page->bulletins.rbegin(); it != page->bulletins.rend();
         ++it) {
      out.push_back(absl::StrCat(it->first_day(), " #", it->number()));
    }
    return out;
  }

  QuickPdf pdf_;
  std::unique_ptr<BulletinIssuer> issuer_;
  std::unique_ptr<BulletinSchedule> schedule_;
};

TEST_F(ScheduleTest, DailiesAcrossAHolidayAndARestartNoneTwiceNoneSkipped) {
  // Monday 2026-09-28 10:00, a new series: it starts with the period
  // covering yesterday: Thursday 09-24 and 中秋 (09-25..09-27), due today
  // at 08:00.
  SchedulePass pass = schedule_->RunDue();
  ASSERT_TRUE(pass.status.ok()) << pass.status;
  EXPECT_EQ(pass.issued, 2);  // both bureaus
  EXPECT_EQ(pass.next_due, At(2026, 9, 29, 8));
  clock_.Set(At(2026, 9, 29, 7) + absl::Minutes(59));
  EXPECT_EQ(schedule_->RunDue().issued, 0);  // 07:59: not yet
  clock_.Set(At(2026, 9, 29, 8));
  EXPECT_EQ(schedule_->RunDue().issued, 2);

  // Down from here over 国庆 (10-01..10-07, the notice), back on Monday
  // 10-12 at 09:00: every daily due meanwhile is issued, in order.
  ASSERT_NO_FATAL_FAILURE(Restart({BulletinKind::kDaily}));
  clock_.Set(At(2026, 10, 12, 9));
  pass = schedule_->RunDue();
  ASSERT_TRUE(pass.status.ok()) << pass.status;
  EXPECT_EQ(pass.issued, 2 * 5);
  EXPECT_EQ(pass.next_due, At(2026, 10, 13, 8));
  const std::vector<std::string> want = {
      "2026-09-24 #1",  // item 3: 09-24 and 中秋 09-25..09-27, due 09-28
      "2026-09-28 #2",  // due 09-29
      "2026-09-29 #3",  // due 09-30
      "2026-09-30 #4",  // item 3: 09-30..10-07, the whole holiday, due 10-08
      "2026-10-08 #5",  // due 10-09
      "2026-10-09 #6",  // due Saturday 10-10, a make-up working day
      "2026-10-10 #7",  // 10-10..10-11, due Monday 10-12
  };
  EXPECT_EQ(Issued("140100:bureau", BulletinKind::kDaily), want);
  EXPECT_EQ(Issued("140000:bureau", BulletinKind::kDaily), want);
  // Another restart: nothing again.
  ASSERT_NO_FATAL_FAILURE(Restart({BulletinKind::kDaily}));
  pass = schedule_->RunDue();
  EXPECT_EQ(pass.issued, 0);
  EXPECT_EQ(Issued("140100:bureau", BulletinKind::kDaily), want);
}

TEST_F(ScheduleTest, WeeklyAndMonthlyWaitForTheFirstWorkingDay) {
  Make({BulletinKind::kWeekly, BulletinKind::kMonthly});
  // Monday 2026-09-28 10:00, new series: each starts with the period
  // covering yesterday: the week 09-21..09-27, due today at 08:00 (issued),
  // and September, still open.
  SchedulePass pass = schedule_->RunDue();
  ASSERT_TRUE(pass.status.ok()) << pass.status;
  EXPECT_EQ(pass.issued, 2);
  // The week 09-28..10-04 is due Monday 10-05, 国庆: on 10-08 at 08:00;
  // September's is due 10-01, 国庆 too: also 10-08.
  EXPECT_EQ(pass.next_due, At(2026, 10, 8, 8));
  clock_.Set(At(2026, 10, 5, 10));
  EXPECT_EQ(schedule_->RunDue().issued, 0);
  clock_.Set(At(2026, 10, 8, 8));
  pass = schedule_->RunDue();
  EXPECT_EQ(pass.issued, 2 * 2);
  EXPECT_EQ(Issued("140100:bureau", BulletinKind::kWeekly),
            (std::vector<std::string>{"2026-09-21 #1", "2026-09-28 #2"}));
  EXPECT_EQ(Issued("140100:bureau", BulletinKind::kMonthly),
            std::vector<std::string>{"2026-09-01 #1"});
  // Next: the week 10-05..10-11 on Monday 10-12.
  EXPECT_EQ(pass.next_due, At(2026, 10, 12, 8));
}

TEST_F(ScheduleTest, ABulletinIssuedOnRequestIsPassedOver) {
  clock_.Set(At(2026, 9, 28, 7));  // before 08:00: nothing due yet
  EXPECT_EQ(schedule_->RunDue().issued, 0);
  // Someone asks for the daily of 09-24..09-27 at 07:30, before the
  // schedule's 08:00.
  clock_.Set(At(2026, 9, 28, 7) + absl::Minutes(30));
  auto asked = issuer_->Issue(Office("140100:bureau"), BulletinKind::kDaily,
                              absl::CivilDay(2026, 9, 26), false);
  ASSERT_TRUE(asked.ok()) << asked.status();
  clock_.Set(At(2026, 9, 28, 8));
  SchedulePass pass = schedule_->RunDue();
  EXPECT_EQ(pass.issued, 1);  // the province's only
  EXPECT_EQ(Issued("140100:bureau", BulletinKind::kDaily),
            std::vector<std::string>{"2026-09-24 #1"});
  auto record = bulletins_->Find(asked->bulletin.id());
  ASSERT_TRUE(record.ok() && record->has_value());
  EXPECT_FALSE((*record)->scheduled());
}

TEST_F(ScheduleTest, AFailedBulletinIsRetriedAndItsSeriesWaitsForIt) {
  figures_.set_fail(true);
  SchedulePass pass = schedule_->RunDue();
  EXPECT_EQ(pass.status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(pass.issued, 0);
  clock_.Set(At(2026, 9, 30, 9));  // two more due meanwhile
  EXPECT_EQ(schedule_->RunDue().issued, 0);
  figures_.set_fail(false);
  pass = schedule_->RunDue();
  ASSERT_TRUE(pass.status.ok()) << pass.status;
  EXPECT_EQ(pass.issued, 2 * 3);
  EXPECT_EQ(Issued("140000:bureau", BulletinKind::kDaily),
            (std::vector<std::string>{"2026-09-24 #1", "2026-09-28 #2",
                                      "2026-09-29 #3"}));
}

TEST_F(ScheduleTest, ItsThreadIssuesWhenTheClockReachesTheDueTime) {
  clock_.Set(At(2026, 9, 28, 7));
  schedule_->Start();
  ASSERT_TRUE(clock_.AwaitWaiters(1, absl::Seconds(10)));
  EXPECT_TRUE(Issued("140100:bureau", BulletinKind::kDaily).empty());
  clock_.Set(At(2026, 9, 28, 8));
  std::vector<std::string> issued;
  for (int i = 0; i < 200 && issued.empty(); ++i) {
    absl::SleepFor(absl::Milliseconds(50));
    issued = Issued("140000:bureau", BulletinKind::kDaily);
  }
  EXPECT_EQ(issued, std::vector<std::string>{"2026-09-24 #1"});
  schedule_->Stop();
}

}  // namespace
}  // namespace caserelay::bulletins

namespace caserelay::bulletins {
namespace {

// Issue 17 task 3 ("a bulletin is never issued before statistics has
// caught up"): on demand, a period the index has not applied case-events
// through is refused with UNAVAILABLE and the figure (how far, how far
// short); the schedule waits without failing and issues once caught up.
TEST_F(ScheduleTest, NothingIsIssuedBeforeTheIndexHasAppliedThePeriod) {
  // Monday 2026-09-28 10:00; the week 09-21..09-27 ends at 09-28 00:00.
  const offices::Office taiyuan = Office("140100:bureau");
  struct Row {
    const char* rule;
    absl::Time through;
    absl::StatusCode code;
    const char* says;
  };
  const Row rows[] = {
      {"no applied-through signal yet (no partition, no broker answer)",
       absl::InfinitePast(), absl::StatusCode::kUnavailable,
       "has not yet established how far"},
      {"applied through Sunday 23:00: one hour short of the end",
       At(2026, 9, 27, 23), absl::StatusCode::kUnavailable,
       "through 2026-09-27 23:00:00 +08:00 only, 1h behind the end of the "
       "period (2026-09-28 00:00:00 +08:00)"},
      {"applied through the end of the period exactly", At(2026, 9, 28, 0),
       absl::StatusCode::kOk, ""},
  };
  for (const Row& row : rows) {
    progress_.Set(row.through);
    absl::StatusOr<bulletins::Issued> made = issuer_->Issue(
        taiyuan, BulletinKind::kWeekly, absl::CivilDay(2026, 9, 23), false);
    EXPECT_EQ(made.status().code(), row.code) << row.rule;
    if (!made.ok()) {
      EXPECT_NE(made.status().message().find(row.says), std::string::npos)
          << row.rule << ": " << made.status();
    }
  }
  EXPECT_EQ(Issued("140100:bureau", BulletinKind::kWeekly),
            (std::vector<std::string>{"2026-09-21 #1"}));

  // The schedule's dailies due at 08:00 today wait (not a failure) while
  // the index is behind, and are issued once it has caught up.
  progress_.Set(At(2026, 9, 27, 12));
  SchedulePass pass = schedule_->RunDue();
  EXPECT_TRUE(pass.status.ok()) << pass.status;
  EXPECT_EQ(pass.waiting.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(pass.issued, 0);
  EXPECT_TRUE(Issued("140100:bureau", BulletinKind::kDaily).empty());
  progress_.Set(At(2026, 9, 28, 9));
  pass = schedule_->RunDue();
  EXPECT_TRUE(pass.waiting.ok()) << pass.waiting;
  EXPECT_EQ(pass.issued, 2);
  EXPECT_EQ(Issued("140100:bureau", BulletinKind::kDaily),
            (std::vector<std::string>{"2026-09-24 #1"}));
}

}  // namespace
}  // namespace caserelay::bulletins
