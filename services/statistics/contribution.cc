#include "services/statistics/contribution.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/time/timestamp.h"
#include "domain/indicators/definitions.h"
#include "domain/names/names.h"

namespace caserelay::statistics {
namespace {

using caserelay::v1::Deadline;
using caserelay::v1::StatisticsCaseRecord;

// Adds the items of one case to a Contribution.
class Adder {
 public:
  Adder(ScopeResolver& scopes, Contribution* out) : scopes_(scopes), out_(out) {}

  // Counts `dim` (`n` times) for the item of `office` at `t` under every
  // scope and bucket it lies in.
  void Add(const std::string& office, absl::Time t, const std::string& dim,
           int64_t n = 1) {
    const std::vector<std::string>& scopes = scopes_.ScopesOf(office);
    if (scopes.empty()) return;
    const std::vector<std::string> buckets = BucketsOf(t);
    const std::string presence = absl::StrCat("of/", office);
    for (const std::string& scope : scopes) {
      for (const std::string& bucket : buckets) {
        out_->counts[CounterKey(scope, bucket)][dim] += n;
      }
      if (scope.rfind("r:", 0) == 0) {
        ++out_->counts[CounterKey(scope, kAllBucket)][presence];
      }
    }
  }

 private:
  ScopeResolver& scopes_;
  Contribution* out_;
};

bool NotHandled(caserelay::v1::Disposition d) {
  return d == caserelay::v1::DISPOSITION_NOT_ACCEPTED ||
         d == caserelay::v1::DISPOSITION_REDIRECT ||
         d == caserelay::v1::DISPOSITION_LINKED_REPEAT ||
         d == caserelay::v1::DISPOSITION_REFUSED_TERMINATED;
}

void AddCase(const StatisticsCaseRecord& r, Adder& add) {
  const auto& f = r.facts();
  if (!f.has_received_at() || f.registering_office_code().empty()) return;
  const std::string& office = f.registering_office_code();
  const absl::Time t = time::FromProto(f.received_at());
  add.Add(office, t, "cases");
  add.Add(office, t, absl::StrCat("ch/", ChannelKey(r.channel())));
  if (!r.category().empty()) {
    add.Add(office, t, absl::StrCat("cat/", r.category()));
  }
  add.Add(office, t, absl::StrCat("cls/", MatterClassKey(r.matter_class())));
  if (indicators::IsRepeat(f.disposition())) add.Add(office, t, "repeat");
  if (indicators::IsLevelSkipping(f.disposition())) add.Add(office, t, "skip");
  if (r.accepted()) {
    add.Add(office, t, "accepted");
  } else if (NotHandled(f.disposition()) || r.declined()) {
    add.Add(office, t, "not_accepted");
  }
  if (f.has_replied_at()) {
    add.Add(office, t, "replied");
    add.Add(office, t, absl::StrCat("out/", OutcomeKey(r.outcome())));
  }
  if (indicators::IsEvaluated(f.satisfaction())) {
    add.Add(office, t, absl::StrCat("rate/", RatingKey(f.satisfaction())));
  }
}

// Issue 18's figures of a case received (the registering bureau, at
// received_at): persons beyond one and 群体访, 接访 批次/人次, 当场解决.
void AddGroupAndReception(const StatisticsCaseRecord& r, Adder& add) {
  const auto& f = r.facts();
  if (!f.has_received_at() || f.registering_office_code().empty()) return;
  const std::string& office = f.registering_office_code();
  const absl::Time t = time::FromProto(f.received_at());
  const int64_t persons = PersonsOf(r);
  if (persons > 1) {
    add.Add(office, t, "group");
    add.Add(office, t, "persons/extra", persons - 1);
  }
  if (r.at_reception()) {
    add.Add(office, t, "rcp/batches");
    add.Add(office, t, "rcp/persons", persons);
  }
  if (r.on_the_spot()) add.Add(office, t, "spot");
}

// Issue 18's actions, each under its office at its time.
void AddActs(const StatisticsCaseRecord& r, Adder& add) {
  for (const caserelay::v1::StatisticsAct& act : r.acts()) {
    if (act.office_code().empty()) continue;
    const absl::Time t = time::FromProto(act.at());
    switch (act.action()) {
      case caserelay::v1::CASE_ACTION_TAKE_CHARGE:
        add.Add(act.office_code(), t, "charge");
        break;
      case caserelay::v1::CASE_ACTION_RECOMMEND:
        add.Add(act.office_code(), t,
                absl::StrCat("rec/", RecommendationKey(act.recommendation())));
        break;
      case caserelay::v1::CASE_ACTION_ESCALATE:
        add.Add(act.office_code(), t, "esc");
        break;
      case caserelay::v1::CASE_ACTION_CORRECT:
        add.Add(act.office_code(), t, "cor");
        break;
      case caserelay::v1::CASE_ACTION_FOLLOW_UP:
        add.Add(act.office_code(), t,
                absl::StrCat("fu/", FollowUpViewKey(act.view())));
        break;
      default:
        break;
    }
  }
}

void AddDeadlines(const StatisticsCaseRecord& r, Adder& add,
                  Contribution* out) {
  for (const Deadline& d : r.deadlines()) {
    if (d.state() == caserelay::v1::DEADLINE_STATE_PAUSED) continue;
    const absl::Time due = time::FromProto(d.due_at());
    std::string_view state = "open";
    if (d.has_ended_at()) state = indicators::InTime(d) ? "in" : "late";
    out->due_keys.insert(DueKey(due, r.case_id()));
    add.Add(d.office_code(), due, DeadlineDim(d.kind(), state));
  }
}

void AddReply(const StatisticsCaseRecord& r, Adder& add) {
  const auto& f = r.facts();
  if (!f.has_replied_at()) return;
  const std::string& office = f.handling_office_code();
  const absl::Time t = time::FromProto(f.replied_at());
  add.Add(office, t, "rp/n");
  if (indicators::IsEvaluated(f.satisfaction())) {
    add.Add(office, t, "rp/eval");
    if (indicators::IsSatisfied(f.satisfaction())) add.Add(office, t, "rp/sat");
  }
  if (indicators::IsFirstPass(f)) add.Add(office, t, "rp/first");
}

void AddSupervisions(const StatisticsCaseRecord& r, Adder& add) {
  for (const auto& s : r.supervisions()) {
    const absl::Time t = time::FromProto(s.issued_at());
    add.Add(s.target_office_code(), t,
            absl::StrCat("sup/", SupervisionKey(s.level())));
    if (SupervisionSourceKey(s.source()) == kManualSource) {
      add.Add(s.target_office_code(), t, "sup_src/manual");
    }
  }
}

struct Interval {
  absl::Time start;
  absl::Time end;  // InfiniteFuture: not ended
};

// scope -> the merged overdue intervals of the case's deadlines of the
// scope's offices.
std::map<std::string, std::vector<Interval>> Backlog(
    const StatisticsCaseRecord& r, ScopeResolver& scopes) {
  std::map<std::string, std::vector<Interval>> by_scope;
  for (const Deadline& d : r.deadlines()) {
    if (d.state() == caserelay::v1::DEADLINE_STATE_PAUSED) continue;
    const absl::Time due = time::FromProto(d.due_at());
    const absl::Time end = d.has_ended_at() ? time::FromProto(d.ended_at())
                                            : absl::InfiniteFuture();
    if (end <= due) continue;  // ended by its due: never overdue
    for (const std::string& scope : scopes.ScopesOf(d.office_code())) {
      by_scope[scope].push_back({due, end});
    }
  }
  for (auto& [scope, intervals] : by_scope) {
    std::sort(intervals.begin(), intervals.end(),
              [](const Interval& a, const Interval& b) {
                return a.start < b.start;
              });
    std::vector<Interval> merged;
    for (const Interval& i : intervals) {
      // Open intervals: (a, b) and (b, c) do not overlap (at b neither
      // deadline is overdue).
      if (!merged.empty() && i.start < merged.back().end) {
        merged.back().end = std::max(merged.back().end, i.end);
      } else {
        merged.push_back(i);
      }
    }
    intervals = std::move(merged);
  }
  return by_scope;
}

void AddBacklog(const StatisticsCaseRecord& r, ScopeResolver& scopes,
                Contribution* out) {
  for (const auto& [scope, intervals] : Backlog(r, scopes)) {
    for (const Interval& i : intervals) {
      for (const std::string& b : BucketsOf(i.start)) {
        ++out->counts[CounterKey(scope, b)]["bl/in"];
      }
      if (i.end == absl::InfiniteFuture()) continue;
      for (const std::string& b : BucketsOf(i.end - absl::Microseconds(1))) {
        ++out->counts[CounterKey(scope, b)]["bl/out"];
      }
    }
  }
}

std::string LowerName(std::string_view enum_name, std::string_view prefix) {
  std::string s(enum_name.substr(std::min(prefix.size(), enum_name.size())));
  for (char& c : s) c = static_cast<char>(std::tolower(c));
  return s.empty() ? "unspecified" : s;
}

}  // namespace

std::string ChannelKey(caserelay::v1::Channel channel) {
  return LowerName(caserelay::v1::Channel_Name(channel), "CHANNEL_");
}
std::string MatterClassKey(caserelay::v1::MatterClass c) {
  return LowerName(caserelay::v1::MatterClass_Name(c), "MATTER_CLASS_");
}
std::string OutcomeKey(caserelay::v1::Outcome outcome) {
  return LowerName(caserelay::v1::Outcome_Name(outcome), "OUTCOME_");
}
std::string RatingKey(caserelay::v1::Satisfaction s) {
  return LowerName(caserelay::v1::Satisfaction_Name(s), "SATISFACTION_");
}
std::string SupervisionKey(caserelay::v1::SupervisionLevel level) {
  return LowerName(caserelay::v1::SupervisionLevel_Name(level),
                   "SUPERVISION_LEVEL_");
}
std::string SupervisionSourceKey(caserelay::v1::SupervisionSource source) {
  return source == caserelay::v1::SUPERVISION_SOURCE_MANUAL ? kManualSource
                                                            : kAutomaticSource;
}
std::string RecommendationKey(caserelay::v1::RecommendationKind kind) {
  return LowerName(caserelay::v1::RecommendationKind_Name(kind),
                   "RECOMMENDATION_KIND_");
}
std::string FollowUpViewKey(caserelay::v1::FollowUpView view) {
  return names::NameOf(names::FollowUpViewNames(), view);
}
int64_t PersonsOf(const caserelay::v1::StatisticsCaseRecord& record) {
  return std::max<int64_t>(1, record.head_count());
}
std::string DeadlineDim(caserelay::v1::DeadlineKind kind,
                        std::string_view state) {
  return absl::StrCat("dl/", static_cast<int>(kind), "/", std::string(state));
}

std::string DueKey(absl::Time due, std::string_view case_id) {
  const uint64_t us = static_cast<uint64_t>(absl::ToUnixMicros(due));
  std::string key(8, '\0');
  for (int i = 0; i < 8; ++i) {
    key[i] = static_cast<char>((us >> (56 - 8 * i)) & 0xff);
  }
  return absl::StrCat(key, std::string(case_id));
}

absl::Time DueOfDueKey(std::string_view key) {
  if (key.size() < 8) return absl::InfinitePast();
  uint64_t us = 0;
  for (int i = 0; i < 8; ++i) {
    us = (us << 8) | static_cast<unsigned char>(key[i]);
  }
  return absl::FromUnixMicros(static_cast<int64_t>(us));
}

std::string_view CaseOfDueKey(std::string_view key) {
  return key.size() < 8 ? std::string_view() : key.substr(8);
}

Contribution Contribute(const StatisticsCaseRecord& record,
                        ScopeResolver& scopes) {
  Contribution out;
  Adder add(scopes, &out);
  AddCase(record, add);
  AddGroupAndReception(record, add);
  AddActs(record, add);
  AddDeadlines(record, add, &out);
  AddReply(record, add);
  AddSupervisions(record, add);
  AddBacklog(record, scopes, &out);
  return out;
}

std::vector<absl::Time> BacklogStarts(const StatisticsCaseRecord& record,
                                      std::string_view scope,
                                      ScopeResolver& scopes) {
  std::vector<absl::Time> starts;
  auto all = Backlog(record, scopes);
  auto it = all.find(std::string(scope));
  if (it == all.end()) return starts;
  for (const Interval& i : it->second) starts.push_back(i.start);
  return starts;
}

CountsByKey Diff(const CountsByKey& old_counts, const CountsByKey& new_counts) {
  CountsByKey delta;
  for (const auto& [key, dims] : new_counts) {
    for (const auto& [dim, n] : dims) delta[key][dim] += n;
  }
  for (const auto& [key, dims] : old_counts) {
    for (const auto& [dim, n] : dims) delta[key][dim] -= n;
  }
  for (auto it = delta.begin(); it != delta.end();) {
    auto& dims = it->second;
    for (auto d = dims.begin(); d != dims.end();) {
      d = d->second == 0 ? dims.erase(d) : std::next(d);
    }
    it = dims.empty() ? delta.erase(it) : std::next(it);
  }
  return delta;
}

}  // namespace caserelay::statistics
