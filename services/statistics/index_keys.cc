#include "services/statistics/index_keys.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/time/china_time.h"
#include "domain/offices/office_code.h"

namespace caserelay::statistics {

std::string OfficeScope(std::string_view office_code) {
  return absl::StrCat("o:", std::string(office_code));
}

std::string RegionScope(std::string_view region_code,
                        std::string_view level_name) {
  if (level_name.empty()) return absl::StrCat("r:", std::string(region_code));
  return absl::StrCat("r:", std::string(region_code), "/",
                      std::string(level_name));
}

std::string CounterKey(std::string_view scope, std::string_view bucket) {
  return absl::StrCat(std::string(scope), std::string(1, kKeySeparator),
                      std::string(bucket));
}

std::string YearBucket(absl::CivilDay day) {
  return absl::StrFormat("y%04d", day.year());
}
std::string MonthBucket(absl::CivilDay day) {
  return absl::StrFormat("m%04d%02d", day.year(), day.month());
}
std::string DayBucket(absl::CivilDay day) {
  return absl::StrFormat("d%04d%02d%02d", day.year(), day.month(), day.day());
}

std::vector<std::string> BucketsOf(absl::Time t) {
  const absl::CivilDay day = time::ChinaDay(t);
  return {DayBucket(day), MonthBucket(day), YearBucket(day)};
}

std::vector<std::string> Decompose(absl::CivilDay from, absl::CivilDay to) {
  std::vector<std::string> out;
  absl::CivilDay d = from;
  while (d < to) {
    const absl::CivilDay next_year(d.year() + 1, 1, 1);
    const absl::CivilDay next_month(absl::CivilMonth(d) + 1);
    if (d.month() == 1 && d.day() == 1 && next_year <= to) {
      out.push_back(YearBucket(d));
      d = next_year;
    } else if (d.day() == 1 && next_month <= to) {
      out.push_back(MonthBucket(d));
      d = next_month;
    } else {
      out.push_back(DayBucket(d));
      d += 1;
    }
  }
  return out;
}

std::vector<std::string> BucketsBefore(absl::CivilDay day, int first_year) {
  const absl::CivilDay start(first_year, 1, 1);
  if (day <= start) return {};
  return Decompose(start, day);
}

const std::vector<std::string>& ScopeResolver::ScopesOf(
    const std::string& office_code) {
  auto it = cache_.find(office_code);
  if (it != cache_.end()) return it->second;
  std::vector<std::string> scopes;
  std::optional<offices::OfficeCode> code =
      offices::ParseOfficeCode(office_code);
  const region::Region* region =
      code.has_value() ? tree_->Find(code->region_code) : nullptr;
  if (region != nullptr) {
    const std::string level(region::LevelName(region->level));
    scopes.push_back(OfficeScope(office_code));
    auto add = [&](std::string_view r) {
      scopes.push_back(RegionScope(r));
      scopes.push_back(RegionScope(r, level));
    };
    add(region->code);
    for (const region::Region* a : tree_->Ancestors(region->code)) {
      add(a->code);
    }
    add("");
  }
  return cache_.emplace(office_code, std::move(scopes)).first->second;
}

}  // namespace caserelay::statistics
