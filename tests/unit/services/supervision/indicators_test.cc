// The indicators of DOMAIN.md "Supervision", as defined in
// services/supervision/indicators.h, on hand-built case records and the
// shipped region tree (山西: 140000 province, 140200 大同市, 140400 长治市,
// 140431 沁源县, 140431100 沁河镇).
#include "services/supervision/indicators.h"

#include <cstdlib>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "caserelay/v1/records.pb.h"
#include "caserelay/v1/supervision.pb.h"
#include "common/region/region_tree.h"
#include "common/time/timestamp.h"
#include "gtest/gtest.h"

namespace caserelay::supervision {
namespace {

using ::caserelay::v1::Deadline;
using ::caserelay::v1::DeadlineKind;
using ::caserelay::v1::DeadlineState;
using ::caserelay::v1::GetIndicatorsRequest;
using ::caserelay::v1::GetIndicatorsResponse;
using ::caserelay::v1::Indicators;
using ::caserelay::v1::Rate;
using ::caserelay::v1::SupervisionCaseFacts;
using ::caserelay::v1::SupervisionCaseRecord;

constexpr char kProvince[] = "140000:xfj";      // 山西省信访局
constexpr char kDatong[] = "140200:xfj";        // 大同市信访局
constexpr char kChangzhi[] = "140400:xfj";      // 长治市信访局
constexpr char kQinyuan[] = "140431:xfj";       // 沁源县信访局
constexpr char kQinyuanHrss[] = "140431:hrss";  // 沁源县人社局
constexpr char kQinhe[] = "140431100:gov";      // 沁河镇政府

const region::RegionTree& Regions() {
  static const region::RegionTree* tree = [] {
    auto loaded = region::RegionTree::Load(CASERELAY_SOURCE_DIR
                                           "/data/regions/regions.tsv");
    if (!loaded.ok()) {
      ADD_FAILURE() << loaded.status();
      std::abort();
    }
    return loaded->release();
  }();
  return *tree;
}

// Day `d` of the test calendar; the period is [Day(0), Day(31)).
absl::Time Day(double d) {
  return absl::FromCivil(absl::CivilDay(2026, 1, 1), absl::UTCTimeZone()) +
         d * absl::Hours(24);
}
constexpr double kFrom = 0, kTo = 31, kLater = 100;

Deadline MakeDeadline(DeadlineKind kind, const std::string& office, double due,
                      DeadlineState state,
                      std::optional<double> ended = std::nullopt) {
  Deadline d;
  d.set_kind(kind);
  d.set_office_code(office);
  *d.mutable_started_at() = time::ToProto(Day(due - 15));
  *d.mutable_due_at() = time::ToProto(Day(due));
  d.set_state(state);
  if (ended.has_value()) *d.mutable_ended_at() = time::ToProto(Day(*ended));
  if (state == caserelay::v1::DEADLINE_STATE_PAUSED) {
    *d.mutable_paused_at() = time::ToProto(Day(due - 5));
  }
  return d;
}

SupervisionCaseRecord WithDeadlines(std::vector<Deadline> deadlines) {
  SupervisionCaseRecord r;
  r.set_case_id("140431-20260101-000001");
  for (Deadline& d : deadlines) *r.add_deadlines() = std::move(d);
  return r;
}

// A case replied (处理意见) by `office` on `day`.
SupervisionCaseFacts Replied(const std::string& office, double day) {
  SupervisionCaseFacts f;
  f.set_handling_office_code(office);
  *f.mutable_replied_at() = time::ToProto(Day(day));
  return f;
}

// A petition received on `day` and registered by `bureau`.
SupervisionCaseFacts Received(const std::string& bureau, double day,
                              caserelay::v1::Disposition disposition) {
  SupervisionCaseFacts f;
  f.set_registering_office_code(bureau);
  *f.mutable_received_at() = time::ToProto(Day(day));
  f.set_disposition(disposition);
  return f;
}

SupervisionCaseRecord WithFacts(const SupervisionCaseFacts& facts) {
  SupervisionCaseRecord r;
  r.set_case_id("140431-20260101-000002");
  *r.mutable_facts() = facts;
  return r;
}

GetIndicatorsRequest Period(double from = kFrom,
                            std::optional<double> to = kTo) {
  GetIndicatorsRequest req;
  *req.mutable_from() = time::ToProto(Day(from));
  if (to.has_value()) *req.mutable_to() = time::ToProto(Day(*to));
  return req;
}

GetIndicatorsResponse Compute(const GetIndicatorsRequest& req,
                              const std::vector<SupervisionCaseRecord>& records,
                              double now = kLater) {
  auto calc = IndicatorCalculator::Create(Regions(), req, Day(now));
  EXPECT_TRUE(calc.ok()) << calc.status();
  if (!calc.ok()) return {};
  for (const auto& r : records) calc->Add(r);
  return calc->Result();
}

using RateField = const Rate& (Indicators::*)() const;
constexpr RateField kBureau = &Indicators::timely_acceptance_bureau;
constexpr RateField kHandling = &Indicators::timely_acceptance_handling;
constexpr RateField kOnTime = &Indicators::on_time_completion;
constexpr RateField kEvaluation = &Indicators::evaluation;
constexpr RateField kSatisfaction = &Indicators::satisfaction;
constexpr RateField kFirstPass = &Indicators::first_pass_resolution;
constexpr RateField kRepeat = &Indicators::repeat;
constexpr RateField kSkipping = &Indicators::level_skipping;

// numerator/denominator of `field` in `i`, e.g. "1/2".
std::string Fraction(const Indicators& i, RateField field) {
  const Rate& r = (i.*field)();
  return std::to_string(r.numerator()) + "/" + std::to_string(r.denominator());
}

// ---- Deadline-based rates: 及时受理率 (bureau, unit), 按期办结率 ----

struct DeadlineCase {
  const char* rule;
  Deadline deadline;
  double now;
  RateField field;
  const char* want;  // numerator/denominator
};

// gtest names a failing row by its rule.
void PrintTo(const DeadlineCase& c, std::ostream* os) { *os << c.rule; }

class DeadlineRateTest : public ::testing::TestWithParam<DeadlineCase> {};

TEST_P(DeadlineRateTest, CountsByTheDefinition) {
  const DeadlineCase& c = GetParam();
  GetIndicatorsResponse r =
      Compute(Period(), {WithDeadlines({c.deadline})}, c.now);
  EXPECT_EQ(Fraction(r.total(), c.field), c.want) << c.rule;
}

using namespace caserelay::v1;  // NOLINT: enum values in the tables below

INSTANTIATE_TEST_SUITE_P(
    Definitions, DeadlineRateTest,
    ::testing::Values(
        DeadlineCase{"及时受理率(bureau): TRANSFER (登记, 转送/交办 within 15 "
                     "days) done in time",
                     MakeDeadline(DEADLINE_KIND_TRANSFER, kQinyuan, 10,
                                  DEADLINE_STATE_DONE, 8),
                     kLater, kBureau, "1/1"},
        DeadlineCase{"及时受理率(bureau): a TRANSFER ended late counts against",
                     MakeDeadline(DEADLINE_KIND_TRANSFER, kQinyuan, 10,
                                  DEADLINE_STATE_MISSED, 12),
                     kLater, kBureau, "0/1"},
        DeadlineCase{
            "及时受理率(unit): ACCEPTANCE (notice within 15 days, Art. "
            "23) done in time",
            MakeDeadline(DEADLINE_KIND_ACCEPTANCE, kQinyuanHrss, 10,
                         DEADLINE_STATE_DONE, 3),
            kLater, kHandling, "1/1"},
        DeadlineCase{"及时受理率(unit): an ACCEPTANCE missed and still open",
                     MakeDeadline(DEADLINE_KIND_ACCEPTANCE, kQinyuanHrss, 10,
                                  DEADLINE_STATE_MISSED),
                     kLater, kHandling, "0/1"},
        DeadlineCase{"按期办结率: HANDLING (60 days, Art. 34) replied in time",
                     MakeDeadline(DEADLINE_KIND_HANDLING, kQinyuanHrss, 20,
                                  DEADLINE_STATE_DONE, 19),
                     kLater, kOnTime, "1/1"},
        DeadlineCase{
            "按期办结率: SIMPLIFIED (简易办理, 10 working days) in time",
            MakeDeadline(DEADLINE_KIND_SIMPLIFIED, kQinyuanHrss, 20,
                         DEADLINE_STATE_DONE, 19),
            kLater, kOnTime, "1/1"},
        DeadlineCase{"按期办结率: late and ended counts against",
                     MakeDeadline(DEADLINE_KIND_HANDLING, kQinyuanHrss, 20,
                                  DEADLINE_STATE_MISSED, 25),
                     kLater, kOnTime, "0/1"},
        DeadlineCase{"按期办结率: still-open overdue counts against",
                     MakeDeadline(DEADLINE_KIND_SIMPLIFIED, kQinyuanHrss, 20,
                                  DEADLINE_STATE_MISSED),
                     kLater, kOnTime, "0/1"},
        DeadlineCase{"按期办结率: ARMED past its due (miss not fired yet) is "
                     "open overdue: against",
                     MakeDeadline(DEADLINE_KIND_HANDLING, kQinyuanHrss, 20,
                                  DEADLINE_STATE_ARMED),
                     kLater, kOnTime, "0/1"},
        DeadlineCase{"period [from, to): due exactly at from counts",
                     MakeDeadline(DEADLINE_KIND_TRANSFER, kQinyuan, kFrom,
                                  DEADLINE_STATE_DONE, kFrom - 1),
                     kLater, kBureau, "1/1"},
        DeadlineCase{"period [from, to): due exactly at to does not count",
                     MakeDeadline(DEADLINE_KIND_TRANSFER, kQinyuan, kTo,
                                  DEADLINE_STATE_DONE, kTo - 1),
                     kLater, kBureau, "0/0"},
        DeadlineCase{"period [from, to): due before from does not count",
                     MakeDeadline(DEADLINE_KIND_TRANSFER, kQinyuan, kFrom - 1,
                                  DEADLINE_STATE_MISSED),
                     kLater, kBureau, "0/0"},
        DeadlineCase{"not yet due (due after now) and running: not counted",
                     MakeDeadline(DEADLINE_KIND_HANDLING, kQinyuanHrss, 20,
                                  DEADLINE_STATE_ARMED),
                     15, kOnTime, "0/0"},
        DeadlineCase{"come due exactly now (due <= min(to, now)): counted",
                     MakeDeadline(DEADLINE_KIND_HANDLING, kQinyuanHrss, 20,
                                  DEADLINE_STATE_ARMED),
                     20, kOnTime, "0/1"},
        DeadlineCase{"ended before its due, due still ahead: counted in time",
                     MakeDeadline(DEADLINE_KIND_HANDLING, kQinyuanHrss, 20,
                                  DEADLINE_STATE_DONE, 12),
                     15, kOnTime, "1/1"},
        DeadlineCase{"PAUSED (听证) not yet due: not counted",
                     MakeDeadline(DEADLINE_KIND_HANDLING, kQinyuanHrss, 20,
                                  DEADLINE_STATE_PAUSED),
                     15, kOnTime, "0/0"},
        DeadlineCase{"PAUSED past its listed due: the clock is stopped, not "
                     "counted",
                     MakeDeadline(DEADLINE_KIND_HANDLING, kQinyuanHrss, 20,
                                  DEADLINE_STATE_PAUSED),
                     kLater, kOnTime, "0/0"},
        DeadlineCase{"REVIEW deadlines are in no rate (only the backlog)",
                     MakeDeadline(DEADLINE_KIND_REVIEW, kChangzhi, 20,
                                  DEADLINE_STATE_MISSED),
                     kLater, kOnTime, "0/0"}));

// ---- Reply-based rates: 参评率, 群众满意率, 一次性化解率 ----

struct ReplyCase {
  const char* rule;
  SupervisionCaseFacts facts;
  const char* evaluation;
  const char* satisfaction;
  const char* first_pass;
};

// gtest names a failing row by its rule.
void PrintTo(const ReplyCase& c, std::ostream* os) { *os << c.rule; }

SupervisionCaseFacts Evaluated(Satisfaction s) {
  SupervisionCaseFacts f = Replied(kQinyuanHrss, 10);
  f.set_satisfaction(s);
  return f;
}

class ReplyRateTest : public ::testing::TestWithParam<ReplyCase> {};

TEST_P(ReplyRateTest, CountsByTheDefinition) {
  const ReplyCase& c = GetParam();
  GetIndicatorsResponse r = Compute(Period(), {WithFacts(c.facts)});
  EXPECT_EQ(Fraction(r.total(), kEvaluation), c.evaluation) << c.rule;
  EXPECT_EQ(Fraction(r.total(), kSatisfaction), c.satisfaction) << c.rule;
  EXPECT_EQ(Fraction(r.total(), kFirstPass), c.first_pass) << c.rule;
}

SupervisionCaseFacts ReviewRequested() {
  SupervisionCaseFacts f = Replied(kQinyuanHrss, 10);
  f.set_review_requested(true);
  return f;
}

SupervisionCaseFacts RepeatLinked() {
  SupervisionCaseFacts f = Replied(kQinyuanHrss, 10);
  f.set_repeats_linked(1);
  return f;
}

INSTANTIATE_TEST_SUITE_P(
    Definitions, ReplyRateTest,
    ::testing::Values(
        ReplyCase{"参评率: replied, not evaluated; 一次性化解 (no review, no "
                  "repeat)",
                  Replied(kQinyuanHrss, 10), "0/1", "0/0", "1/1"},
        ReplyCase{"群众满意率: 满意 counts", Evaluated(SATISFACTION_SATISFIED),
                  "1/1", "1/1", "1/1"},
        ReplyCase{"群众满意率: 基本满意 counts",
                  Evaluated(SATISFACTION_BASICALLY), "1/1", "1/1", "1/1"},
        ReplyCase{"群众满意率: 不满意 does not",
                  Evaluated(SATISFACTION_DISSATISFIED), "1/1", "0/1", "1/1"},
        ReplyCase{"一次性化解率: a 复查 requested is not first-pass",
                  ReviewRequested(), "0/1", "0/0", "0/1"},
        ReplyCase{"一次性化解率: a repeat petition linked is not first-pass",
                  RepeatLinked(), "0/1", "0/0", "0/1"},
        ReplyCase{"period [from, to): replied exactly at from counts",
                  Replied(kQinyuanHrss, kFrom), "0/1", "0/0", "1/1"},
        ReplyCase{"period [from, to): replied exactly at to does not",
                  Replied(kQinyuanHrss, kTo), "0/0", "0/0", "0/0"},
        ReplyCase{"not replied: in no reply-based rate", SupervisionCaseFacts(),
                  "0/0", "0/0", "0/0"}));

// ---- Petition-based rates: 重复信访率, 越级访率 ----

struct PetitionCase {
  const char* rule;
  SupervisionCaseFacts facts;
  const char* repeat;
  const char* level_skipping;
};

// gtest names a failing row by its rule.
void PrintTo(const PetitionCase& c, std::ostream* os) { *os << c.rule; }

class PetitionRateTest : public ::testing::TestWithParam<PetitionCase> {};

TEST_P(PetitionRateTest, CountsByTheDefinition) {
  const PetitionCase& c = GetParam();
  GetIndicatorsResponse r = Compute(Period(), {WithFacts(c.facts)});
  EXPECT_EQ(Fraction(r.total(), kRepeat), c.repeat) << c.rule;
  EXPECT_EQ(Fraction(r.total(), kSkipping), c.level_skipping) << c.rule;
}

INSTANTIATE_TEST_SUITE_P(
    Definitions, PetitionRateTest,
    ::testing::Values(
        PetitionCase{"a first petition transferred: neither",
                     Received(kQinyuan, 5, DISPOSITION_TRANSFER), "0/1", "0/1"},
        PetitionCase{"重复信访率: linked to the open case",
                     Received(kQinyuan, 5, DISPOSITION_LINKED_REPEAT), "1/1",
                     "0/1"},
        PetitionCase{"重复信访率: refused as 信访终结",
                     Received(kQinyuan, 5, DISPOSITION_REFUSED_TERMINATED),
                     "1/1", "0/1"},
        PetitionCase{"越级访率: redirected to the competent level",
                     Received(kProvince, 5, DISPOSITION_REDIRECT), "0/1",
                     "1/1"},
        PetitionCase{"period [from, to): received exactly at from counts",
                     Received(kQinyuan, kFrom, DISPOSITION_REDIRECT), "0/1",
                     "1/1"},
        PetitionCase{"period [from, to): received exactly at to does not",
                     Received(kQinyuan, kTo, DISPOSITION_REDIRECT), "0/0",
                     "0/0"}));

// ---- 积案 backlog ----

struct BacklogCase {
  const char* rule;
  std::vector<Deadline> deadlines;
  std::optional<double> to;
  double now;
  int64_t want;
};

// gtest names a failing row by its rule.
void PrintTo(const BacklogCase& c, std::ostream* os) { *os << c.rule; }

class BacklogTest : public ::testing::TestWithParam<BacklogCase> {};

TEST_P(BacklogTest, CountsCasesOverdueAsOfMinToNow) {
  const BacklogCase& c = GetParam();
  GetIndicatorsResponse r =
      Compute(Period(kFrom, c.to), {WithDeadlines(c.deadlines)}, c.now);
  EXPECT_EQ(r.total().backlog(), c.want) << c.rule;
}

INSTANTIATE_TEST_SUITE_P(
    Definitions, BacklogTest,
    ::testing::Values(
        BacklogCase{"open past its due at to",
                    {MakeDeadline(DEADLINE_KIND_HANDLING, kQinyuanHrss, 20,
                                  DEADLINE_STATE_MISSED)},
                    kTo,
                    kLater,
                    1},
        BacklogCase{"ended after to: still overdue as of to",
                    {MakeDeadline(DEADLINE_KIND_HANDLING, kQinyuanHrss, 20,
                                  DEADLINE_STATE_MISSED, kTo + 5)},
                    kTo,
                    kLater,
                    1},
        BacklogCase{"ended late but before to: cleared by to",
                    {MakeDeadline(DEADLINE_KIND_HANDLING, kQinyuanHrss, 20,
                                  DEADLINE_STATE_MISSED, 25)},
                    kTo,
                    kLater,
                    0},
        BacklogCase{"ended in time: not backlog",
                    {MakeDeadline(DEADLINE_KIND_HANDLING, kQinyuanHrss, 20,
                                  DEADLINE_STATE_DONE, 19)},
                    kTo,
                    kLater,
                    0},
        BacklogCase{"from does not bound it: due long before from",
                    {MakeDeadline(DEADLINE_KIND_TRANSFER, kQinyuan, kFrom - 60,
                                  DEADLINE_STATE_MISSED)},
                    kTo,
                    kLater,
                    1},
        BacklogCase{"due exactly at to is not yet overdue",
                    {MakeDeadline(DEADLINE_KIND_HANDLING, kQinyuanHrss, kTo,
                                  DEADLINE_STATE_ARMED)},
                    kTo,
                    kLater,
                    0},
        BacklogCase{"to after now: as of now, a due still ahead is not overdue",
                    {MakeDeadline(DEADLINE_KIND_HANDLING, kQinyuanHrss, 20,
                                  DEADLINE_STATE_ARMED)},
                    kTo,
                    15,
                    0},
        BacklogCase{"to unset: as of now",
                    {MakeDeadline(DEADLINE_KIND_HANDLING, kQinyuanHrss, 20,
                                  DEADLINE_STATE_MISSED)},
                    std::nullopt,
                    25,
                    1},
        BacklogCase{"PAUSED (听证): the clock is stopped, not overdue",
                    {MakeDeadline(DEADLINE_KIND_REREVIEW, kChangzhi, 20,
                                  DEADLINE_STATE_PAUSED)},
                    kTo,
                    kLater,
                    0},
        BacklogCase{"any kind counts (复查 decision overdue)",
                    {MakeDeadline(DEADLINE_KIND_REVIEW, kChangzhi, 20,
                                  DEADLINE_STATE_MISSED)},
                    kTo,
                    kLater,
                    1},
        BacklogCase{"a case with two overdue deadlines is one case",
                    {MakeDeadline(DEADLINE_KIND_HANDLING, kQinyuanHrss, 20,
                                  DEADLINE_STATE_MISSED),
                     MakeDeadline(DEADLINE_KIND_RESULT_REPORT, kQinyuanHrss, 22,
                                  DEADLINE_STATE_MISSED)},
                    kTo,
                    kLater,
                    1}));

// ---- Scope: one office, a subtree, a level ----

// One TRANSFER deadline done in time per office, plus offices the tree
// does not know (skipped by definition).
std::vector<SupervisionCaseRecord> OneDeadlinePerOffice() {
  std::vector<SupervisionCaseRecord> records;
  for (const char* office : {kProvince, kDatong, kChangzhi, kQinyuan,
                             kQinyuanHrss, kQinhe, "990000:xfj", "routing"}) {
    records.push_back(WithDeadlines({MakeDeadline(
        DEADLINE_KIND_TRANSFER, office, 10, DEADLINE_STATE_DONE, 9)}));
  }
  return records;
}

struct ScopeCase {
  const char* rule;
  const char* office_code;
  const char* region_code;
  OfficeLevel level;
  int64_t want;  // offices in scope
};

// gtest names a failing row by its rule.
void PrintTo(const ScopeCase& c, std::ostream* os) { *os << c.rule; }

class ScopeTest : public ::testing::TestWithParam<ScopeCase> {};

TEST_P(ScopeTest, CountsOnlyTheScopesOffices) {
  const ScopeCase& c = GetParam();
  GetIndicatorsRequest req = Period();
  req.mutable_scope()->set_office_code(c.office_code);
  req.mutable_scope()->set_region_code(c.region_code);
  req.mutable_scope()->set_level(c.level);
  GetIndicatorsResponse r = Compute(req, OneDeadlinePerOffice());
  EXPECT_EQ(r.total().timely_acceptance_bureau().denominator(), c.want)
      << c.rule;
}

INSTANTIATE_TEST_SUITE_P(
    Scopes, ScopeTest,
    ::testing::Values(
        ScopeCase{"empty: every office the tree knows", "", "",
                  OFFICE_LEVEL_UNSPECIFIED, 6},
        ScopeCase{"one office", kQinyuanHrss, "", OFFICE_LEVEL_UNSPECIFIED, 1},
        ScopeCase{"one office: region and level ignored", kQinyuanHrss,
                  "140200", OFFICE_LEVEL_PROVINCE, 1},
        ScopeCase{"subtree of the province", "", "140000",
                  OFFICE_LEVEL_UNSPECIFIED, 6},
        ScopeCase{"subtree of 长治市: city, county and township offices", "",
                  "140400", OFFICE_LEVEL_UNSPECIFIED, 4},
        ScopeCase{"subtree of 沁源县", "", "140431", OFFICE_LEVEL_UNSPECIFIED,
                  3},
        ScopeCase{"subtree of 沁河镇", "", "140431100",
                  OFFICE_LEVEL_UNSPECIFIED, 1},
        ScopeCase{"level: every city office (大同, 长治)", "", "",
                  OFFICE_LEVEL_CITY, 2},
        ScopeCase{"subtree and level: county offices under 长治市", "",
                  "140400", OFFICE_LEVEL_COUNTY, 2},
        ScopeCase{"level: township", "", "", OFFICE_LEVEL_TOWNSHIP, 1},
        ScopeCase{"subtree with no office of the level", "", "140200",
                  OFFICE_LEVEL_COUNTY, 0}));

TEST(IndicatorScopeTest, EachRateFollowsItsOwnOffice) {
  // Registered by 沁源县信访局, replied by 沁源县人社局: petition-based rates
  // go to the bureau, reply-based to the handling unit.
  SupervisionCaseFacts f = Received(kQinyuan, 5, DISPOSITION_TRANSFER);
  f.set_handling_office_code(kQinyuanHrss);
  *f.mutable_replied_at() = time::ToProto(Day(20));
  for (const char* office : {kQinyuan, kQinyuanHrss}) {
    GetIndicatorsRequest req = Period();
    req.mutable_scope()->set_office_code(office);
    GetIndicatorsResponse r = Compute(req, {WithFacts(f)});
    const bool bureau = std::string(office) == kQinyuan;
    EXPECT_EQ(r.total().repeat().denominator(), bureau ? 1 : 0) << office;
    EXPECT_EQ(r.total().evaluation().denominator(), bureau ? 0 : 1) << office;
  }
}

// ---- Breakdown rows ----

std::vector<SupervisionCaseRecord> MixedOffices() {
  return {
      WithDeadlines({MakeDeadline(DEADLINE_KIND_TRANSFER, kQinyuan, 10,
                                  DEADLINE_STATE_DONE, 9),
                     MakeDeadline(DEADLINE_KIND_HANDLING, kQinyuanHrss, 20,
                                  DEADLINE_STATE_MISSED)}),
      WithDeadlines({MakeDeadline(DEADLINE_KIND_TRANSFER, kChangzhi, 12,
                                  DEADLINE_STATE_MISSED, 14),
                     MakeDeadline(DEADLINE_KIND_ACCEPTANCE, kQinhe, 25,
                                  DEADLINE_STATE_MISSED)}),
      // Not yet due at now: no item, so 大同 gets no row.
      WithDeadlines({MakeDeadline(DEADLINE_KIND_HANDLING, kDatong, 30,
                                  DEADLINE_STATE_ARMED)}),
      WithFacts(Replied(kQinyuanHrss, 15)),
  };
}

TEST(IndicatorBreakdownTest, OfficeRowsSortedByCodeOnlyWithItems) {
  GetIndicatorsRequest req = Period();
  req.set_breakdown(BREAKDOWN_OFFICE);
  GetIndicatorsResponse r = Compute(req, MixedOffices(), 29);
  std::vector<std::string> keys;
  for (const Indicators& row : r.rows()) keys.push_back(row.key());
  // Plain string order: "140431100:gov" < "140431:hrss" as '1' < ':'.
  EXPECT_EQ(keys, (std::vector<std::string>{kChangzhi, kQinhe, kQinyuanHrss,
                                            kQinyuan}));
  ASSERT_EQ(r.rows_size(), 4);
  EXPECT_EQ(Fraction(r.rows(0), kBureau), "0/1");    // 140400:xfj
  EXPECT_EQ(Fraction(r.rows(1), kHandling), "0/1");  // 140431100:gov
  EXPECT_EQ(Fraction(r.rows(2), kOnTime), "0/1");    // 140431:hrss
  EXPECT_EQ(Fraction(r.rows(2), kEvaluation), "0/1");
  EXPECT_EQ(r.rows(2).backlog(), 1);
  EXPECT_EQ(Fraction(r.rows(3), kBureau), "1/1");  // 140431:xfj
  EXPECT_EQ(r.rows(3).backlog(), 0);
  EXPECT_EQ(r.total().key(), "");
  EXPECT_EQ(Fraction(r.total(), kBureau), "1/2");
  EXPECT_EQ(r.total().backlog(), 2);
}

TEST(IndicatorBreakdownTest, LevelRowsByTheOfficesRegionLevel) {
  GetIndicatorsRequest req = Period();
  req.set_breakdown(BREAKDOWN_LEVEL);
  GetIndicatorsResponse r = Compute(req, MixedOffices(), 29);
  ASSERT_EQ(r.rows_size(), 3);
  EXPECT_EQ(r.rows(0).key(), "city");  // 长治市信访局
  EXPECT_EQ(Fraction(r.rows(0), kBureau), "0/1");
  EXPECT_EQ(r.rows(1).key(), "county");  // 沁源县 bureau and 人社局
  EXPECT_EQ(Fraction(r.rows(1), kBureau), "1/1");
  EXPECT_EQ(Fraction(r.rows(1), kOnTime), "0/1");
  EXPECT_EQ(r.rows(1).backlog(), 1);
  EXPECT_EQ(r.rows(2).key(), "township");  // 沁河镇
  EXPECT_EQ(Fraction(r.rows(2), kHandling), "0/1");
  EXPECT_EQ(r.rows(2).backlog(), 1);
}

TEST(IndicatorBreakdownTest, BacklogCountsTheCaseOnceInTotalOncePerRow) {
  GetIndicatorsRequest req = Period();
  req.set_breakdown(BREAKDOWN_OFFICE);
  GetIndicatorsResponse r = Compute(
      req, {WithDeadlines({MakeDeadline(DEADLINE_KIND_HANDLING, kQinyuanHrss,
                                        20, DEADLINE_STATE_MISSED),
                           MakeDeadline(DEADLINE_KIND_RESULT_REPORT, kQinyuan,
                                        22, DEADLINE_STATE_MISSED)})});
  EXPECT_EQ(r.total().backlog(), 1);
  ASSERT_EQ(r.rows_size(), 2);
  EXPECT_EQ(r.rows(0).backlog(), 1);
  EXPECT_EQ(r.rows(1).backlog(), 1);
}

TEST(IndicatorBreakdownTest, NoBreakdownNoRows) {
  EXPECT_EQ(Compute(Period(), MixedOffices(), 29).rows_size(), 0);
}

// ---- Values and the period answered ----

TEST(IndicatorValueTest, ValueIsNumeratorOverDenominator) {
  std::vector<SupervisionCaseRecord> records;
  for (int i = 0; i < 4; ++i) {
    records.push_back(WithDeadlines({MakeDeadline(
        DEADLINE_KIND_TRANSFER, kQinyuan, 10,
        i == 0 ? DEADLINE_STATE_DONE : DEADLINE_STATE_MISSED, 12)}));
  }
  GetIndicatorsResponse r = Compute(Period(), records);
  ASSERT_TRUE(r.total().timely_acceptance_bureau().has_value());
  EXPECT_DOUBLE_EQ(r.total().timely_acceptance_bureau().value(), 0.25);
}

TEST(IndicatorValueTest, ValueUnsetWhenDenominatorIsZero) {
  GetIndicatorsResponse r = Compute(Period(), {});
  const Indicators& t = r.total();
  for (RateField f : {kBureau, kHandling, kOnTime, kEvaluation, kSatisfaction,
                      kFirstPass, kRepeat, kSkipping}) {
    EXPECT_EQ((t.*f)().denominator(), 0);
    EXPECT_FALSE((t.*f)().has_value());
  }
}

TEST(IndicatorValueTest, SatisfactionUnsetWhenNoneEvaluated) {
  GetIndicatorsResponse r =
      Compute(Period(), {WithFacts(Replied(kQinyuanHrss, 3))});
  EXPECT_TRUE(r.total().evaluation().has_value());
  EXPECT_FALSE(r.total().satisfaction().has_value());
}

TEST(IndicatorPeriodTest, ToUnsetAnswersNow) {
  GetIndicatorsResponse r = Compute(Period(kFrom, std::nullopt), {}, 40);
  EXPECT_EQ(time::FromProto(r.from()), Day(kFrom));
  EXPECT_EQ(time::FromProto(r.to()), Day(40));
}

TEST(IndicatorCalculatorTest, CopiesCountIndependently) {
  auto calc = IndicatorCalculator::Create(Regions(), Period(), Day(kLater));
  ASSERT_TRUE(calc.ok()) << calc.status();
  calc->Add(WithFacts(Replied(kQinyuanHrss, 3)));
  IndicatorCalculator copy = *calc;
  copy.Add(WithFacts(Replied(kChangzhi, 4)));
  EXPECT_EQ(calc->Result().total().evaluation().denominator(), 1);
  EXPECT_EQ(copy.Result().total().evaluation().denominator(), 2);
}

// ---- Create errors ----

struct CreateCase {
  const char* rule;
  GetIndicatorsRequest request;
  absl::StatusCode want;
};

// gtest names a failing row by its rule.
void PrintTo(const CreateCase& c, std::ostream* os) { *os << c.rule; }

GetIndicatorsRequest WithScope(const char* office, const char* region,
                               int level = 0) {
  GetIndicatorsRequest req = Period();
  req.mutable_scope()->set_office_code(office);
  req.mutable_scope()->set_region_code(region);
  req.mutable_scope()->set_level(static_cast<OfficeLevel>(level));
  return req;
}

GetIndicatorsRequest WithBreakdown(int breakdown) {
  GetIndicatorsRequest req = Period();
  req.set_breakdown(static_cast<Breakdown>(breakdown));
  return req;
}

class CreateTest : public ::testing::TestWithParam<CreateCase> {};

TEST_P(CreateTest, ChecksTheRequest) {
  const CreateCase& c = GetParam();
  auto calc = IndicatorCalculator::Create(Regions(), c.request, Day(kLater));
  EXPECT_EQ(calc.status().code(), c.want) << c.rule << ": " << calc.status();
}

INSTANTIATE_TEST_SUITE_P(
    Requests, CreateTest,
    ::testing::Values(
        CreateCase{"a period", Period(), absl::StatusCode::kOk},
        CreateCase{"from == to: an empty period", Period(5, 5),
                   absl::StatusCode::kInvalidArgument},
        CreateCase{"from after to", Period(6, 5),
                   absl::StatusCode::kInvalidArgument},
        CreateCase{"to unset, from after now", Period(kLater + 1, std::nullopt),
                   absl::StatusCode::kInvalidArgument},
        CreateCase{"office code without a unit", WithScope("140431", ""),
                   absl::StatusCode::kInvalidArgument},
        CreateCase{"office code with an empty unit", WithScope("140431:", ""),
                   absl::StatusCode::kInvalidArgument},
        CreateCase{"office of an unknown region", WithScope("990000:xfj", ""),
                   absl::StatusCode::kNotFound},
        CreateCase{"unknown region", WithScope("", "990000"),
                   absl::StatusCode::kNotFound},
        CreateCase{"office set: region ignored", WithScope(kQinyuan, "990000"),
                   absl::StatusCode::kOk},
        CreateCase{"unknown level", WithScope("", "140000", 9),
                   absl::StatusCode::kInvalidArgument},
        CreateCase{"unknown breakdown", WithBreakdown(9),
                   absl::StatusCode::kInvalidArgument}));

}  // namespace
}  // namespace caserelay::supervision
