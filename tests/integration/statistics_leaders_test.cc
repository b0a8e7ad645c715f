// Issue 18's figures through the real processes (issue 18 Must show: "The
// statistics and bulletins count 批次/人次, 包案 and 督办 by source
// (automatic / manual)"): petitions go through intake and routing onto
// case-events, supervision issues its 督办, and the statistics' index
// (services/statistics/README.md) answers GetVolume, casectl stats volume
// and the county bureau's monthly bulletin (HTML, CSV) with:
//   - 人次 = Σ head_count: a group of 6 at the 县长's reception, a single
//     visit there, two single petitions: 4 cases, 9 persons, 1 群体访;
//   - 领导接访: 2 批次, 7 人次, 1 当场解决 (the single visit, replied on
//     the spot on the reception's day);
//   - 领导包案: the county government takes charge of one case, counted
//     under the government;
//   - 督办 by source: the county bureau supervises the group's case by
//     hand (手动), and a case left untransferred past its 15 days (Art. 22)
//     gets supervision's automatic 督办函 (自动) for each deadline missed;
//     the expected counts are those of routing's histories.
// A second story counts items 4-7's acts: 更正 (the case under its
// corrected category), 回访 by view, 改进工作建议 under the supervised
// office, 提级 under the superior bureau that took the case.
// The simulated clock starts Wed 2026-07-01 09:00 China time.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/intake.grpc.pb.h"
#include "caserelay/v1/statistics.grpc.pb.h"
#include "caserelay/v1/supervision.grpc.pb.h"
#include "common/time/timestamp.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/statistics/query.h"
#include "tests/integration/life_steps.h"

namespace caserelay::testing {
namespace {

namespace v1 = caserelay::v1;
using ::testing::HasSubstr;

constexpr char kTownship[] = "140431100";          // 沁河镇, 沁源县
constexpr char kCountyGov[] = "140431:gov";        // 沁源县人民政府
constexpr char kCountyBureau[] = "140431:bureau";  // 沁源县信访局
constexpr char kCountyHrss[] = "140431:hrss";      // handles labour claims

template <typename Call>
grpc::Status Within10s(Call call) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return call(&ctx);
}

// A visit of petitioner `n` at `reception`, with `co` more representatives
// and `head_count` persons (0: unset).
v1::SubmitPetitionRequest Visit(int n, const std::string& reception, int co,
                                int head_count) {
  v1::SubmitPetitionRequest req = SamplePetition(kTownship, n);
  req.mutable_matter()->set_channel(v1::CHANNEL_VISIT);
  req.set_reception_id(reception);
  for (int i = 1; i <= co; ++i) {
    v1::Petitioner* rep = req.add_co_representatives();
    rep->set_name(absl::StrCat("代表", n, "之", i));
    rep->set_phone(absl::StrFormat("1390%04d%03d", n, i));
    rep->set_address(absl::StrCat("山西省测试路", n, "号", i, "室"));
  }
  req.set_head_count(head_count);
  return req;
}

// GetVolume of 沁源县's subtree (or `office`) over [from, to), as `as`.
absl::StatusOr<v1::VolumeFigures> Volume(System& sys, absl::Time from,
                                         absl::Time to,
                                         const std::string& office = "",
                                         const std::string& as = kCountyBureau) {
  auto stats =
      v1::StatisticsService::NewStub(sys.Channel("statistics", as));
  v1::GetVolumeRequest req;
  if (office.empty()) {
    req.mutable_scope()->set_region_code("140431");
  } else {
    req.mutable_scope()->set_office_code(office);
  }
  *req.mutable_from() = time::ToProto(from);
  *req.mutable_to() = time::ToProto(to);
  v1::GetVolumeResponse resp;
  grpc::Status s = Within10s([&](grpc::ClientContext* ctx) {
    return stats->GetVolume(ctx, req, &resp);
  });
  if (!s.ok()) return absl::UnknownError(s.error_message());
  return resp.total().current();
}

// Polls Volume (60 s) until `done` holds; the last answer.
template <typename Done>
v1::VolumeFigures AwaitVolume(System& sys, absl::Time from, absl::Time to,
                              Done done) {
  const absl::Time until = absl::Now() + absl::Seconds(60);
  v1::VolumeFigures got;
  while (absl::Now() < until) {
    absl::StatusOr<v1::VolumeFigures> v = Volume(sys, from, to);
    if (v.ok()) {
      got = *v;
      if (done(got)) break;
    }
    absl::SleepFor(absl::Milliseconds(300));
  }
  return got;
}

TEST(StatisticsLeadersTest, FiguresCountHeadCountsReceptionsChargesAndSources) {
  SystemOptions options;
  options.offices = {kCountyGov, kCountyBureau, kCountyHrss};
  options.simulated_start = China(2026, 7, 1, 9);
  auto started = System::Start(options);
  ASSERT_TRUE(started.ok()) << started.status();
  System& sys = **started;
  Steps steps(sys);
  auto intake = v1::IntakeService::NewStub(sys.Channel("intake", kCountyGov));

  // The county government publishes its 县长's reception for today.
  v1::PublishReceptionRequest publish;
  publish.set_leader_name("王某某");
  publish.set_leader_title("县长");
  publish.set_kind(v1::RECEPTION_KIND_SCHEDULED);
  publish.set_day("2026-07-01");
  publish.set_place("沁源县信访局接待大厅");
  v1::Reception reception;
  grpc::Status s = Within10s([&](grpc::ClientContext* ctx) {
    return intake->PublishReception(ctx, publish, &reception);
  });
  ASSERT_TRUE(s.ok()) << s.error_message();

  // At it: a group of 6 (3 representatives) and a single visit.
  v1::SubmitPetitionResponse group, single;
  s = Within10s([&](grpc::ClientContext* ctx) {
    return intake->SubmitPetition(
        ctx, Visit(281, reception.reception_id(), 2, 6), &group);
  });
  ASSERT_TRUE(s.ok()) << s.error_message();
  s = Within10s([&](grpc::ClientContext* ctx) {
    return intake->SubmitPetition(
        ctx, Visit(282, reception.reception_id(), 0, 0), &single);
  });
  ASSERT_TRUE(s.ok()) << s.error_message();
  // Two single petitions online: one handled, one left untransferred.
  const std::string handled = steps.Submit(SamplePetition(kTownship, 283));
  const std::string left = steps.Submit(SamplePetition(kTownship, 284));
  ASSERT_FALSE(handled.empty());
  ASSERT_FALSE(left.empty());

  // The bureau transfers three, the 人社局 accepts them; the single visit
  // is resolved on the spot (当场解决, the reception's day).
  for (const std::string& c :
       {group.case_number(), single.case_number(), handled}) {
    ASSERT_TRUE(
        steps.AwaitState(kCountyBureau, c, v1::CASE_STATE_REGISTERED).ok())
        << c;
    v1::ActRequest transfer;
    transfer.mutable_transfer()->set_office_code(kCountyHrss);
    s = steps.Act(kCountyBureau, c, transfer);
    ASSERT_TRUE(s.ok()) << c << ": " << s.error_message();
    auto sent = steps.Get(kCountyBureau, c);
    ASSERT_TRUE(sent.ok()) << sent.status();
    ASSERT_EQ(sent->view().office_code(), kCountyHrss)
        << sent->view().ShortDebugString();
    v1::ActRequest accept;
    accept.mutable_accept();
    s = steps.Act(kCountyHrss, c, accept);
    ASSERT_TRUE(s.ok()) << c << ": " << s.error_message();
  }
  v1::ActRequest reply;
  reply.mutable_reply()->set_outcome(v1::OUTCOME_SUPPORT);
  reply.mutable_reply()->set_on_the_spot(true);
  s = steps.Act(kCountyHrss, single.case_number(), reply);
  ASSERT_TRUE(s.ok()) << s.error_message();

  // 领导包案: the county government takes charge of the handled case.
  v1::ActRequest charge;
  charge.mutable_take_charge()->set_leader_name("王某某");
  charge.mutable_take_charge()->set_leader_title("县长");
  s = steps.Act(kCountyGov, handled, charge);
  ASSERT_TRUE(s.ok()) << s.error_message();

  // 手动督办: the county bureau supervises the group's case on 07-02, once
  // supervision knows the 人社局 handles it.
  steps.ExpectDeadlines(group.case_number(), {v1::DEADLINE_KIND_HANDLING});
  sys.clock().Set(China(2026, 7, 2, 9));
  auto supervision =
      v1::SupervisionService::NewStub(sys.Channel("supervision", kCountyBureau));
  v1::SuperviseRequest supervise;
  supervise.set_case_id(group.case_number());
  supervise.set_ground(v1::SUPERVISION_GROUND_SHIRKING);
  supervise.set_reason("群众反映久拖不决");
  v1::SuperviseResponse supervised;
  s = Within10s([&](grpc::ClientContext* ctx) {
    return supervision->Supervise(ctx, supervise, &supervised);
  });
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(supervised.supervision().source(), v1::SUPERVISION_SOURCE_MANUAL);

  // 自动督办: the untransferred case's 15 days (Art. 22) end on 07-16; on
  // 07-20 supervision has issued its 督办函 for each deadline missed. The
  // expected counts are read from routing's histories (SUPERVISE by
  // source), not from statistics.
  sys.clock().Set(China(2026, 7, 20, 9));
  const absl::Time july = China(2026, 7, 1), august = China(2026, 8, 1);
  const std::vector<std::string> cases = {group.case_number(),
                                          single.case_number(), handled, left};
  auto supervised_by_source = [&](int64_t* automatic, int64_t* manual) {
    *automatic = *manual = 0;
    for (const std::string& c : cases) {
      auto detail = steps.Get(kCountyBureau, c);
      ASSERT_TRUE(detail.ok()) << c << ": " << detail.status();
      for (const std::string& bytes : detail->events()) {
        v1::Envelope e;
        ASSERT_TRUE(e.ParseFromString(bytes)) << c;
        if (e.case_event().action() != v1::CASE_ACTION_SUPERVISE) continue;
        const absl::Time at = time::FromProto(e.occurred_at());
        if (at < july || at >= august) continue;
        ++(e.case_event().supervision().source() ==
                   v1::SUPERVISION_SOURCE_MANUAL
               ? *manual
               : *automatic);
      }
    }
  };
  int64_t automatic = 0, manual = 0;
  for (const absl::Time until = absl::Now() + absl::Seconds(60);
       automatic == 0 && absl::Now() < until;
       absl::SleepFor(absl::Milliseconds(300))) {
    supervised_by_source(&automatic, &manual);
  }
  ASSERT_GE(automatic, 1) << "the missed transfer's 督办函 (DOMAIN.md Supervision)";
  ASSERT_EQ(manual, 1);
  const v1::VolumeFigures f =
      AwaitVolume(sys, july, august, [&](const v1::VolumeFigures& v) {
        return v.cases() == 4 && v.on_the_spot() == 1 &&
               v.taken_charge() == 1 &&
               v.supervisions() == automatic + manual;
      });
  int64_t automatic_now = 0, manual_now = 0;
  supervised_by_source(&automatic_now, &manual_now);
  ASSERT_EQ(automatic_now, automatic) << "supervision issued more meanwhile";
  EXPECT_EQ(f.cases(), 4);
  EXPECT_EQ(f.persons(), 9) << "人次 = 6 + 1 + 1 + 1 (issue 18 item 3)";
  EXPECT_EQ(f.group_petitions(), 1);
  EXPECT_EQ(f.reception_batches(), 2) << "批次 (issue 18 item 1)";
  EXPECT_EQ(f.reception_persons(), 7) << "人次 of the reception";
  EXPECT_EQ(f.on_the_spot(), 1);
  EXPECT_EQ(f.taken_charge(), 1) << "包案 (issue 18 item 2)";
  EXPECT_EQ(f.supervisions(), automatic + manual);
  EXPECT_EQ(statistics::CountOf(f.supervisions_by_source(), "automatic"),
            automatic)
      << f.ShortDebugString();
  EXPECT_EQ(statistics::CountOf(f.supervisions_by_source(), "manual"), 1)
      << f.ShortDebugString();
  // Attribution: the 包案 under the leader's government, the manual 督办
  // under the office supervised.
  auto gov = Volume(sys, july, august, kCountyGov);
  ASSERT_TRUE(gov.ok()) << gov.status();
  EXPECT_EQ(gov->taken_charge(), 1);
  auto hrss = Volume(sys, july, august, kCountyHrss);
  ASSERT_TRUE(hrss.ok()) << hrss.status();
  EXPECT_EQ(statistics::CountOf(hrss->supervisions_by_source(), "manual"), 1);

  // casectl stats volume prints them.
  CommandResult printed = RunCommand(
      absl::StrCat(Binary("tools/casectl/casectl"), " --statistics ",
                   sys.grpc_address("statistics"), " --token-file ",
                   sys.token_file(kCountyBureau),
                   " stats volume --region 140431 --from 2026-07-01 --to "
                   "2026-07-31"));
  ASSERT_EQ(printed.code, 0) << printed.output;
  EXPECT_THAT(printed.output, HasSubstr("领导接访人次"));
  EXPECT_THAT(printed.output, HasSubstr("手动督办"));
  for (const auto& [label, value] :
       std::vector<std::pair<std::string, int64_t>>{{"领导接访批次", 2},
                                                    {"领导接访人次", 7},
                                                    {"领导包案", 1},
                                                    {"自动督办", automatic},
                                                    {"手动督办", 1}}) {
    const size_t at = printed.output.find(label);
    ASSERT_NE(at, std::string::npos) << label << "\n" << printed.output;
    const std::string line =
        printed.output.substr(at, printed.output.find('\n', at) - at);
    EXPECT_THAT(line, ::testing::MatchesRegex(
                          absl::StrCat(label, " +", value, " +0 .*")))
        << line;
  }

  // The county bureau's 月分析 of July (due Mon 08-03) shows them.
  sys.clock().Set(China(2026, 8, 3, 9));
  auto bulletins = v1::StatisticsService::NewStub(
      sys.Channel("statistics", kCountyBureau));
  v1::IssueBulletinRequest issue;
  issue.set_bureau_code(kCountyBureau);
  issue.set_kind(v1::BULLETIN_KIND_MONTHLY);
  issue.set_day("2026-07-15");
  v1::IssueBulletinResponse issued;
  // Statistics issues July only once its index has applied case-events
  // through the end of July on its clock (issue 17): until its loop has
  // seen the new clock it answers UNAVAILABLE, which a caller retries.
  const absl::Time give_up = absl::Now() + absl::Seconds(60);
  do {
    grpc::ClientContext issue_ctx;
    issue_ctx.set_deadline(std::chrono::system_clock::now() +
                           std::chrono::seconds(240));  // WeasyPrint's PDF
    s = bulletins->IssueBulletin(&issue_ctx, issue, &issued);
    if (s.error_code() != grpc::StatusCode::UNAVAILABLE) break;
    absl::SleepFor(absl::Milliseconds(200));
  } while (absl::Now() < give_up);
  ASSERT_TRUE(s.ok()) << s.error_message();
  for (v1::BulletinFormat format :
       {v1::BULLETIN_FORMAT_CSV, v1::BULLETIN_FORMAT_HTML}) {
    v1::GetBulletinRequest get;
    get.set_id(issued.bulletin().id());
    get.set_format(format);
    v1::GetBulletinResponse doc;
    s = Within10s([&](grpc::ClientContext* ctx) {
      return bulletins->GetBulletin(ctx, get, &doc);
    });
    ASSERT_TRUE(s.ok()) << s.error_message();
    if (format == v1::BULLETIN_FORMAT_CSV) {
      EXPECT_THAT(doc.document(), HasSubstr("\r\n人次,9,"));
      EXPECT_THAT(doc.document(), HasSubstr("\r\n领导接访批次,2,"));
      EXPECT_THAT(doc.document(), HasSubstr("\r\n领导接访人次,7,"));
      EXPECT_THAT(doc.document(), HasSubstr("\r\n当场解决,1,"));
      EXPECT_THAT(doc.document(), HasSubstr("\r\n领导包案,1,"));
      EXPECT_THAT(doc.document(),
                  HasSubstr(absl::StrCat("\r\n自动督办,", automatic, ",")));
      EXPECT_THAT(doc.document(), HasSubstr("\r\n手动督办,1,"));
    } else {
      EXPECT_THAT(doc.document(), HasSubstr("九、领导接访、包案与督办"));
      EXPECT_THAT(doc.document(),
                  HasSubstr("<td>领导接访人次</td><td class=\"n\">7</td>"));
    }
  }
}

// Issue 18 items 4-7 in the figures: a 更正 moves the case to its
// corrected category (the figures are as the cases are now), a 回访 counts
// by the petitioner's view, an 改进工作建议 under the supervised office,
// a 提级 under the superior bureau that took the case — each once, in the
// period of its event.
TEST(StatisticsLeadersTest, FiguresCountCorrectionsFollowUpsRecommendationsAndEscalations) {
  constexpr char kCityBureau[] = "140400:bureau";  // 长治市信访局
  SystemOptions options;
  options.offices = {kCountyBureau, kCountyHrss, kCityBureau};
  options.simulated_start = China(2026, 7, 1, 9);
  auto started = System::Start(options);
  ASSERT_TRUE(started.ok()) << started.status();
  System& sys = **started;
  Steps steps(sys);
  const std::string corrected = steps.Submit(SamplePetition(kTownship, 291));
  const std::string followed = steps.Submit(SamplePetition(kTownship, 292));
  const std::string recommended = steps.Submit(SamplePetition(kTownship, 293));
  const std::string escalated = steps.Submit(SamplePetition(kTownship, 294));
  for (const std::string& c : {corrected, followed, recommended, escalated}) {
    ASSERT_FALSE(c.empty());
    ASSERT_TRUE(
        steps.AwaitState(kCountyBureau, c, v1::CASE_STATE_REGISTERED).ok())
        << c;
  }
  grpc::Status s;
  // 更正登记 before acceptance: labour -> housing.
  v1::ActRequest correct;
  correct.set_reason("登记时问题类别选错");
  correct.mutable_correct()->set_category("housing");
  s = steps.Act(kCountyBureau, corrected, correct);
  ASSERT_TRUE(s.ok()) << s.error_message();
  // The others go to the 人社局, which accepts them.
  for (const std::string& c : {followed, recommended, escalated}) {
    v1::ActRequest transfer;
    transfer.mutable_transfer()->set_office_code(kCountyHrss);
    s = steps.Act(kCountyBureau, c, transfer);
    ASSERT_TRUE(s.ok()) << c << ": " << s.error_message();
    v1::ActRequest accept;
    accept.mutable_accept();
    s = steps.Act(kCountyHrss, c, accept);
    ASSERT_TRUE(s.ok()) << c << ": " << s.error_message();
  }
  // 回访 after the reply: the petitioner agrees.
  v1::ActRequest reply;
  reply.mutable_reply()->set_outcome(v1::OUTCOME_SUPPORT);
  s = steps.Act(kCountyHrss, followed, reply);
  ASSERT_TRUE(s.ok()) << s.error_message();
  v1::ActRequest follow_up;
  follow_up.mutable_record_follow_up()->set_method(
      v1::FOLLOW_UP_METHOD_PHONE);
  follow_up.mutable_record_follow_up()->set_view(v1::FOLLOW_UP_VIEW_AGREE);
  s = steps.Act(kCountyBureau, followed, follow_up);
  ASSERT_TRUE(s.ok()) << s.error_message();
  // A 督办 by hand, answered, then an 改进工作建议.
  steps.ExpectDeadlines(recommended, {v1::DEADLINE_KIND_HANDLING});
  auto supervision =
      v1::SupervisionService::NewStub(sys.Channel("supervision", kCountyBureau));
  v1::SuperviseRequest supervise;
  supervise.set_case_id(recommended);
  supervise.set_ground(v1::SUPERVISION_GROUND_SHIRKING);
  supervise.set_reason("群众反映久拖不决");
  v1::SuperviseResponse supervised;
  s = Within10s([&](grpc::ClientContext* ctx) {
    return supervision->Supervise(ctx, supervise, &supervised);
  });
  ASSERT_TRUE(s.ok()) << s.error_message();
  const absl::Time until = absl::Now() + absl::Seconds(20);
  for (;;) {  // until routing recorded the SUPERVISE
    auto d = steps.Get(kCountyBureau, recommended);
    if (d.ok() && d->view().supervisions_size() == 1) break;
    ASSERT_LT(absl::Now(), until) << "routing never recorded the 督办";
    absl::SleepFor(absl::Milliseconds(300));
  }
  v1::ActRequest answer;
  answer.set_reason("已督促办理");
  answer.mutable_reply_supervision();
  s = steps.Act(kCountyHrss, recommended, answer);
  ASSERT_TRUE(s.ok()) << s.error_message();
  v1::ActRequest recommend;
  recommend.set_reason("答复敷衍，建议改进工作");
  recommend.mutable_recommend()->set_kind(v1::RECOMMENDATION_KIND_IMPROVEMENT);
  s = steps.Act(kCountyBureau, recommended, recommend);
  ASSERT_TRUE(s.ok()) << s.error_message();
  // 提级办理 by the city bureau.
  v1::ActRequest escalate;
  escalate.set_reason("久拖未决，市信访局提级办理");
  escalate.mutable_escalate();
  s = steps.Act(kCityBureau, escalated, escalate);
  ASSERT_TRUE(s.ok()) << s.error_message();

  const absl::Time july = China(2026, 7, 1), august = China(2026, 8, 1);
  const v1::VolumeFigures county =
      AwaitVolume(sys, july, august, [](const v1::VolumeFigures& v) {
        return v.corrected() == 1 && v.follow_ups_by_view_size() > 0 &&
               v.recommendations_by_kind_size() > 0;
      });
  EXPECT_EQ(county.cases(), 4);
  EXPECT_EQ(statistics::CountOf(county.by_category(), "housing"), 1)
      << "issue 18 item 6: counted as corrected";
  EXPECT_EQ(statistics::CountOf(county.by_category(), "labour"), 3);
  EXPECT_EQ(county.corrected(), 1);
  EXPECT_EQ(statistics::CountOf(county.follow_ups_by_view(), "agree"), 1);
  EXPECT_EQ(county.follow_ups_by_view_size(), 1);
  EXPECT_EQ(statistics::CountOf(county.recommendations_by_kind(),
                                "improvement"),
            1);
  EXPECT_EQ(county.recommendations_by_kind_size(), 1);
  EXPECT_EQ(county.escalated(), 0) << "not under the county's offices";
  auto hrss = Volume(sys, july, august, kCountyHrss);
  ASSERT_TRUE(hrss.ok()) << hrss.status();
  EXPECT_EQ(statistics::CountOf(hrss->recommendations_by_kind(), "improvement"),
            1)
      << "under the supervised office";
  const absl::Time until_escalated = absl::Now() + absl::Seconds(30);
  absl::StatusOr<v1::VolumeFigures> city;
  do {
    city = Volume(sys, july, august, kCityBureau, kCityBureau);
    if (city.ok() && city->escalated() == 1) break;
    absl::SleepFor(absl::Milliseconds(300));
  } while (absl::Now() < until_escalated);
  ASSERT_TRUE(city.ok()) << city.status();
  EXPECT_EQ(city->escalated(), 1) << "issue 18 item 5: under the new holder";
}

}  // namespace
}  // namespace caserelay::testing
