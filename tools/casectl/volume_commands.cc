#include "tools/casectl/volume_commands.h"

#include <functional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"
#include "services/statistics/leaders_figures.h"
#include "services/statistics/query.h"
#include "tools/casectl/call.h"
#include "tools/casectl/supervision_commands.h"

namespace caserelay::casectl {
namespace {

namespace v1 = caserelay::v1;

std::string Day(const google::protobuf::Timestamp& t) {
  return absl::FormatCivilTime(time::ChinaDay(time::FromProto(t)));
}

std::string Change(int64_t now, int64_t before) {
  std::optional<double> r = statistics::ChangeRatio(now, before);
  return r.has_value() ? absl::StrFormat("%+.1f%%", *r * 100) : "—";
}

// One figure of a row: its name and how to read it from VolumeFigures.
struct Figure {
  std::string name;
  std::function<int64_t(const v1::VolumeFigures&)> of;
};

std::vector<Figure> Figures(const v1::VolumeRow& row) {
  std::vector<Figure> out = {
      {"信访总量 (件次)", [](const auto& f) { return f.cases(); }},
      {"人次", [](const auto& f) { return f.persons(); }},
      {"网上信访", [](const auto& f) { return f.online_share().numerator(); }},
      {"初次信访", [](const auto& f) { return f.new_cases(); }},
      {"重复信访", [](const auto& f) { return f.repeat_cases(); }},
      {"越级", [](const auto& f) { return f.level_skipping(); }},
      {"受理", [](const auto& f) { return f.accepted(); }},
      {"不予受理", [](const auto& f) { return f.not_accepted(); }},
      {"已出具处理意见 (化解)", [](const auto& f) { return f.replied(); }},
      {"红灯", [](const auto& f) { return f.red_lights(); }},
      {"督办", [](const auto& f) { return f.supervisions(); }},
  };
  for (const statistics::LabeledFigure& figure :
       statistics::LeadersWorkFigures()) {
    out.push_back({std::string(figure.label), figure.of});
  }
  for (const auto& c : row.current().by_category()) {
    const std::string key = c.key();
    out.push_back({"  类别 " + key, [key](const v1::VolumeFigures& f) {
                     return statistics::CountOf(f.by_category(), key);
                   }});
  }
  return out;
}

void PrintRow(const v1::VolumeRow& row, std::string* out) {
  absl::StrAppendFormat(out, "  %-26s %8s %8s %8s %8s %8s\n", "", "本期",
                        "上期", "环比", "去年同期", "同比");
  for (const Figure& f : Figures(row)) {
    const int64_t now = f.of(row.current());
    const int64_t prev = f.of(row.previous());
    const int64_t year = f.of(row.year_before());
    absl::StrAppendFormat(out, "  %-26s %8d %8d %8s %8d %8s\n", f.name, now,
                          prev, Change(now, prev), year, Change(now, year));
  }
}

}  // namespace

absl::StatusOr<v1::GetVolumeRequest> VolumeRequestOf(const ParsedFlags& flags,
                                                    absl::Time now) {
  absl::StatusOr<v1::GetIndicatorsRequest> base = ScopeAndPeriodOf(flags, now);
  if (!base.ok()) return base.status();
  v1::GetVolumeRequest req;
  req.mutable_scope()->set_office_code(base->scope().office_code());
  req.mutable_scope()->set_region_code(base->scope().region_code());
  req.mutable_scope()->set_level(base->scope().level());
  *req.mutable_from() = base->from();
  if (base->has_to()) *req.mutable_to() = base->to();
  if (flags.Has("by")) {
    const std::string by = flags.Value("by");
    if (by == "office") {
      req.set_breakdown(v1::VOLUME_BREAKDOWN_OFFICE);
    } else if (by == "region") {
      req.set_breakdown(v1::VOLUME_BREAKDOWN_REGION);
    } else if (by == "level") {
      req.set_breakdown(v1::VOLUME_BREAKDOWN_LEVEL);
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "--by must be office, region or level; got '", by, "'"));
    }
  }
  return req;
}

std::string FormatVolume(const v1::GetVolumeResponse& r) {
  std::string out = absl::StrCat(
      "信访总量 ", Day(r.from()), " .. ",
      absl::FormatCivilTime(time::ChinaDay(time::FromProto(r.to())) - 1),
      " (环比: from ", Day(r.previous_from()), "; 同比: ",
      Day(r.year_before_from()), " ..)\n");
  PrintRow(r.total(), &out);
  for (const v1::VolumeRow& row : r.rows()) {
    absl::StrAppend(&out, "\n", row.current().key(), "\n");
    PrintRow(row, &out);
  }
  return out;
}

absl::Status RunVolume(v1::StatisticsService::StubInterface& stats,
                       const v1::GetVolumeRequest& request,
                       const PrintOptions& options, std::ostream& out) {
  v1::GetVolumeResponse resp;
  absl::Status s = Call([&](grpc::ClientContext* ctx) {
    return stats.GetVolume(ctx, request, &resp);
  });
  if (!s.ok()) return s;
  if (options.json) return PrintJson(resp, out);
  out << FormatVolume(resp);
  return absl::OkStatus();
}

}  // namespace caserelay::casectl
