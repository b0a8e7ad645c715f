#include "services/statistics/figures.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "domain/indicators/definitions.h"
#include "domain/offices/office_code.h"
#include "services/statistics/contribution.h"
#include "services/statistics/index_keys.h"

namespace caserelay::statistics {
namespace {

int64_t Get(const Dims& dims, const std::string& dim) {
  auto it = dims.find(dim);
  return it == dims.end() ? 0 : it->second;
}

// Every "<prefix><key>" of `dims` as KeyedCounts, by key.
void Keyed(const Dims& dims, const std::string& prefix,
           google::protobuf::RepeatedPtrField<caserelay::v1::KeyedCount>* out) {
  for (auto it = dims.lower_bound(prefix);
       it != dims.end() && absl::StartsWith(it->first, prefix); ++it) {
    if (it->second == 0) continue;
    auto* c = out->Add();
    c->set_key(it->first.substr(prefix.size()));
    c->set_count(it->second);
  }
}

void SetRate(caserelay::v1::Rate* rate, int64_t numerator,
             int64_t denominator) {
  rate->set_numerator(numerator);
  rate->set_denominator(denominator);
}

void AddCount(const std::string& key, int64_t count,
              google::protobuf::RepeatedPtrField<caserelay::v1::KeyedCount>*
                  out) {
  if (count == 0) return;
  auto* c = out->Add();
  c->set_key(key);
  c->set_count(count);
}

// Issue 18's figures (VolumeFigures 19-28; contribution.h's dimensions).
// REQUIRES: f->supervisions() is set.
void SetLeadersWork(const Dims& dims, caserelay::v1::VolumeFigures* f) {
  f->set_reception_batches(Get(dims, "rcp/batches"));
  f->set_reception_persons(Get(dims, "rcp/persons"));
  f->set_on_the_spot(Get(dims, "spot"));
  f->set_group_petitions(Get(dims, "group"));
  f->set_taken_charge(Get(dims, "charge"));
  const int64_t manual = Get(dims, "sup_src/manual");
  AddCount(kAutomaticSource, f->supervisions() - manual,
           f->mutable_supervisions_by_source());
  AddCount(kManualSource, manual, f->mutable_supervisions_by_source());
  Keyed(dims, "rec/", f->mutable_recommendations_by_kind());
  f->set_escalated(Get(dims, "esc"));
  f->set_corrected(Get(dims, "cor"));
  Keyed(dims, "fu/", f->mutable_follow_ups_by_view());
}

}  // namespace

absl::StatusOr<ResolvedScope> ResolveScope(const region::RegionTree& tree,
                                           const std::string& office_code,
                                           const std::string& region_code,
                                           caserelay::v1::OfficeLevel level) {
  ResolvedScope scope;
  if (!office_code.empty()) {
    std::optional<offices::OfficeCode> code =
        offices::ParseOfficeCode(office_code);
    if (!code.has_value()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "scope.office_code: '", office_code, "' is not <region>:<unit>"));
    }
    const region::Region* region = tree.Find(code->region_code);
    if (region == nullptr) {
      return absl::NotFoundError(
          absl::StrCat("scope.office_code: unknown region '",
                       std::string(code->region_code), "'"));
    }
    scope.id = OfficeScope(office_code);
    scope.office_code = office_code;
    scope.region_code = region->code;
    scope.level = std::string(region::LevelName(region->level));
    return scope;
  }
  if (!caserelay::v1::OfficeLevel_IsValid(level)) {
    return absl::InvalidArgumentError(
        absl::StrCat("scope.level: unknown value ", level));
  }
  if (!region_code.empty() && tree.Find(region_code) == nullptr) {
    return absl::NotFoundError(absl::StrCat(
        "scope.region_code: unknown region '", region_code, "'"));
  }
  std::optional<region::Level> l = indicators::RegionLevel(level);
  scope.region_code = region_code;
  if (l.has_value()) scope.level = std::string(region::LevelName(*l));
  scope.id = RegionScope(region_code, scope.level);
  return scope;
}

caserelay::v1::VolumeFigures VolumeOf(const Dims& dims,
                                      const std::string& key) {
  caserelay::v1::VolumeFigures f;
  f.set_key(key);
  const int64_t cases = Get(dims, "cases");
  f.set_cases(cases);
  f.set_persons(cases + Get(dims, "persons/extra"));
  Keyed(dims, "ch/", f.mutable_by_channel());
  SetRate(f.mutable_online_share(), Get(dims, "ch/online"), cases);
  indicators::SetValue(f.mutable_online_share());
  Keyed(dims, "cat/", f.mutable_by_category());
  std::stable_sort(f.mutable_by_category()->begin(),
                   f.mutable_by_category()->end(),
                   [](const auto& a, const auto& b) {
                     return a.count() > b.count();
                   });
  Keyed(dims, "cls/", f.mutable_by_matter_class());
  f.set_repeat_cases(Get(dims, "repeat"));
  f.set_new_cases(cases - f.repeat_cases());
  f.set_level_skipping(Get(dims, "skip"));
  f.set_accepted(Get(dims, "accepted"));
  f.set_not_accepted(Get(dims, "not_accepted"));
  f.set_replied(Get(dims, "replied"));
  Keyed(dims, "out/", f.mutable_by_outcome());
  Keyed(dims, "rate/", f.mutable_by_rating());
  int64_t red = 0;
  for (const auto& [dim, n] : dims) {
    if (absl::StartsWith(dim, "dl/") &&
        (absl::EndsWith(dim, "/late") || absl::EndsWith(dim, "/open"))) {
      red += n;
    }
  }
  f.set_red_lights(red);
  Keyed(dims, "sup/", f.mutable_supervisions_by_level());
  int64_t sup = 0;
  for (const auto& c : f.supervisions_by_level()) sup += c.count();
  f.set_supervisions(sup);
  SetLeadersWork(dims, &f);
  return f;
}

caserelay::v1::Indicators IndicatorsOf(const Dims& dims, int64_t backlog,
                                       const std::string& key) {
  caserelay::v1::Indicators i;
  i.set_key(key);
  for (int k = caserelay::v1::DeadlineKind_MIN;
       k <= caserelay::v1::DeadlineKind_MAX; ++k) {
    const auto kind = static_cast<caserelay::v1::DeadlineKind>(k);
    if (!caserelay::v1::DeadlineKind_IsValid(k) || !indicators::IsRated(kind)) {
      continue;
    }
    caserelay::v1::Rate* rate = indicators::RateOf(kind, &i);
    const int64_t in = Get(dims, DeadlineDim(kind, "in"));
    const int64_t counted =
        in + Get(dims, DeadlineDim(kind, "late")) +
        Get(dims, DeadlineDim(kind, "open"));
    SetRate(rate, rate->numerator() + in, rate->denominator() + counted);
  }
  SetRate(i.mutable_evaluation(), Get(dims, "rp/eval"), Get(dims, "rp/n"));
  SetRate(i.mutable_satisfaction(), Get(dims, "rp/sat"), Get(dims, "rp/eval"));
  SetRate(i.mutable_first_pass_resolution(), Get(dims, "rp/first"),
          Get(dims, "rp/n"));
  SetRate(i.mutable_repeat(), Get(dims, "repeat"), Get(dims, "cases"));
  SetRate(i.mutable_level_skipping(), Get(dims, "skip"), Get(dims, "cases"));
  i.set_backlog(backlog);
  indicators::SetValues(&i);
  return i;
}

bool HasItem(const caserelay::v1::Indicators& i) {
  return i.timely_acceptance_bureau().denominator() > 0 ||
         i.timely_acceptance_handling().denominator() > 0 ||
         i.on_time_completion().denominator() > 0 ||
         i.evaluation().denominator() > 0 ||
         i.satisfaction().denominator() > 0 || i.repeat().denominator() > 0 ||
         i.level_skipping().denominator() > 0 ||
         i.first_pass_resolution().denominator() > 0 || i.backlog() > 0;
}

bool HasFigure(const caserelay::v1::VolumeFigures& f) {
  return f.cases() != 0 || f.red_lights() != 0 || f.supervisions() != 0 ||
         f.taken_charge() != 0 || f.recommendations_by_kind_size() != 0 ||
         f.escalated() != 0 || f.corrected() != 0 ||
         f.follow_ups_by_view_size() != 0;
}

}  // namespace caserelay::statistics
