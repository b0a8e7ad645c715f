#include "services/statistics/index_reader.h"

#include <set>
#include <string_view>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "caserelay/v1/statistics_index.pb.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"
#include "domain/indicators/definitions.h"
#include "services/statistics/contribution.h"
#include "services/statistics/index_keys.h"

namespace caserelay::statistics {
namespace {

bool IsOpenDim(const std::string& dim) {
  return absl::StartsWith(dim, "dl/") && absl::EndsWith(dim, "/open");
}

}  // namespace

template <typename Keep>
absl::Status IndexReader::AddKey(const std::string& key, int sign, Keep keep,
                                 Dims* dims) const {
  auto value = store_->Get(kCountersFamily, key);
  if (!value.ok()) return value.status();
  if (!value->has_value()) return absl::OkStatus();
  caserelay::v1::StatisticsCounters counters;
  if (!counters.ParseFromString(**value)) {
    return absl::DataLossError(
        absl::StrCat("statistics: counters '", key, "' do not parse"));
  }
  for (const auto& [dim, n] : counters.counts()) {
    if (keep(dim)) (*dims)[dim] += sign * n;
  }
  return absl::OkStatus();
}

template <typename Visit>
absl::Status IndexReader::DueCases(absl::Time from, absl::Time to,
                                    Visit visit) const {
  std::set<std::string> cases;
  absl::Status scan = store_->Scan(
      kDuesFamily, DueKey(from, ""), DueKey(to, ""),
      [&](std::string_view key, std::string_view) {
        cases.insert(std::string(CaseOfDueKey(key)));
        return true;
      });
  if (!scan.ok()) return scan;
  for (const std::string& id : cases) {
    auto value = store_->Get(kCasesFamily, id);
    if (!value.ok()) return value.status();
    if (!value->has_value()) continue;
    caserelay::v1::StatisticsCaseRecord record;
    if (!record.ParseFromString(**value)) {
      return absl::DataLossError(
          absl::StrCat("statistics: case record '", id, "' does not parse"));
    }
    visit(record);
  }
  return absl::OkStatus();
}

absl::StatusOr<Dims> IndexReader::Sum(
    const std::string& scope, const std::vector<std::string>& buckets) const {
  Dims dims;
  for (const std::string& b : buckets) {
    if (absl::Status s = AddKey(CounterKey(scope, b), 1,
                                [](const std::string&) { return true; }, &dims);
        !s.ok()) {
      return s;
    }
  }
  return dims;
}

absl::StatusOr<Dims> IndexReader::PeriodDims(const std::string& scope,
                                             absl::CivilDay from,
                                             absl::CivilDay to,
                                             absl::Time now,
                                             bool ends_now) const {
  const absl::CivilDay today = time::ChinaDay(now);
  auto all = [](const std::string&) { return true; };
  Dims dims;
  // The days before today: every item as stored.
  for (const std::string& b : Decompose(from, std::min(to, today))) {
    if (absl::Status s = AddKey(CounterKey(scope, b), 1, all, &dims); !s.ok()) {
      return s;
    }
  }
  // The days after today: no open deadline is due yet.
  for (const std::string& b : Decompose(std::max(from, today + 1), to)) {
    if (absl::Status s = AddKey(CounterKey(scope, b), 1,
                                [](const std::string& d) { return !IsOpenDim(d); },
                                &dims);
        !s.ok()) {
      return s;
    }
  }
  if (from <= today && today < to) {
    if (absl::Status s = AddKey(CounterKey(scope, DayBucket(today)), 1, all,
                                &dims);
        !s.ok()) {
      return s;
    }
    // Today's deadlines due after now: an open one is not due yet; and
    // when the period ends now, none of them is in it.
    ScopeResolver scopes(tree_);
    const absl::Time cut = ends_now ? now : now + absl::Microseconds(1);
    const absl::Time tomorrow = time::StartOf(today + 1);
    absl::Status s = DueCases(
        cut, tomorrow, [&](const caserelay::v1::StatisticsCaseRecord& record) {
          for (const auto& d : record.deadlines()) {
            if (d.state() == caserelay::v1::DEADLINE_STATE_PAUSED) continue;
            if (d.has_ended_at() && !ends_now) continue;
            const absl::Time due = time::FromProto(d.due_at());
            if (due < cut || due >= tomorrow) continue;
            std::string_view state = "open";
            if (d.has_ended_at()) {
              state = indicators::InTime(d) ? "in" : "late";
            }
            for (const std::string& sc : scopes.ScopesOf(d.office_code())) {
              if (sc == scope) --dims[DeadlineDim(d.kind(), state)];
            }
          }
        });
    if (!s.ok()) return s;
  }
  return dims;
}

absl::StatusOr<int64_t> IndexReader::Backlog(const std::string& scope,
                                             absl::Time as_of) const {
  const absl::CivilDay day = time::ChinaDay(as_of);
  const bool partial = time::StartOf(day) != as_of;
  auto backlog = [](const std::string& d) {
    return d == "bl/in" || d == "bl/out";
  };
  Dims dims;
  // Every stored year before as_of's year, then its months and days.
  std::vector<std::string> years;
  absl::Status scan = store_->Scan(
      kCountersFamily, CounterKey(scope, "y"),
      CounterKey(scope, YearBucket(day)),
      [&](std::string_view key, std::string_view) {
        years.emplace_back(key);
        return true;
      });
  if (!scan.ok()) return scan;
  for (const std::string& key : years) {
    if (absl::Status s = AddKey(key, 1, backlog, &dims); !s.ok()) return s;
  }
  std::vector<std::string> buckets =
      Decompose(absl::CivilDay(day.year(), 1, 1), day);
  if (partial) buckets.push_back(DayBucket(day));
  for (const std::string& b : buckets) {
    if (absl::Status s = AddKey(CounterKey(scope, b), 1, backlog, &dims);
        !s.ok()) {
      return s;
    }
  }
  int64_t n = dims["bl/in"] - dims["bl/out"];
  if (partial) {
    // as_of is now: the overdue intervals starting later today have not
    // started yet (each starts at a deadline's due).
    ScopeResolver scopes(tree_);
    absl::Status s = DueCases(
        as_of, time::StartOf(day + 1),
        [&](const caserelay::v1::StatisticsCaseRecord& record) {
          for (absl::Time start : BacklogStarts(record, scope, scopes)) {
            if (start >= as_of && start < time::StartOf(day + 1)) --n;
          }
        });
    if (!s.ok()) return s;
  }
  return n;
}

absl::StatusOr<std::vector<std::string>> IndexReader::OfficesOf(
    const std::string& scope) const {
  Dims dims;
  if (absl::Status s = AddKey(
          CounterKey(scope, kAllBucket), 1,
          [](const std::string& d) { return absl::StartsWith(d, "of/"); }, &dims);
      !s.ok()) {
    return s;
  }
  std::vector<std::string> offices;
  for (const auto& [dim, n] : dims) {
    if (n > 0) offices.push_back(dim.substr(3));
  }
  return offices;
}

}  // namespace caserelay::statistics
