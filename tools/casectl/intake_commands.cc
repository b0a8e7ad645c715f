#include "tools/casectl/intake_commands.h"

#include "absl/strings/str_cat.h"
#include "domain/names/names.h"
#include "tools/casectl/call.h"
#include "tools/casectl/format.h"
#include "tools/casectl/group_commands.h"

namespace caserelay::casectl {

using names::ParseChannel;
using names::ParseMatterClass;
using names::ParseStatutoryRoute;
using names::StateLabel;

namespace v1 = caserelay::v1;

namespace {

// Parses an enum flag if given; INVALID_ARGUMENT "--flag must be one of...".
template <typename Enum, typename Parse>
absl::Status EnumFlag(const ParsedFlags& flags, absl::string_view flag,
                      Parse parse, Enum* out) {
  if (!flags.Has(flag)) return absl::OkStatus();
  absl::StatusOr<Enum> value = parse(flags.Value(flag));
  if (!value.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, " ", value.status().message()));
  }
  *out = *value;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::SubmitPetitionRequest> SubmitRequestOf(
    const ParsedFlags& flags) {
  v1::SubmitPetitionRequest req;
  v1::Petitioner* p = req.mutable_petitioner();
  p->set_name(flags.Value("name"));
  p->set_address(flags.Value("address"));
  p->set_phone(flags.Value("phone"));
  p->set_id_number(flags.Value("id-number"));
  v1::Matter* m = req.mutable_matter();
  m->set_region_code(flags.Value("region"));
  m->set_category(flags.Value("category"));
  m->set_title(flags.Value("title"));
  m->set_text(flags.Value("text"));
  m->set_accused(flags.Value("accused"));
  for (const std::string& office : flags.Values("accused-office")) {
    m->add_accused_offices(office);
  }
  m->set_lodged_with(flags.Value("lodged-with"));
  for (const std::string& region : flags.Values("other-region")) {
    m->add_other_regions(region);
  }
  for (const std::string& category : flags.Values("other-category")) {
    m->add_other_categories(category);
  }
  req.set_request_id(flags.Value("request-id"));
  req.set_reception_id(flags.Value("reception"));
  if (absl::Status s = AddGroupFlags(flags, &req); !s.ok()) return s;

  v1::MatterClass matter_class = v1::MATTER_CLASS_UNSPECIFIED;
  v1::Channel channel = v1::CHANNEL_UNSPECIFIED;
  v1::StatutoryRoute route = v1::STATUTORY_ROUTE_NONE;
  if (absl::Status s =
          EnumFlag(flags, "class", ParseMatterClass, &matter_class);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = EnumFlag(flags, "channel", ParseChannel, &channel);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          EnumFlag(flags, "statutory-route", ParseStatutoryRoute, &route);
      !s.ok()) {
    return s;
  }
  m->set_matter_class(matter_class);
  m->set_channel(channel);
  m->set_statutory_route(route);
  return req;
}

v1::GetCaseStatusRequest StatusRequestOf(const ParsedFlags& flags) {
  v1::GetCaseStatusRequest req;
  req.set_case_number(flags.positional().at(0));
  req.set_lookup_code(flags.positional().at(1));
  return req;
}

absl::Status RunSubmit(v1::IntakeService::StubInterface& intake,
                       const v1::SubmitPetitionRequest& request,
                       const PrintOptions& options, std::ostream& out) {
  v1::SubmitPetitionResponse resp;
  absl::Status s = Call([&](grpc::ClientContext* ctx) {
    return intake.SubmitPetition(ctx, request, &resp);
  });
  if (!s.ok()) return s;
  if (options.json) return PrintJson(resp, out);
  out << "case_number: " << resp.case_number() << "\n"
      << "lookup_code: " << resp.lookup_code() << "\n";
  return absl::OkStatus();
}

absl::Status RunStatus(v1::IntakeService::StubInterface& intake,
                       const v1::GetCaseStatusRequest& request,
                       const PrintOptions& options, std::ostream& out) {
  v1::GetCaseStatusResponse resp;
  absl::Status s = Call([&](grpc::ClientContext* ctx) {
    return intake.GetCaseStatus(ctx, request, &resp);
  });
  if (!s.ok()) return s;
  if (options.json) return PrintJson(resp, out);
  out << "case_number: " << resp.case_number() << "\n"
      << "state: " << StateLabel(resp.state()) << "\n";
  if (!resp.office_code().empty()) {
    out << "office: " << OfficeLabel(resp.office_code(), resp.office_name())
        << "\n";
  }
  out << "received: " << ChinaDateTime(resp.received_at()) << "\n"
      << "updated: " << ChinaDateTime(resp.updated_at()) << "\n";
  return absl::OkStatus();
}

}  // namespace caserelay::casectl
