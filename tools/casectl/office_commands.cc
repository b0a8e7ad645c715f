#include "tools/casectl/office_commands.h"

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/rpc/auth.h"
#include "common/rpc/convert.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"
#include "domain/names/names.h"
#include "tools/casectl/format.h"

namespace caserelay::casectl {

using names::DeadlineKindNames;
using names::NameOf;
using names::ParseState;
using names::StateLabel;
using names::StateName;

namespace v1 = caserelay::v1;

absl::StatusOr<InboxCommand> InboxCommandOf(const ParsedFlags& flags) {
  InboxCommand cmd;
  v1::ListInboxRequest& req = cmd.request;
  cmd.all = flags.Has("all");
  if (flags.Has("office")) {
    std::string office = flags.Value("office");
    if (!rpc::IsOfficeCode(office)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--office must be an office code such as 140431:bureau; got '",
          office, "'"));
    }
    req.set_office_code(office);
  }
  for (const std::string& word : flags.Values("state")) {
    absl::StatusOr<v1::CaseState> state = ParseState(word);
    if (!state.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--state ", state.status().message()));
    }
    req.add_states(*state);
  }
  if (flags.Has("due-before")) {
    absl::CivilDay day;
    if (!absl::ParseCivilTime(flags.Value("due-before"), &day)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--due-before must be a date YYYY-MM-DD; got '",
                       flags.Value("due-before"), "'"));
    }
    // A deadline whose last day is D-1 falls due at StartOf(D); routing
    // lists next_due < due_before. One microsecond: the finest step that
    // survives rpc::ToProto on either side.
    *req.mutable_due_before() =
        time::ToProto(time::StartOf(day) + absl::Microseconds(1));
  }
  if (flags.Has("page-size")) {
    int size = 0;
    if (!absl::SimpleAtoi(flags.Value("page-size"), &size) || size < 1 ||
        size > kMaxPageSize) {
      return absl::InvalidArgumentError(
          absl::StrCat("--page-size must be 1..", kMaxPageSize, "; got '",
                       flags.Value("page-size"), "'"));
    }
    req.set_page_size(size);
  }
  req.set_page_token(flags.Value("page-token"));
  return cmd;
}

absl::Status RunInbox(v1::RoutingService::StubInterface& routing,
                      const InboxCommand& command, const PrintOptions& options,
                      std::ostream& out) {
  v1::ListInboxRequest req = command.request;
  v1::ListInboxResponse all;
  while (true) {
    v1::ListInboxResponse page;
    absl::Status s = Call([&](grpc::ClientContext* ctx) {
      return routing.ListInbox(ctx, req, &page);
    });
    if (!s.ok()) return s;
    all.mutable_items()->MergeFrom(page.items());
    all.set_next_page_token(page.next_page_token());
    if (!command.all || page.next_page_token().empty()) break;
    if (page.next_page_token() == req.page_token()) {
      return absl::InternalError(
          "routing answered a page with its own token: paging would not end");
    }
    req.set_page_token(page.next_page_token());
  }
  if (options.json) return PrintJson(all, out);
  std::vector<std::vector<std::string>> rows = {
      {"CASE", "STATE", "NEXT DUE", "KIND", "CATEGORY", "TITLE"}};
  for (const v1::InboxItem& item : all.items()) {
    const bool due = item.has_next_due();
    rows.push_back(
        {item.case_id(), StateName(item.state()),
         due ? ChinaDueDay(item.next_due()) : "-",
         due ? NameOf(DeadlineKindNames(), item.next_due_kind()) : "-",
         item.category().empty() ? "-" : item.category(), item.title()});
  }
  out << FormatTable(rows);
  out << all.items_size() << (all.items_size() == 1 ? " case" : " cases")
      << "\n";
  if (!all.next_page_token().empty()) {
    out << "more: --page-token " << all.next_page_token() << " (or --all)\n";
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::CaseDetail> FetchCase(
    v1::RoutingService::StubInterface& routing, const std::string& case_id) {
  v1::GetCaseRequest req;
  req.set_case_id(case_id);
  v1::CaseDetail detail;
  absl::Status s = Call([&](grpc::ClientContext* ctx) {
    return routing.GetCase(ctx, req, &detail);
  });
  if (!s.ok()) return s;
  return detail;
}

absl::Status RunShow(v1::RoutingService::StubInterface& routing,
                     const std::string& case_id, const PrintOptions& options,
                     std::ostream& out) {
  absl::StatusOr<v1::CaseDetail> fetched = FetchCase(routing, case_id);
  if (!fetched.ok()) return fetched.status();
  const v1::CaseDetail& detail = *fetched;
  std::vector<v1::Envelope> events(detail.events_size());
  std::vector<bool> parsed(detail.events_size());
  for (int i = 0; i < detail.events_size(); ++i) {
    parsed[i] = events[i].ParseFromString(detail.events(i));
  }
  if (options.json) {
    absl::StatusOr<std::string> view = ToJson(detail.view());
    if (!view.ok()) return view.status();
    std::string text = absl::StrCat("{\"view\":", *view, ",\"events\":[");
    for (size_t i = 0; i < events.size(); ++i) {
      if (i > 0) text += ",";
      if (!parsed[i]) {
        absl::StrAppend(&text, "{\"unparsed\":\"",
                        absl::Base64Escape(detail.events(i)), "\"}");
        continue;
      }
      absl::StatusOr<std::string> event = ToJson(events[i]);
      if (!event.ok()) return event.status();
      text += *event;
    }
    out << text << "]}\n";
    return absl::OkStatus();
  }
  out << FormatView(detail.view());
  out << "history: " << events.size()
      << (events.size() == 1 ? " event" : " events") << "\n";
  for (size_t i = 0; i < events.size(); ++i) {
    if (!parsed[i]) {
      out << "#? (event " << i + 1 << " does not parse)\n";
      continue;
    }
    out << FormatEvent(events[i]);
  }
  return absl::OkStatus();
}

absl::Status RunAct(v1::RoutingService::StubInterface& routing,
                    const ActCommand& command, const PrintOptions& options,
                    std::ostream& out) {
  v1::ActRequest req = command.request;
  if (!command.version_given) {
    absl::StatusOr<v1::CaseDetail> detail = FetchCase(routing, req.case_id());
    if (!detail.ok()) return detail.status();
    req.set_expected_version(detail->view().version());
  }
  v1::CaseView view;
  absl::Status s = Call(
      [&](grpc::ClientContext* ctx) { return routing.Act(ctx, req, &view); });
  if (!s.ok()) return s;
  if (options.json) return PrintJson(view, out);
  out << "case: " << view.case_id() << "\n"
      << "state: " << StateLabel(view.state()) << "\n"
      << "holder: " << OfficeLabel(view.office_code(), view.office_name())
      << "\n"
      << "version: " << view.version() << "\n";
  return absl::OkStatus();
}

}  // namespace caserelay::casectl
