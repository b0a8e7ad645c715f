// 督办's words and what follows a 督办: 改进工作建议 / 追责建议 (RECOMMEND,
// issue 18 item 4; DOMAIN.md "Supervision": "Instruments: 督办函 (letter),
// 改进建议 (improvement proposal), 追责建议 (accountability proposal)";
// 2005 Art. 36 "收到改进建议的行政机关应当在30日内书面反馈情况", Art. 38
// 向有关行政机关提出给予行政处分的建议). The bureau that issued a 督办 may
// propose either once the supervised office replied (and the bureau finds
// the reply unsatisfactory: its judgement, recorded in the reason) or its
// reply deadline passed unanswered; each kind once per 督办.

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/time/china_time.h"
#include "domain/lifecycle/internal.h"

namespace caserelay::lifecycle {

absl::string_view GroundWords(v1::SupervisionGround ground) {
  switch (ground) {
    case v1::SUPERVISION_GROUND_MISSED_DEADLINE:
      return "未按规定期限办结";
    case v1::SUPERVISION_GROUND_RESULT_NOT_REPORTED:
      return "未按规定反馈办理结果";
    case v1::SUPERVISION_GROUND_PROCEDURE_BREACHED:
      return "未按规定程序办理";
    case v1::SUPERVISION_GROUND_SHIRKING:
      return "推诿、敷衍、拖延";
    case v1::SUPERVISION_GROUND_OPINION_NOT_CARRIED_OUT:
      return "不执行信访处理意见";
    case v1::SUPERVISION_GROUND_OTHER:
      return "其他需要督办的情形";
    default:
      return "?";
  }
}

namespace internal {
namespace {

absl::Status NotOpen(absl::string_view detail) {
  return absl::FailedPreconditionError(
      absl::StrCat(kRuleRecommend, ": ", detail));
}

bool Given(const v1::CaseView& view, const std::string& supervision_id,
           v1::RecommendationKind kind) {
  for (const v1::Recommendation& r : view.recommendations()) {
    if (r.supervision_id() == supervision_id && r.kind() == kind) return true;
  }
  return false;
}

// OK if `cs` is open to a recommendation of `kind` at `now`.
absl::Status Open(const v1::CaseView& view, const v1::CaseSupervision& cs,
                  v1::RecommendationKind kind, absl::Time now) {
  const std::string& id = cs.issued().supervision_id();
  if (!cs.has_replied_at()) {
    if (!cs.has_reply_due_at()) {
      return NotOpen(absl::StrCat("督办 ", id,
                                  " started no reply (the case was closed or "
                                  "linked when it was recorded)"));
    }
    const absl::Time due = FromProto(cs.reply_due_at());
    if (now < due) {
      return NotOpen(absl::StrCat(
          "the reply to 督办 ", id, " is due until ",
          absl::FormatCivilTime(time::LastDayOf(due)),
          " and not yet given: a recommendation follows a reply or a "
          "missed reply"));
    }
  }
  if (kind != v1::RECOMMENDATION_KIND_UNSPECIFIED) {
    if (Given(view, id, kind)) {
      return NotOpen(absl::StrCat("this kind of recommendation was given for ",
                                  "督办 ", id, " already"));
    }
    return absl::OkStatus();
  }
  if (Given(view, id, v1::RECOMMENDATION_KIND_IMPROVEMENT) &&
      Given(view, id, v1::RECOMMENDATION_KIND_ACCOUNTABILITY)) {
    return NotOpen(absl::StrCat("both recommendations were given for 督办 ",
                                id, " already"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<const v1::CaseSupervision*> RecommendableSupervision(
    const v1::CaseView& view, absl::string_view supervision_id,
    absl::string_view actor, v1::RecommendationKind kind, absl::Time now) {
  if (!supervision_id.empty()) {
    for (const v1::CaseSupervision& cs : view.supervisions()) {
      if (cs.issued().supervision_id() != supervision_id) continue;
      if (cs.issued().issuer_office_code() != actor) {
        return NotOpen(absl::StrCat("督办 ", supervision_id,
                                    " was issued by another bureau; only "
                                    "its issuer recommends"));
      }
      if (absl::Status s = Open(view, cs, kind, now); !s.ok()) return s;
      return &cs;
    }
    return NotOpen(
        absl::StrCat("no 督办 ", supervision_id, " is recorded on this case"));
  }
  absl::Status last = NotOpen(
      absl::StrCat(actor, " issued no 督办 on this case"));
  for (int i = view.supervisions_size() - 1; i >= 0; --i) {
    const v1::CaseSupervision& cs = view.supervisions(i);
    if (cs.issued().issuer_office_code() != actor) continue;
    absl::Status s = Open(view, cs, kind, now);
    if (s.ok()) return &cs;
    // The latest one's refusal is the one told.
    if (absl::StrContains(last.message(), "issued no 督办")) last = s;
  }
  return last;
}

absl::Status Recommend(Step& s) {
  if (s.cmd.recommendation_kind == v1::RECOMMENDATION_KIND_UNSPECIFIED ||
      !v1::RecommendationKind_IsValid(s.cmd.recommendation_kind)) {
    return absl::InvalidArgumentError(
        "recommend.kind: required for RECOMMEND (改进工作建议 or 追责建议)");
  }
  if (s.cmd.reason.empty()) {
    return absl::InvalidArgumentError(
        "reason: required for RECOMMEND (the proposal's substance)");
  }
  v1::CaseView& view = *s.record.mutable_view();
  absl::StatusOr<const v1::CaseSupervision*> followed =
      RecommendableSupervision(view, s.cmd.supervision_id, s.actor.code,
                               s.cmd.recommendation_kind, s.cmd.now);
  if (!followed.ok()) return followed.status();
  v1::Recommendation r;
  r.set_kind(s.cmd.recommendation_kind);
  r.set_supervision_id((*followed)->issued().supervision_id());
  r.set_target_office_code((*followed)->issued().target_office_code());
  r.set_target_office_name((*followed)->issued().target_office_name());
  *view.add_recommendations() = r;
  *s.event.mutable_recommendation() = std::move(r);
  return absl::OkStatus();
}

}  // namespace internal
}  // namespace caserelay::lifecycle
