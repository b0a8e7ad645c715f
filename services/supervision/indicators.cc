#include "services/supervision/indicators.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/time/timestamp.h"
#include "domain/indicators/definitions.h"
#include "domain/offices/office_code.h"

namespace caserelay::supervision {
namespace {

using caserelay::v1::Deadline;
using caserelay::v1::Indicators;
using indicators::IsRated;
using indicators::RateOf;
using indicators::SetValues;
using indicators::Tally;

std::string Rfc3339(absl::Time t) {
  return absl::FormatTime(absl::RFC3339_full, t, absl::UTCTimeZone());
}

bool InPeriod(const google::protobuf::Timestamp& ts, absl::Time from,
              absl::Time to) {
  absl::Time t = time::FromProto(ts);
  return from <= t && t < to;
}

}  // namespace

absl::StatusOr<IndicatorCalculator> IndicatorCalculator::Create(
    const region::RegionTree& tree,
    const caserelay::v1::GetIndicatorsRequest& request, absl::Time now) {
  const absl::Time from = time::FromProto(request.from());
  const absl::Time to = request.has_to() ? time::FromProto(request.to()) : now;
  if (from >= to) {
    return absl::InvalidArgumentError(absl::StrCat(
        "from: ", Rfc3339(from), " is not before to: ", Rfc3339(to),
        " (the period is [from, to))"));
  }
  if (!caserelay::v1::Breakdown_IsValid(request.breakdown())) {
    return absl::InvalidArgumentError(
        absl::StrCat("breakdown: unknown value ", request.breakdown()));
  }
  const caserelay::v1::IndicatorScope& scope = request.scope();
  if (!scope.office_code().empty()) {
    std::optional<offices::OfficeCode> code =
        offices::ParseOfficeCode(scope.office_code());
    if (!code.has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat("scope.office_code: '", scope.office_code(),
                       "' is not <region>:<unit>"));
    }
    if (tree.Find(code->region_code) == nullptr) {
      return absl::NotFoundError(
          absl::StrCat("scope.office_code: unknown region '",
                       std::string(code->region_code), "'"));
    }
  } else {
    if (!caserelay::v1::OfficeLevel_IsValid(scope.level())) {
      return absl::InvalidArgumentError(
          absl::StrCat("scope.level: unknown value ", scope.level()));
    }
    if (!scope.region_code().empty() &&
        tree.Find(scope.region_code()) == nullptr) {
      return absl::NotFoundError(absl::StrCat(
          "scope.region_code: unknown region '", scope.region_code(), "'"));
    }
  }
  return IndicatorCalculator(&tree, request, from, to, std::min(to, now));
}

IndicatorCalculator::IndicatorCalculator(
    const region::RegionTree* tree,
    const caserelay::v1::GetIndicatorsRequest& request, absl::Time from,
    absl::Time to, absl::Time as_of)
    : tree_(tree),
      scope_(request.scope()),
      breakdown_(request.breakdown()),
      from_(from),
      to_(to),
      as_of_(as_of) {}

const IndicatorCalculator::OfficeInfo& IndicatorCalculator::Office(
    const std::string& office_code) {
  auto it = offices_.find(office_code);
  if (it != offices_.end()) return it->second;
  OfficeInfo info;
  std::optional<offices::OfficeCode> code =
      offices::ParseOfficeCode(office_code);
  const region::Region* region =
      code.has_value() ? tree_->Find(code->region_code) : nullptr;
  if (region != nullptr) {
    if (!scope_.office_code().empty()) {
      info.in_scope = office_code == scope_.office_code();
    } else {
      std::optional<region::Level> level =
          indicators::RegionLevel(scope_.level());
      info.in_scope = (scope_.region_code().empty() ||
                       tree_->IsWithin(region->code, scope_.region_code())) &&
                      (!level.has_value() || region->level == *level);
    }
    if (info.in_scope) {
      info.level = std::string(region::LevelName(region->level));
    }
  }
  return offices_.emplace(office_code, std::move(info)).first->second;
}

std::string IndicatorCalculator::RowKey(const std::string& office_code,
                                        const OfficeInfo& info) const {
  switch (breakdown_) {
    case caserelay::v1::BREAKDOWN_OFFICE:
      return office_code;
    case caserelay::v1::BREAKDOWN_LEVEL:
      return info.level;
    default:
      return "";
  }
}

template <typename F>
void IndicatorCalculator::Count(const std::string& office_code,
                                const OfficeInfo& info, F count) {
  count(&total_);
  std::string key = RowKey(office_code, info);
  if (key.empty()) return;
  Indicators& row = rows_[key];
  row.set_key(key);
  count(&row);
}

void IndicatorCalculator::AddDeadline(const Deadline& d) {
  if (d.state() == caserelay::v1::DEADLINE_STATE_PAUSED) return;
  if (!InPeriod(d.due_at(), from_, to_)) return;
  if (!d.has_ended_at() && time::FromProto(d.due_at()) > as_of_) return;
  if (!IsRated(d.kind())) return;
  const OfficeInfo& info = Office(d.office_code());
  if (!info.in_scope) return;
  const bool in_time = indicators::InTime(d);
  Count(d.office_code(), info,
        [&](Indicators* i) { Tally(RateOf(d.kind(), i), in_time); });
}

void IndicatorCalculator::AddFacts(
    const caserelay::v1::SupervisionCaseFacts& f) {
  if (f.has_replied_at() && InPeriod(f.replied_at(), from_, to_)) {
    const OfficeInfo& info = Office(f.handling_office_code());
    if (info.in_scope) {
      const bool evaluated = indicators::IsEvaluated(f.satisfaction());
      const bool satisfied = indicators::IsSatisfied(f.satisfaction());
      const bool first_pass = indicators::IsFirstPass(f);
      Count(f.handling_office_code(), info, [&](Indicators* i) {
        Tally(i->mutable_evaluation(), evaluated);
        if (evaluated) Tally(i->mutable_satisfaction(), satisfied);
        Tally(i->mutable_first_pass_resolution(), first_pass);
      });
    }
  }
  if (f.has_received_at() && InPeriod(f.received_at(), from_, to_)) {
    const OfficeInfo& info = Office(f.registering_office_code());
    if (info.in_scope) {
      const bool repeat = indicators::IsRepeat(f.disposition());
      const bool skipping = indicators::IsLevelSkipping(f.disposition());
      Count(f.registering_office_code(), info, [&](Indicators* i) {
        Tally(i->mutable_repeat(), repeat);
        Tally(i->mutable_level_skipping(), skipping);
      });
    }
  }
}

void IndicatorCalculator::AddBacklog(
    const caserelay::v1::SupervisionCaseRecord& record) {
  bool any = false;
  std::set<std::string> keys;  // rows the case is overdue in
  for (const Deadline& d : record.deadlines()) {
    if (d.state() == caserelay::v1::DEADLINE_STATE_PAUSED) continue;
    if (time::FromProto(d.due_at()) >= as_of_) continue;
    if (d.has_ended_at() && time::FromProto(d.ended_at()) <= as_of_) continue;
    const OfficeInfo& info = Office(d.office_code());
    if (!info.in_scope) continue;
    any = true;
    std::string key = RowKey(d.office_code(), info);
    if (!key.empty()) keys.insert(std::move(key));
  }
  if (any) total_.set_backlog(total_.backlog() + 1);
  for (const std::string& key : keys) {
    Indicators& row = rows_[key];
    row.set_key(key);
    row.set_backlog(row.backlog() + 1);
  }
}

void IndicatorCalculator::Add(
    const caserelay::v1::SupervisionCaseRecord& record) {
  for (const Deadline& d : record.deadlines()) AddDeadline(d);
  AddFacts(record.facts());
  AddBacklog(record);
}

caserelay::v1::GetIndicatorsResponse IndicatorCalculator::Result() const {
  caserelay::v1::GetIndicatorsResponse response;
  *response.mutable_from() = time::ToProto(from_);
  *response.mutable_to() = time::ToProto(to_);
  *response.mutable_total() = total_;
  SetValues(response.mutable_total());
  for (const auto& [key, row] : rows_) {
    Indicators* out = response.add_rows();
    *out = row;
    SetValues(out);
  }
  return response;
}

}  // namespace caserelay::supervision
