#include "domain/access/supervise_access.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "domain/access/case_access.h"
#include "domain/lifecycle/lifecycle.h"

namespace caserelay::access {
namespace {

using caserelay::v1::SupervisionGround;

absl::Status Denied(absl::string_view rule, absl::string_view english,
                    absl::string_view chinese) {
  return absl::PermissionDeniedError(
      absl::StrCat(rule, ": ", english, "：", chinese));
}

bool Listed(const std::string& office, const std::vector<std::string>& codes) {
  return std::find(codes.begin(), codes.end(), office) != codes.end();
}

}  // namespace

absl::Status MayIssueSupervision(const offices::OfficeDirectory& offices,
                                 const std::string& issuer,
                                 const SuperviseCase& c) {
  absl::StatusOr<offices::Office> office = offices.Find(issuer);
  if (!office.ok() || office->kind != offices::OfficeKind::kBureau ||
      office->level == region::Level::kTownship) {
    return Denied(kRuleSuperviseIssuer,
                  absl::StrCat(issuer, " is not a petition bureau of county "
                                       "level or above"),
                  "只有县级以上信访部门可以督办");
  }
  if (!c.accused.has_value()) {
    // A record kept before the accused were: an accused bureau cannot be
    // told apart, so nobody issues (case_access.h's conservative rule).
    return Denied(kRuleAccused,
                  absl::StrCat("the accused of case ", c.case_id,
                               " are unknown"),
                  "该信访事项的被反映单位未知，不能督办");
  }
  if (offices.IsAccusedOrMember(issuer, *c.accused)) {
    return Denied(kRuleAccused,
                  absl::StrCat(issuer, " may not supervise case ", c.case_id),
                  "不能督办该信访事项");
  }
  if (c.final_state) {
    return absl::FailedPreconditionError(absl::StrCat(
        kRuleSuperviseSubtree, ": case ", c.case_id,
        " is closed or linked: no reply would run：信访事项已办结或已合并，"
        "不能督办"));
  }
  return absl::OkStatus();
}

absl::Status MaySupervise(const offices::OfficeDirectory& offices,
                          const std::string& issuer, const std::string& target,
                          const SuperviseCase& c) {
  if (absl::Status s = MayIssueSupervision(offices, issuer, c); !s.ok()) {
    return s;
  }
  if (target != c.holder_office_code && !Listed(target, c.deadline_offices)) {
    return absl::FailedPreconditionError(absl::StrCat(
        kRuleSuperviseSubtree, ": ", target, " does not act on case ",
        c.case_id, " (neither its holder nor bound by a running deadline)",
        "：被督办单位须为承办该信访事项或有期限未办结的单位"));
  }
  if (target == issuer || !offices.Supervises(issuer, target)) {
    return Denied(kRuleSuperviseSubtree,
                  absl::StrCat(issuer, " does not supervise ", target),
                  "被督办单位不在本部门辖区内");
  }
  if (offices.IsAccusedOrMember(target, *c.accused)) {
    // Named only as "the target": the caller learns it is refused.
    return Denied(kRuleAccused,
                  absl::StrCat("the target may not be supervised on case ",
                               c.case_id),
                  "不能向该单位督办此信访事项");
  }
  return absl::OkStatus();
}

std::vector<std::string> SupervisableTargets(
    const offices::OfficeDirectory& offices, const std::string& issuer,
    const SuperviseCase& c) {
  std::vector<std::string> candidates;
  if (!c.holder_office_code.empty()) {
    candidates.push_back(c.holder_office_code);
  }
  for (const std::string& o : c.deadline_offices) {
    if (!Listed(o, candidates)) candidates.push_back(o);
  }
  std::vector<std::string> out;
  for (const std::string& o : candidates) {
    if (MaySupervise(offices, issuer, o, c).ok()) out.push_back(o);
  }
  return out;
}

absl::Status CheckSupervisionGround(SupervisionGround ground,
                                    absl::string_view reason) {
  if (ground == caserelay::v1::SUPERVISION_GROUND_UNSPECIFIED ||
      !caserelay::v1::SupervisionGround_IsValid(ground)) {
    return absl::InvalidArgumentError(
        absl::StrCat("ground: required, one of 2005 Art. 36 items 1-6 (",
                     kRuleSuperviseGround, ")：请选择督办事由"));
  }
  if (ground == caserelay::v1::SUPERVISION_GROUND_OTHER &&
      absl::StripAsciiWhitespace(reason).empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "reason: required for ground OTHER (", kRuleSuperviseGround,
        ")：督办事由为“其他”时须填写理由"));
  }
  return absl::OkStatus();
}

const std::vector<SupervisionGround>& ManualGrounds() {
  static const auto* const kGrounds = new std::vector<SupervisionGround>{
      caserelay::v1::SUPERVISION_GROUND_MISSED_DEADLINE,
      caserelay::v1::SUPERVISION_GROUND_RESULT_NOT_REPORTED,
      caserelay::v1::SUPERVISION_GROUND_PROCEDURE_BREACHED,
      caserelay::v1::SUPERVISION_GROUND_SHIRKING,
      caserelay::v1::SUPERVISION_GROUND_OPINION_NOT_CARRIED_OUT,
      caserelay::v1::SUPERVISION_GROUND_OTHER,
  };
  return *kGrounds;
}

std::string GroundText(SupervisionGround ground) {
  if (ground == caserelay::v1::SUPERVISION_GROUND_UNSPECIFIED ||
      !caserelay::v1::SupervisionGround_IsValid(ground)) {
    return "";
  }
  return std::string(lifecycle::GroundWords(ground));
}

}  // namespace caserelay::access
