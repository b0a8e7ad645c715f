#include "services/supervision/indicators.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/time/timestamp.h"
#include "domain/offices/office_code.h"

namespace caserelay::supervision {
namespace {

using caserelay::v1::Deadline;
using caserelay::v1::Indicators;
using caserelay::v1::Rate;

// The region level an OfficeLevel names; nullopt for UNSPECIFIED.
std::optional<region::Level> RegionLevel(caserelay::v1::OfficeLevel level) {
  switch (level) {
    case caserelay::v1::OFFICE_LEVEL_PROVINCE:
      return region::Level::kProvince;
    case caserelay::v1::OFFICE_LEVEL_CITY:
      return region::Level::kCity;
    case caserelay::v1::OFFICE_LEVEL_COUNTY:
      return region::Level::kCounty;
    case caserelay::v1::OFFICE_LEVEL_TOWNSHIP:
      return region::Level::kTownship;
    default:
      return std::nullopt;
  }
}

// Counts one item: `hit` says whether it is in the numerator.
void Tally(Rate* rate, bool hit) {
  rate->set_denominator(rate->denominator() + 1);
  if (hit) rate->set_numerator(rate->numerator() + 1);
}

void SetValue(Rate* rate) {
  if (rate->denominator() > 0) {
    rate->set_value(static_cast<double>(rate->numerator()) /
                    static_cast<double>(rate->denominator()));
  } else {
    rate->clear_value();
  }
}

// Sets every Rate.value of `indicators`.
void SetValues(Indicators* indicators) {
  SetValue(indicators->mutable_timely_acceptance_bureau());
  SetValue(indicators->mutable_timely_acceptance_handling());
  SetValue(indicators->mutable_on_time_completion());
  SetValue(indicators->mutable_evaluation());
  SetValue(indicators->mutable_satisfaction());
  SetValue(indicators->mutable_repeat());
  SetValue(indicators->mutable_level_skipping());
  SetValue(indicators->mutable_first_pass_resolution());
}

// The rate a deadline of `kind` counts in; nullptr for kinds no rate
// counts (they still count in the backlog).
Rate* RateOf(caserelay::v1::DeadlineKind kind, Indicators* indicators) {
  switch (kind) {
    case caserelay::v1::DEADLINE_KIND_TRANSFER:
      return indicators->mutable_timely_acceptance_bureau();
    case caserelay::v1::DEADLINE_KIND_ACCEPTANCE:
      return indicators->mutable_timely_acceptance_handling();
    case caserelay::v1::DEADLINE_KIND_HANDLING:
    case caserelay::v1::DEADLINE_KIND_SIMPLIFIED:
      return indicators->mutable_on_time_completion();
    default:
      return nullptr;
  }
}

// True for the kinds RateOf has a rate for.
bool IsRated(caserelay::v1::DeadlineKind kind) {
  return kind == caserelay::v1::DEADLINE_KIND_TRANSFER ||
         kind == caserelay::v1::DEADLINE_KIND_ACCEPTANCE ||
         kind == caserelay::v1::DEADLINE_KIND_HANDLING ||
         kind == caserelay::v1::DEADLINE_KIND_SIMPLIFIED;
}

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
      std::optional<region::Level> level = RegionLevel(scope_.level());
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
  const bool in_time = d.state() == caserelay::v1::DEADLINE_STATE_DONE;
  Count(d.office_code(), info,
        [&](Indicators* i) { Tally(RateOf(d.kind(), i), in_time); });
}

void IndicatorCalculator::AddFacts(
    const caserelay::v1::SupervisionCaseFacts& f) {
  if (f.has_replied_at() && InPeriod(f.replied_at(), from_, to_)) {
    const OfficeInfo& info = Office(f.handling_office_code());
    if (info.in_scope) {
      const bool evaluated =
          f.satisfaction() != caserelay::v1::SATISFACTION_UNSPECIFIED;
      const bool satisfied =
          f.satisfaction() == caserelay::v1::SATISFACTION_SATISFIED ||
          f.satisfaction() == caserelay::v1::SATISFACTION_BASICALLY;
      const bool first_pass = !f.review_requested() && f.repeats_linked() == 0;
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
      const bool repeat =
          f.disposition() == caserelay::v1::DISPOSITION_LINKED_REPEAT ||
          f.disposition() == caserelay::v1::DISPOSITION_REFUSED_TERMINATED;
      const bool skipping =
          f.disposition() == caserelay::v1::DISPOSITION_REDIRECT;
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
