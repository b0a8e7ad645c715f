// What the issuer's and the schedule's tests share: a store that can be
// reopened (a restart), the calendar and the offices as the service loads
// them, a simulated clock, and a ContentSource whose figures are a
// function of the period (so a test knows what each bulletin says) with a
// switch that makes it fail.
#ifndef CASERELAY_TESTS_UNIT_SERVICES_STATISTICS_BULLETINS_ISSUE_FIXTURE_H_
#define CASERELAY_TESTS_UNIT_SERVICES_STATISTICS_BULLETINS_ISSUE_FIXTURE_H_

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "common/region/region_tree.h"
#include "common/store/store.h"
#include "common/time/calendar_setup.h"
#include "common/time/china_time.h"
#include "common/time/clock.h"
#include "domain/offices/office_directory.h"
#include "gtest/gtest.h"
#include "services/statistics/bulletins/bulletin_issuer.h"
#include "services/statistics/bulletins/bulletin_store.h"

namespace caserelay::bulletins {

// Figures that depend only on the period: 信访总量 = its number of days
// times 10 plus its first day of the month.
class PeriodFigures final : public ContentSource {
 public:
  absl::StatusOr<BulletinContent> Figures(
      const offices::Office&, const BulletinPeriod& period) const override {
    if (fail_) return absl::UnavailableError("index not ready (test switch)");
    BulletinContent content;
    content.headline = {{"信访总量", {Total(period), 1, 2}}};
    content.channels = {{"信息网络", Total(period)}};
    return content;
  }
  static int64_t Total(const BulletinPeriod& period) {
    return period.days() * 10 + period.first.day();
  }
  void set_fail(bool fail) { fail_ = fail; }

 private:
  std::atomic<bool> fail_{false};
};

// How far the index has applied case-events, as the test sets it
// (default: everything, for the tests about what is issued).
class SetProgress final : public IndexProgress {
 public:
  absl::Time AppliedThrough() const override {
    absl::MutexLock lock(&mu_);
    return through_;
  }
  void Set(absl::Time t) {
    absl::MutexLock lock(&mu_);
    through_ = t;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time through_ ABSL_GUARDED_BY(mu_) = absl::InfiniteFuture();
};

class IssueFixture : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto calendar = time::LoadCalendar(CASERELAY_SOURCE_DIR "/data/holidays",
                                       time::UncoveredYears::kDeriveFromLaw);
    ASSERT_TRUE(calendar.ok()) << calendar.status();
    calendar_ = new time::Calendar(*std::move(calendar));
    auto regions = region::RegionTree::Load(CASERELAY_SOURCE_DIR
                                            "/data/regions/regions.tsv");
    ASSERT_TRUE(regions.ok()) << regions.status();
    regions_ = regions->release();
    auto offices = offices::OfficeDirectory::Load(
        CASERELAY_SOURCE_DIR "/data/offices", regions_);
    ASSERT_TRUE(offices.ok()) << offices.status();
    offices_ = offices->release();
  }

  void SetUp() override {
    path_ = ::testing::TempDir() + "bulletin_issue_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(path_);
    auto rules = PeriodRules::Create(*calendar_);
    ASSERT_TRUE(rules.ok());
    rules_ = std::make_unique<PeriodRules>(*rules);
    ASSERT_NO_FATAL_FAILURE(Reopen());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(path_);
  }

  // Opens the store at path_ again (a restart of the service's store).
  // Derived fixtures rebuild what they made over it.
  void Reopen() {
    bulletins_.reset();
    store_.reset();
    store::StoreOptions options;
    options.path = path_;
    options.column_families = {kBulletinsFamily};
    auto opened = store::Store::Open(options);
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = *std::move(opened);
    bulletins_ = std::make_unique<BulletinStore>(store_.get());
  }

  static offices::Office Office(const std::string& code) {
    auto office = offices_->Find(code);
    EXPECT_TRUE(office.ok()) << office.status();
    return *office;
  }
  static absl::Time At(int y, int m, int d, int hour) {
    return time::StartOf(absl::CivilDay(y, m, d)) + absl::Hours(hour);
  }

  static time::Calendar* calendar_;
  static region::RegionTree* regions_;
  static offices::OfficeDirectory* offices_;

  std::string path_;
  std::unique_ptr<PeriodRules> rules_;
  time::SimulatedClock clock_{At(2026, 9, 28, 10)};
  PeriodFigures figures_;
  SetProgress progress_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<BulletinStore> bulletins_;
};

inline time::Calendar* IssueFixture::calendar_ = nullptr;
inline region::RegionTree* IssueFixture::regions_ = nullptr;
inline offices::OfficeDirectory* IssueFixture::offices_ = nullptr;

}  // namespace caserelay::bulletins

#endif  // CASERELAY_TESTS_UNIT_SERVICES_STATISTICS_BULLETINS_ISSUE_FIXTURE_H_
