#include "tools/casectl/format.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"
#include "domain/lifecycle/lifecycle.h"
#include "domain/names/names.h"
#include "google/protobuf/util/json_util.h"

namespace caserelay::casectl {

using names::ActionLabel;
using names::ChannelNames;
using names::DeadlineKindNames;
using names::DispositionNames;
using names::LabelOf;
using names::MatterClassNames;
using names::OutcomeNames;
using names::RefusalGroundNames;
using names::SatisfactionNames;
using names::ServiceMethodNames;
using names::StateLabel;
using names::StatutoryRouteNames;
using names::SupervisionLevelNames;

namespace v1 = caserelay::v1;

namespace {

bool IsSet(const google::protobuf::Timestamp& t) {
  return t.seconds() != 0 || t.nanos() != 0;
}

std::string OrDash(absl::string_view s) {
  return s.empty() ? "-" : std::string(s);
}

std::string YesNo(bool b) { return b ? "yes" : "no"; }

// Decodes one UTF-8 code point at `s[*i]` and advances `*i`; a malformed
// byte counts as one code point of its own.
char32_t NextCodePoint(absl::string_view s, size_t* i) {
  const auto c = static_cast<unsigned char>(s[*i]);
  int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
  if (*i + extra >= s.size()) extra = 0;  // truncated: one byte
  char32_t cp = extra == 0 ? c : c & (0x3F >> extra);
  for (int k = 1; k <= extra; ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[*i + k]) & 0x3F);
  }
  *i += 1 + extra;
  return cp;
}

bool IsWide(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

void Line(std::string* out, absl::string_view indent, absl::string_view key,
          absl::string_view value) {
  absl::StrAppend(out, indent, key, ": ", value, "\n");
}

}  // namespace

std::string ChinaDateTime(const google::protobuf::Timestamp& t) {
  if (!IsSet(t)) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", time::FromProto(t),
                          time::ChinaTimeZone());
}

std::string ChinaDueDay(const google::protobuf::Timestamp& due_at) {
  if (!IsSet(due_at)) return "-";
  return absl::FormatCivilTime(time::LastDayOf(time::FromProto(due_at)));
}

std::string OfficeLabel(absl::string_view code, absl::string_view name) {
  if (code.empty() && name.empty()) return "-";
  if (name.empty()) return std::string(code);
  if (code.empty()) return std::string(name);
  return absl::StrCat(name, " (", code, ")");
}

size_t DisplayWidth(absl::string_view utf8) {
  size_t width = 0;
  for (size_t i = 0; i < utf8.size();) {
    width += IsWide(NextCodePoint(utf8, &i)) ? 2 : 1;
  }
  return width;
}

std::string FormatTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t c = 0; c < row.size(); ++c) {
      widths[c] = std::max(widths[c], DisplayWidth(row[c]));
    }
  }
  std::string out;
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      out += row[c];
      if (c + 1 < row.size()) {
        out.append(widths[c] - DisplayWidth(row[c]) + 2, ' ');
      }
    }
    out += "\n";
  }
  return out;
}

std::string DeadlineLine(const v1::RunningDeadline& deadline) {
  std::string out = absl::StrCat(LabelOf(DeadlineKindNames(), deadline.kind()),
                                 " due ", ChinaDueDay(deadline.due_at()),
                                 " at ", OrDash(deadline.office_code()));
  if (IsSet(deadline.paused_at())) {
    absl::StrAppend(&out, ", paused since ",
                    ChinaDateTime(deadline.paused_at()));
  }
  if (!deadline.supervision_id().empty()) {
    absl::StrAppend(&out, ", answers ", deadline.supervision_id());
  }
  return out;
}

std::string ServiceText(const v1::Service& s) {
  const std::string day = IsSet(s.received_on())
                              ? absl::FormatCivilTime(time::ChinaDay(
                                    time::FromProto(s.received_on())))
                              : "-";
  return absl::StrCat(day, " by ", LabelOf(ServiceMethodNames(), s.method()));
}

std::string ServiceWindowText(const v1::PetitionerWindow& w) {
  const bool rereview = w.request() == v1::CASE_ACTION_REQUEST_REREVIEW;
  const std::string step = rereview ? "复核, Art. 36" : "复查, Art. 35";
  if (!w.has_service()) {
    return absl::StrCat(
        "receipt not yet recorded (尚未登记送达), so its end "
        "is not known (",
        step, ")");
  }
  return absl::StrCat("ends ", ChinaDueDay(w.ends_at()), " (", step,
                      ": counted from receipt on ", ServiceText(w.service()),
                      ")");
}

std::string FormatDecision(const v1::RouteDecision& d) {
  std::string out;
  Line(&out, "", "disposition", LabelOf(DispositionNames(), d.disposition()));
  if (d.refusal_ground() != v1::REFUSAL_GROUND_UNSPECIFIED) {
    Line(&out, "", "ground", LabelOf(RefusalGroundNames(), d.refusal_ground()));
  }
  Line(&out, "", "target",
       OfficeLabel(d.target_office_code(), d.target_office_name()));
  Line(&out, "", "registering",
       OfficeLabel(d.registering_office_code(), d.registering_office_name()));
  if (d.rules().empty()) {
    Line(&out, "", "rules", "-");
  } else {
    out += "rules:\n";
    for (const std::string& rule : d.rules())
      absl::StrAppend(&out, "  - ", rule, "\n");
  }
  Line(&out, "", "route", OrDash(d.route()));
  Line(&out, "", "linked case", OrDash(d.linked_case_id()));
  Line(&out, "", "cross-jurisdiction", YesNo(d.cross_jurisdiction()));
  if (!d.undecided_reason().empty()) {
    Line(&out, "", "undecided", d.undecided_reason());
  }
  return out;
}

std::string ReceptionText(const v1::ReceptionRef& r) {
  return absl::StrCat(r.reception_id(), " ", ChinaDateTime(r.day()).substr(0, 10),
                      " ", LabelOf(names::ReceptionKindNames(), r.kind()), " ",
                      r.leader_title(), " ", r.leader_name(), " (",
                      r.office_code(), ")");
}

namespace {

// 领导包案: "县长 王某某, 140431:gov 沁源县人民政府, since 2026-03-02 10:00".
std::string LeaderText(const v1::LeaderInCharge& l) {
  return absl::StrCat(l.leader_title(), " ", l.leader_name(), ", ",
                      OfficeLabel(l.office_code(), l.office_name()), ", since ",
                      ChinaDateTime(l.since()));
}

// 回访: "2026-03-20 15:00 phone (电话回访): basically (基本认同), by ...".
std::string FollowUpText(const v1::FollowUp& f) {
  return absl::StrCat(ChinaDateTime(f.contacted_at()), " ",
                      LabelOf(names::FollowUpMethodNames(), f.method()), ": ",
                      LabelOf(names::FollowUpViewNames(), f.view()), ", by ",
                      OfficeLabel(f.office_code(), f.office_name()));
}

}  // namespace

std::string FormatView(const v1::CaseView& v) {
  std::string out;
  const v1::Matter& m = v.matter();
  Line(&out, "", "case", v.case_id());
  Line(&out, "", "state", StateLabel(v.state()));
  Line(&out, "", "holder", OfficeLabel(v.office_code(), v.office_name()));
  Line(&out, "", "version", absl::StrCat(v.version()));
  Line(&out, "", "received", ChinaDateTime(v.received_at()));
  Line(&out, "", "updated", ChinaDateTime(v.updated_at()));
  Line(&out, "", "sender", OrDash(v.sender_office_code()));
  Line(&out, "", "region", OrDash(m.region_code()));
  Line(&out, "", "category", OrDash(m.category()));
  Line(&out, "", "class", LabelOf(MatterClassNames(), m.matter_class()));
  Line(&out, "", "channel", LabelOf(ChannelNames(), m.channel()));
  Line(&out, "", "title", OrDash(m.title()));
  Line(&out, "", "text", OrDash(m.text()));
  if (!m.accused().empty()) Line(&out, "", "accused", m.accused());
  if (!m.accused_offices().empty()) {
    Line(&out, "", "accused offices", absl::StrJoin(m.accused_offices(), ", "));
  }
  if (!m.lodged_with().empty()) Line(&out, "", "lodged with", m.lodged_with());
  if (m.statutory_route() != v1::STATUTORY_ROUTE_NONE) {
    Line(&out, "", "statutory route",
         LabelOf(StatutoryRouteNames(), m.statutory_route()));
  }
  if (!m.other_regions().empty()) {
    Line(&out, "", "other regions", absl::StrJoin(m.other_regions(), ", "));
  }
  if (!m.other_categories().empty()) {
    Line(&out, "", "other categories",
         absl::StrJoin(m.other_categories(), ", "));
  }
  if (v.has_reception()) {
    Line(&out, "", "reception", ReceptionText(v.reception()));
  }
  if (v.head_count() > 1 || v.representatives() > 1) {
    // 群体访 / 联名 (issue 18 item 3).
    Line(&out, "", "group",
         absl::StrCat(std::max(v.head_count(), v.representatives()),
                      " persons (人次), ", std::max(v.representatives(), 1),
                      " representatives (群体访/联名)"));
  }
  if (v.outcome() != v1::OUTCOME_UNSPECIFIED) {
    Line(&out, "", "outcome",
         absl::StrCat(LabelOf(OutcomeNames(), v.outcome()),
                      v.on_the_spot() ? ", 当场解决 (on the spot)" : ""));
  }
  if (v.satisfaction() != v1::SATISFACTION_UNSPECIFIED) {
    // Issue 15: whose rating it is (the petitioner's counts for 满意率).
    Line(&out, "", "satisfaction",
         absl::StrCat(LabelOf(SatisfactionNames(), v.satisfaction()),
                      v.rated_by_petitioner() ? " (by the petitioner)"
                                              : " (entered by an office)"));
  }
  // 回访 beside the rating (issue 18 item 7), oldest first.
  for (const v1::FollowUp& f : v.follow_ups()) {
    Line(&out, "", "follow-up (回访)", FollowUpText(f));
  }
  if (v.has_leader_in_charge()) {
    Line(&out, "", "leader in charge (包案)", LeaderText(v.leader_in_charge()));
  }
  Line(&out, "", "extended", YesNo(v.extended()));
  Line(&out, "", "simplified", YesNo(v.simplified()));
  Line(&out, "", "result reported", YesNo(v.result_reported()));
  if (!v.linked_cases().empty()) {
    Line(&out, "", "linked cases", absl::StrJoin(v.linked_cases(), ", "));
  }
  if (!v.rules().empty()) {
    out += "rules:\n";
    for (const std::string& rule : v.rules())
      absl::StrAppend(&out, "  - ", rule, "\n");
  }
  if (v.deadlines().empty()) {
    Line(&out, "", "deadlines", "none running");
  } else {
    out += "deadlines:\n";
    for (const auto& d : v.deadlines()) {
      absl::StrAppend(&out, "  - ", DeadlineLine(d), "\n");
    }
  }
  if (v.has_window()) {
    const v1::PetitionerWindow& w = v.window();
    const bool rereview = w.request() == v1::CASE_ACTION_REQUEST_REREVIEW;
    Line(&out, "", rereview ? "re-review window" : "review window",
         ServiceWindowText(w));
  }
  if (v.has_decision()) {
    out += "decision:\n";
    std::string decision = FormatDecision(v.decision());
    for (absl::string_view line :
         absl::StrSplit(decision, '\n', absl::SkipEmpty())) {
      absl::StrAppend(&out, "  ", line, "\n");
    }
  }
  return out;
}

// 更正登记 (issue 18 item 6): one line per corrected field, "旧 → 新".
void CorrectionLines(std::string* out, absl::string_view in,
                     const v1::MatterCorrection& c) {
  if (c.old_category() != c.new_category()) {
    Line(out, in, "更正 事项类别 (category)",
         absl::StrCat(OrDash(c.old_category()), " → ", OrDash(c.new_category())));
  }
  if (c.old_matter_class() != c.new_matter_class()) {
    Line(out, in, "更正 信访类型 (class)",
         absl::StrCat(LabelOf(MatterClassNames(), c.old_matter_class()), " → ",
                      LabelOf(MatterClassNames(), c.new_matter_class())));
  }
  if (c.old_region_code() != c.new_region_code()) {
    Line(out, in, "更正 事项发生地 (region)",
         absl::StrCat(OrDash(c.old_region_code()), " → ",
                      OrDash(c.new_region_code())));
  }
  if (c.old_statutory_route() != c.new_statutory_route()) {
    Line(out, in, "更正 法定途径 (statutory route)",
         absl::StrCat(LabelOf(StatutoryRouteNames(), c.old_statutory_route()),
                      " → ",
                      LabelOf(StatutoryRouteNames(), c.new_statutory_route())));
  }
}

std::string FormatEvent(const v1::Envelope& env) {
  std::string out = absl::StrCat("#", env.sequence(), "  ",
                                 ChinaDateTime(env.occurred_at()), "  ");
  if (!env.has_case_event()) {
    absl::StrAppend(&out, "(not a case event)\n");
    return out;
  }
  const v1::CaseEvent& e = env.case_event();
  absl::StrAppend(&out, ActionLabel(e.action()), "  by ",
                  OfficeLabel(e.actor_office_code(), e.actor_office_name()));
  if (!e.operator_().empty())
    absl::StrAppend(&out, ", operator ", e.operator_());
  // Issue 16: the head who approved the handler's action (审批人).
  if (!e.approved_by().empty())
    absl::StrAppend(&out, ", approved by ", e.approved_by());
  out += "\n";
  const absl::string_view in = "    ";
  if (e.proposed_action() != v1::CASE_ACTION_UNSPECIFIED) {
    Line(&out, in, "proposed", ActionLabel(e.proposed_action()));
  }
  Line(&out, in, "state",
       absl::StrCat(StateLabel(e.from_state()), " → ",
                    StateLabel(e.to_state())));
  Line(&out, in, "holder",
       OfficeLabel(e.holder_office_code(), e.holder_office_name()));
  if (!e.reason().empty()) Line(&out, in, "reason", e.reason());
  if (e.has_reception()) Line(&out, in, "reception", ReceptionText(e.reception()));
  if (e.outcome() != v1::OUTCOME_UNSPECIFIED) {
    Line(&out, in, "outcome",
         absl::StrCat(LabelOf(OutcomeNames(), e.outcome()),
                      e.on_the_spot() ? ", 当场解决 (on the spot)" : ""));
  }
  if (e.satisfaction() != v1::SATISFACTION_UNSPECIFIED) {
    Line(&out, in, "satisfaction",
         LabelOf(SatisfactionNames(), e.satisfaction()));
  }
  if (e.has_leader_in_charge()) {
    Line(&out, in, "leader in charge (包案)", LeaderText(e.leader_in_charge()));
  }
  if (e.has_follow_up()) {
    Line(&out, in, "follow-up (回访)", FollowUpText(e.follow_up()));
  }
  if (e.extension_days() != 0) {
    Line(&out, in, "extension", absl::StrCat(e.extension_days(), " days"));
  }
  if (e.has_service()) {
    Line(&out, in, "served",
         absl::StrCat(ActionLabel(e.service().document()), ", received ",
                      ServiceText(e.service())));
  }
  if (!e.review_rule().empty()) {
    Line(&out, in, "review organ by", e.review_rule());
  }
  if (e.by_petitioner()) {
    Line(&out, in, "taken by", "the petitioner (portal, service:web)");
  }
  if (e.refusal_ground() != v1::REFUSAL_GROUND_UNSPECIFIED) {
    Line(&out, in, "ground", LabelOf(RefusalGroundNames(), e.refusal_ground()));
  }
  if (!e.route().empty()) Line(&out, in, "route", e.route());
  if (!e.linked_case_id().empty()) {
    Line(&out, in, "linked case", e.linked_case_id());
  }
  if (e.simplified()) Line(&out, in, "simplified", "yes");
  if (e.has_supervision()) {
    const v1::SupervisionIssued& sup = e.supervision();
    Line(&out, in, "supervision",
         absl::StrCat(LabelOf(SupervisionLevelNames(), sup.level()), " ",
                      OrDash(sup.supervision_id())));
    Line(&out, in, "issuer → target",
         absl::StrCat(
             OfficeLabel(sup.issuer_office_code(), sup.issuer_office_name()),
             " → ",
             OfficeLabel(sup.target_office_code(), sup.target_office_name())));
    if (sup.source() == v1::SUPERVISION_SOURCE_MANUAL) {
      // 手动督办 (issue 18 item 4): the bureau's ground and reason.
      Line(&out, in, "by hand",
           absl::StrCat(lifecycle::GroundWords(sup.ground()),
                        sup.reason().empty() ? "" : ": ", sup.reason(),
                        sup.issued_by().empty() ? "" : " (",
                        sup.issued_by(), sup.issued_by().empty() ? "" : ")"));
    } else {
      Line(&out, in, "missed",
           absl::StrCat(LabelOf(DeadlineKindNames(), sup.missed_kind()),
                        " due ", ChinaDueDay(sup.missed_due_at()), ", miss ",
                        sup.miss_count(), " of the office on this case"));
    }
  }
  if (e.has_recommendation()) {
    // 改进工作建议 / 追责建议 (issue 18 item 4).
    const v1::Recommendation& r = e.recommendation();
    Line(&out, in, "recommendation",
         absl::StrCat(r.kind() == v1::RECOMMENDATION_KIND_ACCOUNTABILITY
                          ? "追责建议 (accountability)"
                          : "改进工作建议 (improvement)",
                      " after ", OrDash(r.supervision_id()), " → ",
                      OfficeLabel(r.target_office_code(),
                                  r.target_office_name())));
  }
  if (e.has_decision()) {
    const v1::RouteDecision& d = e.decision();
    Line(&out, in, "decision",
         absl::StrCat(
             LabelOf(DispositionNames(), d.disposition()),
             d.refusal_ground() == v1::REFUSAL_GROUND_UNSPECIFIED
                 ? ""
                 : absl::StrCat(
                       ", ", LabelOf(RefusalGroundNames(), d.refusal_ground())),
             " → ",
             OfficeLabel(d.target_office_code(), d.target_office_name())));
  }
  // 提级办理 (issue 18 item 5): the office the case was taken from.
  if (!e.escalated_from_office_code().empty()) {
    Line(&out, in, "提级 taken up from",
         OfficeLabel(e.escalated_from_office_code(),
                     e.escalated_from_office_name()));
  }
  if (e.has_correction()) {
    CorrectionLines(&out, in, e.correction());
    // The rules that decided the corrected matter (DOMAIN.md Routing).
    Line(&out, in, "rules", OrDash(absl::StrJoin(e.decision().rules(), ", ")));
  }
  if (e.deadlines().empty()) {
    Line(&out, in, "deadlines", "none running");
  }
  for (const auto& d : e.deadlines())
    Line(&out, in, "deadline", DeadlineLine(d));
  return out;
}

absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  auto status =
      google::protobuf::util::MessageToJsonString(message, &out, options);
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat("printing ", message.GetTypeName(),
                                            " as JSON: ", status.ToString()));
  }
  return out;
}

}  // namespace caserelay::casectl
