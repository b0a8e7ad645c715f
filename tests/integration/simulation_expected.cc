// The test's own computation of the indicators and the red-light board
// from the script (simulation_script.h), by the definitions written on
// supervision.proto `Indicators`, without the service's code or data: the
// regions of the script's offices are spelled out below.

#include <algorithm>
#include <map>
#include <set>

#include "tests/integration/simulation_script.h"

namespace caserelay::testing::sim {
namespace {

using caserelay::v1::Indicators;
using caserelay::v1::Rate;

std::string LevelName(const std::string& region) {
  if (region.size() == 9) return "township";
  if (region == "140000") return "province";
  if (region == "140400") return "city";
  return "county";
}

caserelay::v1::OfficeLevel Level(const std::string& region) {
  if (region.size() == 9) return caserelay::v1::OFFICE_LEVEL_TOWNSHIP;
  if (region == "140000") return caserelay::v1::OFFICE_LEVEL_PROVINCE;
  if (region == "140400") return caserelay::v1::OFFICE_LEVEL_CITY;
  return caserelay::v1::OFFICE_LEVEL_COUNTY;
}

std::string RegionOf(const std::string& office) {
  return office.substr(0, office.find(':'));
}

bool InScope(const caserelay::v1::IndicatorScope& scope,
             const std::string& office) {
  if (!scope.office_code().empty()) return office == scope.office_code();
  const std::string region = RegionOf(office);
  return RegionWithin(region, scope.region_code()) &&
         (scope.level() == caserelay::v1::OFFICE_LEVEL_UNSPECIFIED ||
          Level(region) == scope.level());
}

void Tally(Rate* rate, bool hit) {
  rate->set_denominator(rate->denominator() + 1);
  if (hit) rate->set_numerator(rate->numerator() + 1);
}

Rate* RateOf(DeadlineKind kind, Indicators* i) {
  switch (kind) {
    case DeadlineKind::kTransfer:
      return i->mutable_timely_acceptance_bureau();
    case DeadlineKind::kAcceptance:
      return i->mutable_timely_acceptance_handling();
    case DeadlineKind::kHandling:
    case DeadlineKind::kSimplified:
      return i->mutable_on_time_completion();
    default:
      return nullptr;
  }
}

void SetValues(Indicators* i) {
  for (Rate* r :
       {i->mutable_timely_acceptance_bureau(),
        i->mutable_timely_acceptance_handling(),
        i->mutable_on_time_completion(), i->mutable_evaluation(),
        i->mutable_satisfaction(), i->mutable_repeat(),
        i->mutable_level_skipping(), i->mutable_first_pass_resolution()}) {
    if (r->denominator() > 0) {
      r->set_value(static_cast<double>(r->numerator()) /
                   static_cast<double>(r->denominator()));
    }
  }
}

class Tallies {
 public:
  explicit Tallies(const Query& q) : q_(q) {}

  // Applies `f` to the total and the office's row, if it is in scope.
  template <typename F>
  void Count(const std::string& office, F f) {
    if (!InScope(q_.scope, office)) return;
    f(&total_);
    const std::string key = Key(office);
    if (key.empty()) return;
    Indicators& row = rows_[key];
    row.set_key(key);
    f(&row);
  }

  std::string Key(const std::string& office) const {
    switch (q_.breakdown) {
      case caserelay::v1::BREAKDOWN_OFFICE:
        return office;
      case caserelay::v1::BREAKDOWN_LEVEL:
        return LevelName(RegionOf(office));
      default:
        return "";
    }
  }

  Indicators* total() { return &total_; }
  std::map<std::string, Indicators>& rows() { return rows_; }

 private:
  const Query& q_;
  Indicators total_;
  std::map<std::string, Indicators> rows_;
};

}  // namespace

// GB/T 2260: 沁源县 and 沁县 in 长治市, 山西省.
std::string ParentRegion(const std::string& region) {
  if (region.size() == 9) return region.substr(0, 6);
  if (region == "140000") return "";
  if (region == "140400") return "140000";
  return "140400";  // 140430 沁县, 140431 沁源县
}

bool RegionWithin(std::string region, const std::string& root) {
  if (root.empty()) return true;
  for (; !region.empty(); region = ParentRegion(region)) {
    if (region == root) return true;
  }
  return false;
}

caserelay::v1::GetIndicatorsResponse Expected(const Script& script,
                                              const Query& q) {
  Tallies t(q);
  // A deadline due at the end of day d has due_at = d + 1 at 00:00: in
  // [from, to) iff from_day - 1 <= d <= to_day - 2. The ranges are clean
  // of every boundary, so lo decides. as_of = to (the clock ends at or
  // after every query's `to`).
  auto due_in_period = [&](const Deadline& d) {
    return d.lo >= q.from_day - 1 && d.lo <= q.to_day - 2;
  };
  for (const Case& c : script.cases) {
    std::set<std::string> overdue_keys;
    bool overdue = false;
    for (const Deadline& d : c.deadlines) {
      if (RateOf(d.kind, t.total()) != nullptr && due_in_period(d)) {
        const bool in_time = !d.late && d.end != kNever;
        t.Count(d.office,
                [&](Indicators* i) { Tally(RateOf(d.kind, i), in_time); });
      }
      // 积案: due before `to`, not ended by then (an action of day e is
      // after `to` iff e >= to_day).
      if (d.lo <= q.to_day - 2 && (d.end == kNever || d.end >= q.to_day) &&
          InScope(q.scope, d.office)) {
        overdue = true;
        const std::string key = t.Key(d.office);
        if (!key.empty()) overdue_keys.insert(key);
      }
    }
    if (overdue) t.total()->set_backlog(t.total()->backlog() + 1);
    for (const std::string& key : overdue_keys) {
      Indicators& row = t.rows()[key];
      row.set_key(key);
      row.set_backlog(row.backlog() + 1);
    }
    if (c.reply_day >= q.from_day && c.reply_day < q.to_day) {
      const bool evaluated =
          c.satisfaction != caserelay::v1::SATISFACTION_UNSPECIFIED;
      const bool satisfied =
          c.satisfaction == caserelay::v1::SATISFACTION_SATISFIED ||
          c.satisfaction == caserelay::v1::SATISFACTION_BASICALLY;
      const bool first_pass = !c.review_requested && c.repeats == 0;
      t.Count(Routes()[c.route].target, [&](Indicators* i) {
        Tally(i->mutable_evaluation(), evaluated);
        if (evaluated) Tally(i->mutable_satisfaction(), satisfied);
        Tally(i->mutable_first_pass_resolution(), first_pass);
      });
    }
  }
  for (const Petition& p : script.petitions) {
    if (p.day < q.from_day || p.day >= q.to_day) continue;
    t.Count(p.registering, [&](Indicators* i) {
      Tally(i->mutable_repeat(), p.type == PetitionType::kRepeat);
      Tally(i->mutable_level_skipping(), p.type == PetitionType::kRedirect);
    });
  }
  caserelay::v1::GetIndicatorsResponse out;
  *out.mutable_total() = *t.total();
  SetValues(out.mutable_total());
  for (auto& [key, row] : t.rows()) {
    Indicators* r = out.add_rows();
    *r = row;
    SetValues(r);
  }
  return out;
}

std::vector<RedLight> ExpectedRedLights(const Script& script,
                                        const std::string& region_code) {
  std::vector<RedLight> lights;
  for (int i = 0; i < static_cast<int>(script.cases.size()); ++i) {
    for (const Deadline& d : script.cases[i].deadlines) {
      // Missed by the end (due at the end of a day before it) and still
      // running.
      if (d.late && d.end == kNever && d.hi < kEndDay &&
          RegionWithin(RegionOf(d.office), region_code)) {
        lights.push_back({i, d});
      }
    }
  }
  std::stable_sort(lights.begin(), lights.end(),
                   [](const RedLight& a, const RedLight& b) {
                     return a.deadline.lo < b.deadline.lo;
                   });
  return lights;
}

}  // namespace caserelay::testing::sim
