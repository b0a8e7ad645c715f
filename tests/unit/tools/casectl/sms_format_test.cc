// The text of `casectl sms` and `casectl sms-resolve` from hand-built
// answers (notification.proto): every state in words, the parts, and an
// UNKNOWN message that says how to settle it.
#include "tools/casectl/sms_format.h"

#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"
#include "gtest/gtest.h"

namespace caserelay::casectl {
namespace {

namespace v1 = caserelay::v1;
using google::protobuf::EnumDescriptor;
using names::EnumName;
using names::LabelOf;
using names::NameOf;

google::protobuf::Timestamp China(int y, int m, int d, int hh, int mm,
                                  int ss = 0) {
  return time::ToProto(absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, ss),
                                       time::ChinaTimeZone()));
}

v1::SmsPart Part(int index, v1::SmsPartState state, const std::string& gw,
                 const std::string& detail) {
  v1::SmsPart part;
  part.set_index(index);
  part.set_state(state);
  part.set_gateway_message_id(gw);
  part.set_detail(detail);
  *part.mutable_updated_at() = China(2026, 5, 1, 10, 0, 5);
  return part;
}

// A two-part "accepted" SMS of case C1 in `state`, nothing else set.
v1::SmsMessage Message(v1::SmsState state) {
  v1::SmsMessage m;
  m.set_message_id("C1/5/sms");
  m.set_case_id("C1");
  m.set_trigger("accepted");
  m.set_state(state);
  m.set_text("您的信访事项已受理。");
  m.set_phone_masked("138****0000");
  m.set_parts(2);
  m.set_attempts(1);
  *m.mutable_updated_at() = China(2026, 5, 1, 10, 0, 5);
  return m;
}

// A value added to notification.proto without a row fails this test.
TEST(SmsNamesTest, EveryProtoEnumValueHasAWordAndAChineseTerm) {
  struct Table {
    const char* name;
    const EnumDescriptor* descriptor;
    const std::vector<EnumName>* table;
  };
  const Table tables[] = {
      {"SmsState", v1::SmsState_descriptor(), &SmsStateNames()},
      {"SmsPartState", v1::SmsPartState_descriptor(), &SmsPartStateNames()},
      {"SmsResolution", v1::SmsResolution_descriptor(), &SmsResolutionNames()},
  };
  for (const Table& t : tables) {
    std::set<std::string> words;
    for (int i = 0; i < t.descriptor->value_count(); ++i) {
      const int value = t.descriptor->value(i)->number();
      const std::string name = NameOf(*t.table, value);
      EXPECT_FALSE(absl::StartsWith(name, "unknown("))
          << t.name << " " << t.descriptor->value(i)->name();
      EXPECT_GT(LabelOf(*t.table, value).size(), name.size() + 3)
          << t.name << " " << name << ": no Chinese term";
      EXPECT_TRUE(words.insert(name).second) << t.name << " " << name;
    }
    EXPECT_EQ(t.table->size(), static_cast<size_t>(t.descriptor->value_count()))
        << t.name;
  }
}

// The operator reads the state in words (notification.proto SmsState).
TEST(SmsFormatTest, EveryMessageStateInWords) {
  struct Row {
    v1::SmsState state;
    const char* line;
  };
  const Row rows[] = {
      // waiting for the sender (or for quiet hours to end)
      {v1::SMS_STATE_QUEUED, "  state: queued (待发送)\n"},
      // recorded before the gateway call
      {v1::SMS_STATE_SENDING, "  state: sending (发送中)\n"},
      // the gateway accepted it
      {v1::SMS_STATE_SENT, "  state: sent (已发出)\n"},
      // delivery report: on the handset
      {v1::SMS_STATE_DELIVERED, "  state: delivered (已送达)\n"},
      {v1::SMS_STATE_FAILED, "  state: failed (发送失败)\n"},
      // the petitioner gave no mobile number
      {v1::SMS_STATE_NO_PHONE, "  state: no phone (未留手机号)\n"},
      // a crash between "sending" and the gateway's answer
      {v1::SMS_STATE_UNKNOWN,
       "  state: UNKNOWN — reconcile (状态不明，待核实)\n"},
      // a newer server's state is shown, not hidden
      {static_cast<v1::SmsState>(42), "  state: unknown(42)\n"},
  };
  for (const Row& row : rows) {
    const std::string text = FormatSmsMessage(Message(row.state));
    EXPECT_TRUE(absl::StrContains(text, row.line)) << text;
    // Only an UNKNOWN message carries the advice and the resolve commands.
    EXPECT_EQ(absl::StrContains(text, "casectl sms-resolve C1/5/sms --sent"),
              row.state == v1::SMS_STATE_UNKNOWN)
        << text;
  }
}

// Each part's state in words (notification.proto SmsPartState).
TEST(SmsFormatTest, EveryPartStateInWords) {
  struct Row {
    v1::SmsPartState state;
    const char* label;
  };
  const Row rows[] = {
      {v1::SMS_PART_STATE_PENDING, "pending (待发送)"},
      {v1::SMS_PART_STATE_SENDING, "sending (发送中)"},
      {v1::SMS_PART_STATE_ACCEPTED, "accepted (网关已接收)"},
      {v1::SMS_PART_STATE_SMSC_ACCEPTED, "accepted by SMSC (短信中心已接收)"},
      {v1::SMS_PART_STATE_DELIVERED, "delivered (已送达)"},
      {v1::SMS_PART_STATE_FAILED, "failed (失败)"},
      {v1::SMS_PART_STATE_UNKNOWN, "UNKNOWN (状态不明)"},
  };
  for (const Row& row : rows) {
    v1::SmsMessage m = Message(v1::SMS_STATE_SENDING);
    *m.add_part_states() = Part(2, row.state, "k-9", "");
    const std::string text = FormatSmsMessage(m);
    EXPECT_TRUE(absl::StrContains(
        text,
        absl::StrCat("    2/2   ", row.label, "  2026-05-01 10:00:05  k-9")))
        << text;
  }
}

TEST(SmsFormatTest, DeliveredMessageShowsEveryFieldAndItsParts) {
  v1::SmsMessage m = Message(v1::SMS_STATE_DELIVERED);
  *m.add_part_states() = Part(1, v1::SMS_PART_STATE_DELIVERED, "k-1", "");
  *m.add_part_states() =
      Part(2, v1::SMS_PART_STATE_SMSC_ACCEPTED, "k-2", "ACK/");
  EXPECT_EQ(FormatSmsMessage(m),
            "message C1/5/sms\n"
            "  trigger: accepted\n"
            "  state: delivered (已送达)\n"
            "  phone: 138****0000\n"
            "  parts: 2\n"
            "    PART  STATE                              UPDATED              "
            "GATEWAY ID  DETAIL\n"
            "    1/2   delivered (已送达)                 2026-05-01 10:00:05  "
            "k-1         -\n"
            "    2/2   accepted by SMSC (短信中心已接收)  2026-05-01 10:00:05  "
            "k-2         ACK/\n"
            "  attempts: 1\n"
            "  last error: -\n"
            "  updated: 2026-05-01 10:00:05\n"
            "  text: 您的信访事项已受理。\n");
}

TEST(SmsFormatTest, UnknownMessageStandsOutAndSaysHowToSettleIt) {
  v1::SmsMessage m = Message(v1::SMS_STATE_UNKNOWN);
  m.set_parts(1);
  *m.add_part_states() = Part(1, v1::SMS_PART_STATE_UNKNOWN, "", "");
  m.set_last_error("crash between sending and the gateway's answer");
  EXPECT_EQ(
      FormatSmsMessage(m),
      "message C1/5/sms\n"
      "  trigger: accepted\n"
      "  state: UNKNOWN — reconcile (状态不明，待核实)\n"
      "  !! Whether this SMS went out is unknown (a crash came between "
      "\"sending\"\n"
      "  !! and the gateway's answer); notification does not send it again "
      "on its\n"
      "  !! own. Check the SMSC's records or ask the petitioner, then "
      "decide:\n"
      "  !!   casectl sms-resolve C1/5/sms --sent --note \"WHO: WHY\"     "
      "it went out\n"
      "  !!   casectl sms-resolve C1/5/sms --resend --note \"WHO: WHY\"   "
      "it did not: send it again\n"
      "  !!   casectl sms-resolve C1/5/sms --abandon --note \"WHO: WHY\"  "
      "give up: the SMS fails\n"
      "  phone: 138****0000\n"
      "  parts: 1\n"
      "    PART  STATE               UPDATED              GATEWAY ID  "
      "DETAIL\n"
      "    1/1   UNKNOWN (状态不明)  2026-05-01 10:00:05  -           -\n"
      "  attempts: 1\n"
      "  last error: crash between sending and the gateway's answer\n"
      "  updated: 2026-05-01 10:00:05\n"
      "  text: 您的信访事项已受理。\n");
}

TEST(SmsFormatTest, AdviceQuotesAnIdTheShellWouldSplit) {
  const std::string advice = ReconcileAdvice("C1/it's here/sms", "");
  EXPECT_TRUE(absl::StrContains(
      advice, "casectl sms-resolve 'C1/it'\\''s here/sms' --resend"))
      << advice;
}

TEST(SmsFormatTest, QueuedMessageWithoutPartsYetAndWithoutPhone) {
  v1::SmsMessage m;
  m.set_message_id("C1/1/sms");
  m.set_trigger("received");
  m.set_state(v1::SMS_STATE_NO_PHONE);
  EXPECT_EQ(FormatSmsMessage(m),
            "message C1/1/sms\n"
            "  trigger: received\n"
            "  state: no phone (未留手机号)\n"
            "  phone: -\n"
            "  parts: -\n"
            "  attempts: 0\n"
            "  last error: -\n"
            "  updated: -\n"
            "  text: -\n");
}

TEST(SmsFormatTest, ResolutionNoteAndMultiLineTextAreIndented) {
  v1::SmsMessage m = Message(v1::SMS_STATE_SENT);
  m.set_resolution_note("王五: SMSC log\nshows it");
  m.set_text("第一行\n第二行");
  const std::string text = FormatSmsMessage(m);
  EXPECT_TRUE(
      absl::StrContains(text, "  resolution: 王五: SMSC log\n    shows it\n"))
      << text;
  EXPECT_TRUE(absl::StrContains(text, "  text: 第一行\n    第二行\n")) << text;
}

TEST(SmsFormatTest, ListCountsTheUnknownAndSeparatesMessages) {
  v1::ListMessagesResponse resp;
  *resp.add_messages() = Message(v1::SMS_STATE_DELIVERED);
  *resp.add_messages() = Message(v1::SMS_STATE_UNKNOWN);
  resp.mutable_messages(1)->set_message_id("C1/6/sms");
  const std::string text = FormatSmsList("C1", resp);
  EXPECT_TRUE(absl::StartsWith(text,
                               "case C1: 2 SMS (times in China time)\n"
                               "!! 1 of them UNKNOWN — reconcile: see below\n"
                               "\n"
                               "message C1/5/sms\n"))
      << text;
  EXPECT_TRUE(absl::StrContains(text, "\n\nmessage C1/6/sms\n")) << text;
  EXPECT_TRUE(absl::StrContains(text, "casectl sms-resolve C1/6/sms --abandon"))
      << text;
}

TEST(SmsFormatTest, ListWithoutUnknownHasNoWarning) {
  v1::ListMessagesResponse resp;
  *resp.add_messages() = Message(v1::SMS_STATE_QUEUED);
  const std::string text = FormatSmsList("C1", resp);
  EXPECT_TRUE(absl::StartsWith(text,
                               "case C1: 1 SMS (times in China time)\n"
                               "\n"
                               "message C1/5/sms\n"))
      << text;
  EXPECT_FALSE(absl::StrContains(text, "!!")) << text;
}

TEST(SmsFormatTest, NoMessagesIsOneLine) {
  EXPECT_EQ(FormatSmsList("C9", v1::ListMessagesResponse()),
            "no SMS of case C9 known to notification\n");
}

TEST(SmsFormatTest, ResolvedNamesTheDecisionThenTheMessage) {
  struct Row {
    v1::SmsResolution resolution;
    const char* first_line;
  };
  const Row rows[] = {
      {v1::SMS_RESOLUTION_SENT, "resolved C1/5/sms as sent (确认已发出)\n"},
      {v1::SMS_RESOLUTION_RESEND, "resolved C1/5/sms as resend (重新发送)\n"},
      {v1::SMS_RESOLUTION_ABANDON, "resolved C1/5/sms as abandon (放弃发送)\n"},
  };
  for (const Row& row : rows) {
    v1::ResolveMessageRequest req;
    req.set_message_id("C1/5/sms");
    req.set_resolution(row.resolution);
    req.set_note("王五: checked");
    v1::ResolveMessageResponse resp;
    *resp.mutable_message() = Message(v1::SMS_STATE_SENT);
    resp.mutable_message()->set_resolution_note("王五: checked");
    EXPECT_EQ(FormatResolved(req, resp),
              absl::StrCat(row.first_line, FormatSmsMessage(resp.message())));
    EXPECT_TRUE(absl::StrContains(FormatResolved(req, resp),
                                  "  resolution: 王五: checked\n"));
  }
}

}  // namespace
}  // namespace caserelay::casectl
