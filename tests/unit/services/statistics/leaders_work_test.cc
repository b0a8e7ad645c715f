// Issue 18's figures in the statistics' index (statistics.proto
// VolumeFigures 3 and 19-28; services/statistics/case_record.h,
// contribution.h): synthetic CaseEvents as routing writes them are applied
// through the service's one mutator (StatisticsServiceImpl::Apply) and
// read back with GetVolume's query; table-driven, each row citing the
// issue item or the figure's definition. Every issue-18 figure a row does
// not name must be 0, so a figure counted twice or in the wrong place
// fails.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/time/timestamp.h"
#include "google/protobuf/reflection.h"
#include "gtest/gtest.h"
#include "services/statistics/query.h"
#include "services/statistics/statistics_service.h"
#include "tests/unit/services/test_context.h"

namespace caserelay::statistics {
namespace {

namespace v1 = caserelay::v1;
using v1::Envelope;

absl::Time At(int month, int day, int hour = 9) {
  return svctest::ChinaTime(2026, month, day, hour, 0);
}

constexpr char kBureau[] = "140431:bureau";     // 沁源县信访局: registers
constexpr char kHrss[] = "140431:hrss";         // 沁源县人社局: handles
constexpr char kGov[] = "140431:gov";           // 沁源县人民政府
constexpr char kCityBureau[] = "140400:bureau";  // 长治市信访局

// One case's events, numbered as routing numbers them.
class Story {
 public:
  explicit Story(std::string case_id) : case_id_(std::move(case_id)) {}

  // An event of `action` at `at`, by `actor`, the case held by `holder`
  // afterwards; the caller fills the action's details.
  v1::CaseEvent& Add(v1::CaseAction action, absl::Time at,
                     const std::string& actor = kHrss,
                     const std::string& holder = kHrss) {
    Envelope& e = events_.emplace_back();
    e.set_case_id(case_id_);
    e.set_sequence(events_.size());
    e.set_event_id(absl::StrCat("routing/", case_id_, "/", events_.size()));
    *e.mutable_occurred_at() = time::ToProto(at);
    v1::CaseEvent* c = e.mutable_case_event();
    c->set_action(action);
    c->set_actor_office_code(actor);
    c->set_holder_office_code(holder);
    c->set_to_state(v1::CASE_STATE_ASSIGNED);
    return *c;
  }

  // REGISTER by 沁源县信访局, received at `at`: a labour claim, online.
  v1::CaseEvent& Register(absl::Time at, int head_count = 0) {
    v1::CaseEvent& c =
        Add(v1::CASE_ACTION_REGISTER, at, "routing", kHrss);
    *c.mutable_received_at() = time::ToProto(at);
    c.mutable_decision()->set_registering_office_code(kBureau);
    c.mutable_decision()->set_disposition(v1::DISPOSITION_ASSIGN);
    c.set_channel(v1::CHANNEL_ONLINE);
    c.set_region_code("140431100");
    c.set_category("labour");
    c.set_matter_class(v1::MATTER_CLASS_CLAIM);
    c.set_head_count(head_count);
    return c;
  }

  // The last event again (a redelivery).
  void Redeliver() { events_.push_back(events_.back()); }

  const std::vector<Envelope>& events() const { return events_; }

 private:
  const std::string case_id_;
  std::vector<Envelope> events_;
};

std::string CaseId(int n) { return absl::StrCat("140431-20260302-", 100 + n); }

struct Row {
  const char* rule;
  std::vector<Story> stories;
  std::string office;  // the scope: this office, or else the deployment
  absl::Time from, to;
  // Figure -> value: a field of VolumeFigures ("persons"), or a keyed one
  // as "<field>/<key>" ("supervisions_by_source/manual").
  std::map<std::string, int64_t> want;
};

// The value of `figure` (Row::want's naming) in `f`.
int64_t FigureOf(const v1::VolumeFigures& f, const std::string& figure) {
  std::vector<std::string> parts = absl::StrSplit(figure, '/');
  const auto* field = f.GetDescriptor()->FindFieldByName(parts[0]);
  if (field == nullptr) {
    ADD_FAILURE() << "no figure " << figure;
    return -1;
  }
  if (field->is_repeated()) {
    int64_t sum = 0;
    const auto keyed =
        f.GetReflection()->GetRepeatedFieldRef<v1::KeyedCount>(f, field);
    for (const v1::KeyedCount& c : keyed) {
      if (parts.size() < 2 || c.key() == parts[1]) sum += c.count();
    }
    return sum;
  }
  return f.GetReflection()->GetInt64(f, field);
}

// Issue 18's figures and the two they change: what must be 0 unless named.
std::vector<std::string> CheckedFigures() {
  std::vector<std::string> names = {"cases", "persons", "supervisions"};
  const auto* d = v1::VolumeFigures::descriptor();
  for (int n = 19; n <= 28; ++n) names.push_back(d->FindFieldByNumber(n)->name());
  return names;
}

std::vector<Row> Rows() {
  std::vector<Row> rows;
  const absl::Time march = At(3, 1, 0), april = At(4, 1, 0), may = At(5, 1, 0);
  {
    Story s(CaseId(1));
    s.Register(At(3, 2));
    rows.push_back({"VolumeFigures.persons: a petition without a head count "
                    "is one person (人次 = 件次)",
                    {s}, "", march, april, {{"cases", 1}, {"persons", 1}}});
  }
  {
    Story group(CaseId(1));
    v1::CaseEvent& reg = group.Register(At(3, 2), 30);
    reg.set_representatives(5);
    Story single(CaseId(2));
    single.Register(At(3, 3), 1);
    rows.push_back({"issue 18 item 3 (群体访/联名, Art. 18): persons = Σ "
                    "head_count; a head count above one is a group petition",
                    {group, single}, "", march, april,
                    {{"cases", 2}, {"persons", 31}, {"group_petitions", 1}}});
  }
  {
    Story s(CaseId(1));
    v1::CaseEvent& reg = s.Register(At(3, 2), 3);
    reg.mutable_reception()->set_reception_id("140431:gov/r/20260302");
    reg.mutable_reception()->set_office_code(kGov);
    Story alone(CaseId(2));
    alone.Register(At(3, 2))
        .mutable_reception()
        ->set_reception_id("140431:gov/r/20260302");
    rows.push_back({"issue 18 item 1 (领导接访): each visit registered at a "
                    "reception is a 批次, its head count (one if unset) the 人次",
                    {s, alone}, kBureau, march, april,
                    {{"cases", 2}, {"persons", 4}, {"group_petitions", 1},
                     {"reception_batches", 2}, {"reception_persons", 4}}});
  }
  {
    Story s(CaseId(1));
    s.Register(At(3, 2)).mutable_reception()->set_reception_id("r1");
    s.Add(v1::CASE_ACTION_REPLY, At(3, 2, 11)).set_on_the_spot(true);
    rows.push_back({"issue 18 item 1 (当场解决): a REPLY on the spot counts "
                    "with the petition received, under the registering bureau",
                    {s}, kBureau, march, april,
                    {{"cases", 1}, {"persons", 1}, {"reception_batches", 1},
                     {"reception_persons", 1}, {"on_the_spot", 1}}});
  }
  {
    Story s(CaseId(1));
    s.Register(At(3, 2));
    auto& automatic = s.Add(v1::CASE_ACTION_SUPERVISE, At(3, 20), kBureau);
    automatic.mutable_supervision()->set_level(v1::SUPERVISION_LEVEL_LETTER);
    automatic.mutable_supervision()->set_target_office_code(kHrss);
    auto& manual = s.Add(v1::CASE_ACTION_SUPERVISE, At(3, 25), kCityBureau);
    manual.mutable_supervision()->set_level(v1::SUPERVISION_LEVEL_LETTER);
    manual.mutable_supervision()->set_target_office_code(kHrss);
    manual.mutable_supervision()->set_source(v1::SUPERVISION_SOURCE_MANUAL);
    manual.mutable_supervision()->set_ground(v1::SUPERVISION_GROUND_SHIRKING);
    rows.push_back({"issue 18 item 4 (督办 by source): an unset source is "
                    "automatic (events.proto), a manual one is manual; both "
                    "under the late office",
                    {s}, kHrss, march, april,
                    {{"supervisions", 2},
                     {"supervisions_by_source/automatic", 1},
                     {"supervisions_by_source/manual", 1}}});
  }
  {
    Story s(CaseId(1));
    s.Register(At(3, 2));
    auto& charge = s.Add(v1::CASE_ACTION_TAKE_CHARGE, At(4, 3), kGov);
    charge.mutable_leader_in_charge()->set_office_code(kGov);
    charge.mutable_leader_in_charge()->set_leader_name("王县长");
    rows.push_back({"issue 18 item 2 (包案): taken in the period by its time, "
                    "under the leader's government",
                    {s}, kGov, april, may, {{"taken_charge", 1}}});
    rows.push_back({"issue 18 item 2 (包案): not in the month the case was "
                    "received, and never under the registering bureau",
                    {s}, kBureau, march, may, {{"cases", 1}, {"persons", 1}}});
  }
  {
    Story s(CaseId(1));
    s.Register(At(3, 2));
    auto& rec = s.Add(v1::CASE_ACTION_RECOMMEND, At(4, 20), kBureau);
    rec.mutable_recommendation()->set_kind(
        v1::RECOMMENDATION_KIND_ACCOUNTABILITY);
    rec.mutable_recommendation()->set_target_office_code(kHrss);
    auto& improve = s.Add(v1::CASE_ACTION_RECOMMEND, At(4, 21), kBureau);
    improve.mutable_recommendation()->set_kind(
        v1::RECOMMENDATION_KIND_IMPROVEMENT);
    improve.mutable_recommendation()->set_target_office_code(kHrss);
    rows.push_back({"issue 18 item 4 (改进工作建议/追责建议): by kind, under "
                    "the supervised office, in the period of the RECOMMEND",
                    {s}, kHrss, april, may,
                    {{"recommendations_by_kind/accountability", 1},
                     {"recommendations_by_kind/improvement", 1}}});
  }
  {
    Story s(CaseId(1));
    s.Register(At(3, 2));
    s.Add(v1::CASE_ACTION_ESCALATE, At(3, 10), kCityBureau, kCityBureau)
        .set_escalated_from_office_code(kHrss);
    rows.push_back({"issue 18 item 5 (提级): to the scope's offices, i.e. "
                    "under the new holder",
                    {s}, kCityBureau, march, april, {{"escalated", 1}}});
    rows.push_back({"issue 18 item 5 (提级): not under the old holder", {s},
                    kHrss, march, april, {}});
  }
  {
    Story s(CaseId(1));
    s.Register(At(3, 2));
    v1::CaseEvent& c =
        s.Add(v1::CASE_ACTION_CORRECT, At(3, 4), kBureau, "140431:land");
    c.set_category("land");
    c.set_matter_class(v1::MATTER_CLASS_SUGGESTION);
    c.set_region_code("140431101");
    c.mutable_decision()->set_registering_office_code(kBureau);
    c.mutable_decision()->set_disposition(v1::DISPOSITION_TRANSFER);
    c.mutable_correction()->set_old_category("labour");
    c.mutable_correction()->set_new_category("land");
    rows.push_back({"issue 18 item 6 (更正): the case counts as it is now — "
                    "under the corrected category and class only — and the "
                    "correction under the registering bureau",
                    {s}, kBureau, march, april,
                    {{"cases", 1}, {"persons", 1}, {"by_category/land", 1},
                     {"by_category/labour", 0},
                     {"by_matter_class/suggestion", 1},
                     {"by_matter_class/claim", 0}, {"corrected", 1}}});
  }
  {
    Story s(CaseId(1));
    s.Register(At(3, 2), 4);
    v1::CaseEvent& c = s.Add(v1::CASE_ACTION_CORRECT, At(3, 4), kBureau,
                             kBureau);
    c.set_category("labour");
    c.set_matter_class(v1::MATTER_CLASS_CLAIM);
    c.mutable_decision()->set_registering_office_code(kBureau);
    c.mutable_decision()->set_disposition(v1::DISPOSITION_NOT_ACCEPTED);
    c.mutable_correction()->set_new_statutory_route(
        v1::STATUTORY_ROUTE_LITIGATION);
    rows.push_back({"issue 18 item 6 + VolumeFigures.not_accepted: a matter "
                    "corrected to a statutory route (诉访分离) is not accepted "
                    "now; its head count stays",
                    {s}, kBureau, march, april,
                    {{"cases", 1}, {"persons", 4}, {"group_petitions", 1},
                     {"not_accepted", 1}, {"accepted", 0}, {"corrected", 1}}});
  }
  {
    Story s(CaseId(1));
    s.Register(At(3, 2));
    s.Add(v1::CASE_ACTION_REPLY, At(3, 20));
    auto& first = s.Add(v1::CASE_ACTION_FOLLOW_UP, At(3, 25), kBureau);
    first.mutable_follow_up()->set_view(v1::FOLLOW_UP_VIEW_DISAGREE);
    first.mutable_follow_up()->set_office_code(kBureau);
    auto& again = s.Add(v1::CASE_ACTION_FOLLOW_UP, At(4, 2), kBureau);
    again.mutable_follow_up()->set_view(v1::FOLLOW_UP_VIEW_BASICALLY_AGREE);
    again.mutable_follow_up()->set_office_code(kBureau);
    rows.push_back({"issue 18 item 7 (回访): each follow-up by the view "
                    "recorded, in the period of its contact, under the bureau",
                    {s}, kBureau, april, may,
                    {{"follow_ups_by_view/basically", 1},
                     {"follow_ups_by_view/disagree", 0}}});
    rows.push_back({"issue 18 item 7 (回访): a follow-up may repeat; both "
                    "count over both months",
                    {s}, kBureau, march, may,
                    {{"cases", 1}, {"persons", 1},
                     {"follow_ups_by_view/basically", 1},
                     {"follow_ups_by_view/disagree", 1}}});
  }
  {
    Story s(CaseId(1));
    s.Register(At(3, 2), 12);
    s.Add(v1::CASE_ACTION_TAKE_CHARGE, At(3, 3), kGov)
        .mutable_leader_in_charge()
        ->set_office_code(kGov);
    s.Redeliver();
    rows.push_back({"statistics README (Consumes): a redelivered event "
                    "changes nothing — one 包案, the head count once",
                    {s}, "", march, april,
                    {{"cases", 1}, {"persons", 12}, {"group_petitions", 1},
                     {"taken_charge", 1}}});
  }
  return rows;
}

TEST(StatisticsLeadersWorkTest, EachActionCountsInItsFigure) {
  for (const Row& row : Rows()) {
    auto t = svctest::TestContext::Create(ColumnFamilies(), At(6, 1));
    ASSERT_TRUE(t.ok()) << t.status();
    StatisticsServiceImpl stats((*t)->context(),
                                {&svctest::ShippedRegions(),
                                 &svctest::ShippedOfficeDirectory()});
    store::WriteBatch batch(&(*t)->store());
    for (const Story& story : row.stories) {
      for (const Envelope& e : story.events()) {
        const absl::Status applied = stats.Apply(e, batch);
        ASSERT_TRUE(applied.ok()) << row.rule << ": " << applied;
      }
    }
    ASSERT_TRUE((*t)->store().Commit(batch).ok());
    v1::GetVolumeRequest req;
    req.mutable_scope()->set_office_code(row.office);
    *req.mutable_from() = time::ToProto(row.from);
    *req.mutable_to() = time::ToProto(row.to);
    auto got = stats.query().Volume(req);
    ASSERT_TRUE(got.ok()) << row.rule << ": " << got.status();
    const v1::VolumeFigures& f = got->total().current();
    for (const auto& [figure, value] : row.want) {
      EXPECT_EQ(FigureOf(f, figure), value) << row.rule << ": " << figure;
    }
    for (const std::string& figure : CheckedFigures()) {
      if (row.want.count(figure) > 0) continue;
      bool keyed_named = false;
      for (const auto& [name, value] : row.want) {
        if (name.rfind(figure + "/", 0) == 0) keyed_named = true;
      }
      if (keyed_named) continue;
      EXPECT_EQ(FigureOf(f, figure), 0) << row.rule << ": " << figure
                                        << " must be 0";
    }
  }
}

// The keys of the keyed figures are the contract's words (statistics.proto
// VolumeFigures 24, 25, 28), which casectl and the bulletins read.
TEST(StatisticsLeadersWorkTest, KeysAreTheContractsWords) {
  EXPECT_EQ(SupervisionSourceKey(v1::SUPERVISION_SOURCE_UNSPECIFIED),
            "automatic");
  EXPECT_EQ(SupervisionSourceKey(v1::SUPERVISION_SOURCE_AUTOMATIC),
            "automatic");
  EXPECT_EQ(SupervisionSourceKey(v1::SUPERVISION_SOURCE_MANUAL), "manual");
  EXPECT_EQ(RecommendationKey(v1::RECOMMENDATION_KIND_IMPROVEMENT),
            "improvement");
  EXPECT_EQ(RecommendationKey(v1::RECOMMENDATION_KIND_ACCOUNTABILITY),
            "accountability");
  EXPECT_EQ(FollowUpViewKey(v1::FOLLOW_UP_VIEW_AGREE), "agree");
  EXPECT_EQ(FollowUpViewKey(v1::FOLLOW_UP_VIEW_BASICALLY_AGREE), "basically");
  EXPECT_EQ(FollowUpViewKey(v1::FOLLOW_UP_VIEW_DISAGREE), "disagree");
}

}  // namespace
}  // namespace caserelay::statistics
