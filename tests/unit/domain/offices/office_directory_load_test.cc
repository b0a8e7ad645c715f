// OfficeDirectory::Load: speed over the full tree, and bad data files
// rejected with the file and line named.
#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/status/status.h"
#include "domain/offices/office_directory.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/domain/offices/offices_fixture.h"

namespace caserelay::offices::testing {
namespace {

using ::testing::HasSubstr;
using C = absl::StatusCode;

// ---------------------------------------------------------------------------
// Load.

TEST(OfficeDirectoryTest, LoadsWellUnderASecond) {
  // Offices are generated on demand, not materialised per region: Load
  // reads four small tables whatever the size of the tree (timed apart from
  // the tree's own load; generous for a loaded Debug/ASan machine).
  const region::RegionTree* regions = &Regions();
  const auto start = std::chrono::steady_clock::now();
  auto loaded = OfficeDirectory::Load(kDataDir + "/offices", regions);
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_LT(took, std::chrono::milliseconds(250));
}

// A copy of data/offices in a fresh temp dir, to break one file.
class BadDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "/offices_test_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    for (const char* name : {"departments.tsv", "categories.tsv",
                             "governments.tsv", "overrides.tsv"}) {
      std::ifstream in(kDataDir + "/offices/" + name);
      std::stringstream text;
      text << in.rdbuf();
      Write(name, text.str());
    }
  }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ + "/" + name) << text;
  }

  absl::Status Load() {
    return OfficeDirectory::Load(dir_, &Regions()).status();
  }

  std::string dir_;
};

TEST_F(BadDataTest, CopyLoads) { EXPECT_TRUE(Load().ok()) << Load(); }

TEST_F(BadDataTest, MissingFileIsNotFoundNamingIt) {
  std::remove((dir_ + "/categories.tsv").c_str());
  absl::Status status = Load();
  EXPECT_EQ(status.code(), C::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr("categories.tsv"));
}

TEST_F(BadDataTest, ShortRowNamesFileAndLine) {
  Write("departments.tsv",
        "# comment\nbureau\t信访局\t信访办公室\t信访局\t信访局\t信访办\n"
        "hrss\t人力资源和社会保障厅\n");
  absl::Status status = Load();
  EXPECT_EQ(status.code(), C::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("departments.tsv:3: expected 6"));
}

TEST_F(BadDataTest, CategoryOnAnAbsentUnitNamesFileAndLine) {
  Write("categories.tsv", "labour\t劳动\thrss\thrss\thrss\thrss\n");
  absl::Status status = Load();
  EXPECT_EQ(status.code(), C::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("categories.tsv:1: unit hrss"));
}

TEST_F(BadDataTest, BureauMustExistAtEveryLevel) {
  Write("departments.tsv", "bureau\t信访局\t信访办公室\t信访局\t信访局\t-\n");
  absl::Status status = Load();
  EXPECT_EQ(status.code(), C::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("departments.tsv:1:"));
}

TEST_F(BadDataTest, OverrideOfAnAbsentOfficeNamesFileAndLine) {
  Write("overrides.tsv", "# x\n\n140431100:hrss\t某某\n");
  absl::Status status = Load();
  EXPECT_EQ(status.code(), C::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("overrides.tsv:3:"));
}

TEST_F(BadDataTest, GovernmentsWithoutCatchAllIsRejected) {
  Write("governments.tsv",
        "township\t镇\t人民政府\n*\t*\t人民政府\n"
        "province\tx\t-\n");
  EXPECT_TRUE(Load().ok());
  Write("governments.tsv", "township\t镇\t人民政府\ncity\t*\t人民政府\n");
  absl::Status status = Load();
  EXPECT_EQ(status.code(), C::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("governments.tsv"));
}

TEST_F(BadDataTest, DuplicateCategoryNamesTheLine) {
  Write("categories.tsv",
        "labour\t劳动\thrss\thrss\thrss\tgov\nlabour\t劳动\tgov\tgov\tgov\tgov"
        "\n");
  absl::Status status = Load();
  EXPECT_EQ(status.code(), C::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("categories.tsv:2: duplicate"));
}

TEST_F(BadDataTest, NameNotInUtf8NamesFileAndLine) {
  // Issue 22 item 2: an office name in GBK (信访局 as D0 C5 B7 C3 BE D6)
  // would poison every CaseEvent of that office.
  Write("overrides.tsv", "# x\n140431:bureau\t\xD0\xC5\xB7\xC3\xBE\xD6\n");
  absl::Status status = Load();
  EXPECT_EQ(status.code(), C::kInvalidArgument);
  EXPECT_THAT(status.message(),
              HasSubstr("overrides.tsv:2: not valid UTF-8 at byte 15"));
}

TEST(OfficeDirectoryTest, LoadRejectsNullRegions) {
  EXPECT_EQ(
      OfficeDirectory::Load(kDataDir + "/offices", nullptr).status().code(),
      C::kInvalidArgument);
}

}  // namespace
}  // namespace caserelay::offices::testing
