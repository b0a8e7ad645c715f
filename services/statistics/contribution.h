// What one case contributes to the statistics' index (index_keys.h): the
// counts it adds under each scope and bucket, computed from its record
// alone. An event changes the record; the index then takes the old
// contribution out and puts the new one in (Diff), so a case moves from one
// bucket to another (a reply, a rating, a deadline ending late) and an
// event applied twice changes nothing.
//
// Items and dimensions (the definitions are domain/indicators/
// definitions.h and statistics.proto VolumeFigures):
//   a case received   at facts.received_at, under the registering bureau:
//       "cases"; "ch/<channel>"; "cat/<category>"; "cls/<matter class>";
//       "repeat" (IsRepeat); "skip" (IsLevelSkipping); "accepted" (an
//       ACCEPT applied) or else "not_accepted" (a disposition that does not
//       handle the petition, or a DECLINE); "replied" and "out/<outcome>"
//       once replied; "rate/<rating>" once evaluated;
//   a deadline        at due_at, under its office, unless PAUSED:
//       "dl/<kind number>/in" (ended in time, InTime), ".../late" (ended,
//       not in time) or ".../open" (not ended); each is also listed in
//       the dues index (DueKey) for the queries of today;
//   a reply           at facts.replied_at, under the handling office:
//       "rp/n"; "rp/eval" (IsEvaluated); "rp/sat" (evaluated and
//       IsSatisfied); "rp/first" (IsFirstPass);
//   a 督办             at its SUPERVISE time, under the late office:
//       "sup/<level>"; a manual one (issue 18 item 4) also
//       "sup_src/manual" (the automatic ones are the rest, so counters
//       written before issue 18 stay right);
//   issue 18, with the case received (as "cases"): a head count h above
//       one (群体访 / 联名, item 3) "group" and "persons/extra" h - 1 (人次
//       = cases + persons/extra: an index written before stays right); a
//       visit registered at a reception (item 1) "rcp/batches" (批次) and
//       "rcp/persons" h (人次, h at least 1); a REPLY on the spot
//       "spot" (当场解决);
//   issue 18's acts (case_record.h), at the event's time under the act's
//       office: TAKE_CHARGE "charge" (包案), RECOMMEND "rec/<kind>",
//       ESCALATE "esc" (提级), CORRECT "cor" (更正), FOLLOW_UP
//       "fu/<view>" (回访);
//   积案 backlog       per scope, the case is overdue over the union of the
//       open intervals (due_at, ended_at) of its not-PAUSED deadlines of
//       the scope's offices (ended_at unset: no end); each interval
//       (s, e) adds "bl/in" at s and "bl/out" at e - 1 µs, so that the
//       backlog at a day's start T is the sum of bl/in - bl/out over the
//       buckets before T (due < T and not ended by T: indicators.h).
// Every item also counts "of/<office>" under each region scope's "all"
// bucket: the offices a breakdown by office lists.
//
// Pure: no I/O. Thread safety: as ScopeResolver (one thread).

#ifndef CASERELAY_SERVICES_STATISTICS_CONTRIBUTION_H_
#define CASERELAY_SERVICES_STATISTICS_CONTRIBUTION_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "caserelay/v1/statistics_index.pb.h"
#include "services/statistics/index_keys.h"

namespace caserelay::statistics {

// counter key -> dimension -> count (or delta, in Diff's answer).
using CountsByKey = std::map<std::string, std::map<std::string, int64_t>>;

struct Contribution {
  CountsByKey counts;
  std::set<std::string> due_keys;  // DueKey of each deadline not PAUSED
};

// The dimension names (file comment).
std::string ChannelKey(caserelay::v1::Channel channel);  // "online", ...
std::string MatterClassKey(caserelay::v1::MatterClass c);  // "claim", ...
std::string OutcomeKey(caserelay::v1::Outcome outcome);    // "support", ...
std::string RatingKey(caserelay::v1::Satisfaction s);      // "satisfied", ...
std::string SupervisionKey(caserelay::v1::SupervisionLevel level);  // "letter"
// Issue 18's keys (statistics.proto VolumeFigures 24, 25, 28).
inline constexpr char kAutomaticSource[] = "automatic";
inline constexpr char kManualSource[] = "manual";
// "automatic" (also for UNSPECIFIED: events before issue 18) or "manual".
std::string SupervisionSourceKey(caserelay::v1::SupervisionSource source);
// "improvement" (改进工作建议), "accountability" (追责建议).
std::string RecommendationKey(caserelay::v1::RecommendationKind kind);
// "agree" (认同), "basically" (基本认同), "disagree" (不认同): the words
// of domain/names FollowUpViewNames.
std::string FollowUpViewKey(caserelay::v1::FollowUpView view);
// The persons (人次) of a case: its head count, at least 1.
int64_t PersonsOf(const caserelay::v1::StatisticsCaseRecord& record);
// "dl/<kind number>/<state>", state "in", "late" or "open".
std::string DeadlineDim(caserelay::v1::DeadlineKind kind,
                        std::string_view state);

// The dues index's key of a deadline of `case_id` due at `due`: 8
// bytes big-endian µs since the epoch, then the case id.
std::string DueKey(absl::Time due, std::string_view case_id);
// The due time of an DueKey; InfinitePast for a key shorter than 8 bytes.
absl::Time DueOfDueKey(std::string_view key);
// The case id of an DueKey.
std::string_view CaseOfDueKey(std::string_view key);

// The contribution of `record` by the rules above.
Contribution Contribute(const caserelay::v1::StatisticsCaseRecord& record,
                        ScopeResolver& scopes);

// The backlog intervals' starts of `record` under `scope` (the merged
// intervals of the file comment): for the queries of today.
std::vector<absl::Time> BacklogStarts(
    const caserelay::v1::StatisticsCaseRecord& record, std::string_view scope,
    ScopeResolver& scopes);

// new - old, per key and dimension, without the zero deltas.
CountsByKey Diff(const CountsByKey& old_counts, const CountsByKey& new_counts);

}  // namespace caserelay::statistics

#endif  // CASERELAY_SERVICES_STATISTICS_CONTRIBUTION_H_
