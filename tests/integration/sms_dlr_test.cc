// Delivery reports bound to a secret, through the real processes (issue
// 14 item 1: "anyone who reaches that port can mark an SMS delivered").
// notification sends through the real Kannel and its fake SMSC, asking
// only for "buffered" reports (kannel.dlr_mask 4, which the fake SMSC
// never sends), so each SMS stays SENT; then reports are forged on
// notification's admin port as anyone there could. Kannel's own reports
// reaching notification through the signed dlr-url (the default mask):
// SmsThroughKannelTest.ACaseLifeReachesThePhoneExactlyOnceWithReports.

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "caserelay/v1/notification.pb.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"
#include "tests/integration/sms_steps.h"

namespace caserelay::testing {
namespace {

using caserelay::v1::SmsMessage;

// The first message of case `id` once it is SENT (Kannel took it).
SmsMessage AwaitSent(System& sys, const std::string& id) {
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (absl::Now() < deadline) {
    for (const SmsMessage& m : Messages(sys, id)) {
      if (m.state() == caserelay::v1::SMS_STATE_SENT) return m;
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
  ADD_FAILURE() << "no SMS of " << id << " SENT in 30s";
  return {};
}

// GET /sms/dlr for part 1 of 1 of `message_id`, delivered (t=1), with
// `k` as the MAC ("" for none); the answer's status and body.
std::string Report(System& sys, const std::string& message_id,
                   const std::string& k) {
  const std::string m =
      absl::StrReplaceAll(message_id, {{"%", "%25"}, {"/", "%2F"}});
  auto answer = sys.AdminGet(
      "notification", absl::StrCat("/sms/dlr?m=", m, "&p=1&n=1",
                                   k.empty() ? "" : absl::StrCat("&k=", k),
                                   "&t=1&a=ACK%2F&ts=2"));
  return answer.ok() ? absl::StrCat("200 ", *answer)
                     : std::string(answer.status().message());
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

SmsMessage Find(System& sys, const std::string& id,
                const std::string& message_id) {
  for (const SmsMessage& m : Messages(sys, id)) {
    if (m.message_id() == message_id) return m;
  }
  ADD_FAILURE() << "no message " << message_id;
  return {};
}

TEST(SmsDlrSecretTest, ForgedReportsAreRefusedAndChangeNothing) {
  auto s = StartWithKannel(SystemOptions{}, {{"kannel.dlr_mask", "4"}});
  ASSERT_TRUE(s.ok()) << s.status();
  System& sys = *s->sys;
  const Filed a = File(sys, 1);
  const Filed b = File(sys, 2);
  ASSERT_FALSE(a.id.empty());
  ASSERT_FALSE(b.id.empty());
  const SmsMessage sent = AwaitSent(sys, a.id);
  const SmsMessage other = AwaitSent(sys, b.id);
  ASSERT_EQ(sent.parts(), 1) << sent.DebugString();
  ASSERT_EQ(other.parts(), 1) << other.DebugString();

  struct Row {
    const char* rule;
    std::string k;
  };
  const std::vector<Row> forged = {
      {"no MAC: anyone who reaches the admin port", ""},
      {"a wrong MAC", std::string(64, '0')},
      {"the MAC of another message", DlrMacFor(sys, other.message_id(), 1, 1)},
  };
  for (const Row& row : forged) {
    const std::string answer = Report(sys, sent.message_id(), row.k);
    EXPECT_TRUE(absl::StrContains(answer, "403")) << row.rule << ": " << answer;
  }
  const SmsMessage after = Find(sys, a.id, sent.message_id());
  EXPECT_EQ(after.state(), caserelay::v1::SMS_STATE_SENT)
      << "a forged report changed the message";
  EXPECT_EQ(after.SerializeAsString(), sent.SerializeAsString());
  EXPECT_EQ(sys.Metric("notification",
                       "caserelay_dlr_rejected_total{reason=\"missing\"}")
                .value_or(-1),
            1);
  EXPECT_EQ(sys.Metric("notification",
                       "caserelay_dlr_rejected_total{reason=\"mismatch\"}")
                .value_or(-1),
            2);
  // The refusals are logged, without the secret or a MAC.
  const std::string log = ReadAll(absl::StrCat(sys.dir(), "/notification.log"));
  EXPECT_TRUE(absl::StrContains(log, "delivery report refused")) << log;
  std::string secret = ReadAll(sys.dlr_secret_path());
  secret = std::string(absl::StripAsciiWhitespace(secret));
  ASSERT_EQ(secret.size(), 64u);
  EXPECT_FALSE(absl::StrContains(log, secret));
  EXPECT_FALSE(absl::StrContains(log, forged[2].k));

  // The report Kannel would bring back, with the dlr-url's MAC, applies.
  EXPECT_EQ(
      Report(sys, sent.message_id(), DlrMacFor(sys, sent.message_id(), 1, 1)),
      "200 ok\n");
  EXPECT_EQ(Find(sys, a.id, sent.message_id()).state(),
            caserelay::v1::SMS_STATE_DELIVERED);
  EXPECT_EQ(Find(sys, b.id, other.message_id()).state(),
            caserelay::v1::SMS_STATE_SENT)
      << "a report for one message touches no other";
}

}  // namespace
}  // namespace caserelay::testing
