// Escalation of supervision (督办升级): which instrument, if any, a missed
// deadline calls for, and which bureau issues it (DOMAIN.md "Supervision",
// Regulation Arts. 39-40: the petition bureau must supervise an organ that
// misses a deadline; instruments 督办函 and, as escalation, 挂牌督办).
//
// The rule, per office and case:
//   - an office's first miss on a case: a letter (督办函,
//     SUPERVISION_LEVEL_LETTER);
//   - a later miss by the same office on the same case after a letter:
//     listed supervision (挂牌督办, SUPERVISION_LEVEL_LISTED), issued once;
//   - after that, no more instruments: the misses show as red lights only;
//   - a miss whose due_at equals the due_at of the miss that caused the
//     office's last instrument is covered by that instrument (two deadlines
//     of one office falling due together, e.g. HANDLING and RESULT_REPORT,
//     are one lateness): no instrument.
//
// The issuer (the competent petition bureau, 信访局):
//   - letter: the bureau of the late office's region, where a township
//     counts as its county (RegionTree::CountyOf: a township's 信访办 does
//     not supervise the organs beside it); if the late office is that bureau
//     itself, the bureau of the parent region;
//   - listed: the bureau of the parent region of the letter's issuer.
//   Nothing is above a province in the tree: where a parent is needed at
//   the province, the province's bureau issues.
//
// Pure: no I/O (the directory and the tree are in-memory tables).
// Thread safety: stateless functions.

#ifndef CASERELAY_SERVICES_SUPERVISION_ESCALATION_H_
#define CASERELAY_SERVICES_SUPERVISION_ESCALATION_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "caserelay/v1/events.pb.h"
#include "caserelay/v1/records.pb.h"
#include "common/region/region_tree.h"
#include "domain/offices/office_directory.h"
#include "google/protobuf/repeated_ptr_field.h"

namespace caserelay::supervision {

// What the rule decides for one miss, before the issuer is known.
struct EscalationStep {
  // LETTER or LISTED; UNSPECIFIED: no instrument (covered, or the office
  // was already listed).
  caserelay::v1::SupervisionLevel level =
      caserelay::v1::SUPERVISION_LEVEL_UNSPECIFIED;
  // For LISTED: the issuer of the office's letter on the case.
  std::string letter_issuer;
};

// The level a miss of `office_code`'s deadline due at `missed_due` calls
// for, given the instruments `issued` on the case so far (oldest first).
EscalationStep NextStep(const google::protobuf::RepeatedPtrField<
                            caserelay::v1::SupervisionIssued>& issued,
                        std::string_view office_code, absl::Time missed_due);

// The bureau that issues an instrument of `level` to `target_office_code`
// (see the file comment); `letter_issuer` is EscalationStep::letter_issuer
// (used for LISTED only). NOT_FOUND (naming the code) if the target, or a
// LISTED's letter issuer, is not an office of the directory;
// INVALID_ARGUMENT for a malformed code or level UNSPECIFIED.
absl::StatusOr<offices::Office> IssuerOf(
    caserelay::v1::SupervisionLevel level, std::string_view target_office_code,
    std::string_view letter_issuer, const offices::OfficeDirectory& offices,
    const region::RegionTree& regions);

// How many of `office_code`'s deadlines on the case are MISSED: an
// instrument's miss_count, automatic or manual.
int MissesOf(const caserelay::v1::SupervisionCaseRecord& record,
             std::string_view office_code);

// The instrument a miss calls for. `record` is the case's record with
// `missed` (one of record.deadlines) already MISSED; its supervisions are
// those issued before. Returns nullopt when no instrument is due, the
// instrument (supervision_id "<case>/supervision/<n>", n = the count of
// instruments on the case after it, manual ones included, miss_count = the
// target office's MISSED deadlines on the case, source AUTOMATIC, ground
// MISSED_DEADLINE) otherwise. A manual 督办 on the case (manual_supervision.h)
// counts in NextStep like an automatic one of its level. The errors of IssuerOf(), e.g. NOT_FOUND
// when the late office is not in the directory.
absl::StatusOr<std::optional<caserelay::v1::SupervisionIssued>> Escalate(
    const caserelay::v1::SupervisionCaseRecord& record,
    const caserelay::v1::Deadline& missed,
    const offices::OfficeDirectory& offices, const region::RegionTree& regions);

}  // namespace caserelay::supervision

#endif  // CASERELAY_SERVICES_SUPERVISION_ESCALATION_H_
