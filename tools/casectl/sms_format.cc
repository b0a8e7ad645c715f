#include "tools/casectl/sms_format.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "tools/casectl/format.h"

namespace caserelay::casectl {

using names::EnumName;
using names::LabelOf;

namespace v1 = caserelay::v1;

namespace {

std::string OrDash(absl::string_view s) {
  return s.empty() ? "-" : std::string(s);
}

void Line(std::string* out, absl::string_view key, absl::string_view value) {
  absl::StrAppend(out, "  ", key, ": ", value, "\n");
}

// `word` as one shell word: as is when every character is one a shell
// takes literally, else in single quotes.
std::string ShellWord(absl::string_view word) {
  const bool plain =
      !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
        return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
               absl::string_view("._:/@%+=,-").find(c) !=
                   absl::string_view::npos;
      });
  if (plain) return std::string(word);
  return absl::StrCat("'", absl::StrReplaceAll(word, {{"'", "'\\''"}}), "'");
}

// `text` with every line after the first indented to stand under the
// first one's value.
std::string Indented(absl::string_view text) {
  return absl::StrReplaceAll(text, {{"\n", "\n    "}});
}

}  // namespace

const std::vector<EnumName>& SmsStateNames() {
  static const auto* const kTable = new std::vector<EnumName>{
      {v1::SMS_STATE_UNSPECIFIED, "unspecified", "未指定"},
      {v1::SMS_STATE_QUEUED, "queued", "待发送"},
      {v1::SMS_STATE_SENDING, "sending", "发送中"},
      {v1::SMS_STATE_SENT, "sent", "已发出"},
      {v1::SMS_STATE_DELIVERED, "delivered", "已送达"},
      {v1::SMS_STATE_FAILED, "failed", "发送失败"},
      {v1::SMS_STATE_NO_PHONE, "no phone", "未留手机号"},
      {v1::SMS_STATE_UNKNOWN, "UNKNOWN — reconcile", "状态不明，待核实"},
  };
  return *kTable;
}

const std::vector<EnumName>& SmsPartStateNames() {
  static const auto* const kTable = new std::vector<EnumName>{
      {v1::SMS_PART_STATE_UNSPECIFIED, "unspecified", "未指定"},
      {v1::SMS_PART_STATE_PENDING, "pending", "待发送"},
      {v1::SMS_PART_STATE_SENDING, "sending", "发送中"},
      {v1::SMS_PART_STATE_ACCEPTED, "accepted", "网关已接收"},
      {v1::SMS_PART_STATE_SMSC_ACCEPTED, "accepted by SMSC", "短信中心已接收"},
      {v1::SMS_PART_STATE_DELIVERED, "delivered", "已送达"},
      {v1::SMS_PART_STATE_FAILED, "failed", "失败"},
      {v1::SMS_PART_STATE_UNKNOWN, "UNKNOWN", "状态不明"},
  };
  return *kTable;
}

const std::vector<EnumName>& SmsResolutionNames() {
  static const auto* const kTable = new std::vector<EnumName>{
      {v1::SMS_RESOLUTION_UNSPECIFIED, "unspecified", "未指定"},
      {v1::SMS_RESOLUTION_SENT, "sent", "确认已发出"},
      {v1::SMS_RESOLUTION_RESEND, "resend", "重新发送"},
      {v1::SMS_RESOLUTION_ABANDON, "abandon", "放弃发送"},
  };
  return *kTable;
}

std::string SmsStateLabel(v1::SmsState state) {
  return LabelOf(SmsStateNames(), state);
}

std::string ReconcileAdvice(absl::string_view message_id,
                            absl::string_view indent) {
  const std::string id = ShellWord(message_id);
  const std::string prefix = absl::StrCat(indent, "!! ");
  std::string out = absl::StrCat(
      prefix,
      "Whether this SMS went out is unknown (a crash came between "
      "\"sending\"\n",
      prefix,
      "and the gateway's answer); notification does not send it again on its\n",
      prefix,
      "own. Check the SMSC's records or ask the petitioner, then decide:\n");
  const std::vector<std::vector<std::string>> rows = {
      {absl::StrCat("casectl sms-resolve ", id, " --sent --note \"WHO: WHY\""),
       "it went out"},
      {absl::StrCat("casectl sms-resolve ", id,
                    " --resend --note \"WHO: WHY\""),
       "it did not: send it again"},
      {absl::StrCat("casectl sms-resolve ", id,
                    " --abandon --note \"WHO: WHY\""),
       "give up: the SMS fails"},
  };
  for (absl::string_view line :
       absl::StrSplit(FormatTable(rows), '\n', absl::SkipEmpty())) {
    absl::StrAppend(&out, prefix, "  ", line, "\n");
  }
  return out;
}

std::string FormatSmsMessage(const v1::SmsMessage& message) {
  std::string out =
      absl::StrCat("message ", OrDash(message.message_id()), "\n");
  Line(&out, "trigger", OrDash(message.trigger()));
  Line(&out, "state", SmsStateLabel(message.state()));
  if (message.state() == v1::SMS_STATE_UNKNOWN) {
    out += ReconcileAdvice(message.message_id(), "  ");
  }
  Line(&out, "phone", OrDash(message.phone_masked()));
  const int parts = std::max(message.parts(), message.part_states_size());
  Line(&out, "parts", parts == 0 ? "-" : absl::StrCat(parts));
  if (!message.part_states().empty()) {
    std::vector<std::vector<std::string>> rows = {
        {"PART", "STATE", "UPDATED", "GATEWAY ID", "DETAIL"}};
    for (const v1::SmsPart& part : message.part_states()) {
      rows.push_back({absl::StrCat(part.index(), "/", parts),
                      LabelOf(SmsPartStateNames(), part.state()),
                      ChinaDateTime(part.updated_at()),
                      OrDash(part.gateway_message_id()),
                      OrDash(part.detail())});
    }
    for (absl::string_view line :
         absl::StrSplit(FormatTable(rows), '\n', absl::SkipEmpty())) {
      absl::StrAppend(&out, "    ", line, "\n");
    }
  } else if (!message.gateway_message_id().empty()) {
    Line(&out, "gateway id", message.gateway_message_id());
  }
  Line(&out, "attempts", absl::StrCat(message.attempts()));
  Line(&out, "last error", Indented(OrDash(message.last_error())));
  if (!message.resolution_note().empty()) {
    Line(&out, "resolution", Indented(message.resolution_note()));
  }
  Line(&out, "updated", ChinaDateTime(message.updated_at()));
  Line(&out, "text", Indented(OrDash(message.text())));
  return out;
}

std::string FormatSmsList(absl::string_view case_id,
                          const v1::ListMessagesResponse& response) {
  if (response.messages().empty()) {
    return absl::StrCat("no SMS of case ", case_id, " known to notification\n");
  }
  const auto unknown =
      std::count_if(response.messages().begin(), response.messages().end(),
                    [](const v1::SmsMessage& m) {
                      return m.state() == v1::SMS_STATE_UNKNOWN;
                    });
  std::string out =
      absl::StrCat("case ", case_id, ": ", response.messages_size(),
                   " SMS (times in China time)\n");
  if (unknown > 0) {
    absl::StrAppend(&out, "!! ", unknown,
                    " of them UNKNOWN — reconcile: see "
                    "below\n");
  }
  for (const v1::SmsMessage& message : response.messages()) {
    absl::StrAppend(&out, "\n", FormatSmsMessage(message));
  }
  return out;
}

std::string FormatResolved(const v1::ResolveMessageRequest& request,
                           const v1::ResolveMessageResponse& response) {
  return absl::StrCat("resolved ", OrDash(request.message_id()), " as ",
                      LabelOf(SmsResolutionNames(), request.resolution()), "\n",
                      FormatSmsMessage(response.message()));
}

}  // namespace caserelay::casectl
