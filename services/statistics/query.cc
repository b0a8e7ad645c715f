// IndexReader::Volume and IndexReader::Indicators (query.h), and the
// helpers of query.h.
#include "services/statistics/query.h"

#include <algorithm>
#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"
#include "services/statistics/figures.h"
#include "services/statistics/index_keys.h"
#include "services/statistics/index_reader.h"

namespace caserelay::statistics {
namespace {

std::string Rfc3339(absl::Time t) {
  return absl::FormatTime(absl::RFC3339_full, t, absl::UTCTimeZone());
}

// The China day starting at `t`; INVALID_ARGUMENT naming `field` if `t` is
// not 00:00 China time.
absl::StatusOr<absl::CivilDay> WholeDay(absl::Time t, const char* field) {
  const absl::CivilDay day = time::ChinaDay(t);
  if (time::StartOf(day) != t) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", Rfc3339(t),
                     " is not 00:00 China time (the index counts whole days)"));
  }
  return day;
}

// The same civil day a year before; 02-29 is read as 02-28.
absl::CivilDay YearBefore(absl::CivilDay d) {
  if (d.month() == 2 && d.day() == 29) return absl::CivilDay(d.year() - 1, 2, 28);
  return absl::CivilDay(d.year() - 1, d.month(), d.day());
}

// A row of a breakdown: its key and scope id.
struct Row {
  std::string key;
  std::string scope;
};

}  // namespace

std::optional<double> ChangeRatio(int64_t now, int64_t before) {
  if (before == 0) return std::nullopt;
  return static_cast<double>(now - before) / static_cast<double>(before);
}

int64_t CountOf(
    const google::protobuf::RepeatedPtrField<caserelay::v1::KeyedCount>&
        counts,
    const std::string& key) {
  for (const auto& c : counts) {
    if (c.key() == key) return c.count();
  }
  return 0;
}

absl::StatusOr<caserelay::v1::GetVolumeResponse> IndexReader::Volume(
    const caserelay::v1::GetVolumeRequest& request) const {
  const absl::Time now = clock_->Now();
  auto from = WholeDay(time::FromProto(request.from()), "from");
  if (!from.ok()) return from.status();
  absl::CivilDay to = time::ChinaDay(now) + 1;
  if (request.has_to()) {
    auto t = WholeDay(time::FromProto(request.to()), "to");
    if (!t.ok()) return t.status();
    to = *t;
  }
  if (*from >= to) {
    return absl::InvalidArgumentError(absl::StrCat(
        "from: ", Rfc3339(time::StartOf(*from)), " is not before to: ",
        Rfc3339(time::StartOf(to)), " (the period is [from, to))"));
  }
  if (!caserelay::v1::VolumeBreakdown_IsValid(request.breakdown())) {
    return absl::InvalidArgumentError(
        absl::StrCat("breakdown: unknown value ", request.breakdown()));
  }
  const auto& rs = request.scope();
  auto scope =
      ResolveScope(*tree_, rs.office_code(), rs.region_code(), rs.level());
  if (!scope.ok()) return scope.status();

  const absl::CivilDay prev_from = *from - (to - *from);
  const absl::CivilDay year_from = YearBefore(*from);
  const absl::CivilDay year_to = YearBefore(to);
  auto row = [&](const std::string& key, const std::string& scope_id)
      -> absl::StatusOr<caserelay::v1::VolumeRow> {
    caserelay::v1::VolumeRow out;
    auto cur = PeriodDims(scope_id, *from, to, now);
    if (!cur.ok()) return cur.status();
    auto prev = PeriodDims(scope_id, prev_from, *from, now);
    if (!prev.ok()) return prev.status();
    auto year = PeriodDims(scope_id, year_from, year_to, now);
    if (!year.ok()) return year.status();
    *out.mutable_current() = VolumeOf(*cur, key);
    *out.mutable_previous() = VolumeOf(*prev, key);
    *out.mutable_year_before() = VolumeOf(*year, key);
    return out;
  };

  caserelay::v1::GetVolumeResponse response;
  *response.mutable_from() = time::ToProto(time::StartOf(*from));
  *response.mutable_to() = time::ToProto(time::StartOf(to));
  *response.mutable_previous_from() = time::ToProto(time::StartOf(prev_from));
  *response.mutable_year_before_from() =
      time::ToProto(time::StartOf(year_from));
  *response.mutable_year_before_to() = time::ToProto(time::StartOf(year_to));
  *response.mutable_as_of() = time::ToProto(now);
  auto total = row("", scope->id);
  if (!total.ok()) return total.status();
  *response.mutable_total() = *std::move(total);

  std::vector<Row> rows;
  switch (request.breakdown()) {
    case caserelay::v1::VOLUME_BREAKDOWN_OFFICE:
      if (!scope->office_code.empty()) {
        rows.push_back({scope->office_code, scope->id});
      } else {
        auto offices = OfficesOf(scope->id);
        if (!offices.ok()) return offices.status();
        for (const std::string& o : *offices) rows.push_back({o, OfficeScope(o)});
      }
      break;
    case caserelay::v1::VOLUME_BREAKDOWN_REGION:
      if (scope->office_code.empty()) {
        const std::vector<const region::Region*> children =
            scope->region_code.empty() ? tree_->Provinces()
                                       : tree_->Children(scope->region_code);
        for (const region::Region* c : children) {
          rows.push_back({c->code, RegionScope(c->code, scope->level)});
        }
      }
      break;
    case caserelay::v1::VOLUME_BREAKDOWN_LEVEL:
      if (!scope->office_code.empty() || !scope->level.empty()) {
        rows.push_back({scope->level, scope->id});
      } else {
        for (const char* level : {"city", "county", "province", "township"}) {
          rows.push_back({level, RegionScope(scope->region_code, level)});
        }
      }
      break;
    default:
      break;
  }
  for (const Row& r : rows) {
    auto out = row(r.key, r.scope);
    if (!out.ok()) return out.status();
    if (HasFigure(out->current()) || HasFigure(out->previous()) ||
        HasFigure(out->year_before())) {
      *response.add_rows() = *std::move(out);
    }
  }
  return response;
}

absl::StatusOr<caserelay::v1::GetIndicatorsResponse> IndexReader::Indicators(
    const caserelay::v1::GetIndicatorsRequest& request) const {
  const absl::Time now = clock_->Now();
  const absl::Time from_t = time::FromProto(request.from());
  const absl::Time to_t =
      request.has_to() ? time::FromProto(request.to()) : now;
  if (from_t >= to_t) {
    return absl::InvalidArgumentError(
        absl::StrCat("from: ", Rfc3339(from_t), " is not before to: ",
                     Rfc3339(to_t), " (the period is [from, to))"));
  }
  if (!caserelay::v1::Breakdown_IsValid(request.breakdown())) {
    return absl::InvalidArgumentError(
        absl::StrCat("breakdown: unknown value ", request.breakdown()));
  }
  const auto& rs = request.scope();
  auto scope =
      ResolveScope(*tree_, rs.office_code(), rs.region_code(), rs.level());
  if (!scope.ok()) return scope.status();
  auto from = WholeDay(from_t, "from");
  if (!from.ok()) return from.status();
  // `to` unset is now: the days up to and including today, as of now.
  absl::CivilDay to = time::ChinaDay(now) + 1;
  if (request.has_to()) {
    auto t = WholeDay(to_t, "to");
    if (!t.ok()) return t.status();
    to = *t;
  }
  const absl::Time as_of = std::min(to_t, now);

  auto indicators = [&](const std::string& key, const std::string& scope_id)
      -> absl::StatusOr<caserelay::v1::Indicators> {
    // Items of [from, to) only, also when `to` is unset (now): nothing
    // after now is in the period.
    auto dims = PeriodDims(scope_id, *from, to, as_of, !request.has_to());
    if (!dims.ok()) return dims.status();
    auto backlog = Backlog(scope_id, as_of);
    if (!backlog.ok()) return backlog.status();
    return IndicatorsOf(*dims, *backlog, key);
  };
  caserelay::v1::GetIndicatorsResponse response;
  *response.mutable_from() = time::ToProto(from_t);
  *response.mutable_to() = time::ToProto(to_t);
  auto total = indicators("", scope->id);
  if (!total.ok()) return total.status();
  *response.mutable_total() = *std::move(total);

  std::map<std::string, std::string> rows;  // key -> scope id
  if (request.breakdown() == caserelay::v1::BREAKDOWN_OFFICE) {
    if (!scope->office_code.empty()) {
      rows[scope->office_code] = scope->id;
    } else {
      auto offices = OfficesOf(scope->id);
      if (!offices.ok()) return offices.status();
      for (const std::string& o : *offices) rows[o] = OfficeScope(o);
    }
  } else if (request.breakdown() == caserelay::v1::BREAKDOWN_LEVEL) {
    if (!scope->office_code.empty() || !scope->level.empty()) {
      rows[scope->level] = scope->id;
    } else {
      for (const char* level : {"city", "county", "province", "township"}) {
        rows[level] = RegionScope(scope->region_code, level);
      }
    }
  }
  for (const auto& [key, scope_id] : rows) {
    auto row = indicators(key, scope_id);
    if (!row.ok()) return row.status();
    if (HasItem(*row)) *response.add_rows() = *std::move(row);
  }
  return response;
}

}  // namespace caserelay::statistics
