#include "tools/casectl/charged_command.h"

#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"
#include "domain/names/names.h"
#include "tools/casectl/format.h"

namespace caserelay::casectl {

absl::StatusOr<v1::ListChargedCasesRequest> ChargedRequestOf(
    const ParsedFlags& flags) {
  v1::ListChargedCasesRequest req;
  req.set_office_code(flags.Value("office"));
  req.set_leader_name(flags.Value("leader"));
  req.set_page_token(flags.Value("page-token"));
  if (flags.Has("page-size")) {
    int size = 0;
    if (!absl::SimpleAtoi(flags.Value("page-size"), &size) || size < 1 ||
        size > 500) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--page-size must be 1..500; got '", flags.Value("page-size"), "'"));
    }
    req.set_page_size(size);
  }
  return req;
}

absl::Status RunCharged(v1::RoutingService::StubInterface& routing,
                        const v1::ListChargedCasesRequest& req,
                        const PrintOptions& options, std::ostream& out) {
  v1::ListChargedCasesResponse resp;
  absl::Status s = Call([&](grpc::ClientContext* ctx) {
    return routing.ListChargedCases(ctx, req, &resp);
  });
  if (!s.ok()) return s;
  if (options.json) return PrintJson(resp, out);
  std::vector<std::vector<std::string>> rows = {
      {"case", "state", "next due", "leader", "since", "holder", "title"}};
  for (const v1::ChargedCase& c : resp.cases()) {
    std::string due = "-";
    if (c.has_next_due()) {
      due = absl::StrCat(
          absl::FormatCivilTime(
              time::LastDayOf(time::FromProto(c.next_due().due_at()))),
          " ", names::NameOf(names::DeadlineKindNames(), c.next_due().kind()));
    }
    rows.push_back(
        {c.case_id(), names::StateLabel(c.state()), due,
         absl::StrCat(c.leader().leader_title(), " ", c.leader().leader_name()),
         absl::FormatCivilTime(
             time::ChinaDay(time::FromProto(c.leader().since()))),
         OfficeLabel(c.holder_office_code(), c.holder_office_name()),
         c.title()});
  }
  out << FormatTable(rows);
  out << resp.cases_size() << " case(s) taken in charge (包案)"
      << (resp.next_page_token().empty()
              ? ""
              : absl::StrCat(", more: --page-token ", resp.next_page_token()))
      << "\n";
  for (const v1::LeaderQuota& q : resp.leaders()) {
    out << q.leader_title() << (q.leader_title().empty() ? "" : " ")
        << q.leader_name() << ": " << q.taken() << "/" << q.quota()
        << " this quarter (" << resp.quarter() << ")\n";
  }
  if (resp.leaders().empty()) {
    out << "no case taken in charge this quarter (" << resp.quarter()
        << "); quota " << resp.quota_per_quarter() << " per leader\n";
  }
  return absl::OkStatus();
}

}  // namespace caserelay::casectl
