#include "tools/casectl/supervision_format.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "domain/names/names.h"
#include "tools/casectl/format.h"

namespace caserelay::casectl {

using names::DeadlineKindNames;
using names::DeadlineStateNames;
using names::EnumName;
using names::LabelOf;
using names::NameOf;
using names::OfficeLevelNames;
using names::SupervisionLevelNames;

namespace v1 = caserelay::v1;

namespace {

std::string OrDash(absl::string_view s) {
  return s.empty() ? "-" : std::string(s);
}

std::string Plural(int64_t n, absl::string_view one, absl::string_view many) {
  return absl::StrCat(n, " ", n == 1 ? one : many);
}

// The level's label, or "none" when no instrument was issued.
std::string LevelText(v1::SupervisionLevel level) {
  if (level == v1::SUPERVISION_LEVEL_UNSPECIFIED) return "none";
  return LabelOf(SupervisionLevelNames(), level);
}

// One indicator of `Indicators`: its names and where its rate is.
struct IndicatorColumn {
  absl::string_view chinese;
  absl::string_view english;
  const v1::Rate& (v1::Indicators::*rate)() const;
};

const std::vector<IndicatorColumn>& Columns() {
  static const auto* const kColumns = new std::vector<IndicatorColumn>{
      {"及时受理率(信访部门)", "timely acceptance, bureau",
       &v1::Indicators::timely_acceptance_bureau},
      {"及时受理率(办理单位)", "timely acceptance, handling unit",
       &v1::Indicators::timely_acceptance_handling},
      {"按期办结率", "on-time completion", &v1::Indicators::on_time_completion},
      {"参评率", "evaluation rate", &v1::Indicators::evaluation},
      {"群众满意率", "satisfaction", &v1::Indicators::satisfaction},
      {"重复信访率", "repeat rate", &v1::Indicators::repeat},
      {"越级访率", "level-skipping rate", &v1::Indicators::level_skipping},
      {"一次性化解率", "first-pass resolution",
       &v1::Indicators::first_pass_resolution},
  };
  return *kColumns;
}

constexpr absl::string_view kBacklogChinese = "积案";
constexpr absl::string_view kBacklogEnglish =
    "backlog: cases overdue at the period's end";

// A breakdown row's key: an office code as is; a level ("county",
// "OFFICE_LEVEL_COUNTY" or its number) as "county (县级)".
std::string KeyText(const v1::GetIndicatorsRequest& request,
                    absl::string_view key) {
  if (request.breakdown() != v1::BREAKDOWN_LEVEL) return OrDash(key);
  for (const EnumName& row : OfficeLevelNames()) {
    const google::protobuf::EnumValueDescriptor* value =
        v1::OfficeLevel_descriptor()->FindValueByNumber(row.value);
    if (key == row.name || (value != nullptr && key == value->name()) ||
        key == absl::StrCat(row.value)) {
      return LabelOf(OfficeLevelNames(), row.value);
    }
  }
  return OrDash(key);
}

}  // namespace

std::string LightsScope(const v1::ListRedLightsRequest& request) {
  const std::string& region = request.region_code();
  const std::string& office = request.office_code();
  if (office.empty()) {
    return region.empty() ? "the whole deployment"
                          : absl::StrCat("region ", region);
  }
  if (region.empty()) return absl::StrCat("office ", office);
  return absl::StrCat("office ", office, " in region ", region);
}

std::string FormatLights(const v1::ListRedLightsRequest& request,
                         const v1::ListRedLightsResponse& response) {
  const std::string as_of =
      absl::StrCat(ChinaDateTime(response.as_of()), " (China time)");
  if (response.lights().empty()) {
    return absl::StrCat("no red lights in ", LightsScope(request), " as of ",
                        as_of, "\n");
  }
  std::vector<std::vector<std::string>> rows = {
      {"DUE", "OVERDUE", "KIND", "OFFICE", "CASE", "SUPERVISION"}};
  for (const v1::RedLight& light : response.lights()) {
    const v1::Deadline& d = light.deadline();
    rows.push_back(
        {ChinaDueDay(d.due_at()), Plural(light.overdue_days(), "day", "days"),
         LabelOf(DeadlineKindNames(), d.kind()), OrDash(d.office_code()),
         OrDash(d.case_id()), LevelText(light.supervision())});
  }
  return absl::StrCat(FormatTable(rows),
                      Plural(response.lights_size(), "red light", "red lights"),
                      " in ", LightsScope(request), " as of ", as_of, "\n");
}

std::string RateText(const v1::Rate& rate) {
  const std::string fraction =
      absl::StrCat(rate.numerator(), "/", rate.denominator());
  if (rate.denominator() <= 0) return absl::StrCat("— ", fraction);
  const double value = rate.has_value()
                           ? rate.value()
                           : static_cast<double>(rate.numerator()) /
                                 static_cast<double>(rate.denominator());
  return absl::StrFormat("%.1f%% %s", value * 100.0, fraction);
}

std::string IndicatorScopeText(const v1::IndicatorScope& scope) {
  if (!scope.office_code().empty()) {
    return absl::StrCat("office ", scope.office_code());
  }
  std::string out = scope.region_code().empty()
                        ? "the whole deployment"
                        : absl::StrCat("region ", scope.region_code());
  if (scope.level() != v1::OFFICE_LEVEL_UNSPECIFIED) {
    absl::StrAppend(&out, ", ", NameOf(OfficeLevelNames(), scope.level()),
                    " offices");
  }
  return out;
}

std::string FormatIndicators(const v1::GetIndicatorsRequest& request,
                             const v1::GetIndicatorsResponse& response) {
  std::string out = absl::StrCat(
      "indicators of ", IndicatorScopeText(request.scope()), "\n",
      "period: ", ChinaDateTime(response.from()), " to ",
      ChinaDateTime(response.to()), " (China time, end exclusive)\n");
  const v1::Indicators& total = response.total();
  if (response.rows().empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const IndicatorColumn& column : Columns()) {
      const std::string text = RateText((total.*column.rate)());
      const size_t space = text.find(' ');
      rows.push_back({std::string(column.chinese), text.substr(0, space),
                      text.substr(space + 1), std::string(column.english)});
    }
    rows.push_back({std::string(kBacklogChinese), absl::StrCat(total.backlog()),
                    "", std::string(kBacklogEnglish)});
    return out + FormatTable(rows);
  }
  std::vector<std::vector<std::string>> rows(1);
  rows[0].push_back(request.breakdown() == v1::BREAKDOWN_LEVEL ? "LEVEL"
                                                               : "OFFICE");
  for (const IndicatorColumn& column : Columns()) {
    rows[0].push_back(std::string(column.chinese));
  }
  rows[0].push_back(std::string(kBacklogChinese));
  auto add = [&](const std::string& key, const v1::Indicators& indicators) {
    std::vector<std::string> row = {key};
    for (const IndicatorColumn& column : Columns()) {
      row.push_back(RateText((indicators.*column.rate)()));
    }
    row.push_back(absl::StrCat(indicators.backlog()));
    rows.push_back(std::move(row));
  };
  for (const v1::Indicators& row : response.rows()) {
    add(KeyText(request, row.key()), row);
  }
  add("total", total);
  return out + FormatTable(rows);
}

std::string FormatDeadlines(absl::string_view case_id,
                            const v1::ListDeadlinesResponse& response) {
  if (response.deadlines().empty() && response.supervisions().empty()) {
    return absl::StrCat("no deadlines of case ", case_id,
                        " known to supervision\n");
  }
  std::string out = absl::StrCat(
      "case ", case_id, ": ",
      Plural(response.deadlines_size(), "deadline", "deadlines"), "\n");
  std::vector<std::vector<std::string>> rows = {
      {"KIND", "OFFICE", "STARTED", "DUE", "STATE", "ENDED", "FOR"}};
  for (const v1::Deadline& d : response.deadlines()) {
    std::string state = NameOf(DeadlineStateNames(), d.state());
    if (d.state() == v1::DEADLINE_STATE_PAUSED) {
      absl::StrAppend(&state, " since ", ChinaDateTime(d.paused_at()));
    }
    if (d.warned()) absl::StrAppend(&state, ", warned");
    rows.push_back({LabelOf(DeadlineKindNames(), d.kind()),
                    OrDash(d.office_code()), ChinaDateTime(d.started_at()),
                    ChinaDueDay(d.due_at()), state, ChinaDateTime(d.ended_at()),
                    OrDash(d.supervision_id())});
  }
  if (!response.deadlines().empty()) out += FormatTable(rows);
  absl::StrAppend(&out, "督办 (supervision): ",
                  response.supervisions().empty()
                      ? "none"
                      : absl::StrCat(response.supervisions_size()),
                  "\n");
  for (const v1::SupervisionIssued& s : response.supervisions()) {
    absl::StrAppend(
        &out, "  ", OrDash(s.supervision_id()), "  ", LevelText(s.level()),
        "\n    ", OfficeLabel(s.issuer_office_code(), s.issuer_office_name()),
        " → ", OfficeLabel(s.target_office_code(), s.target_office_name()),
        "\n    missed ", LabelOf(DeadlineKindNames(), s.missed_kind()), " due ",
        ChinaDueDay(s.missed_due_at()), ", miss ", s.miss_count(),
        " of the office on this case\n");
    const v1::Deadline* reply = nullptr;
    for (const v1::Deadline& d : response.deadlines()) {
      if (d.kind() == v1::DEADLINE_KIND_SUPERVISION_REPLY &&
          d.supervision_id() == s.supervision_id()) {
        reply = &d;
      }
    }
    if (reply == nullptr) {
      out += "    reply: no deadline yet\n";
    } else {
      absl::StrAppend(&out, "    reply: due ", ChinaDueDay(reply->due_at()),
                      ", ", NameOf(DeadlineStateNames(), reply->state()), "\n");
    }
  }
  return out;
}

}  // namespace caserelay::casectl
