// Issue 18 item 3 "Must show" through the real processes: a group
// petition (群体访 / 联名) with five representatives gets ONE case, FIVE SMS
// receipts at the fake SMSC behind the real Kannel (one per representative
// phone, each exactly once), a 人次 of its head count in statistics, and a
// GroupPetitionAlert to its registering bureau because its head count is at
// least group.alert_head_count (5) — while a group of four persons gets its
// receipts and no alert. No representative's name or phone appears in the
// alert, on supervision-events or in any service's log.

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/statistics.grpc.pb.h"
#include "common/log/log.h"
#include "common/time/timestamp.h"
#include "domain/sms/template_set.h"
#include "domain/sms/triggers.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"
#include "tests/integration/kannel.h"
#include "tests/integration/life_steps.h"
#include "tests/integration/sms_steps.h"
#include "tests/integration/supervision_watch.h"

namespace caserelay::testing {
namespace {

namespace v1 = caserelay::v1;

constexpr char kCountyBureau[] = "140431:bureau";

// The group petition `n`: SamplePetition's petitioner and `co` more
// representatives 代表<n>之<i> with phones 139000<n>00<i> (a 联名信), of
// `head_count` persons.
v1::SubmitPetitionRequest Group(int n, int co, int head_count) {
  v1::SubmitPetitionRequest req = SamplePetition(kSmsTownship, n);
  req.mutable_matter()->set_channel(v1::CHANNEL_LETTER);
  for (int i = 1; i <= co; ++i) {
    v1::Petitioner* rep = req.add_co_representatives();
    rep->set_name(absl::StrCat("代表", n, "之", i));
    rep->set_phone(absl::StrCat("139000", n, "00", i));
    rep->set_address(absl::StrCat("山西省测试路", n, "号", i, "室"));
  }
  req.set_head_count(head_count);
  return req;
}

std::vector<std::string> Phones(const v1::SubmitPetitionRequest& req) {
  std::vector<std::string> out = {req.petitioner().phone()};
  for (const auto& rep : req.co_representatives()) out.push_back(rep.phone());
  return out;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(GroupPetitionTest, FiveRepresentativesOneCaseFiveReceiptsPersonsAndAlert) {
  auto s = StartWithKannel(SystemOptions{{kCountyBureau}});
  ASSERT_TRUE(s.ok()) << s.status();
  System& sys = *s->sys;
  Steps steps(sys);

  // Five representatives (Art. 18's most), 37 persons: one case.
  const v1::SubmitPetitionRequest big = Group(71, 4, 37);
  // Four persons, three representatives: below the setting (5).
  const v1::SubmitPetitionRequest small = Group(72, 2, 4);
  std::map<std::string, std::string> codes;
  std::vector<std::string> ids;
  for (const v1::SubmitPetitionRequest* req : {&big, &small}) {
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    v1::SubmitPetitionResponse resp;
    grpc::Status st = sys.intake().SubmitPetition(&ctx, *req, &resp);
    ASSERT_TRUE(st.ok()) << st.error_message();
    ids.push_back(resp.case_number());
    codes[resp.case_number()] = resp.lookup_code();
  }
  ASSERT_NE(ids[0], ids[1]);
  auto detail = steps.AwaitState(kCountyBureau, ids[0],
                                 v1::CASE_STATE_REGISTERED);
  ASSERT_TRUE(detail.ok()) << detail.status();
  EXPECT_EQ(detail->view().head_count(), 37);
  EXPECT_EQ(detail->view().representatives(), 5);

  // FIVE receipts for the big group, three for the small one, each
  // delivered to its own representative.
  auto settled = AwaitSettled(sys, {ids[0]}, 5, absl::Seconds(45));
  ASSERT_EQ(settled[ids[0]].size(), 5u) << "one receipt per representative";
  auto small_settled = AwaitSettled(sys, {ids[1]}, 3, absl::Seconds(45));
  ASSERT_EQ(small_settled[ids[1]].size(), 3u);
  std::multiset<std::string> masked;
  for (const v1::SmsMessage& m : settled[ids[0]]) {
    EXPECT_EQ(m.trigger(), "received");
    EXPECT_EQ(m.state(), v1::SMS_STATE_DELIVERED) << m.last_error();
    masked.insert(m.phone_masked());
  }
  std::multiset<std::string> want_masked;
  for (const std::string& p : Phones(big)) want_masked.insert(log::MaskPhone(p));
  EXPECT_EQ(masked, want_masked);

  // At the fake SMSC: each representative's phone got the receipt, with
  // the case number and look-up code, exactly once.
  auto templates = sms::TemplateSet::Load(
      CASERELAY_SOURCE_DIR "/data/sms/templates", sms::StandardTriggers());
  ASSERT_TRUE(templates.ok()) << templates.status();
  auto handed = sys.MetricSum("notification", "caserelay_sms_parts_sent_total");
  ASSERT_TRUE(handed.ok()) << handed.status();
  ASSERT_TRUE(s->kannel->WaitForReceived(static_cast<size_t>(*handed),
                                         absl::Seconds(15))
                  .ok());
  ASSERT_EQ(s->kannel->AwaitDrained(absl::Seconds(10)), absl::OkStatus());
  int duplicates = 0;
  std::vector<Assembled> phone = Assemble(s->kannel->Received(), &duplicates);
  EXPECT_EQ(duplicates, 0);
  for (const std::string& id : ids) {
    const v1::SubmitPetitionRequest& req = id == ids[0] ? big : small;
    auto receipt = templates->Render(
        "received", {{"case_number", id}, {"lookup_code", codes[id]}});
    ASSERT_TRUE(receipt.ok()) << receipt.status();
    for (const std::string& number : Phones(req)) {
      int got = 0;
      for (const Assembled& a : phone) {
        if (a.to == number && a.text == *receipt) ++got;
      }
      EXPECT_EQ(got, 1) << "receipt of " << id << " to representative "
                        << log::MaskPhone(number);
    }
  }
  EXPECT_EQ(phone.size(), 8u) << "5 + 3 receipts, nothing else";

  // 人次 = the head counts (statistics GetVolume persons), and both count
  // as group petitions.
  v1::GetVolumeResponse volume;
  const absl::TimeZone china = absl::FixedTimeZone(8 * 3600);
  const absl::Time today =
      absl::FromCivil(absl::ToCivilDay(absl::Now(), china), china);
  bool counted = false;
  for (absl::Time until = absl::Now() + absl::Seconds(20);
       !counted && absl::Now() < until;) {
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    v1::GetVolumeRequest req;
    req.mutable_scope()->set_region_code("140431");
    *req.mutable_from() = time::ToProto(today);
    counted = sys.statistics().GetVolume(&ctx, req, &volume).ok() &&
              volume.total().current().cases() == 2 &&
              volume.total().current().persons() == 37 + 4;
    if (!counted) absl::SleepFor(absl::Milliseconds(300));
  }
  EXPECT_TRUE(counted) << volume.DebugString();
  EXPECT_EQ(volume.total().current().group_petitions(), 2);

  // The alert: once, for the big group only, to its registering bureau,
  // figures only.
  auto feed = Feed::Open(sys, "supervision-events");
  ASSERT_TRUE(feed.ok()) << feed.status();
  auto alert = (*feed)->Await(ids[0], v1::Envelope::kGroupPetitionAlert, 1,
                              absl::Seconds(20));
  ASSERT_TRUE(alert.ok()) << alert.status();
  (*feed)->Drain(absl::Seconds(1));
  EXPECT_EQ((*feed)->Count(ids[0], v1::Envelope::kGroupPetitionAlert), 1);
  EXPECT_EQ((*feed)->Count(ids[1], v1::Envelope::kGroupPetitionAlert), 0)
      << "4 persons: below group.alert_head_count";
  const v1::GroupPetitionAlert& a = alert->group_petition_alert();
  EXPECT_EQ(a.head_count(), 37);
  EXPECT_EQ(a.office_code(),
            detail->view().decision().registering_office_code());
  EXPECT_EQ(a.region_code(), kSmsTownship);
  EXPECT_EQ(a.category(), "labour");

  // The bureau's list (ListGroupAlerts), as the province bureau and
  // through casectl as the county bureau.
  v1::ListGroupAlertsResponse listed;
  {
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    grpc::Status st =
        sys.supervision().ListGroupAlerts(&ctx, {}, &listed);
    ASSERT_TRUE(st.ok()) << st.error_message();
  }
  ASSERT_EQ(listed.alerts_size(), 1);
  EXPECT_EQ(listed.alerts(0).alert_id(), ids[0] + "/group-alert");
  auto run = RunCommand(steps.Casectl(kCountyBureau) + " --supervision " +
                        sys.grpc_address("supervision") + " group-alerts");
  EXPECT_EQ(run.code, 0) << run.output;
  EXPECT_NE(run.output.find(ids[0]), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find(ids[1]), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("1 alert(s)"), std::string::npos) << run.output;

  // No representative's name or phone in the alert, on the topic or in
  // any log (DESIGN.md "Logs mask personal data"; issue 18 item 3 "never
  // a list of people").
  std::vector<std::string> needles;
  for (const v1::SubmitPetitionRequest* req : {&big, &small}) {
    needles.push_back(req->petitioner().name());
    for (const std::string& p : Phones(*req)) needles.push_back(p);
    for (const auto& rep : req->co_representatives()) {
      needles.push_back(rep.name());
      needles.push_back(rep.address());
    }
  }
  std::vector<std::string> found;
  std::string topic;
  for (const v1::Envelope& e : (*feed)->seen()) topic += e.SerializeAsString();
  for (const std::string& n : needles) {
    if (topic.find(n) != std::string::npos) found.push_back("topic: " + n);
  }
  size_t logs = 0;
  for (const auto& entry : std::filesystem::directory_iterator(sys.dir())) {
    const std::string path = entry.path().string();
    if (entry.path().extension() != ".log") continue;
    ++logs;
    const std::string text = ReadAll(path);
    for (const std::string& n : needles) {
      if (text.find(n) != std::string::npos) found.push_back(path + ": " + n);
    }
  }
  EXPECT_GE(logs, 5u) << "the services' logs were read";
  EXPECT_TRUE(found.empty()) << absl::StrJoin(found, "\n");
}

}  // namespace
}  // namespace caserelay::testing
