#include "services/supervision/manual_supervision.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/supervision/escalation.h"

namespace caserelay::supervision {
namespace {

using caserelay::v1::SupervisionCaseRecord;

int CodePoints(const std::string& s) {
  return static_cast<int>(std::count_if(
      s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

}  // namespace

access::SuperviseCase SuperviseCaseOf(const SupervisionCaseRecord& record) {
  access::SuperviseCase c;
  c.case_id = record.case_id();
  c.holder_office_code = record.parties().holder_office_code();
  for (const caserelay::v1::Deadline& d : record.deadlines()) {
    const bool running =
        d.state() == caserelay::v1::DEADLINE_STATE_ARMED ||
        d.state() == caserelay::v1::DEADLINE_STATE_PAUSED ||
        (d.state() == caserelay::v1::DEADLINE_STATE_MISSED &&
         !d.has_ended_at());
    if (running &&
        std::find(c.deadline_offices.begin(), c.deadline_offices.end(),
                  d.office_code()) == c.deadline_offices.end()) {
      c.deadline_offices.push_back(d.office_code());
    }
  }
  if (record.parties().registered()) {
    c.accused.emplace(record.parties().accused_office_codes().begin(),
                      record.parties().accused_office_codes().end());
  }
  const caserelay::v1::CaseState state = record.facts().state();
  c.final_state = state == caserelay::v1::CASE_STATE_CLOSED ||
                  state == caserelay::v1::CASE_STATE_LINKED;
  return c;
}

absl::Status CheckSuperviseRequest(const caserelay::v1::SuperviseRequest& req) {
  if (req.case_id().empty() || req.case_id().size() > 64) {
    return absl::InvalidArgumentError(
        "case_id: required, at most 64 characters");
  }
  if (req.target_office_code().size() > 64) {
    return absl::InvalidArgumentError(
        "target_office_code: at most 64 characters");
  }
  switch (req.level()) {
    case caserelay::v1::SUPERVISION_LEVEL_UNSPECIFIED:
    case caserelay::v1::SUPERVISION_LEVEL_LETTER:
    case caserelay::v1::SUPERVISION_LEVEL_LISTED:
      break;
    default:
      return absl::InvalidArgumentError(
          "level: LETTER (督办函) or LISTED (挂牌督办)");
  }
  if (CodePoints(req.reason()) > kMaxSuperviseReasonChars) {
    return absl::InvalidArgumentError(absl::StrCat(
        "reason: at most ", kMaxSuperviseReasonChars,
        " characters：督办理由不超过", kMaxSuperviseReasonChars, "字"));
  }
  return access::CheckSupervisionGround(req.ground(), req.reason());
}

caserelay::v1::SupervisionIssued ManualInstrument(
    const SupervisionCaseRecord& record, const offices::Office& issuer,
    const offices::Office& target, const caserelay::v1::SuperviseRequest& req,
    const std::string& issued_by) {
  const int misses = MissesOf(record, target.code);
  caserelay::v1::SupervisionIssued s;
  s.set_supervision_id(absl::StrCat(record.case_id(), "/supervision/",
                                    record.supervisions_size() + 1));
  s.set_level(req.level() == caserelay::v1::SUPERVISION_LEVEL_LISTED
                  ? caserelay::v1::SUPERVISION_LEVEL_LISTED
                  : caserelay::v1::SUPERVISION_LEVEL_LETTER);
  s.set_issuer_office_code(issuer.code);
  s.set_issuer_office_name(issuer.name);
  s.set_target_office_code(target.code);
  s.set_target_office_name(target.name);
  s.set_miss_count(misses);
  s.set_source(caserelay::v1::SUPERVISION_SOURCE_MANUAL);
  s.set_ground(req.ground());
  s.set_reason(req.reason());
  s.set_issued_by(issued_by);
  return s;
}

std::optional<caserelay::v1::SuperviseOffer> OfferFor(
    const offices::OfficeDirectory& offices, const std::string& caller,
    const access::StaffRoles& roles, const SupervisionCaseRecord& record) {
  if (!access::MayIssueSupervision(roles).empty()) return std::nullopt;
  const std::vector<std::string> targets =
      access::SupervisableTargets(offices, caller, SuperviseCaseOf(record));
  if (targets.empty()) return std::nullopt;
  caserelay::v1::SuperviseOffer offer;
  for (const std::string& code : targets) {
    auto* t = offer.add_targets();
    t->set_office_code(code);
    absl::StatusOr<offices::Office> office = offices.Find(code);
    t->set_office_name(office.ok() ? office->name : code);
  }
  for (caserelay::v1::SupervisionGround g : access::ManualGrounds()) {
    offer.add_grounds(g);
  }
  offer.add_levels(caserelay::v1::SUPERVISION_LEVEL_LETTER);
  offer.add_levels(caserelay::v1::SUPERVISION_LEVEL_LISTED);
  return offer;
}

}  // namespace caserelay::supervision
