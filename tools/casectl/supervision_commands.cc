#include "tools/casectl/supervision_commands.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/rpc/auth.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"
#include "domain/names/names.h"
#include "tools/casectl/supervision_format.h"

namespace caserelay::casectl {

using names::ParseOfficeLevel;

namespace v1 = caserelay::v1;

namespace {

// --region: a GB/T 2260 code, six digits (province, city, county) or nine
// (township); DOMAIN.md "Offices and regions".
absl::StatusOr<std::string> RegionFlag(const ParsedFlags& flags) {
  const std::string region = flags.Value("region");
  const bool digits =
      !region.empty() && std::all_of(region.begin(), region.end(), [](char c) {
        return absl::ascii_isdigit(static_cast<unsigned char>(c));
      });
  if (!digits || (region.size() != 6 && region.size() != 9)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--region must be a region code of 6 or 9 digits such as 140431; "
        "got '",
        region, "'"));
  }
  return region;
}

absl::StatusOr<std::string> OfficeFlag(const ParsedFlags& flags) {
  const std::string office = flags.Value("office");
  if (!rpc::IsOfficeCode(office)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--office must be an office code such as 140431:labour; got '", office,
        "'"));
  }
  return office;
}

// A --from / --to date.
absl::StatusOr<absl::CivilDay> DayFlag(const ParsedFlags& flags,
                                       absl::string_view flag) {
  const std::string text = flags.Value(flag);
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", flag, " must be a date YYYY-MM-DD; got '", text, "'"));
  }
  return day;
}

absl::CivilDay FirstOfMonth(absl::CivilDay day) {
  return absl::CivilDay(absl::CivilMonth(day));
}

}  // namespace

absl::StatusOr<LightsCommand> LightsCommandOf(const ParsedFlags& flags) {
  LightsCommand cmd;
  v1::ListRedLightsRequest& req = cmd.request;
  cmd.all = flags.Has("all");
  if (flags.Has("region")) {
    absl::StatusOr<std::string> region = RegionFlag(flags);
    if (!region.ok()) return region.status();
    req.set_region_code(*region);
  }
  if (flags.Has("office")) {
    absl::StatusOr<std::string> office = OfficeFlag(flags);
    if (!office.ok()) return office.status();
    req.set_office_code(*office);
  }
  if (flags.Has("limit")) {
    int limit = 0;
    if (!absl::SimpleAtoi(flags.Value("limit"), &limit) || limit < 1 ||
        limit > kMaxLightsLimit) {
      return absl::InvalidArgumentError(
          absl::StrCat("--limit must be 1..", kMaxLightsLimit, "; got '",
                       flags.Value("limit"), "'"));
    }
    req.set_limit(limit);
  }
  req.set_page_token(flags.Value("page-token"));
  return cmd;
}

absl::Status RunLights(v1::SupervisionService::StubInterface& supervision,
                       const LightsCommand& command,
                       const PrintOptions& options, std::ostream& out) {
  v1::ListRedLightsRequest req = command.request;
  v1::ListRedLightsResponse all;
  bool first = true;
  while (true) {
    v1::ListRedLightsResponse page;
    absl::Status s = Call([&](grpc::ClientContext* ctx) {
      return supervision.ListRedLights(ctx, req, &page);
    });
    if (!s.ok()) return s;
    if (first) *all.mutable_as_of() = page.as_of();
    first = false;
    all.mutable_lights()->MergeFrom(page.lights());
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
  out << FormatLights(command.request, all);
  if (!all.next_page_token().empty()) {
    out << "more: --page-token " << all.next_page_token() << " (or --all)\n";
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::GetIndicatorsRequest> ScopeAndPeriodOf(
    const ParsedFlags& flags, absl::Time now) {
  v1::GetIndicatorsRequest req;
  v1::IndicatorScope& scope = *req.mutable_scope();
  if (flags.Has("office")) {
    if (flags.Has("region") || flags.Has("level")) {
      return absl::InvalidArgumentError(
          absl::StrCat("--office is one office; it does not go with --",
                       flags.Has("region") ? "region" : "level"));
    }
    absl::StatusOr<std::string> office = OfficeFlag(flags);
    if (!office.ok()) return office.status();
    scope.set_office_code(*office);
  }
  if (flags.Has("region")) {
    absl::StatusOr<std::string> region = RegionFlag(flags);
    if (!region.ok()) return region.status();
    scope.set_region_code(*region);
  }
  if (flags.Has("level")) {
    absl::StatusOr<v1::OfficeLevel> level =
        ParseOfficeLevel(flags.Value("level"));
    if (!level.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--level ", level.status().message()));
    }
    scope.set_level(*level);
  }
  absl::CivilDay from;
  if (flags.Has("to")) {
    absl::StatusOr<absl::CivilDay> to = DayFlag(flags, "to");
    if (!to.ok()) return to.status();
    *req.mutable_to() = time::ToProto(time::EndOf(*to));
    from = FirstOfMonth(*to);
  } else {
    from = FirstOfMonth(time::ChinaDay(now));
  }
  if (flags.Has("from")) {
    absl::StatusOr<absl::CivilDay> day = DayFlag(flags, "from");
    if (!day.ok()) return day.status();
    from = *day;
    if (flags.Has("to") && time::StartOf(from) >= time::FromProto(req.to())) {
      return absl::InvalidArgumentError(absl::StrCat("--to ", flags.Value("to"),
                                                     " is before --from ",
                                                     flags.Value("from")));
    }
  }
  *req.mutable_from() = time::ToProto(time::StartOf(from));
  return req;
}

absl::StatusOr<v1::GetIndicatorsRequest> StatsRequestOf(
    const ParsedFlags& flags, absl::Time now) {
  absl::StatusOr<v1::GetIndicatorsRequest> req = ScopeAndPeriodOf(flags, now);
  if (!req.ok()) return req.status();
  if (flags.Has("by")) {
    const std::string by = flags.Value("by");
    if (by == "office") {
      req->set_breakdown(v1::BREAKDOWN_OFFICE);
    } else if (by == "level") {
      req->set_breakdown(v1::BREAKDOWN_LEVEL);
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("--by must be office or level; got '", by, "'"));
    }
  }
  return req;
}

absl::Status RunStats(v1::StatisticsService::StubInterface& statistics,
                      const v1::GetIndicatorsRequest& request,
                      const PrintOptions& options, std::ostream& out) {
  v1::GetIndicatorsResponse resp;
  absl::Status s = Call([&](grpc::ClientContext* ctx) {
    return statistics.GetIndicators(ctx, request, &resp);
  });
  if (!s.ok()) return s;
  if (options.json) return PrintJson(resp, out);
  out << FormatIndicators(request, resp);
  return absl::OkStatus();
}

absl::Status RunDeadlines(v1::SupervisionService::StubInterface& supervision,
                          const std::string& case_id,
                          const PrintOptions& options, std::ostream& out) {
  v1::ListDeadlinesRequest req;
  req.set_case_id(case_id);
  v1::ListDeadlinesResponse resp;
  absl::Status s = Call([&](grpc::ClientContext* ctx) {
    return supervision.ListDeadlines(ctx, req, &resp);
  });
  if (!s.ok()) return s;
  if (options.json) return PrintJson(resp, out);
  out << FormatDeadlines(case_id, resp);
  return absl::OkStatus();
}

}  // namespace caserelay::casectl
