// Issuing (issue 17 item 2, Must show): a bulletin once issued is returned
// byte-identical later, also after a restart; numbers run 第1期, 第2期...
// per bureau and year. With the real renderer (WeasyPrint).
#include "services/statistics/bulletins/bulletin_issuer.h"

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/statistics/bulletins/pdf_renderer.h"
#include "tests/unit/services/statistics/bulletins/issue_fixture.h"

namespace caserelay::bulletins {
namespace {

namespace v1 = caserelay::v1;
using ::testing::HasSubstr;

class BulletinIssuerTest : public IssueFixture {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(IssueFixture::SetUp());
    auto renderer = WeasyPrintRenderer::Create({});
    ASSERT_TRUE(renderer.ok());
    renderer_ = *std::move(renderer);
    MakeIssuer();
  }
  void MakeIssuer() {
    issuer_ = std::make_unique<BulletinIssuer>(
        bulletins_.get(), rules_.get(), &figures_, renderer_.get(), &clock_,
        &progress_);
  }
  // Every document of `id`, HTML, PDF, CSV.
  std::vector<std::string> Documents(const std::string& id) {
    std::vector<std::string> docs;
    for (auto format : {v1::BULLETIN_FORMAT_HTML, v1::BULLETIN_FORMAT_PDF,
                        v1::BULLETIN_FORMAT_CSV}) {
      auto bytes = bulletins_->Document(id, format);
      EXPECT_TRUE(bytes.ok()) << bytes.status();
      docs.push_back(bytes.value_or(""));
    }
    return docs;
  }

  std::unique_ptr<WeasyPrintRenderer> renderer_;
  std::unique_ptr<BulletinIssuer> issuer_;
};

TEST_F(BulletinIssuerTest, IssuedOnceThenTheSameBytesAlsoAfterARestart) {
  const offices::Office taiyuan = Office("140100:bureau");
  // Monday 2026-09-28 10:00: the week 09-21..09-27 is over.
  absl::StatusOr<Issued> first = issuer_->Issue(taiyuan, BulletinKind::kWeekly,
                                                absl::CivilDay(2026, 9, 23),
                                                /*scheduled=*/false);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->already_issued);
  EXPECT_EQ(first->bulletin.id(), "140100:bureau/weekly/2026-09-21");
  EXPECT_EQ(first->bulletin.year(), 2026);
  EXPECT_EQ(first->bulletin.number(), 1);
  EXPECT_EQ(first->bulletin.title(), "太原市信访局 周通报 2026年第1期");
  EXPECT_EQ(first->bulletin.due_day(), "2026-09-28");
  std::vector<std::string> issued = Documents(first->bulletin.id());
  EXPECT_THAT(issued[0], HasSubstr("本期共登记信访事项91件"));  // 7 * 10 + 21
  EXPECT_EQ(issued[1].rfind("%PDF-", 0), 0u);

  // Later, with other figures and a restart, the same request returns the
  // bulletin as issued, byte for byte.
  clock_.Advance(absl::Hours(30));
  ASSERT_NO_FATAL_FAILURE(Reopen());
  MakeIssuer();
  figures_.set_fail(true);  // not even asked
  absl::StatusOr<Issued> again = issuer_->Issue(taiyuan, BulletinKind::kWeekly,
                                                absl::CivilDay(2026, 9, 27),
                                                /*scheduled=*/false);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->already_issued);
  EXPECT_EQ(again->bulletin.SerializeAsString(),
            first->bulletin.SerializeAsString());
  EXPECT_EQ(Documents(first->bulletin.id()), issued);
  figures_.set_fail(false);

  // The next week is 第2期 (2026-10-05 is 国庆: due 10-08).
  clock_.Set(At(2026, 10, 8, 9));
  absl::StatusOr<Issued> second = issuer_->Issue(
      taiyuan, BulletinKind::kWeekly, absl::CivilDay(2026, 9, 30), false);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->bulletin.number(), 2);
  EXPECT_EQ(second->bulletin.due_day(), "2026-10-08");
  EXPECT_EQ(Documents(first->bulletin.id()), issued);
}

TEST_F(BulletinIssuerTest, RefusesAPeriodNotOverAndAnOfficeNotABureau) {
  // 2026-09-28 10:00: this week runs to 10-04.
  absl::StatusOr<Issued> early =
      issuer_->Issue(Office("140100:bureau"), BulletinKind::kWeekly,
                     absl::CivilDay(2026, 9, 28), false);
  EXPECT_EQ(early.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(early.status().message(), HasSubstr("尚未结束"));
  // Today's daily period (09-28) is not over either.
  EXPECT_EQ(issuer_
                ->Issue(Office("140100:bureau"), BulletinKind::kDaily,
                        absl::CivilDay(2026, 9, 28), false)
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<Issued> government =
      issuer_->Issue(Office("140100:gov"), BulletinKind::kMonthly,
                     absl::CivilDay(2026, 8, 1), false);
  EXPECT_EQ(government.status().code(), absl::StatusCode::kInvalidArgument);
  auto page = bulletins_->List("140100:bureau", std::nullopt, 0, 10, "");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 0);
}

}  // namespace
}  // namespace caserelay::bulletins
