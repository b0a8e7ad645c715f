// 群体访 / 联名 (issue 18 item 3): how many representatives and persons a
// group petition may have, the 人次 it counts and when it alerts.

#include "domain/petition/group_petition.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace caserelay::petition {
namespace {

struct CheckRow {
  const char* rule;
  int representatives;
  int head_count;
  absl::StatusCode code;
  const char* field;  // the message starts with it ("" when OK)
};

TEST(GroupPetitionTest, RepresentativesAndHeadCountAreBounded) {
  GroupBounds bounds;
  bounds.max_head_count = 300;
  const std::vector<CheckRow> rows = {
      {"a petition by one person: nothing to check", 1, 0,
       absl::StatusCode::kOk, ""},
      {"Art. 18: five representatives are allowed", 5, 40,
       absl::StatusCode::kOk, ""},
      {"Art. 18: 代表人数不超过5人 — a sixth is refused", 6, 40,
       absl::StatusCode::kInvalidArgument, "co_representatives: "},
      {"issue 18.3: head count unset reads as the representatives", 3, 0,
       absl::StatusCode::kOk, ""},
      {"issue 18.3: every representative is one of the persons", 3, 2,
       absl::StatusCode::kInvalidArgument, "head_count: "},
      {"issue 18.3: as many persons as representatives is fine", 3, 3,
       absl::StatusCode::kOk, ""},
      {"a negative count is no count", 1, -1,
       absl::StatusCode::kInvalidArgument, "head_count: "},
      {"intake.max_head_count: at the bound", 1, 300, absl::StatusCode::kOk,
       ""},
      {"intake.max_head_count: one above is refused (a typo, not a crowd)", 1,
       301, absl::StatusCode::kInvalidArgument, "head_count: "},
  };
  for (const CheckRow& row : rows) {
    absl::Status s = CheckGroup(row.representatives, row.head_count, bounds);
    EXPECT_EQ(s.code(), row.code) << row.rule << ": " << s;
    EXPECT_TRUE(absl::StartsWith(s.message(), row.field))
        << row.rule << ": " << s;
  }
}

TEST(GroupPetitionTest, PersonsCountTheHeadCountElseTheRepresentatives) {
  struct Row {
    const char* rule;
    int head_count;
    int representatives;
    int persons;
  };
  const std::vector<Row> rows = {
      {"PetitionReceived.head_count: 0 is read as 1", 0, 0, 1},
      {"an individual petition is one person", 0, 1, 1},
      {"SubmitPetitionRequest.head_count: 0 is the number of representatives",
       0, 4, 4},
      {"issue 18.3: the head count kept for 人次", 37, 5, 37},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(EffectiveHeadCount(row.head_count, row.representatives),
              row.persons)
        << row.rule;
  }
}

TEST(GroupPetitionTest, TheBureauIsAlertedAtTheSettingAndAbove) {
  struct Row {
    const char* rule;
    int head_count;
    int setting;
    bool alert;
  };
  const std::vector<Row> rows = {
      {"group.alert_head_count: below the setting, no alert", 4, 5, false},
      {"group.alert_head_count: at the setting, an alert", 5, 5, true},
      {"group.alert_head_count: above the setting, an alert", 50, 5, true},
      {"an individual petition never alerts (setting >= 2)", 1, 2, false},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(AlertsBureau(row.head_count, row.setting), row.alert)
        << row.rule;
  }
}

}  // namespace
}  // namespace caserelay::petition
