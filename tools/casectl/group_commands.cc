#include "tools/casectl/group_commands.h"

#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "domain/names/names.h"
#include "tools/casectl/format.h"
#include "tools/casectl/supervision_commands.h"

namespace caserelay::casectl {

namespace v1 = caserelay::v1;

absl::Status AddGroupFlags(const ParsedFlags& flags,
                           v1::SubmitPetitionRequest* request) {
  for (const std::string& given : flags.Values("co-representative")) {
    std::vector<std::string> parts = absl::StrSplit(given, '|');
    if (parts.size() < 3 || parts.size() > 4) {
      // Not echoed: it is a person's data.
      return absl::InvalidArgumentError(
          "--co-representative must be NAME|PHONE|ADDRESS or "
          "NAME|PHONE|ADDRESS|ID (PHONE may be empty)");
    }
    v1::Petitioner* rep = request->add_co_representatives();
    rep->set_name(parts[0]);
    rep->set_phone(parts[1]);
    rep->set_address(parts[2]);
    if (parts.size() == 4) rep->set_id_number(parts[3]);
  }
  if (flags.Has("head-count")) {
    int head_count = 0;
    if (!absl::SimpleAtoi(flags.Value("head-count"), &head_count) ||
        head_count < 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("--head-count must be a whole number >= 1; got '",
                       flags.Value("head-count"), "'"));
    }
    request->set_head_count(head_count);
  }
  return absl::OkStatus();
}

absl::StatusOr<GroupAlertsCommand> GroupAlertsCommandOf(
    const ParsedFlags& flags) {
  absl::StatusOr<LightsCommand> lights = LightsCommandOf(flags);
  if (!lights.ok()) return lights.status();
  GroupAlertsCommand cmd;
  cmd.all = lights->all;
  cmd.request.set_region_code(lights->request.region_code());
  cmd.request.set_office_code(lights->request.office_code());
  cmd.request.set_limit(lights->request.limit());
  cmd.request.set_page_token(lights->request.page_token());
  return cmd;
}

absl::Status RunGroupAlerts(v1::SupervisionService::StubInterface& supervision,
                            const GroupAlertsCommand& command,
                            const PrintOptions& options, std::ostream& out) {
  v1::ListGroupAlertsRequest req = command.request;
  v1::ListGroupAlertsResponse all;
  while (true) {
    v1::ListGroupAlertsResponse page;
    absl::Status s = Call([&](grpc::ClientContext* ctx) {
      return supervision.ListGroupAlerts(ctx, req, &page);
    });
    if (!s.ok()) return s;
    all.mutable_alerts()->MergeFrom(page.alerts());
    all.set_next_page_token(page.next_page_token());
    if (!command.all || page.next_page_token().empty()) break;
    if (page.next_page_token() == req.page_token()) {
      return absl::InternalError(
          "supervision answered a page with its own token: paging would not "
          "end");
    }
    req.set_page_token(page.next_page_token());
  }
  if (options.json) return PrintJson(all, out);
  if (all.alerts().empty()) {
    out << "no group-petition alerts (群体访预警)\n";
    return absl::OkStatus();
  }
  std::vector<std::vector<std::string>> rows = {
      {"received", "case", "bureau", "persons", "category", "region",
       "class"}};
  for (const v1::GroupPetitionAlert& a : all.alerts()) {
    std::string case_id = a.alert_id();
    case_id = case_id.substr(0, case_id.find('/'));
    rows.push_back({ChinaDateTime(a.received_at()), case_id,
                    OfficeLabel(a.office_code(), a.office_name()),
                    absl::StrCat(a.head_count()),
                    a.category().empty() ? "-" : a.category(), a.region_code(),
                    names::LabelOf(names::MatterClassNames(),
                                   a.matter_class())});
  }
  out << FormatTable(rows);
  out << all.alerts_size() << " alert(s)\n";
  if (!all.next_page_token().empty()) {
    out << "more: --page-token " << all.next_page_token() << " (or --all)\n";
  }
  return absl::OkStatus();
}

}  // namespace caserelay::casectl
