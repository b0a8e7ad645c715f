// The indicators (考核指标) offices are judged by, DOMAIN.md "Supervision"
// (practice, not statute), computed over supervision's case records for a
// scope of offices and a period [from, to). These are the definitions of
// `caserelay.v1.Indicators` (supervision.proto); the two must agree.
//
// Scope. An office (its code "<region>:<unit>") is in scope if
// scope.office_code is set and equals it (region_code and level are then
// ignored); otherwise if its region lies in scope.region_code's subtree
// (RegionTree::IsWithin; empty region_code: every region) and, if
// scope.level is set, its region's level is that level. An office whose
// code is malformed or whose region the tree does not know is never in
// scope: its items are skipped (no field counts them).
//
// Time. as_of = min(to, now); `to` unset means now, `from` unset means the
// Unix epoch.
//
// Deadline-based rates, over record.deadlines (DOMAIN.md "Deadlines"). A
// deadline is *counted* if
//   - its office is in scope,
//   - from <= due_at < to,
//   - it is not PAUSED (听证: its clock is stopped and its due not yet
//     fixed, so it is neither in time nor late), and
//   - it has ended (ended_at set) or come due (due_at <= as_of).
// A counted deadline is *in time* iff its state is DONE (routing stopped
// listing it before it fell due); MISSED (ended late or still open) and
// ARMED past its due (open, its miss not yet fired) count against.
//   及时受理率 (bureau)          timely_acceptance_bureau: TRANSFER
//       deadlines (register, then 转送/交办 within 15 days) in time /
//       counted;
//   及时受理率 (handling unit)   timely_acceptance_handling: ACCEPTANCE
//       deadlines (notice within 15 days) in time / counted;
//   按期办结率 on-time completion on_time_completion: HANDLING and
//       SIMPLIFIED deadlines in time by their (extended) due / counted.
//
// Reply-based rates, over the cases *replied* in the period: facts.replied_at
// (the first 处理意见) in [from, to) and facts.handling_office_code in scope.
//   参评率 evaluation rate    evaluation: replied cases evaluated
//       (facts.satisfaction set) / replied;
//   群众满意率 satisfaction    satisfaction: evaluated as 满意 (SATISFIED)
//       or 基本满意 (BASICALLY) / evaluated;
//   一次性化解率 first-pass resolution  first_pass_resolution: replied
//       cases with no 复查 requested and no repeat petition linked
//       (!review_requested, repeats_linked == 0) / replied.
// These read the case's facts as they are now, not as they were at `to`:
// an evaluation, a review request or a repeat that comes after `to` still
// counts for a case replied in the period (the facts keep no time for
// them), so a past period's figures can change until its cases settle.
//
// Petition-based rates, over the petitions *received* in the period:
// facts.received_at in [from, to) and facts.registering_office_code (the
// bureau that registered it) in scope.
//   重复信访率 repeat rate   repeat: disposition LINKED_REPEAT (linked to
//       the open case of the matter) or REFUSED_TERMINATED (信访终结, not
//       accepted again) / received;
//   越级访率 level-skipping  level_skipping: disposition REDIRECT (越级走访,
//       or in progress below: sent to the competent level) / received.
//
// 积案 backlog: the number of cases with at least one deadline, of any
// kind, of an in-scope office that was overdue at as_of: due_at < as_of,
// not PAUSED, and not ended by then (ended_at unset or ended_at > as_of).
// `from` does not bound it.
//
// Rate.value = numerator / denominator, set only when denominator > 0.
//
// Breakdown rows. Each item is attributed to one office: a deadline to its
// office, a replied case to its handling office, a received petition to
// its registering office. BREAKDOWN_OFFICE: one row per office code;
// BREAKDOWN_LEVEL: one row per level of the office's region, keyed
// "province", "city", "county" or "township". Rows are sorted by key
// (plain string order) and only keys with any item (a denominator > 0 or
// a backlog > 0) have a row. A case with overdue deadlines of two offices
// counts once in `total` and once in each of their rows, so rows' backlogs
// may add up to more than the total.

#ifndef CASERELAY_SERVICES_SUPERVISION_INDICATORS_H_
#define CASERELAY_SERVICES_SUPERVISION_INDICATORS_H_

#include <map>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "caserelay/v1/records.pb.h"
#include "caserelay/v1/supervision.pb.h"
#include "common/region/region_tree.h"

namespace caserelay::supervision {

// Accumulates the indicators of one GetIndicatorsRequest over case records
// fed one by one (Add), then answers (Result).
//
// Copyable and movable; holds a pointer to the RegionTree given to Create,
// which must outlive it and its copies. Not thread-safe: confine each
// calculator to one thread (const Result() may run concurrently with other
// const calls).
class IndicatorCalculator {
 public:
  // A calculator for `request` (scope, period, breakdown) as of `now`
  // (supervision's clock), resolving regions in `tree`.
  //
  // Returns INVALID_ARGUMENT if from >= to (after `to` defaults to `now`),
  // if scope.office_code is set and not "<region>:<unit>", or if
  // scope.level or breakdown is not a known enum value; NOT_FOUND if the
  // scope's region (scope.region_code, or the region of scope.office_code
  // when that is set) is not in `tree`. When scope.office_code is set,
  // scope.region_code and scope.level are ignored, not checked.
  static absl::StatusOr<IndicatorCalculator> Create(
      const region::RegionTree& tree,
      const caserelay::v1::GetIndicatorsRequest& request, absl::Time now);

  // Counts `record` (its deadlines and facts) by the definitions above.
  // Adding the same case twice counts it twice.
  void Add(const caserelay::v1::SupervisionCaseRecord& record);

  // The indicators of every record added so far: from and to (to as
  // resolved), total (key ""), and the breakdown's rows sorted by key.
  caserelay::v1::GetIndicatorsResponse Result() const;

 private:
  // What the scope says of one office code.
  struct OfficeInfo {
    bool in_scope = false;
    std::string level;  // LevelName of its region's level, if in scope
  };

  IndicatorCalculator(const region::RegionTree* tree,
                      const caserelay::v1::GetIndicatorsRequest& request,
                      absl::Time from, absl::Time to, absl::Time as_of);

  // The office's scope and level, computed once per office code. The
  // reference is valid until the next call.
  const OfficeInfo& Office(const std::string& office_code);

  // The row key an item of the office goes to; "" for no breakdown.
  std::string RowKey(const std::string& office_code,
                     const OfficeInfo& info) const;

  // Applies `count` to the total and to `office_code`'s row (if any).
  template <typename F>
  void Count(const std::string& office_code, const OfficeInfo& info, F count);

  void AddDeadline(const caserelay::v1::Deadline& deadline);
  void AddFacts(const caserelay::v1::SupervisionCaseFacts& facts);
  void AddBacklog(const caserelay::v1::SupervisionCaseRecord& record);

  // Const after construction.
  const region::RegionTree* tree_;
  caserelay::v1::IndicatorScope scope_;
  caserelay::v1::Breakdown breakdown_;
  absl::Time from_;
  absl::Time to_;
  absl::Time as_of_;  // min(to, now)

  // Accumulated by Add.
  absl::flat_hash_map<std::string, OfficeInfo> offices_;
  caserelay::v1::Indicators total_;
  std::map<std::string, caserelay::v1::Indicators> rows_;  // by key
};

}  // namespace caserelay::supervision

#endif  // CASERELAY_SERVICES_SUPERVISION_INDICATORS_H_
