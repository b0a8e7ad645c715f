#include "tools/casectl/reception_commands.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/names/names.h"
#include "tools/casectl/format.h"

namespace caserelay::casectl {
namespace {

namespace v1 = caserelay::v1;

absl::Status WrongUse(absl::string_view what) {
  return absl::InvalidArgumentError(std::string(what));
}

}  // namespace

absl::StatusOr<ReceptionCommand> ReceptionCommandOf(const ParsedFlags& flags) {
  const std::vector<std::string>& words = flags.positional();
  ReceptionCommand command;
  const std::string verb = words.empty() ? "" : words[0];
  if (verb == "publish") {
    command.verb = ReceptionCommand::Verb::kPublish;
  } else if (verb == "list") {
    command.verb = ReceptionCommand::Verb::kList;
  } else if (verb == "cancel") {
    command.verb = ReceptionCommand::Verb::kCancel;
  } else {
    return WrongUse(absl::StrCat("reception takes publish, list or cancel; got '",
                                 verb, "'"));
  }
  const bool has_id = words.size() > 1;
  if (command.verb == ReceptionCommand::Verb::kCancel && !has_id) {
    return WrongUse("reception cancel takes the reception's ID");
  }
  if (command.verb != ReceptionCommand::Verb::kCancel && has_id) {
    return WrongUse(absl::StrCat("reception ", verb, " takes no ID"));
  }
  switch (command.verb) {
    case ReceptionCommand::Verb::kPublish: {
      v1::PublishReceptionRequest& req = command.publish;
      req.set_office_code(flags.Value("office"));
      req.set_leader_name(flags.Value("leader"));
      req.set_leader_title(flags.Value("title"));
      req.set_day(flags.Value("day"));
      req.set_place(flags.Value("place"));
      req.set_topic(flags.Value("topic"));
      req.set_request_id(flags.Value("request-id"));
      if (flags.Has("kind")) {
        absl::StatusOr<int> kind =
            names::ValueOf(names::ReceptionKindNames(), flags.Value("kind"));
        if (!kind.ok()) {
          return WrongUse(absl::StrCat("--kind ", kind.status().message()));
        }
        req.set_kind(static_cast<v1::ReceptionKind>(*kind));
      }
      break;
    }
    case ReceptionCommand::Verb::kList:
      command.list.set_office_code(flags.Value("office"));
      command.list.set_region_code(flags.Value("region"));
      command.list.set_from_day(flags.Value("from"));
      command.list.set_to_day(flags.Value("to"));
      break;
    case ReceptionCommand::Verb::kCancel:
      command.cancel.set_reception_id(words[1]);
      break;
  }
  return command;
}

std::vector<std::string> ReceptionRow(const v1::Reception& r) {
  return {r.reception_id(),
          r.day(),
          names::LabelOf(names::ReceptionKindNames(), r.kind()),
          OfficeLabel(r.office_code(), r.office_name()),
          absl::StrCat(r.leader_title(), " ", r.leader_name()),
          r.place(),
          r.topic(),
          r.cancelled() ? "已取消" : ""};
}

absl::Status RunReception(v1::IntakeService::StubInterface& intake,
                          const ReceptionCommand& command,
                          const PrintOptions& options, std::ostream& out) {
  if (command.verb == ReceptionCommand::Verb::kList) {
    v1::ListReceptionsResponse resp;
    absl::Status s = Call([&](grpc::ClientContext* ctx) {
      return intake.ListReceptions(ctx, command.list, &resp);
    });
    if (!s.ok()) return s;
    if (options.json) return PrintJson(resp, out);
    std::vector<std::vector<std::string>> rows = {
        {"id", "day", "kind", "office", "leader", "place", "topic", ""}};
    for (const v1::Reception& r : resp.receptions()) {
      rows.push_back(ReceptionRow(r));
    }
    out << FormatTable(rows);
    out << resp.receptions_size() << " reception(s)"
        << (resp.truncated() ? ", more not shown (narrow --from/--to)" : "")
        << "\n";
    return absl::OkStatus();
  }
  v1::Reception resp;
  absl::Status s = Call([&](grpc::ClientContext* ctx) {
    return command.verb == ReceptionCommand::Verb::kPublish
               ? intake.PublishReception(ctx, command.publish, &resp)
               : intake.CancelReception(ctx, command.cancel, &resp);
  });
  if (!s.ok()) return s;
  if (options.json) return PrintJson(resp, out);
  out << (resp.cancelled() ? "cancelled: " : "published: ")
      << resp.reception_id() << "\n"
      << "day: " << resp.day() << "\n"
      << "kind: " << names::LabelOf(names::ReceptionKindNames(), resp.kind())
      << "\n"
      << "office: " << OfficeLabel(resp.office_code(), resp.office_name())
      << "\n"
      << "leader: " << resp.leader_title() << " " << resp.leader_name() << "\n"
      << "place: " << resp.place() << "\n";
  if (!resp.topic().empty()) out << "topic: " << resp.topic() << "\n";
  return absl::OkStatus();
}

}  // namespace caserelay::casectl
