// escalation.h: which 督办 instrument a miss calls for and which bureau
// issues it (DOMAIN.md "Supervision", Regulation Arts. 39-40), on the
// committed region tree and office tables.

#include "services/supervision/escalation.h"

#include <string>
#include <vector>

#include "common/time/timestamp.h"
#include "gtest/gtest.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::supervision {
namespace {

using caserelay::v1::Deadline;
using caserelay::v1::SupervisionCaseRecord;
using caserelay::v1::SupervisionIssued;
using caserelay::v1::SupervisionLevel;
using google::protobuf::RepeatedPtrField;

constexpr SupervisionLevel kNone = caserelay::v1::SUPERVISION_LEVEL_UNSPECIFIED;
constexpr SupervisionLevel kLetter = caserelay::v1::SUPERVISION_LEVEL_LETTER;
constexpr SupervisionLevel kListed = caserelay::v1::SUPERVISION_LEVEL_LISTED;
constexpr char kCase[] = "140431-20261122-000001";

const absl::Time kDue1 = absl::FromUnixSeconds(1796000000);
const absl::Time kDue2 = kDue1 + absl::Hours(24 * 30);
const absl::Time kDue3 = kDue2 + absl::Hours(24 * 30);

SupervisionIssued Issued(SupervisionLevel level, const std::string& target,
                         absl::Time due, const std::string& issuer) {
  SupervisionIssued s;
  s.set_level(level);
  s.set_target_office_code(target);
  s.set_issuer_office_code(issuer);
  *s.mutable_missed_due_at() = time::ToProto(due);
  return s;
}

struct StepRow {
  const char* rule;  // DOMAIN.md "Supervision" (Arts. 39-40) and escalation.h
  std::vector<SupervisionIssued> issued;
  std::string office;
  absl::Time due;
  SupervisionLevel want;
  std::string want_letter_issuer;
};

TEST(EscalationTest, NextStepFollowsTheRuleTable) {
  const std::string gov = "140431100:gov";
  const std::string labour = "140431:hrss";
  const SupervisionIssued letter = Issued(kLetter, gov, kDue1, "140431:bureau");
  const SupervisionIssued listed = Issued(kListed, gov, kDue2, "140400:bureau");
  const std::vector<StepRow> rows = {
      {"first miss of an office on a case: 督办函 (Art. 39)",
       {},
       gov,
       kDue1,
       kLetter,
       ""},
      {"a later miss after a letter: 挂牌督办 (escalation, Art. 40)",
       {letter},
       gov,
       kDue2,
       kListed,
       "140431:bureau"},
      {"a miss due with the one that caused the letter is one lateness",
       {letter},
       gov,
       kDue1,
       kNone,
       ""},
      {"after 挂牌督办 only red lights: no more instruments",
       {letter, listed},
       gov,
       kDue3,
       kNone,
       ""},
      {"due with the listing's miss: covered",
       {letter, listed},
       gov,
       kDue2,
       kNone,
       ""},
      {"another office's instruments do not count: its own first miss",
       {letter, listed},
       labour,
       kDue2,
       kLetter,
       ""},
      {"another office's letter does not cover a miss due at the same time",
       {letter},
       labour,
       kDue1,
       kLetter,
       ""},
  };
  for (const StepRow& row : rows) {
    RepeatedPtrField<SupervisionIssued> issued(row.issued.begin(),
                                               row.issued.end());
    EscalationStep step = NextStep(issued, row.office, row.due);
    EXPECT_EQ(step.level, row.want) << row.rule;
    EXPECT_EQ(step.letter_issuer, row.want_letter_issuer) << row.rule;
  }
}

struct IssuerRow {
  const char* rule;
  SupervisionLevel level;
  std::string target;
  std::string letter_issuer;
  std::string want_code;
  std::string want_name;
};

TEST(EscalationTest, IssuerIsTheCompetentBureau) {
  const std::vector<IssuerRow> rows = {
      {"a township government is supervised by its county's bureau", kLetter,
       "140431100:gov", "", "140431:bureau", "沁源县信访局"},
      {"a township's own 信访办 too (a township supervises nothing)", kLetter,
       "140431100:bureau", "", "140431:bureau", "沁源县信访局"},
      {"a county department: its county's bureau", kLetter, "140431:hrss", "",
       "140431:bureau", "沁源县信访局"},
      {"the county bureau itself late: the city's bureau", kLetter,
       "140431:bureau", "", "140400:bureau", "长治市信访局"},
      {"the city bureau late: the province's bureau", kLetter, "140400:bureau",
       "", "140000:bureau", "山西省信访局"},
      {"nothing above a province: its own bureau", kLetter, "140000:bureau", "",
       "140000:bureau", "山西省信访局"},
      {"a town of a city without counties (东莞): the city's bureau", kLetter,
       "441900003:gov", "", "441900:bureau", "东莞市信访局"},
      {"挂牌督办: the parent of the letter's issuer", kListed, "140431100:gov",
       "140431:bureau", "140400:bureau", "长治市信访局"},
      {"挂牌督办 after a letter from the city: the province", kListed,
       "140431:bureau", "140400:bureau", "140000:bureau", "山西省信访局"},
      {"挂牌督办 after a letter from the province: the province", kListed,
       "140400:bureau", "140000:bureau", "140000:bureau", "山西省信访局"},
  };
  for (const IssuerRow& row : rows) {
    auto issuer =
        IssuerOf(row.level, row.target, row.letter_issuer,
                 svctest::ShippedOfficeDirectory(), svctest::ShippedRegions());
    ASSERT_TRUE(issuer.ok()) << row.rule << ": " << issuer.status();
    EXPECT_EQ(issuer->code, row.want_code) << row.rule;
    EXPECT_EQ(issuer->name, row.want_name) << row.rule;
  }
}

TEST(EscalationTest, IssuerOfAnUnknownOfficeIsNotFound) {
  EXPECT_EQ(
      IssuerOf(kLetter, "140431:nosuchunit", "",
               svctest::ShippedOfficeDirectory(), svctest::ShippedRegions())
          .status()
          .code(),
      absl::StatusCode::kNotFound);
  EXPECT_EQ(
      IssuerOf(kNone, "140431:bureau", "", svctest::ShippedOfficeDirectory(),
               svctest::ShippedRegions())
          .status()
          .code(),
      absl::StatusCode::kInvalidArgument);
}

Deadline Missed(caserelay::v1::DeadlineKind kind, absl::Time due,
                const std::string& office) {
  Deadline d;
  d.set_deadline_id(std::string(kCase) + "/" + std::to_string(kind) + "/" +
                    std::to_string(absl::ToUnixSeconds(due)));
  d.set_case_id(kCase);
  d.set_kind(kind);
  d.set_office_code(office);
  *d.mutable_due_at() = time::ToProto(due);
  d.set_state(caserelay::v1::DEADLINE_STATE_MISSED);
  return d;
}

TEST(EscalationTest, EscalateNumbersAndCountsTheMisses) {
  SupervisionCaseRecord record;
  record.set_case_id(kCase);
  *record.add_deadlines() =
      Missed(caserelay::v1::DEADLINE_KIND_HANDLING, kDue1, "140431:hrss");
  auto first =
      Escalate(record, record.deadlines(0), svctest::ShippedOfficeDirectory(),
               svctest::ShippedRegions());
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(first->has_value());
  const SupervisionIssued& letter = **first;
  EXPECT_EQ(letter.supervision_id(), std::string(kCase) + "/supervision/1");
  EXPECT_EQ(letter.level(), kLetter);
  EXPECT_EQ(letter.issuer_office_code(), "140431:bureau");
  EXPECT_EQ(letter.issuer_office_name(), "沁源县信访局");
  EXPECT_EQ(letter.target_office_code(), "140431:hrss");
  EXPECT_EQ(letter.target_office_name(), "沁源县人力资源和社会保障局");
  EXPECT_EQ(letter.missed_deadline_id(), record.deadlines(0).deadline_id());
  EXPECT_EQ(letter.missed_kind(), caserelay::v1::DEADLINE_KIND_HANDLING);
  EXPECT_EQ(time::FromProto(letter.missed_due_at()), kDue1);
  EXPECT_EQ(letter.miss_count(), 1);
  *record.add_supervisions() = letter;

  // Another office's miss does not count for this one.
  *record.add_deadlines() =
      Missed(caserelay::v1::DEADLINE_KIND_TRANSFER, kDue1, "140431:bureau");
  *record.add_deadlines() = Missed(
      caserelay::v1::DEADLINE_KIND_SUPERVISION_REPLY, kDue2, "140431:hrss");
  auto second =
      Escalate(record, record.deadlines(2), svctest::ShippedOfficeDirectory(),
               svctest::ShippedRegions());
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_TRUE(second->has_value());
  EXPECT_EQ((*second)->supervision_id(), std::string(kCase) + "/supervision/2");
  EXPECT_EQ((*second)->level(), kListed);
  EXPECT_EQ((*second)->issuer_office_code(), "140400:bureau");
  EXPECT_EQ((*second)->miss_count(), 2);
}

TEST(EscalationTest, EscalateForAnUnknownOfficeIsNotFound) {
  SupervisionCaseRecord record;
  record.set_case_id(kCase);
  *record.add_deadlines() =
      Missed(caserelay::v1::DEADLINE_KIND_HANDLING, kDue1, "999999:bureau");
  EXPECT_EQ(
      Escalate(record, record.deadlines(0), svctest::ShippedOfficeDirectory(),
               svctest::ShippedRegions())
          .status()
          .code(),
      absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace caserelay::supervision
