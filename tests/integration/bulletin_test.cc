// The bulletins against the real processes (issue 17 items 2-4, Must
// show): petitions with distinctive personal data go through intake,
// routing and case-events into the statistics' index; on the simulated
// clock the schedule issues the province bureau's 每日信访 at 08:00 of
// the next working day, 第1期 then 第2期; the documents hold the figures
// and none of the petitioners' names, phones, addresses, ID numbers or
// texts (HTML, CSV, and the PDF's text layer through pdftotext); after a
// restart of statistics GetBulletin returns the same bytes and nothing is
// issued twice; casectl bulletin gets the same PDF. And a bulletin due
// while statistics is behind waits until its index has caught up.
#include <signal.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/file/file.h"
#include "common/time/timestamp.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"
#include "tests/integration/petition_steps.h"
#include "tests/integration/progress.h"

namespace caserelay::testing {
namespace {

namespace v1 = caserelay::v1;
using ::testing::HasSubstr;

struct Person {
  std::string name, phone, address, title, text;
};

const std::vector<Person>& People() {
  static const auto* const kPeople = new std::vector<Person>{
      {"欧阳铁柱", "13912340001", "沁源县郭道镇铁柱村十七号", "铁柱讨薪",
       "欧阳铁柱在某工地干活三个月未拿到工资"},
      {"司马翠花", "13912340002", "沁源县沁河镇翠花巷八号", "翠花工伤",
       "司马翠花工伤认定迟迟不办"},
      {"诸葛大壮", "13912340003", "沁源县王和镇大壮街三号", "大壮社保",
       "诸葛大壮社保断缴无人答复"},
  };
  return *kPeople;
}

// Every bulletin of the province bureau, the last issued first.
std::vector<v1::Bulletin> List(System& sys) {
  v1::ListBulletinsRequest req;
  req.set_bureau_code(System::kProvinceBureau);
  v1::ListBulletinsResponse resp;
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  grpc::Status s = sys.statistics().ListBulletins(&ctx, req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return {resp.bulletins().begin(), resp.bulletins().end()};
}

// Waits (up to `wait`) until the bureau has `n` bulletins.
std::vector<v1::Bulletin> AwaitBulletins(System& sys, size_t n,
                                         absl::Duration wait) {
  const absl::Time until = absl::Now() + wait;
  std::vector<v1::Bulletin> got = List(sys);
  while (got.size() < n && absl::Now() < until) {
    absl::SleepFor(absl::Milliseconds(500));
    got = List(sys);
  }
  return got;
}

std::string Document(System& sys, const std::string& id,
                     v1::BulletinFormat format) {
  v1::GetBulletinRequest req;
  req.set_id(id);
  req.set_format(format);
  v1::GetBulletinResponse resp;
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  grpc::Status s = sys.statistics().GetBulletin(&ctx, req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return resp.document();
}

// The cases statistics counts for the province on 2026-03-10.
int64_t Counted(System& sys) {
  v1::GetVolumeRequest req;
  req.mutable_scope()->set_region_code("140000");
  *req.mutable_from() = time::ToProto(China(2026, 3, 10));
  *req.mutable_to() = time::ToProto(China(2026, 3, 11));
  v1::GetVolumeResponse resp;
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  grpc::Status s = sys.statistics().GetVolume(&ctx, req, &resp);
  return s.ok() ? resp.total().current().cases() : -1;
}

TEST(BulletinTest, IssuedOnScheduleWithoutPersonalDataAndNeverRewritten) {
  SystemOptions options;
  options.simulated_start = China(2026, 3, 10, 9);  // a Tuesday
  options.settings["statistics"] = {{"bulletins.bureaus", "140000:bureau"},
                                    {"bulletins.kinds", "daily"}};
  auto sys = System::Start(options);
  ASSERT_TRUE(sys.ok()) << sys.status();
  System& s = **sys;

  for (size_t i = 0; i < People().size(); ++i) {
    const Person& p = People()[i];
    v1::SubmitPetitionRequest req =
        SamplePetition("140431", 300 + static_cast<int>(i));
    req.mutable_petitioner()->set_name(p.name);
    req.mutable_petitioner()->set_phone(p.phone);
    req.mutable_petitioner()->set_address(p.address);
    req.mutable_matter()->set_title(p.title);
    req.mutable_matter()->set_text(p.text);
    ASSERT_TRUE(Submit(s, req).ok());
  }
  const absl::Time until = absl::Now() + absl::Seconds(60);
  while (Counted(s) < 3 && absl::Now() < until)
    absl::SleepFor(absl::Milliseconds(300));
  ASSERT_EQ(Counted(s), 3);

  // The schedule's new series began with the daily of Monday 03-09, due
  // 03-10 08:00 (before the start): 第1期, with no case. 2026-03-11 08:00:
  // the daily of 03-10 falls due, 第2期.
  std::vector<v1::Bulletin> issued = AwaitBulletins(s, 1, absl::Seconds(240));
  ASSERT_EQ(issued.size(), 1u);
  EXPECT_EQ(issued[0].id(), "140000:bureau/daily/2026-03-09");
  EXPECT_EQ(issued[0].title(), "山西省信访局 每日信访 2026年第1期");
  s.clock().Set(China(2026, 3, 11, 8));
  issued = AwaitBulletins(s, 2, absl::Seconds(240));
  ASSERT_EQ(issued.size(), 2u);
  const v1::Bulletin& first = issued[0];
  EXPECT_EQ(first.id(), "140000:bureau/daily/2026-03-10");
  EXPECT_EQ(first.title(), "山西省信访局 每日信访 2026年第2期");
  EXPECT_EQ(first.number(), 2);
  EXPECT_TRUE(first.scheduled());

  const std::string html = Document(s, first.id(), v1::BULLETIN_FORMAT_HTML);
  const std::string csv = Document(s, first.id(), v1::BULLETIN_FORMAT_CSV);
  const std::string pdf = Document(s, first.id(), v1::BULLETIN_FORMAT_PDF);
  const std::string pdf_path = s.dir() + "/daily-2.pdf";
  ASSERT_TRUE(file::WriteFileAtomically(pdf_path, pdf).ok());
  CommandResult text = RunCommand("pdftotext " + pdf_path + " -");
  ASSERT_EQ(text.code, 0) << text.output;
  EXPECT_THAT(html, HasSubstr("本期共登记信访事项3件"));
  EXPECT_THAT(text.output, HasSubstr("本期共登记信访事项3件"));
  EXPECT_THAT(csv, HasSubstr("\r\n信访总量,3,"));
  // Issue 17 item 4: figures only.
  for (const Person& p : People()) {
    for (const std::string& piece :
         {p.name, p.phone, p.address, p.title, p.text}) {
      for (const auto& [where, bytes] :
           {std::pair<const char*, const std::string*>{"html", &html},
            {"csv", &csv},
            {"pdf text", &text.output}}) {
        EXPECT_EQ(bytes->find(piece), std::string::npos)
            << where << " holds " << piece;
      }
    }
  }

  // A restart of statistics: the same bytes, nothing issued again.
  s.Kill("statistics", SIGTERM);
  ASSERT_TRUE(s.Restart("statistics").ok());
  EXPECT_EQ(Document(s, first.id(), v1::BULLETIN_FORMAT_HTML), html);
  EXPECT_EQ(Document(s, first.id(), v1::BULLETIN_FORMAT_CSV), csv);
  EXPECT_EQ(Document(s, first.id(), v1::BULLETIN_FORMAT_PDF), pdf);
  absl::SleepFor(absl::Seconds(3));  // a schedule pass after the start
  EXPECT_EQ(List(s).size(), 2u);

  // casectl bulletin: the same PDF; a period not over is refused.
  const std::string casectl =
      absl::StrCat(Binary("tools/casectl/casectl"), " --statistics ",
                   s.grpc_address("statistics"), " --token-file ",
                   s.token_file(System::kProvinceBureau));
  const std::string out = s.dir() + "/casectl-daily.pdf";
  CommandResult got = RunCommand(absl::StrCat(
      casectl, " bulletin daily --office 140000:bureau --date 2026-03-10",
      " --format pdf --out ", out));
  ASSERT_EQ(got.code, 0) << got.output;
  EXPECT_THAT(got.output, HasSubstr("已印发过"));
  absl::StatusOr<std::string> written = file::ReadFile(out);
  ASSERT_TRUE(written.ok());
  EXPECT_EQ(*written, pdf);
  got = RunCommand(absl::StrCat(
      casectl, " bulletin weekly --office 140000:bureau --date 2026-03-12"));
  EXPECT_EQ(got.code, 1) << got.output;
  EXPECT_THAT(got.output, HasSubstr("尚未结束"));
}

// Issue 17 task 3: a bulletin is never issued before statistics has
// caught up. statistics is down while three petitions are registered on
// Sunday 2026-03-08; it comes back on Monday 03-09 at 08:00, when the daily
// covering Friday 03-06 to Sunday 03-08 is due, with those case-events to
// catch up on. Its schedule's first pass may see an index that has not
// applied them yet (before issue 19 it always did: joining the consumer
// group took seconds; now every partition is assigned at once): the
// schedule waits until the loop's applied-through signal (from the
// consumer lag, common/service/applied_through.h) has passed the end of
// the period, and the daily counts all three petitions.
TEST(BulletinTest, TheScheduleWaitsUntilStatisticsHasCaughtUp) {
  SystemOptions options;
  options.simulated_start = China(2026, 3, 8, 9);  // a Sunday
  options.settings["statistics"] = {{"bulletins.bureaus", "140000:bureau"},
                                    {"bulletins.kinds", "daily"},
                                    {"kafka.wait", "300ms"}};
  auto sys = System::Start(options);
  ASSERT_TRUE(sys.ok()) << sys.status();
  System& s = **sys;
  // Its series began with the daily of 03-06..03-08, due Monday 08:00.
  absl::SleepFor(absl::Seconds(2));
  s.Kill("statistics", SIGTERM);

  s.clock().Set(China(2026, 3, 8, 10));
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(Submit(s, SamplePetition("140431", 400 + i)).ok());
  }
  ASSERT_TRUE(AwaitInputsApplied(s, "supervision", "case-events").ok());
  s.clock().Set(China(2026, 3, 9, 8));
  ASSERT_TRUE(s.Restart("statistics").ok());

  std::vector<v1::Bulletin> issued = AwaitBulletins(s, 1, absl::Seconds(240));
  ASSERT_EQ(issued.size(), 1u);
  EXPECT_EQ(issued[0].id(), "140000:bureau/daily/2026-03-06");
  EXPECT_EQ(issued[0].title(), "山西省信访局 每日信访 2026年第1期");
  const std::string csv = Document(s, issued[0].id(), v1::BULLETIN_FORMAT_CSV);
  EXPECT_THAT(csv, HasSubstr("\r\n信访总量,3,")) << csv;
  // Issue 19: statistics now reads every partition by assignment, with no
  // group to join, so its index may have caught up before the schedule's
  // first pass: the wait ("a due bulletin waits for the index", said once)
  // is logged only when the pass came first. The wait itself is pinned by
  // ScheduleTest.NothingIsIssuedBeforeTheIndexHasAppliedThePeriod.
  absl::StatusOr<std::string> log = file::ReadFile(s.dir() + "/statistics.log");
  ASSERT_TRUE(log.ok()) << log.status();
  EXPECT_THAT(*log, HasSubstr("bulletin issued")) << *log;
}

}  // namespace
}  // namespace caserelay::testing
