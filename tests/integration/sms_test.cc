// SMS to the petitioner through the real gateway (issue 5, "Must show"):
// devbroker, the four services, and Kannel (bearerbox + smsbox) with its
// fake SMSC on loopback (kannel.h). What the fake SMSC received is read
// back and compared with what the case's life must send: the right text
// to the right number, each exactly once, delivery reports recorded. Then
// the faults: notification SIGKILLed mid-stream, and the gateway down for
// a while.

#include <signal.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "caserelay/v1/events.pb.h"
#include "common/log/log.h"
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

using caserelay::v1::SmsMessage;

constexpr char kCountyBureau[] = "140431:bureau";
constexpr char kTownshipGov[] = "140431100:gov";

TEST(SmsThroughKannelTest, ACaseLifeReachesThePhoneExactlyOnceWithReports) {
  auto s = StartWithKannel(SystemOptions{{kCountyBureau, kTownshipGov}});
  ASSERT_TRUE(s.ok()) << s.status();
  System& sys = *s->sys;
  Steps steps(sys);
  Filed f = File(sys, 7);
  ASSERT_FALSE(f.id.empty());
  ASSERT_TRUE(
      steps
          .AwaitState(kCountyBureau, f.id, caserelay::v1::CASE_STATE_REGISTERED)
          .ok());
  // A reason long enough that the extension takes two parts (67 + rest).
  const std::string reason =
      "需调取二〇二三年至二〇二五年的施工合同、工程款支付凭证和工资发放"
      "记录，并约谈施工单位负责人，核实拖欠工资的具体数额";
  struct Act {
    const char* office;
    std::function<void(caserelay::v1::ActRequest&)> fill;
  };
  const std::vector<Act> life = {
      {kCountyBureau, [](auto& r) { r.mutable_assign(); }},  // 交办 Art. 22
      {kTownshipGov, [](auto& r) { r.mutable_accept(); }},   // 受理 Art. 23
      {kTownshipGov,
       [&](auto& r) {  // 延期 Art. 34
         r.set_reason(reason);
         r.mutable_extend()->set_days(30);
       }},
      {kTownshipGov,
       [](auto& r) {  // 处理意见 Art. 34, and the reminder to view and rate
         r.mutable_reply()->set_outcome(caserelay::v1::OUTCOME_EXPLAIN);
       }},
  };
  for (const Act& act : life) {
    caserelay::v1::ActRequest req;
    act.fill(req);
    grpc::Status st = steps.Act(act.office, f.id, req);
    ASSERT_TRUE(st.ok()) << st.error_message();
  }
  const std::vector<std::string> triggers = {"received", "assigned", "accepted",
                                             "extended", "replied"};
  auto settled = AwaitSettled(sys, {f.id}, triggers.size(), absl::Seconds(30));
  const std::vector<SmsMessage>& msgs = settled[f.id];
  ASSERT_EQ(msgs.size(), triggers.size());

  // Every message delivered, every part with its delivery report.
  std::vector<std::string> expected_texts;
  int parts = 0;
  for (const SmsMessage& m : msgs) {
    SCOPED_TRACE(m.trigger());
    EXPECT_EQ(m.state(), caserelay::v1::SMS_STATE_DELIVERED) << m.last_error();
    EXPECT_EQ(m.part_states_size(), m.parts());
    for (const auto& p : m.part_states()) {
      EXPECT_EQ(p.state(), caserelay::v1::SMS_PART_STATE_DELIVERED);
    }
    EXPECT_EQ(m.phone_masked(), log::MaskPhone(f.phone));
    EXPECT_EQ(m.text().find(f.code), std::string::npos)
        << "the look-up code is not kept: " << m.text();
    parts += m.parts();
    expected_texts.push_back(WithCode(m, f.code));
  }
  // The receipt, word for word from the template (item 1).
  auto templates = sms::TemplateSet::Load(
      CASERELAY_SOURCE_DIR "/data/sms/templates", sms::StandardTriggers());
  ASSERT_TRUE(templates.ok()) << templates.status();
  auto receipt = templates->Render(
      "received", {{"case_number", f.id}, {"lookup_code", f.code}});
  ASSERT_TRUE(receipt.ok()) << receipt.status();
  EXPECT_NE(std::find(expected_texts.begin(), expected_texts.end(), *receipt),
            expected_texts.end());

  auto received = s->kannel->WaitForReceived(parts, absl::Seconds(10));
  ASSERT_TRUE(received.ok()) << received.status();
  // Nothing more may come: every message is settled above (the sender has
  // nothing left to send), every part it handed to Kannel has arrived, and
  // Kannel has nothing left to deliver.
  auto handed = sys.MetricSum("notification", "caserelay_sms_parts_sent_total");
  ASSERT_TRUE(handed.ok()) << handed.status();
  ASSERT_TRUE(s->kannel->WaitForReceived(static_cast<size_t>(*handed),
                                         absl::Seconds(10)).ok())
      << *handed << " parts handed to Kannel";
  ASSERT_EQ(s->kannel->AwaitDrained(absl::Seconds(10)), absl::OkStatus());
  int duplicates = 0;
  std::vector<Assembled> phone = Assemble(s->kannel->Received(), &duplicates);
  EXPECT_EQ(duplicates, 0);
  EXPECT_EQ(static_cast<int>(s->kannel->Received().size()), parts);
  std::multiset<std::string> got,
      want(expected_texts.begin(), expected_texts.end());
  for (const Assembled& a : phone) {
    EXPECT_EQ(a.to, f.phone);
    got.insert(a.text);
  }
  EXPECT_EQ(got, want);
  for (const FakeSmscMessage& m : s->kannel->Received()) {
    EXPECT_EQ(m.from, kSmsFrom);
  }
  // The extension went as two parts of one concatenated message.
  auto extended = std::find_if(phone.begin(), phone.end(), [&](auto& a) {
    return a.text.find(reason) != std::string::npos;
  });
  ASSERT_NE(extended, phone.end());
  EXPECT_EQ(extended->parts, 2);

  // notification-events: SmsSent per message, SmsDelivered per part.
  auto feed = Feed::Open(sys, "notification-events");
  ASSERT_TRUE(feed.ok()) << feed.status();
  ASSERT_TRUE((*feed)
                  ->Await(f.id, caserelay::v1::Envelope::kSmsDelivered, parts,
                          absl::Seconds(15))
                  .ok());
  (*feed)->Drain(absl::Seconds(1));
  EXPECT_EQ((*feed)->Count(f.id, caserelay::v1::Envelope::kSmsSent),
            static_cast<int>(triggers.size()));
  EXPECT_EQ((*feed)->Count(f.id, caserelay::v1::Envelope::kSmsDelivered),
            parts);
  EXPECT_EQ((*feed)->Count(f.id, caserelay::v1::Envelope::kSmsFailed), 0);
}

}  // namespace
}  // namespace caserelay::testing
