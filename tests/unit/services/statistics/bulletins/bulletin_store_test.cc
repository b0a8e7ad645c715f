// Issued bulletins are kept for good (issue 17 item 2): saved once, the
// same bytes after a restart, 期号 numbered 1, 2, 3... per bureau, kind and
// year, listed newest first.
#include "services/statistics/bulletins/bulletin_store.h"

#include <filesystem>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/store/store.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"
#include "gtest/gtest.h"

namespace caserelay::bulletins {
namespace {

namespace v1 = caserelay::v1;
using absl::CivilDay;

constexpr char kTaiyuan[] = "140100:bureau";
constexpr char kShanxi[] = "140000:bureau";

class BulletinStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "bulletin_store_test";
    std::filesystem::remove_all(path_);
    Open();
  }
  void TearDown() override {
    bulletins_.reset();
    store_.reset();
    std::filesystem::remove_all(path_);
  }
  // Opens the store at path_ (again: a restart).
  void Open() {
    bulletins_.reset();
    store_.reset();
    store::StoreOptions options;
    options.path = path_;
    options.column_families = {kBulletinsFamily};
    absl::StatusOr<std::unique_ptr<store::Store>> opened =
        store::Store::Open(options);
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = *std::move(opened);
    bulletins_ = std::make_unique<BulletinStore>(store_.get());
  }

  // The record of `bureau`'s `kind` bulletin starting on `first`, issued
  // at 08:00 `days` after it, with the next number of its series.
  v1::Bulletin Record(const std::string& bureau, BulletinKind kind,
                      CivilDay first, int days) {
    v1::Bulletin record;
    record.set_id(BulletinId(bureau, kind, first));
    record.set_bureau_code(bureau);
    record.set_kind(ToProto(kind));
    record.set_first_day(absl::FormatCivilTime(first));
    record.set_year(static_cast<int>((first + days).year()));
    absl::StatusOr<int> next =
        bulletins_->NextNumber(bureau, kind, record.year());
    EXPECT_TRUE(next.ok()) << next.status();
    record.set_number(next.value_or(0));
    *record.mutable_issued_at() =
        time::ToProto(time::StartOf(first + days) + absl::Hours(8));
    return record;
  }
  static Documents Docs(const std::string& tag) {
    return {"<html>" + tag + "</html>", "%PDF-1.7 " + tag + "\n%%EOF",
            "\xEF\xBB\xBF" + tag + "\r\n"};
  }

  std::string path_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<BulletinStore> bulletins_;
};

TEST_F(BulletinStoreTest, NumbersRunPerBureauKindAndYear) {
  struct Row {
    const char* rule;
    std::string bureau;
    BulletinKind kind;
    CivilDay first;
    int days;  // issued this many days after `first`
    int year, number;
  };
  const Row rows[] = {
      {"item 2: the first of a series is 第1期", kTaiyuan,
       BulletinKind::kWeekly, CivilDay(2026, 12, 14), 7, 2026, 1},
      {"item 2: the next is 第2期", kTaiyuan, BulletinKind::kWeekly,
       CivilDay(2026, 12, 21), 7, 2026, 2},
      {"item 2: per bureau: the province's own series", kShanxi,
       BulletinKind::kWeekly, CivilDay(2026, 12, 21), 7, 2026, 1},
      {"item 2: per kind: the dailies are another series", kTaiyuan,
       BulletinKind::kDaily, CivilDay(2026, 12, 21), 1, 2026, 1},
      {"item 2: per year: due in 2027, 2027年第1期", kTaiyuan,
       BulletinKind::kWeekly, CivilDay(2026, 12, 28), 7, 2027, 1},
      {"item 2: and 2027年第2期", kTaiyuan, BulletinKind::kWeekly,
       CivilDay(2027, 1, 4), 7, 2027, 2},
      {"item 2: 2026's series is not touched by 2027's", kTaiyuan,
       BulletinKind::kDaily, CivilDay(2026, 12, 22), 1, 2026, 2},
  };
  for (const Row& row : rows) {
    v1::Bulletin record = Record(row.bureau, row.kind, row.first, row.days);
    EXPECT_EQ(record.year(), row.year) << row.rule;
    EXPECT_EQ(record.number(), row.number) << row.rule;
    ASSERT_TRUE(bulletins_->Save(record, Docs(record.id()), false).ok())
        << row.rule;
  }
}

TEST_F(BulletinStoreTest, AnIssuedBulletinIsNeverRewritten) {
  v1::Bulletin record =
      Record(kTaiyuan, BulletinKind::kMonthly, CivilDay(2026, 11, 1), 30);
  ASSERT_TRUE(bulletins_->Save(record, Docs("first"), false).ok());
  // Issue 17 item 2: "a bulletin once issued never changes".
  absl::Status again = bulletins_->Save(record, Docs("second"), false);
  EXPECT_EQ(again.code(), absl::StatusCode::kAlreadyExists);
  v1::Bulletin renumbered = record;
  renumbered.set_number(2);
  EXPECT_EQ(bulletins_->Save(renumbered, Docs("second"), false).code(),
            absl::StatusCode::kAlreadyExists);
  absl::StatusOr<std::string> html =
      bulletins_->Document(record.id(), v1::BULLETIN_FORMAT_HTML);
  ASSERT_TRUE(html.ok());
  EXPECT_EQ(*html, "<html>first</html>");
  absl::StatusOr<int> next =
      bulletins_->NextNumber(kTaiyuan, BulletinKind::kMonthly, 2026);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, 2);
}

TEST_F(BulletinStoreTest, ANumberOutOfTurnIsRefusedAndNothingWritten) {
  v1::Bulletin record =
      Record(kTaiyuan, BulletinKind::kDaily, CivilDay(2026, 12, 1), 1);
  record.set_number(3);  // the series is at 1
  EXPECT_EQ(bulletins_->Save(record, Docs("x"), false).code(),
            absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<std::optional<v1::Bulletin>> found =
      bulletins_->Find(record.id());
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());
  EXPECT_EQ(bulletins_->Document(record.id(), v1::BULLETIN_FORMAT_PDF)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(bulletins_->Save(record, {"<html/>", "", "x"}, false).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(BulletinStoreTest, TheSameBytesAfterARestart) {
  v1::Bulletin record =
      Record(kShanxi, BulletinKind::kWeekly, CivilDay(2026, 11, 23), 7);
  Documents docs = Docs("weekly");
  docs.pdf += std::string("\0\xff\x01 binary", 10);
  ASSERT_TRUE(bulletins_->Save(record, docs, true).ok());
  ASSERT_NO_FATAL_FAILURE(Open());
  const std::pair<v1::BulletinFormat, std::string> formats[] = {
      {v1::BULLETIN_FORMAT_HTML, docs.html},
      {v1::BULLETIN_FORMAT_UNSPECIFIED, docs.html},
      {v1::BULLETIN_FORMAT_PDF, docs.pdf},
      {v1::BULLETIN_FORMAT_CSV, docs.csv}};
  for (const auto& [format, bytes] : formats) {
    absl::StatusOr<std::string> got = bulletins_->Document(record.id(), format);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, bytes) << format;
  }
  absl::StatusOr<std::optional<v1::Bulletin>> found =
      bulletins_->Find(record.id());
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->SerializeAsString(), record.SerializeAsString());
  // The series and the schedule's cursor carry on after the restart.
  absl::StatusOr<int> next =
      bulletins_->NextNumber(kShanxi, BulletinKind::kWeekly, 2026);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, 2);
  absl::StatusOr<std::optional<CivilDay>> cursor =
      bulletins_->ScheduleCursor(kShanxi, BulletinKind::kWeekly);
  ASSERT_TRUE(cursor.ok());
  EXPECT_EQ(*cursor, CivilDay(2026, 11, 23));
}

TEST_F(BulletinStoreTest, ListsNewestFirstByKindAndYearInPages) {
  // Dailies for 2026-12-28..31 and 2027-01-04..05, each issued the day
  // after (so the one of 12-31 is 2027年第1期), and December's monthly,
  // issued last (2027-01-10).
  for (CivilDay day :
       {CivilDay(2026, 12, 28), CivilDay(2026, 12, 29), CivilDay(2026, 12, 30),
        CivilDay(2026, 12, 31), CivilDay(2027, 1, 4), CivilDay(2027, 1, 5)}) {
    v1::Bulletin record = Record(kTaiyuan, BulletinKind::kDaily, day, 1);
    ASSERT_TRUE(bulletins_->Save(record, Docs(record.id()), true).ok());
  }
  v1::Bulletin monthly =
      Record(kTaiyuan, BulletinKind::kMonthly, CivilDay(2026, 12, 1), 40);
  ASSERT_TRUE(bulletins_->Save(monthly, Docs("m"), true).ok());
  v1::Bulletin other =
      Record(kShanxi, BulletinKind::kDaily, CivilDay(2026, 12, 28), 1);
  ASSERT_TRUE(bulletins_->Save(other, Docs("s"), true).ok());

  absl::StatusOr<BulletinPage> all =
      bulletins_->List(kTaiyuan, std::nullopt, 0, 50, "");
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->total, 7);
  EXPECT_EQ(all->bulletins.front().id(), monthly.id());  // issued last
  EXPECT_TRUE(all->next_page_token.empty());

  absl::StatusOr<BulletinPage> first =
      bulletins_->List(kTaiyuan, BulletinKind::kDaily, 0, 4, "");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->total, 6);
  ASSERT_EQ(first->bulletins.size(), 4u);
  EXPECT_EQ(first->bulletins[0].first_day(), "2027-01-05");
  EXPECT_EQ(first->bulletins[3].first_day(), "2026-12-30");
  ASSERT_FALSE(first->next_page_token.empty());
  absl::StatusOr<BulletinPage> second = bulletins_->List(
      kTaiyuan, BulletinKind::kDaily, 0, 4, first->next_page_token);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->bulletins.size(), 2u);
  EXPECT_EQ(second->bulletins[1].first_day(), "2026-12-28");
  EXPECT_TRUE(second->next_page_token.empty());

  absl::StatusOr<BulletinPage> year2027 =
      bulletins_->List(kTaiyuan, BulletinKind::kDaily, 2027, 50, "");
  ASSERT_TRUE(year2027.ok());
  ASSERT_EQ(year2027->total, 3);
  EXPECT_EQ(year2027->bulletins[2].first_day(), "2026-12-31");
  EXPECT_EQ(year2027->bulletins[2].number(), 1);  // 2027年第1期
  EXPECT_EQ(year2027->bulletins[0].number(), 3);

  EXPECT_EQ(
      bulletins_->List(kShanxi, std::nullopt, 0, 50, first->next_page_token)
          .status()
          .code(),
      absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace caserelay::bulletins
