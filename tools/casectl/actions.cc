#include "tools/casectl/actions.h"

#include <cstdint>
#include <limits>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/rpc/auth.h"
#include "common/time/china_time.h"
#include "common/time/timestamp.h"
#include "domain/names/names.h"
#include "tools/casectl/supervise_command.h"

namespace caserelay::casectl {

using names::Choices;
using names::OutcomeNames;
using names::ParseOutcome;
using names::ParseRefusalGround;
using names::ParseSatisfaction;
using names::ParseServiceMethod;
using names::RefusalGroundNames;
using names::SatisfactionNames;
using names::ServiceMethodNames;

namespace {

using caserelay::v1::ActRequest;

// --to OFFICE of transfer and assign: optional, an office code if given.
absl::StatusOr<std::string> TargetOffice(const ParsedFlags& flags) {
  std::string to = flags.Value("to");
  if (flags.Has("to") && !rpc::IsOfficeCode(to)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--to must be an office code such as 140431:housing; got '", to, "'"));
  }
  return to;
}

// A required flag's value; INVALID_ARGUMENT "<action> needs --flag VALUE".
absl::StatusOr<std::string> Required(const ParsedFlags& flags,
                                     absl::string_view action,
                                     absl::string_view flag,
                                     absl::string_view value_name) {
  std::string value = flags.Value(flag);
  if (value.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(action, " needs --", flag, " ", value_name));
  }
  return value;
}

// --outcome of reply, decide-review and decide-rereview.
absl::StatusOr<caserelay::v1::Outcome> OutcomeFlag(const ParsedFlags& flags,
                                                   absl::string_view action) {
  absl::StatusOr<std::string> word =
      Required(flags, action, "outcome", Choices(OutcomeNames()));
  if (!word.ok()) return word.status();
  absl::StatusOr<caserelay::v1::Outcome> outcome = ParseOutcome(*word);
  if (!outcome.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--outcome ", outcome.status().message()));
  }
  return outcome;
}

absl::Status FillTransfer(const ParsedFlags& flags, ActRequest* req) {
  absl::StatusOr<std::string> to = TargetOffice(flags);
  if (!to.ok()) return to.status();
  req->mutable_transfer()->set_office_code(*to);
  return absl::OkStatus();
}

absl::Status FillAssign(const ParsedFlags& flags, ActRequest* req) {
  absl::StatusOr<std::string> to = TargetOffice(flags);
  if (!to.ok()) return to.status();
  req->mutable_assign()->set_office_code(*to);
  return absl::OkStatus();
}

absl::Status FillObject(const ParsedFlags&, ActRequest* req) {
  req->mutable_object();
  return absl::OkStatus();
}

absl::Status FillAccept(const ParsedFlags& flags, ActRequest* req) {
  req->mutable_accept()->set_simplified(flags.Has("simplified"));
  return absl::OkStatus();
}

absl::Status FillDecline(const ParsedFlags& flags, ActRequest* req) {
  absl::StatusOr<std::string> route = Required(flags, "decline", "route", "R");
  if (!route.ok()) return route.status();
  req->mutable_decline()->set_route(*route);
  if (flags.Has("ground")) {
    auto ground = ParseRefusalGround(flags.Value("ground"));
    if (!ground.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--ground ", ground.status().message()));
    }
    req->mutable_decline()->set_ground(*ground);
  }
  return absl::OkStatus();
}

absl::Status FillExtend(const ParsedFlags& flags, ActRequest* req) {
  absl::StatusOr<std::string> text = Required(flags, "extend", "days", "N");
  if (!text.ok()) return text.status();
  int64_t days = 0;
  if (!absl::SimpleAtoi(*text, &days) || days < 1 ||
      days > std::numeric_limits<int32_t>::max()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--days must be a whole number of days, 1 or more; got '", *text, "'"));
  }
  req->mutable_extend()->set_days(static_cast<int32_t>(days));
  return absl::OkStatus();
}

absl::Status FillReply(const ParsedFlags& flags, ActRequest* req) {
  auto outcome = OutcomeFlag(flags, "reply");
  if (!outcome.ok()) return outcome.status();
  req->mutable_reply()->set_outcome(*outcome);
  req->mutable_reply()->set_on_the_spot(flags.Has("on-the-spot"));
  return absl::OkStatus();
}

absl::Status FillReportResult(const ParsedFlags&, ActRequest* req) {
  req->mutable_report_result();
  return absl::OkStatus();
}

absl::Status FillEvaluate(const ParsedFlags& flags, ActRequest* req) {
  absl::StatusOr<std::string> word =
      Required(flags, "evaluate", "satisfaction", Choices(SatisfactionNames()));
  if (!word.ok()) return word.status();
  auto satisfaction = ParseSatisfaction(*word);
  if (!satisfaction.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--satisfaction ", satisfaction.status().message()));
  }
  req->mutable_evaluate()->set_satisfaction(*satisfaction);
  return absl::OkStatus();
}

absl::Status FillRequestReview(const ParsedFlags&, ActRequest* req) {
  req->mutable_request_review();
  return absl::OkStatus();
}

absl::Status FillDecideReview(const ParsedFlags& flags, ActRequest* req) {
  auto outcome = OutcomeFlag(flags, "decide-review");
  if (!outcome.ok()) return outcome.status();
  req->mutable_decide_review()->set_outcome(*outcome);
  return absl::OkStatus();
}

absl::Status FillRequestRereview(const ParsedFlags&, ActRequest* req) {
  req->mutable_request_rereview();
  return absl::OkStatus();
}

absl::Status FillStartHearing(const ParsedFlags&, ActRequest* req) {
  req->mutable_start_hearing();
  return absl::OkStatus();
}

absl::Status FillEndHearing(const ParsedFlags&, ActRequest* req) {
  req->mutable_end_hearing();
  return absl::OkStatus();
}

absl::Status FillDecideRereview(const ParsedFlags& flags, ActRequest* req) {
  auto outcome = OutcomeFlag(flags, "decide-rereview");
  if (!outcome.ok()) return outcome.status();
  req->mutable_decide_rereview()->set_outcome(*outcome);
  return absl::OkStatus();
}

absl::Status FillClose(const ParsedFlags&, ActRequest* req) {
  req->mutable_close();
  return absl::OkStatus();
}

absl::Status FillApprove(const ParsedFlags&, ActRequest* req) {
  req->mutable_approve();
  return absl::OkStatus();
}

absl::Status FillReturnProposal(const ParsedFlags&, ActRequest* req) {
  req->mutable_return_proposal();
  return absl::OkStatus();
}

// --supervision-id of reply-supervision and recommend: "<CASE>/supervision/
// <n>" as supervision numbers them (events.proto SupervisionIssued), or
// just n; "" when not given.
absl::StatusOr<std::string> SupervisionIdOf(const ParsedFlags& flags,
                                            absl::string_view command,
                                            const ActRequest& req) {
  // The global --supervision is supervision's address; taken for the
  // instrument, the command would silently take another one instead.
  if (flags.Has("supervision")) {
    return absl::InvalidArgumentError(absl::StrCat(
        command, " names the instrument with --supervision-id ID; "
        "--supervision is supervision's address (HOST:PORT)"));
  }
  if (!flags.Has("supervision-id")) return std::string();
  const std::string id = flags.Value("supervision-id");
  const std::string prefix = absl::StrCat(req.case_id(), "/supervision/");
  absl::string_view n = id;
  if (absl::StartsWith(n, prefix)) n.remove_prefix(prefix.size());
  uint32_t number = 0;
  if (!absl::SimpleAtoi(n, &number) || number == 0 ||
      n != absl::StrCat(number)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--supervision-id must be ", prefix,
                     "N or N (N = 1, 2, ...); got '", id, "'"));
  }
  return absl::StrCat(prefix, number);
}

absl::Status FillReplySupervision(const ParsedFlags& flags, ActRequest* req) {
  absl::StatusOr<std::string> id =
      SupervisionIdOf(flags, "reply-supervision", *req);
  if (!id.ok()) return id.status();
  req->mutable_reply_supervision()->set_supervision_id(*id);
  return absl::OkStatus();
}

// recommend: --kind (改进工作建议 / 追责建议), --supervision-id.
absl::Status FillRecommend(const ParsedFlags& flags, ActRequest* req) {
  absl::StatusOr<std::string> word =
      Required(flags, "recommend", "kind", RecommendationKindChoices());
  if (!word.ok()) return word.status();
  absl::StatusOr<caserelay::v1::RecommendationKind> kind =
      ParseRecommendationKind(*word);
  if (!kind.ok()) return kind.status();
  absl::StatusOr<std::string> id = SupervisionIdOf(flags, "recommend", *req);
  if (!id.ok()) return id.status();
  auto* recommend = req->mutable_recommend();
  recommend->set_kind(*kind);
  recommend->set_supervision_id(*id);
  return absl::OkStatus();
}

// serve: --method (送达方式) and --received YYYY-MM-DD (the China day the
// petitioner received the decision; noon of it is sent).
absl::Status FillServe(const ParsedFlags& flags, ActRequest* req) {
  absl::StatusOr<std::string> word =
      Required(flags, "serve", "method", Choices(ServiceMethodNames()));
  if (!word.ok()) return word.status();
  auto method = ParseServiceMethod(*word);
  if (!method.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--method ", method.status().message()));
  }
  absl::StatusOr<std::string> date =
      Required(flags, "serve", "received", "YYYY-MM-DD");
  if (!date.ok()) return date.status();
  absl::CivilDay day;
  if (!absl::ParseCivilTime(*date, &day)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--received must be a date YYYY-MM-DD; got '", *date, "'"));
  }
  auto* serve = req->mutable_serve();
  serve->set_method(*method);
  *serve->mutable_received_at() =
      time::ToProto(time::StartOf(day) + absl::Hours(12));
  return absl::OkStatus();
}

// escalate (提级办理): the case is taken up by the caller's office.
absl::Status FillEscalate(const ParsedFlags&, ActRequest* req) {
  req->mutable_escalate();
  return absl::OkStatus();
}

// correct (更正登记): --category, --class, --region, --statutory-route; at
// least one; each given replaces the registered value.
absl::Status FillCorrect(const ParsedFlags& flags, ActRequest* req) {
  auto* correct = req->mutable_correct();
  if (flags.Has("category")) correct->set_category(flags.Value("category"));
  if (flags.Has("region")) correct->set_region_code(flags.Value("region"));
  if (flags.Has("class")) {
    auto matter_class = names::ParseMatterClass(flags.Value("class"));
    if (!matter_class.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--class ", matter_class.status().message()));
    }
    correct->set_matter_class(*matter_class);
  }
  if (flags.Has("statutory-route")) {
    auto route = names::ParseStatutoryRoute(flags.Value("statutory-route"));
    if (!route.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--statutory-route ", route.status().message()));
    }
    correct->set_statutory_route(*route);
  }
  if (!correct->has_category() && !correct->has_region_code() &&
      !correct->has_matter_class() && !correct->has_statutory_route()) {
    return absl::InvalidArgumentError(
        "correct needs at least one of --category, --class, --region, "
        "--statutory-route");
  }
  return absl::OkStatus();
}

// take-charge (领导包案): --leader and --title, both required.
absl::Status FillTakeCharge(const ParsedFlags& flags, ActRequest* req) {
  absl::StatusOr<std::string> leader =
      Required(flags, "take-charge", "leader", "NAME");
  if (!leader.ok()) return leader.status();
  absl::StatusOr<std::string> title =
      Required(flags, "take-charge", "title", "TITLE");
  if (!title.ok()) return title.status();
  req->mutable_take_charge()->set_leader_name(*leader);
  req->mutable_take_charge()->set_leader_title(*title);
  return absl::OkStatus();
}

// record-follow-up (回访): --method and --view, both required.
absl::Status FillRecordFollowUp(const ParsedFlags& flags, ActRequest* req) {
  absl::StatusOr<std::string> method = Required(
      flags, "record-follow-up", "method",
      names::Choices(names::FollowUpMethodNames()));
  if (!method.ok()) return method.status();
  absl::StatusOr<int> m = names::ValueOf(names::FollowUpMethodNames(), *method);
  if (!m.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--method ", m.status().message()));
  }
  absl::StatusOr<std::string> view = Required(
      flags, "record-follow-up", "view",
      names::Choices(names::FollowUpViewNames()));
  if (!view.ok()) return view.status();
  absl::StatusOr<int> v = names::ValueOf(names::FollowUpViewNames(), *view);
  if (!v.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--view ", v.status().message()));
  }
  req->mutable_record_follow_up()->set_method(
      static_cast<caserelay::v1::FollowUpMethod>(*m));
  req->mutable_record_follow_up()->set_view(
      static_cast<caserelay::v1::FollowUpView>(*v));
  return absl::OkStatus();
}

FlagSpec OutcomeSpec() {
  return {"outcome", FlagKind::kValue, false, "OUTCOME",
          "the opinion: " + Choices(OutcomeNames()) + " (required)"};
}

}  // namespace

const std::vector<ActionSpec>& Actions() {
  static const auto* const kActions = new std::vector<ActionSpec>{
      {"transfer",
       "转送: hand the case to the competent office.",
       {{"to", FlagKind::kValue, false, "OFFICE",
         "the office (default: the routing decision's target)"}},
       FillTransfer},
      {"assign",
       "交办: transfer with a result report due back to you.",
       {{"to", FlagKind::kValue, false, "OFFICE",
         "the office (default: the routing decision's target)"}},
       FillAssign},
      {"object",
       "异议: not our remit; the case goes back to the sender (give "
       "--reason).",
       {},
       FillObject},
      {"accept",
       "受理: accept the case for handling.",
       {{"simplified", FlagKind::kBool, false, "",
         "简易办理: the simplified procedure (first-time clear cases)"}},
       FillAccept},
      {"decline",
       "不予受理: decline, telling the petitioner the route to take.",
       {{"route", FlagKind::kValue, false, "R",
         "the route the petitioner is told (required)"},
        {"ground", FlagKind::kValue, false, "G",
         "why: " + Choices(RefusalGroundNames()) +
             " (default: out-of-scope, Art. 23)"}},
       FillDecline,
       "  casectl decline C1 --reason '不属本机关职责' --route "
       "'向县自然资源局提出'\n"
       "  casectl decline C1 --ground statutory-route --reason '已起诉' "
       "--route '向人民法院了解审理进展'"},
      {"extend",
       "延期: extend the handling deadline once (give --reason).",
       {{"days", FlagKind::kValue, false, "N",
         "days to add, 1 to the configured maximum (required)"}},
       FillExtend},
      {"reply",
       "出具处理意见: issue the handling opinion.",
       {OutcomeSpec(),
        {"on-the-spot", FlagKind::kBool, false, "",
         "当场解决: resolved on the spot at the leader's reception the visit "
         "was registered at (only on its day)"}},
       FillReply},
      {"report-result",
       "办结报告: report the result to the assigning bureau.",
       {},
       FillReportResult},
      {"evaluate",
       "满意度评价: record the petitioner's evaluation.",
       {{"satisfaction", FlagKind::kValue, false, "S",
         "the evaluation: " + Choices(SatisfactionNames()) + " (required)"}},
       FillEvaluate},
      {"request-review",
       "复查请求: the petitioner asks for a review.",
       {},
       FillRequestReview},
      {"decide-review",
       "复查意见: the review office decides.",
       {OutcomeSpec()},
       FillDecideReview},
      {"request-rereview",
       "复核请求: the petitioner asks for a re-review.",
       {},
       FillRequestRereview},
      {"start-hearing",
       "听证: a hearing begins; the re-review clock pauses.",
       {},
       FillStartHearing},
      {"end-hearing",
       "听证: the hearing ends; the clock resumes.",
       {},
       FillEndHearing},
      {"decide-rereview",
       "复核意见: the re-review decision (信访终结).",
       {OutcomeSpec()},
       FillDecideRereview},
      {"close", "办结归档: close and archive the case.", {}, FillClose},
      {"reply-supervision",
       "督办回复: answer a 督办 issued to your office.\n"
       "Ends its supervision-reply deadline (30 days); the case's state\n"
       "does not change. `casectl deadlines CASE` lists the 督办.",
       {{"supervision-id", FlagKind::kValue, false, "ID",
         "the 督办 answered: CASE/supervision/N or N (default: the oldest "
         "unanswered)"}},
       FillReplySupervision,
       "  casectl reply-supervision C1 --reason '已约谈当事人，限期办结'\n"
       "  casectl reply-supervision C1 --supervision-id 2\n"
       "  casectl reply-supervision C1 --supervision-id C1/supervision/2 "
       "--version 9"},
      {"serve",
       "送达: record the day the petitioner received your written opinion\n"
       "or review decision, and how. The 30-day windows to ask for a\n"
       "review (复查, Art. 35) or re-review (复核, Art. 36) count from it.",
       {{"method", FlagKind::kValue, false, "M",
         "how: " + Choices(ServiceMethodNames()) + " (required)"},
        {"received", FlagKind::kValue, false, "YYYY-MM-DD",
         "the China date the petitioner received it (required)"}},
       FillServe,
       "  casectl serve C1 --method post --received 2026-03-10\n"
       "  casectl serve C1 --method portal --received 2026-03-02"},
      {"approve",
       "审批: as the office head, approve the proposal pending on the case\n"
       "(a handler's 延期, 不予受理, 处理意见 or 复核意见); routing applies it.",
       {},
       FillApprove},
      {"return-proposal",
       "退回: as the office head, return the pending proposal (give\n"
       "--reason).",
       {},
       FillReturnProposal},
      {"recommend",
       "改进工作建议 / 追责建议: as the bureau that issued a 督办, propose\n"
       "improvement or accountability once its 30-day reply passed\n"
       "unanswered or after a reply you find unsatisfactory (give --reason:\n"
       "the proposal). Each kind once per 督办; the state does not change.",
       {{"kind", FlagKind::kValue, false, "K",
         RecommendationKindChoices() + " (required)"},
        {"supervision-id", FlagKind::kValue, false, "ID",
         "the 督办 it follows: CASE/supervision/N or N (default: your latest "
         "open one)"}},
       FillRecommend,
       "  casectl recommend C1 --kind accountability --reason "
       "'建议对相关责任人员依规追责'\n"
       "  casectl recommend C1 --kind improvement --supervision-id 2 "
       "--reason '建议建立台账，限期整改'"},
      {"escalate",
       "提级办理: as a bureau or people's government of a higher level over\n"
       "the holder, take its case up (give --reason). While it is handled\n"
       "(transferred, assigned, accepted, extended); the running deadlines\n"
       "keep their due dates and become yours; the petitioner is told.",
       {},
       FillEscalate,
       "  casectl escalate C1 --reason '久拖未决，市信访局提级办理'"},
      {"correct",
       "更正登记: as the bureau that registered the case, correct the\n"
       "registered matter before the organ accepts it (give --reason).\n"
       "Routing routes the corrected matter by the rules again: the case is\n"
       "registered anew at the bureau they name (or not accepted); the\n"
       "history keeps the old and the new values.",
       {{"category", FlagKind::kValue, false, "C",
         "the matter's category (data/offices/categories.tsv), e.g. housing"},
        {"class", FlagKind::kValue, false, "CLASS",
         "the class: " + Choices(names::MatterClassNames())},
        {"region", FlagKind::kValue, false, "CODE",
         "the matter's region (GB/T 2260 or township code)"},
        {"statutory-route", FlagKind::kValue, false, "ROUTE",
         "the statutory route (Art. 31): " +
             Choices(names::StatutoryRouteNames())}},
       FillCorrect,
       "  casectl correct C1 --category housing --reason '登记时类别有误'\n"
       "  casectl correct C1 --region 140402 --reason '事项发生地登记有误'"},
      {"record-follow-up",
       "回访: as the bureau that registered the case or sent it to its\n"
       "organ, record a follow-up contact with the petitioner after the\n"
       "处理意见 (Arts. 22, 34; issue 18 item 7), by phone or visit, with\n"
       "their view; --reason may hold a note (no personal data). May\n"
       "repeat; the state does not change and no SMS is sent.",
       {{"method", FlagKind::kValue, false, "M",
         "how: " + Choices(names::FollowUpMethodNames()) + " (required)"},
        {"view", FlagKind::kValue, false, "V",
         "the petitioner's view: " + Choices(names::FollowUpViewNames()) +
             " (required)"}},
       FillRecordFollowUp,
       "  casectl record-follow-up C1 --method phone --view agree\n"
       "  casectl record-follow-up C1 --method visit --view disagree "
       "--reason '上门回访'"},
      {"take-charge",
       "领导包案: as a people's government of the holder's region or above,\n"
       "record that your leader takes charge of the case until it is\n"
       "resolved (issue 18 item 2): once while one is in charge; the state\n"
       "does not change. `casectl charged` lists your leaders' cases.",
       {{"leader", FlagKind::kValue, false, "NAME",
         "the leader's name (required)"},
        {"title", FlagKind::kValue, false, "TITLE",
         "the leader's title, e.g. 县长 (required)"}},
       FillTakeCharge,
       "  casectl take-charge C1 --leader 王某某 --title 县长"},
  };
  return *kActions;
}

const ActionSpec* FindAction(absl::string_view name) {
  for (const ActionSpec& action : Actions()) {
    if (action.name == name) return &action;
  }
  return nullptr;
}

const std::vector<FlagSpec>& CommonActionFlags() {
  static const auto* const kFlags = new std::vector<FlagSpec>{
      {"version", FlagKind::kValue, false, "V",
       "the case version you act on (default: read the case's current one)"},
      {"reason", FlagKind::kValue, false, "R",
       "why; recorded in the history (some actions require one)"},
      // Kept only to refuse it with a clear message (ActCommandOf).
      {"operator", FlagKind::kValue, false, "NAME",
       "no longer taken: the history records the person your token or "
       "certificate names (casectl token add --holder NAME)"},
  };
  return *kFlags;
}

absl::StatusOr<ActCommand> ActCommandOf(absl::string_view action,
                                        const ParsedFlags& flags) {
  const ActionSpec* spec = FindAction(action);
  if (spec == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown action '", action, "'"));
  }
  if (flags.positional().size() != 1 || flags.positional()[0].empty()) {
    return absl::InvalidArgumentError(absl::StrCat(action, " takes CASE"));
  }
  ActCommand cmd;
  ActRequest& req = cmd.request;
  req.set_case_id(flags.positional()[0]);
  // Who acted comes from authentication, never from the request (issue 14
  // item 2; routing refuses a name that differs from it).
  if (flags.Has("operator")) {
    return absl::InvalidArgumentError(
        "--operator is no longer taken: the history records the person "
        "your token or certificate names (casectl token add OFFICE --holder "
        "NAME makes a token that names them)");
  }
  req.set_reason(flags.Value("reason"));
  if (flags.Has("version")) {
    uint64_t version = 0;
    if (!absl::SimpleAtoi(flags.Value("version"), &version)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--version must be a case version (a number); got '",
                       flags.Value("version"), "'"));
    }
    req.set_expected_version(version);
    cmd.version_given = true;
  }
  if (absl::Status s = spec->fill(flags, &req); !s.ok()) return s;
  return cmd;
}

}  // namespace caserelay::casectl
