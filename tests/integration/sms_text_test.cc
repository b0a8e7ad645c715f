// Issue 22 item 2 through the real processes: an SMSC answer that is not
// UTF-8 in a delivery report on notification's admin port ("/sms/dlr",
// Kannel's a=%A) no longer makes the case's SMS record unreadable. Before
// the fix the report answered 200 "ok" and from then on `casectl sms CASE`
// failed with DATA_LOSS.
//
// The system runs with the development sink (harness.h), so the receipt
// SMS stays SENT (no gateway sends reports) until the test reports on it
// as Kannel would.

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "caserelay/v1/notification.pb.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"
#include "tests/integration/sms_steps.h"

namespace caserelay::testing {
namespace {

using caserelay::v1::SmsMessage;

// The first message of case `id` once it is SENT (the sink took it).
SmsMessage AwaitSent(System& sys, const std::string& id) {
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (absl::Now() < deadline) {
    for (const SmsMessage& m : Messages(sys, id)) {
      if (m.state() == caserelay::v1::SMS_STATE_SENT) return m;
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
  ADD_FAILURE() << "no SMS of " << id << " SENT in 20s";
  return {};
}

TEST(SmsTextTest, DeliveryReportWithBytesThatAreNotUtf8LeavesTheCaseReadable) {
  auto sys = System::Start();
  ASSERT_TRUE(sys.ok()) << sys.status();
  const Filed f = File(**sys, 1);
  ASSERT_FALSE(f.id.empty());
  const SmsMessage sent = AwaitSent(**sys, f.id);
  ASSERT_EQ(sent.parts(), 1) << sent.DebugString();

  // The reproduction of the issue, as Kannel would call back: the part is
  // delivered, and the SMSC's words are the bytes FF FE. Kannel brings
  // back the MAC of the dlr-url (services/notification/dlr_mac.h).
  const std::string m =
      absl::StrReplaceAll(sent.message_id(), {{"%", "%25"}, {"/", "%2F"}});
  auto answer = (*sys)->AdminGet(
      "notification", absl::StrCat("/sms/dlr?m=", m, "&p=1&n=1&k=",
                                   DlrMacFor(**sys, sent.message_id(), 1, 1),
                                   "&t=1&a=%FF%FE&ts=2"));
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(*answer, "ok\n");

  // The record still reads, over gRPC and through casectl.
  std::vector<SmsMessage> after = Messages(**sys, f.id);
  ASSERT_FALSE(after.empty());
  const SmsMessage* reported = nullptr;
  for (const SmsMessage& msg : after) {
    if (msg.message_id() == sent.message_id()) reported = &msg;
  }
  ASSERT_NE(reported, nullptr);
  EXPECT_EQ(reported->state(), caserelay::v1::SMS_STATE_DELIVERED);
  ASSERT_EQ(reported->part_states_size(), 1);
  EXPECT_EQ(reported->part_states(0).detail(), "\uFFFD\uFFFD")
      << "the SMSC's bytes are kept as replacement characters";

  CommandResult listed = RunCommand(
      absl::StrCat(Binary("tools/casectl/casectl"), " --notification ",
                   (*sys)->grpc_address("notification"), " --token-file ",
                   (*sys)->token_file(System::kProvinceBureau), " sms ", f.id));
  EXPECT_EQ(listed.code, 0) << listed.output;
  EXPECT_FALSE(absl::StrContains(listed.output, "DATA_LOSS")) << listed.output;
  EXPECT_TRUE(absl::StrContains(listed.output, sent.message_id()))
      << listed.output;
}

}  // namespace
}  // namespace caserelay::testing
