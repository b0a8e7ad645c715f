// The bulletins as the statistics service runs them: start-up settings
// refused naming the setting (CONVENTIONS.md #5), and the RPCs' logic
// (IssueBulletin, ListBulletins, GetBulletin) over the service's real index
// and WeasyPrint.
#include "services/statistics/bulletins/bulletin_parts.h"

#include <map>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/statistics/statistics_service.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::bulletins {
namespace {

namespace v1 = caserelay::v1;
using ::testing::HasSubstr;

class BulletinPartsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = svctest::TestContext::Create(
        statistics::ColumnFamilies(), svctest::ChinaTime(2026, 3, 16, 9, 0));
    ASSERT_TRUE(t.ok()) << t.status();
    t_ = *std::move(t);
    stats_ = std::make_unique<statistics::StatisticsServiceImpl>(
        t_->context(),
        statistics::StatisticsTables{&svctest::ShippedRegions(),
                                     &svctest::ShippedOfficeDirectory()});
  }
  // The parts with `env` over the defaults (calendar.dir: the source's).
  absl::StatusOr<std::unique_ptr<BulletinParts>> Parts(
      std::map<std::string, std::string> env) {
    env.emplace("CASERELAY_CALENDAR_DIR",
                CASERELAY_SOURCE_DIR "/data/holidays");
    auto cfg = config::Config::Load("", BulletinSettings(), env);
    if (!cfg.ok()) return cfg.status();
    config_ = std::make_unique<config::Config>(*std::move(cfg));
    service::Context context = t_->context();
    context.config = config_.get();
    return BulletinParts::Create(context, &stats_->query(),
                                 &svctest::ShippedOfficeDirectory(),
                                 &svctest::ShippedRegions(), &applied_);
  }

  // The events are applied directly here (no loop): the index has them.
  class Applied final : public IndexProgress {
   public:
    absl::Time AppliedThrough() const override {
      return absl::InfiniteFuture();
    }
  } applied_;
  std::unique_ptr<svctest::TestContext> t_;
  std::unique_ptr<statistics::StatisticsServiceImpl> stats_;
  std::unique_ptr<config::Config> config_;
};

TEST_F(BulletinPartsTest, BadSettingsAreRefusedNamingTheSetting) {
  const std::pair<std::map<std::string, std::string>, const char*> rows[] = {
      {{{"CASERELAY_BULLETINS_BUREAUS", "140000:bureau,140100:gov"}},
       "bulletins.bureaus"},  // a government is no petition bureau
      {{{"CASERELAY_BULLETINS_KINDS", "daily,yearly"}}, "bulletins.kinds"},
      {{{"CASERELAY_BULLETINS_ISSUE_TIME", "8am"}}, "bulletins.issue_time"},
      {{{"CASERELAY_BULLETINS_WEEKLY_DAY", "funday"}}, "bulletins.weekly_day"},
      {{{"CASERELAY_CALENDAR_UNCOVERED_YEARS", "guess"}},
       "calendar.uncovered_years"},
  };
  for (const auto& [env, setting] : rows) {
    auto parts = Parts(env);
    EXPECT_EQ(parts.status().code(), absl::StatusCode::kInvalidArgument)
        << setting;
    EXPECT_THAT(parts.status().message(), HasSubstr(setting));
  }
  EXPECT_TRUE(
      Parts({{"CASERELAY_BULLETINS_BUREAUS", "140000:bureau, 140100:bureau"}})
          .ok());
}

TEST_F(BulletinPartsTest, IssueListAndGetAnswerAsTheProtoSays) {
  auto parts = Parts({});
  ASSERT_TRUE(parts.ok()) << parts.status();
  BulletinParts& p = **parts;

  v1::IssueBulletinRequest bad;
  bad.set_bureau_code("140000:bureau");
  bad.set_day("2026-02-10");
  EXPECT_EQ(p.Issue(bad).status().code(), absl::StatusCode::kInvalidArgument);
  bad.set_kind(v1::BULLETIN_KIND_MONTHLY);
  bad.set_day("2026-2-10");
  EXPECT_EQ(p.Issue(bad).status().code(), absl::StatusCode::kInvalidArgument);
  bad.set_day("2026-02-10");
  bad.set_bureau_code("140000:gov");
  EXPECT_EQ(p.Issue(bad).status().code(), absl::StatusCode::kInvalidArgument);

  // February 2026's 月分析 of the province, issued on request.
  v1::IssueBulletinRequest req;
  req.set_bureau_code("140000:bureau");
  req.set_kind(v1::BULLETIN_KIND_MONTHLY);
  req.set_day("2026-02-10");
  auto issued = p.Issue(req);
  ASSERT_TRUE(issued.ok()) << issued.status();
  EXPECT_FALSE(issued->already_issued());
  EXPECT_EQ(issued->bulletin().id(), "140000:bureau/monthly/2026-02-01");
  EXPECT_EQ(issued->bulletin().title(), "山西省信访局 月分析 2026年第1期");
  EXPECT_EQ(issued->bulletin().last_day(), "2026-02-28");
  EXPECT_EQ(issued->bulletin().due_day(), "2026-03-02");  // 03-01 is a Sunday
  EXPECT_FALSE(issued->bulletin().scheduled());
  auto again = p.Issue(req);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->already_issued());

  const std::pair<v1::BulletinFormat, const char*> formats[] = {
      {v1::BULLETIN_FORMAT_UNSPECIFIED, "text/html; charset=utf-8"},
      {v1::BULLETIN_FORMAT_PDF, "application/pdf"},
      {v1::BULLETIN_FORMAT_CSV, "text/csv; charset=utf-8"}};
  for (const auto& [format, type] : formats) {
    v1::GetBulletinRequest get;
    get.set_id(issued->bulletin().id());
    get.set_format(format);
    auto doc = p.Get(get);
    ASSERT_TRUE(doc.ok()) << doc.status();
    EXPECT_EQ(doc->content_type(), type);
    EXPECT_FALSE(doc->document().empty());
  }
  v1::GetBulletinRequest unknown;
  unknown.set_id("140000:bureau/monthly/2026-01-01");
  EXPECT_EQ(p.Get(unknown).status().code(), absl::StatusCode::kNotFound);

  v1::ListBulletinsRequest list;
  list.set_bureau_code("140000:bureau");
  auto listed = p.List(list);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->total(), 1);
  list.set_page_size(501);
  EXPECT_EQ(p.List(list).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace caserelay::bulletins
