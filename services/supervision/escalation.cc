#include "services/supervision/escalation.h"

#include "absl/strings/str_cat.h"
#include "common/time/timestamp.h"

namespace caserelay::supervision {
namespace {

using caserelay::v1::SupervisionIssued;
using caserelay::v1::SupervisionLevel;

// The region above `r`, or `r` itself for a province (nothing is above it
// in the tree).
const region::Region* ParentOrSelf(const region::Region* r,
                                   const region::RegionTree& regions) {
  if (r->parent_code.empty()) return r;
  const region::Region* parent = regions.Find(r->parent_code);
  return parent != nullptr ? parent : r;
}

}  // namespace

EscalationStep NextStep(
    const google::protobuf::RepeatedPtrField<SupervisionIssued>& issued,
    std::string_view office_code, absl::Time missed_due) {
  const SupervisionIssued* last = nullptr;
  const SupervisionIssued* letter = nullptr;
  bool listed = false;
  for (const SupervisionIssued& s : issued) {
    if (s.target_office_code() != office_code) continue;
    last = &s;
    if (s.level() == caserelay::v1::SUPERVISION_LEVEL_LETTER) letter = &s;
    if (s.level() == caserelay::v1::SUPERVISION_LEVEL_LISTED) listed = true;
  }
  EscalationStep step;
  if (last == nullptr) {
    step.level = caserelay::v1::SUPERVISION_LEVEL_LETTER;
    return step;
  }
  if (listed) return step;  // listed once: red lights only from now on
  if (time::FromProto(last->missed_due_at()) == missed_due) return step;
  if (letter == nullptr) return step;  // unreachable: the first is a letter
  step.level = caserelay::v1::SUPERVISION_LEVEL_LISTED;
  step.letter_issuer = letter->issuer_office_code();
  return step;
}

absl::StatusOr<offices::Office> IssuerOf(
    SupervisionLevel level, std::string_view target_office_code,
    std::string_view letter_issuer, const offices::OfficeDirectory& offices,
    const region::RegionTree& regions) {
  switch (level) {
    case caserelay::v1::SUPERVISION_LEVEL_LETTER: {
      auto target = offices.Find(target_office_code);
      if (!target.ok()) return target.status();
      const region::Region* r = regions.Find(target->region_code);
      if (r == nullptr) {
        return absl::NotFoundError(
            absl::StrCat("supervision: no region ", target->region_code));
      }
      // A township's organs are supervised from its county (or from its
      // city, for a city without counties).
      if (const region::Region* county = regions.CountyOf(r->code);
          county != nullptr) {
        r = county;
      }
      offices::Office bureau = offices.Bureau(*r);
      if (bureau.code != target->code) return bureau;
      return offices.Bureau(*ParentOrSelf(r, regions));
    }
    case caserelay::v1::SUPERVISION_LEVEL_LISTED: {
      auto letter = offices.Find(letter_issuer);
      if (!letter.ok()) return letter.status();
      const region::Region* r = regions.Find(letter->region_code);
      if (r == nullptr) {
        return absl::NotFoundError(
            absl::StrCat("supervision: no region ", letter->region_code));
      }
      return offices.Bureau(*ParentOrSelf(r, regions));
    }
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("supervision: no issuer for level ",
                       caserelay::v1::SupervisionLevel_Name(level)));
  }
}

int MissesOf(const caserelay::v1::SupervisionCaseRecord& record,
             std::string_view office_code) {
  int misses = 0;
  for (const caserelay::v1::Deadline& d : record.deadlines()) {
    if (d.office_code() == office_code &&
        d.state() == caserelay::v1::DEADLINE_STATE_MISSED) {
      ++misses;
    }
  }
  return misses;
}

absl::StatusOr<std::optional<SupervisionIssued>> Escalate(
    const caserelay::v1::SupervisionCaseRecord& record,
    const caserelay::v1::Deadline& missed,
    const offices::OfficeDirectory& offices,
    const region::RegionTree& regions) {
  const std::string& office = missed.office_code();
  EscalationStep step =
      NextStep(record.supervisions(), office, time::FromProto(missed.due_at()));
  if (step.level == caserelay::v1::SUPERVISION_LEVEL_UNSPECIFIED) {
    return std::nullopt;
  }
  auto target = offices.Find(office);
  if (!target.ok()) return target.status();
  auto issuer =
      IssuerOf(step.level, office, step.letter_issuer, offices, regions);
  if (!issuer.ok()) return issuer.status();
  const int misses = MissesOf(record, office);
  SupervisionIssued s;
  s.set_supervision_id(absl::StrCat(record.case_id(), "/supervision/",
                                    record.supervisions_size() + 1));
  s.set_level(step.level);
  s.set_issuer_office_code(issuer->code);
  s.set_issuer_office_name(issuer->name);
  s.set_target_office_code(target->code);
  s.set_target_office_name(target->name);
  s.set_missed_deadline_id(missed.deadline_id());
  s.set_missed_kind(missed.kind());
  *s.mutable_missed_due_at() = missed.due_at();
  s.set_miss_count(misses);
  // Issue 18 item 4: supervision's own, on the ground of the miss (2005
  // Art. 36 item 1, 未按规定期限办结).
  s.set_source(caserelay::v1::SUPERVISION_SOURCE_AUTOMATIC);
  s.set_ground(caserelay::v1::SUPERVISION_GROUND_MISSED_DEADLINE);
  return s;
}

}  // namespace caserelay::supervision
