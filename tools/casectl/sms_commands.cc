#include "tools/casectl/sms_commands.h"

#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/casectl/sms_format.h"

namespace caserelay::casectl {

namespace v1 = caserelay::v1;

absl::StatusOr<v1::ResolveMessageRequest> ResolveRequestOf(
    const ParsedFlags& flags) {
  const std::pair<const char*, v1::SmsResolution> choices[] = {
      {"sent", v1::SMS_RESOLUTION_SENT},
      {"resend", v1::SMS_RESOLUTION_RESEND},
      {"abandon", v1::SMS_RESOLUTION_ABANDON},
  };
  v1::ResolveMessageRequest req;
  req.set_message_id(flags.positional().at(0));
  std::vector<std::string> given;
  for (const auto& [flag, resolution] : choices) {
    if (!flags.Has(flag)) continue;
    given.push_back(absl::StrCat("--", flag));
    req.set_resolution(resolution);
  }
  if (given.size() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("give exactly one of --sent, --resend or --abandon; got ",
                     given.empty() ? "none" : absl::StrJoin(given, " and ")));
  }
  const std::string note = flags.Value("note");
  if (absl::StripAsciiWhitespace(note).empty()) {
    return absl::InvalidArgumentError(
        "--note is required: who decided and why (kept with the message)");
  }
  req.set_note(note);
  return req;
}

absl::Status RunSms(v1::NotificationService::StubInterface& notification,
                    const std::string& case_id, const PrintOptions& options,
                    std::ostream& out) {
  v1::ListMessagesRequest req;
  req.set_case_id(case_id);
  v1::ListMessagesResponse resp;
  absl::Status s = Call([&](grpc::ClientContext* ctx) {
    return notification.ListMessages(ctx, req, &resp);
  });
  if (!s.ok()) return s;
  if (options.json) return PrintJson(resp, out);
  out << FormatSmsList(case_id, resp);
  return absl::OkStatus();
}

absl::Status RunSmsResolve(v1::NotificationService::StubInterface& notification,
                           const v1::ResolveMessageRequest& request,
                           const PrintOptions& options, std::ostream& out) {
  v1::ResolveMessageResponse resp;
  absl::Status s = Call([&](grpc::ClientContext* ctx) {
    return notification.ResolveMessage(ctx, request, &resp);
  });
  if (!s.ok()) return s;
  if (options.json) return PrintJson(resp, out);
  out << FormatResolved(request, resp);
  return absl::OkStatus();
}

}  // namespace caserelay::casectl
