#include "domain/routing/statutory_routes.h"

#include <stdlib.h>

#include <fstream>
#include <string>

#include "absl/status/status.h"
#include "domain/routing/matter_key.h"
#include "domain/routing/rules.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/domain/routing/routing_fixture.h"

namespace caserelay::routing::testing {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(StatutoryRoutesTest, EveryStatutoryRouteHasAText) {
  // DOMAIN.md Classification: the petitioner is told the legal route
  // (Art. 31 items 1-5).
  const auto* descriptor = v1::StatutoryRoute_descriptor();
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const auto route =
        static_cast<v1::StatutoryRoute>(descriptor->value(i)->number());
    const std::string text = Routes().For(route);
    if (route == v1::STATUTORY_ROUTE_NONE) {
      EXPECT_EQ(text, "");
    } else {
      EXPECT_FALSE(text.empty()) << descriptor->value(i)->name();
      EXPECT_THAT(text, Not(EndsWith("。")));
    }
  }
  EXPECT_EQ(Routes().For(v1::STATUTORY_ROUTE_LITIGATION),
            "请依法向人民法院提起诉讼");
  EXPECT_EQ(Routes().For(static_cast<v1::StatutoryRoute>(99)), "");
}

TEST(StatutoryRoutesTest, KeysAreTheEnumNamesInKebab) {
  EXPECT_EQ(StatutoryRoutes::KeyOf(v1::STATUTORY_ROUTE_ADMIN_REVIEW),
            "admin-review");
  EXPECT_EQ(StatutoryRoutes::KeyOf(v1::STATUTORY_ROUTE_PARTY_APPEAL),
            "party-appeal");
  EXPECT_EQ(StatutoryRoutes::KeyOf(v1::STATUTORY_ROUTE_NONE), "");
}

TEST(StatutoryRoutesTest, RuleTextsNameTheOffice) {
  EXPECT_EQ(Routes().ForRule(kRuleLevelSkippingVisit, "沁河镇人民政府"),
            "请依法逐级走访，到沁河镇人民政府反映");
  EXPECT_THAT(Routes().ForRule(kRuleInProgressBelow, "某局"),
              HasSubstr("某局"));
  EXPECT_FALSE(Routes().ForRule(kRuleRefusedTerminated, "").empty());
  EXPECT_EQ(Routes().ForRule(kRuleTerritorialTiered, "x"), "");
  EXPECT_EQ(Routes().ForRule("litigation", "x"), "");  // not a rule
}

class StatutoryRoutesFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "/statutory_routes_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    path_ = tmpl + "/statutory_routes.tsv";
  }
  absl::Status LoadText(const std::string& text) {
    std::ofstream(path_) << text;
    return StatutoryRoutes::Load(path_).status();
  }
  static std::string Complete() {
    return "litigation\ta\narbitration\tb\nadmin-review\tc\n"
           "admin-ruling\td\nparty-appeal\te\nrefused-terminated\tf\n"
           "in-progress-below\tg{office}\nrepeat-petition\th\n"
           "level-skipping-visit\ti{office}\n";
  }
  std::string path_;
};

TEST_F(StatutoryRoutesFileTest, CompleteFileLoads) {
  EXPECT_TRUE(LoadText(Complete()).ok());
}

TEST_F(StatutoryRoutesFileTest, MissingFileIsNotFound) {
  EXPECT_EQ(StatutoryRoutes::Load(path_ + ".none").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(StatutoryRoutesFileTest, MissingKeyIsNamed) {
  absl::Status status = LoadText("# only one\nlitigation\ta\n");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("no row for key"));
}

TEST_F(StatutoryRoutesFileTest, UnknownKeyNamesFileAndLine) {
  absl::Status status = LoadText(Complete() + "mediation\tx\n");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("statutory_routes.tsv:10:"));
}

TEST_F(StatutoryRoutesFileTest, FinalFullStopIsRejected) {
  absl::Status status = LoadText(Complete() + "\n");
  ASSERT_TRUE(status.ok());
  status = LoadText("litigation\t请起诉。\n");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("statutory_routes.tsv:1:"));
}

TEST_F(StatutoryRoutesFileTest, DuplicateKeyNamesTheLine) {
  absl::Status status = LoadText("litigation\ta\nlitigation\tb\n");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr(":2: duplicate"));
}

TEST_F(StatutoryRoutesFileTest, RowWithoutTextNamesTheLine) {
  absl::Status status = LoadText("litigation\n");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr(":1: expected 2"));
}

// MatterKey: DOMAIN.md Routing, 重复信访 — "the same matter".
TEST(MatterKeyTest, SameMatterDespiteWordsChannelAndLodging) {
  v1::Matter a = M(kQinhe, "labour");
  v1::Matter b = M(kQinhe, "labour")
                     .Words("再次反映", "不同的叙述")
                     .Visit(Bureau(kShanxi))
                     .OtherRegions({kGuodao});
  EXPECT_EQ(MatterKey(a), MatterKey(b));
}

TEST(MatterKeyTest, EachPartOfTheDefinitionMatters) {
  const std::string base = MatterKey(M(kQinhe, "labour"));
  EXPECT_NE(MatterKey(M(kGuodao, "labour")), base);
  EXPECT_NE(MatterKey(M(kQinyuan, "labour")), base);
  EXPECT_NE(MatterKey(M(kQinhe, "housing")), base);
  EXPECT_NE(MatterKey(M(kQinhe, "")), base);
  EXPECT_NE(MatterKey(M(kQinhe, "labour").Class(v1::MATTER_CLASS_SUGGESTION)),
            base);
  EXPECT_NE(MatterKey(M(kQinhe, "labour").Against({Gov(kQinhe)})), base);
}

TEST(MatterKeyTest, AccusedAreASet) {
  EXPECT_EQ(
      MatterKey(M(kQinhe, "x").Against({Gov(kQinhe), Dep(kQinyuan, "hrss")})),
      MatterKey(M(kQinhe, "x")
                    .Against({Dep(kQinyuan, "hrss"), Gov(kQinhe),
                              Dep(kQinyuan, "hrss")})));
  EXPECT_NE(MatterKey(M(kQinhe, "x").Against({Gov(kQinhe)})),
            MatterKey(M(kQinhe, "x").Against({Gov(kQinhe), Gov(kGuodao)})));
}

TEST(MatterKeyTest, FieldsCannotRunIntoEachOther) {
  // Unvalidated input cannot forge another matter's key.
  EXPECT_NE(MatterKey(M("1|category=a", "b")), MatterKey(M("1", "a|b")));
  EXPECT_NE(MatterKey(M("1", "x").Against({"a,b"})),
            MatterKey(M("1", "x").Against({"a", "b"})));
  EXPECT_THAT(MatterKey(M(kQinhe, "labour")), HasSubstr("m1|"));
}

}  // namespace
}  // namespace caserelay::routing::testing
