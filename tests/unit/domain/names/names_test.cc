#include "domain/names/names.h"

#include <set>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace caserelay::names {
namespace {

namespace v1 = caserelay::v1;
using google::protobuf::EnumDescriptor;

struct TableCase {
  const char* name;
  const EnumDescriptor* descriptor;
  const std::vector<EnumName>* table;
};

std::vector<TableCase> AllTables() {
  return {
      {"CaseState", v1::CaseState_descriptor(), &CaseStateNames()},
      {"Channel", v1::Channel_descriptor(), &ChannelNames()},
      {"MatterClass", v1::MatterClass_descriptor(), &MatterClassNames()},
      {"Outcome", v1::Outcome_descriptor(), &OutcomeNames()},
      {"Satisfaction", v1::Satisfaction_descriptor(), &SatisfactionNames()},
      {"StatutoryRoute", v1::StatutoryRoute_descriptor(),
       &StatutoryRouteNames()},
      {"Disposition", v1::Disposition_descriptor(), &DispositionNames()},
      {"RefusalGround", v1::RefusalGround_descriptor(), &RefusalGroundNames()},
      {"DeadlineKind", v1::DeadlineKind_descriptor(), &DeadlineKindNames()},
      {"ServiceMethod", v1::ServiceMethod_descriptor(), &ServiceMethodNames()},
      {"CaseAction", v1::CaseAction_descriptor(), &CaseActionNames()},
      {"SupervisionLevel", v1::SupervisionLevel_descriptor(),
       &SupervisionLevelNames()},
      {"DeadlineState", v1::DeadlineState_descriptor(), &DeadlineStateNames()},
      {"OfficeLevel", v1::OfficeLevel_descriptor(), &OfficeLevelNames()},
      {"FollowUpMethod", v1::FollowUpMethod_descriptor(),
       &FollowUpMethodNames()},
      {"FollowUpView", v1::FollowUpView_descriptor(), &FollowUpViewNames()},
      {"ReceptionKind", v1::ReceptionKind_descriptor(),
       &ReceptionKindNames()},
  };
}

// A value added to a .proto without a row here fails this test.
TEST(NamesTest, EveryProtoEnumValueHasANameAndAChineseTerm) {
  for (const TableCase& t : AllTables()) {
    for (int i = 0; i < t.descriptor->value_count(); ++i) {
      const int value = t.descriptor->value(i)->number();
      const std::string name = NameOf(*t.table, value);
      EXPECT_FALSE(absl::StartsWith(name, "unknown"))
          << t.name << " " << t.descriptor->value(i)->name();
      const std::string label = LabelOf(*t.table, value);
      EXPECT_GT(label.size(), name.size() + 3)
          << t.name << " " << name << ": no Chinese term";
    }
  }
}

TEST(NamesTest, EveryRowIsAValueOfItsEnumAndNamesAreDistinct) {
  for (const TableCase& t : AllTables()) {
    std::set<std::string> names;
    std::set<int> values;
    for (const EnumName& row : *t.table) {
      EXPECT_NE(t.descriptor->FindValueByNumber(row.value), nullptr)
          << t.name << " row " << row.name;
      EXPECT_TRUE(names.insert(std::string(row.name)).second)
          << t.name << " names " << row.name << " twice";
      EXPECT_TRUE(values.insert(row.value).second)
          << t.name << " has value " << row.value << " twice";
    }
    EXPECT_EQ(static_cast<int>(t.table->size()), t.descriptor->value_count())
        << t.name;
  }
}

TEST(NamesTest, EveryNonZeroValueRoundTripsThroughItsName) {
  for (const TableCase& t : AllTables()) {
    for (int i = 0; i < t.descriptor->value_count(); ++i) {
      const int value = t.descriptor->value(i)->number();
      if (value == 0) continue;
      absl::StatusOr<int> parsed = ValueOf(*t.table, NameOf(*t.table, value));
      ASSERT_TRUE(parsed.ok()) << t.name << ": " << parsed.status();
      EXPECT_EQ(*parsed, value) << t.name;
    }
  }
}

TEST(NamesTest, UnspecifiedIsPrintedButNotParsed) {
  EXPECT_EQ(StateName(v1::CASE_STATE_UNSPECIFIED), "unspecified");
  EXPECT_EQ(ParseState("unspecified").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseOutcome("unspecified").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(NamesTest, StatutoryRouteNoneIsParsed) {
  absl::StatusOr<v1::StatutoryRoute> none = ParseStatutoryRoute("none");
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(*none, v1::STATUTORY_ROUTE_NONE);
  EXPECT_EQ(*ParseStatutoryRoute("admin-review"),
            v1::STATUTORY_ROUTE_ADMIN_REVIEW);
}

TEST(NamesTest, StateLabelShowsEnglishAndChinese) {
  EXPECT_EQ(StateLabel(v1::CASE_STATE_ASSIGNED), "assigned (已交办)");
  EXPECT_EQ(StateLabel(v1::CASE_STATE_NOT_ACCEPTED), "not-accepted (不予受理)");
  EXPECT_EQ(ActionLabel(v1::CASE_ACTION_ACCEPT), "accept (受理)");
}

// DOMAIN.md "Supervision": the instruments 督办函 and 挂牌督办; no
// instrument is printed "none" but is not a level one can ask for.
TEST(NamesTest, SupervisionLevelsAreTheInstruments) {
  EXPECT_EQ(LabelOf(SupervisionLevelNames(), v1::SUPERVISION_LEVEL_LETTER),
            "letter (督办函)");
  EXPECT_EQ(LabelOf(SupervisionLevelNames(), v1::SUPERVISION_LEVEL_LISTED),
            "listed (挂牌督办)");
  EXPECT_EQ(NameOf(SupervisionLevelNames(), v1::SUPERVISION_LEVEL_UNSPECIFIED),
            "none");
  EXPECT_EQ(ValueOf(SupervisionLevelNames(), "none").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ActionLabel(v1::CASE_ACTION_SUPERVISE), "supervise (督办)");
  EXPECT_EQ(ActionLabel(v1::CASE_ACTION_REPLY_SUPERVISION),
            "reply-supervision (督办回复)");
}

TEST(NamesTest, OfficeLevelsParse) {
  EXPECT_EQ(*ParseOfficeLevel("township"), v1::OFFICE_LEVEL_TOWNSHIP);
  absl::StatusOr<v1::OfficeLevel> bad = ParseOfficeLevel("village");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(),
            "must be one of province, city, county or township; got "
            "'village'");
}

TEST(NamesTest, UnknownValueIsPrintedAsUnknown) {
  EXPECT_EQ(StateLabel(static_cast<v1::CaseState>(999)), "unknown(999)");
}

TEST(NamesTest, BadWordListsTheChoices) {
  absl::StatusOr<v1::Outcome> outcome = ParseOutcome("maybe");
  EXPECT_EQ(outcome.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(outcome.status().message(),
            "must be one of support, explain or reject; got 'maybe'");
}

TEST(NamesTest, ChoicesSkipTheZeroValue) {
  EXPECT_EQ(Choices(SatisfactionNames()),
            "satisfied, basically or dissatisfied");
  EXPECT_TRUE(absl::StartsWith(Choices(StatutoryRouteNames()), "none, "));
}

}  // namespace
}  // namespace caserelay::names
