#include "domain/names/names.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace caserelay::names {

namespace v1 = caserelay::v1;

const std::vector<EnumName>& CaseStateNames() {
  static const auto* const kTable = new std::vector<EnumName>{
      {v1::CASE_STATE_UNSPECIFIED, "unspecified", "未指定"},
      {v1::CASE_STATE_RECEIVED, "received", "已收到"},
      {v1::CASE_STATE_REGISTERED, "registered", "已登记"},
      {v1::CASE_STATE_TRANSFERRED, "transferred", "已转送"},
      {v1::CASE_STATE_ASSIGNED, "assigned", "已交办"},
      {v1::CASE_STATE_ACCEPTED, "accepted", "已受理"},
      {v1::CASE_STATE_NOT_ACCEPTED, "not-accepted", "不予受理"},
      {v1::CASE_STATE_EXTENDED, "extended", "已延期"},
      {v1::CASE_STATE_REPLIED, "replied", "已出具处理意见"},
      {v1::CASE_STATE_EVALUATED, "evaluated", "已评价"},
      {v1::CASE_STATE_REVIEW_REQUESTED, "review-requested", "已申请复查"},
      {v1::CASE_STATE_REVIEWED, "reviewed", "已出具复查意见"},
      {v1::CASE_STATE_REREVIEW_REQUESTED, "rereview-requested", "已申请复核"},
      {v1::CASE_STATE_HEARING, "hearing", "听证中"},
      {v1::CASE_STATE_TERMINATED, "terminated", "信访终结"},
      {v1::CASE_STATE_CLOSED, "closed", "已办结归档"},
      {v1::CASE_STATE_LINKED, "linked", "重复信访已关联"},
  };
  return *kTable;
}

const std::vector<EnumName>& ChannelNames() {
  static const auto* const kTable = new std::vector<EnumName>{
      {v1::CHANNEL_UNSPECIFIED, "unspecified", "未指定"},
      {v1::CHANNEL_ONLINE, "online", "信息网络"},
      {v1::CHANNEL_LETTER, "letter", "书信"},
      {v1::CHANNEL_PHONE, "phone", "电话"},
      {v1::CHANNEL_FAX, "fax", "传真"},
      {v1::CHANNEL_VISIT, "visit", "走访"},
  };
  return *kTable;
}

const std::vector<EnumName>& MatterClassNames() {
  static const auto* const kTable = new std::vector<EnumName>{
      {v1::MATTER_CLASS_UNSPECIFIED, "unspecified", "未指定"},
      {v1::MATTER_CLASS_SUGGESTION, "suggestion", "建议意见类"},
      {v1::MATTER_CLASS_ACCUSATION, "accusation", "检举控告类"},
      {v1::MATTER_CLASS_CLAIM, "claim", "申诉求决类"},
  };
  return *kTable;
}

const std::vector<EnumName>& OutcomeNames() {
  static const auto* const kTable = new std::vector<EnumName>{
      {v1::OUTCOME_UNSPECIFIED, "unspecified", "未指定"},
      {v1::OUTCOME_SUPPORT, "support", "支持"},
      {v1::OUTCOME_EXPLAIN, "explain", "解释说明"},
      {v1::OUTCOME_REJECT, "reject", "不予支持"},
  };
  return *kTable;
}

const std::vector<EnumName>& SatisfactionNames() {
  static const auto* const kTable = new std::vector<EnumName>{
      {v1::SATISFACTION_UNSPECIFIED, "unspecified", "未指定"},
      {v1::SATISFACTION_SATISFIED, "satisfied", "满意"},
      {v1::SATISFACTION_BASICALLY, "basically", "基本满意"},
      {v1::SATISFACTION_DISSATISFIED, "dissatisfied", "不满意"},
  };
  return *kTable;
}

const std::vector<EnumName>& StatutoryRouteNames() {
  static const auto* const kTable = new std::vector<EnumName>{
      {v1::STATUTORY_ROUTE_NONE, "none", "无"},
      {v1::STATUTORY_ROUTE_LITIGATION, "litigation", "诉讼"},
      {v1::STATUTORY_ROUTE_ARBITRATION, "arbitration", "仲裁"},
      {v1::STATUTORY_ROUTE_ADMIN_REVIEW, "admin-review", "行政复议"},
      {v1::STATUTORY_ROUTE_ADMIN_RULING, "admin-ruling", "行政裁决"},
      {v1::STATUTORY_ROUTE_PARTY_APPEAL, "party-appeal", "党员申诉"},
  };
  return *kTable;
}

const std::vector<EnumName>& DispositionNames() {
  static const auto* const kTable = new std::vector<EnumName>{
      {v1::DISPOSITION_UNSPECIFIED, "unspecified", "未指定"},
      {v1::DISPOSITION_TRANSFER, "transfer", "转送"},
      {v1::DISPOSITION_ASSIGN, "assign", "交办"},
      {v1::DISPOSITION_NOT_ACCEPTED, "not-accepted", "不予受理"},
      {v1::DISPOSITION_REDIRECT, "redirect", "引导到有权处理机关"},
      {v1::DISPOSITION_LINKED_REPEAT, "linked-repeat", "重复信访"},
      {v1::DISPOSITION_REFUSED_TERMINATED, "refused-terminated",
       "信访终结，不再受理"},
      {v1::DISPOSITION_TRIAGE, "triage", "无头事项"},
  };
  return *kTable;
}

const std::vector<EnumName>& RefusalGroundNames() {
  static const auto* const kTable = new std::vector<EnumName>{
      {v1::REFUSAL_GROUND_UNSPECIFIED, "unspecified", "未指定"},
      {v1::REFUSAL_GROUND_STATUTORY_ROUTE, "statutory-route",
       "诉访分离，应通过法定途径解决"},
      {v1::REFUSAL_GROUND_IN_PROGRESS_BELOW, "in-progress-below",
       "同一事项正在下级办理期限内"},
      {v1::REFUSAL_GROUND_TERMINATED, "terminated", "信访终结，不再受理"},
      {v1::REFUSAL_GROUND_LEVEL_SKIPPING, "level-skipping", "越级走访"},
      {v1::REFUSAL_GROUND_OUT_OF_SCOPE, "out-of-scope", "不属于受理范围"},
  };
  return *kTable;
}

const std::vector<EnumName>& ServiceMethodNames() {
  static const auto* const kTable = new std::vector<EnumName>{
      {v1::SERVICE_METHOD_UNSPECIFIED, "unspecified", "未指定"},
      {v1::SERVICE_METHOD_IN_PERSON, "in-person", "直接送达"},
      {v1::SERVICE_METHOD_POST, "post", "邮寄送达"},
      {v1::SERVICE_METHOD_PORTAL, "portal", "网上信访平台电子送达"},
      {v1::SERVICE_METHOD_SMS, "sms", "短信电子送达"},
  };
  return *kTable;
}

const std::vector<EnumName>& DeadlineKindNames() {
  static const auto* const kTable = new std::vector<EnumName>{
      {v1::DEADLINE_KIND_UNSPECIFIED, "unspecified", "未指定"},
      {v1::DEADLINE_KIND_TRANSFER, "transfer", "转送交办"},
      {v1::DEADLINE_KIND_ACCEPTANCE, "acceptance", "受理告知"},
      {v1::DEADLINE_KIND_HANDLING, "handling", "处理意见"},
      {v1::DEADLINE_KIND_SIMPLIFIED, "simplified", "简易办理"},
      {v1::DEADLINE_KIND_RESULT_REPORT, "result-report", "办结报告"},
      {v1::DEADLINE_KIND_REVIEW, "review", "复查意见"},
      {v1::DEADLINE_KIND_REREVIEW, "rereview", "复核意见"},
      {v1::DEADLINE_KIND_SUPERVISION_REPLY, "supervision-reply", "督办回复"},
      {v1::DEADLINE_KIND_SERVICE, "service", "送达"},
  };
  return *kTable;
}

const std::vector<EnumName>& CaseActionNames() {
  static const auto* const kTable = new std::vector<EnumName>{
      {v1::CASE_ACTION_UNSPECIFIED, "unspecified", "未指定"},
      {v1::CASE_ACTION_REGISTER, "register", "登记"},
      {v1::CASE_ACTION_TRANSFER, "transfer", "转送"},
      {v1::CASE_ACTION_ASSIGN, "assign", "交办"},
      {v1::CASE_ACTION_OBJECT, "object", "异议"},
      {v1::CASE_ACTION_ACCEPT, "accept", "受理"},
      {v1::CASE_ACTION_DECLINE, "decline", "不予受理"},
      {v1::CASE_ACTION_EXTEND, "extend", "延期"},
      {v1::CASE_ACTION_REPLY, "reply", "出具处理意见"},
      {v1::CASE_ACTION_REPORT_RESULT, "report-result", "办结报告"},
      {v1::CASE_ACTION_EVALUATE, "evaluate", "满意度评价"},
      {v1::CASE_ACTION_REQUEST_REVIEW, "request-review", "复查请求"},
      {v1::CASE_ACTION_DECIDE_REVIEW, "decide-review", "复查意见"},
      {v1::CASE_ACTION_REQUEST_REREVIEW, "request-rereview", "复核请求"},
      {v1::CASE_ACTION_START_HEARING, "start-hearing", "听证开始"},
      {v1::CASE_ACTION_END_HEARING, "end-hearing", "听证结束"},
      {v1::CASE_ACTION_DECIDE_REREVIEW, "decide-rereview", "复核意见"},
      {v1::CASE_ACTION_CLOSE, "close", "办结归档"},
      {v1::CASE_ACTION_LINK_REPEAT, "link-repeat", "重复信访关联"},
      {v1::CASE_ACTION_SUPERVISE, "supervise", "督办"},
      {v1::CASE_ACTION_REPLY_SUPERVISION, "reply-supervision", "督办回复"},
      {v1::CASE_ACTION_SERVE, "serve", "送达"},
      {v1::CASE_ACTION_PROPOSE, "propose", "报负责人审批"},
      {v1::CASE_ACTION_RETURN_PROPOSAL, "return-proposal", "退回报批"},
      {v1::CASE_ACTION_ESCALATE, "escalate", "提级办理"},
      {v1::CASE_ACTION_CORRECT, "correct", "更正登记"},
      {v1::CASE_ACTION_FOLLOW_UP, "follow-up", "回访"},
      {v1::CASE_ACTION_TAKE_CHARGE, "take-charge", "领导包案"},
      {v1::CASE_ACTION_RECOMMEND, "recommend", "改进工作建议/追责建议"},
  };
  return *kTable;
}

const std::vector<EnumName>& SupervisionLevelNames() {
  static const auto* const kTable = new std::vector<EnumName>{
      {v1::SUPERVISION_LEVEL_UNSPECIFIED, "none", "未督办"},
      {v1::SUPERVISION_LEVEL_LETTER, "letter", "督办函"},
      {v1::SUPERVISION_LEVEL_LISTED, "listed", "挂牌督办"},
  };
  return *kTable;
}

const std::vector<EnumName>& DeadlineStateNames() {
  static const auto* const kTable = new std::vector<EnumName>{
      {v1::DEADLINE_STATE_UNSPECIFIED, "unspecified", "未指定"},
      {v1::DEADLINE_STATE_ARMED, "armed", "计时中"},
      {v1::DEADLINE_STATE_MISSED, "missed", "已超期"},
      {v1::DEADLINE_STATE_DONE, "done", "已按期办结"},
      {v1::DEADLINE_STATE_PAUSED, "paused", "已暂停"},
  };
  return *kTable;
}

const std::vector<EnumName>& FollowUpMethodNames() {
  static const auto* const kTable = new std::vector<EnumName>{
      {v1::FOLLOW_UP_METHOD_UNSPECIFIED, "unspecified", "未指定"},
      {v1::FOLLOW_UP_METHOD_PHONE, "phone", "电话回访"},
      {v1::FOLLOW_UP_METHOD_VISIT, "visit", "上门回访"},
  };
  return *kTable;
}

const std::vector<EnumName>& FollowUpViewNames() {
  static const auto* const kTable = new std::vector<EnumName>{
      {v1::FOLLOW_UP_VIEW_UNSPECIFIED, "unspecified", "未指定"},
      {v1::FOLLOW_UP_VIEW_AGREE, "agree", "认同"},
      {v1::FOLLOW_UP_VIEW_BASICALLY_AGREE, "basically", "基本认同"},
      {v1::FOLLOW_UP_VIEW_DISAGREE, "disagree", "不认同"},
  };
  return *kTable;
}

const std::vector<EnumName>& ReceptionKindNames() {
  static const auto* const kTable = new std::vector<EnumName>{
      {v1::RECEPTION_KIND_UNSPECIFIED, "unspecified", "未指定"},
      {v1::RECEPTION_KIND_SCHEDULED, "scheduled", "领导接访日"},
      {v1::RECEPTION_KIND_DOWN_VISIT, "down-visit", "下访"},
      {v1::RECEPTION_KIND_WITH_CASES, "with-cases", "带案下访"},
  };
  return *kTable;
}

const std::vector<EnumName>& OfficeLevelNames() {
  static const auto* const kTable = new std::vector<EnumName>{
      {v1::OFFICE_LEVEL_UNSPECIFIED, "unspecified", "未指定"},
      {v1::OFFICE_LEVEL_PROVINCE, "province", "省级"},
      {v1::OFFICE_LEVEL_CITY, "city", "市级"},
      {v1::OFFICE_LEVEL_COUNTY, "county", "县级"},
      {v1::OFFICE_LEVEL_TOWNSHIP, "township", "乡镇级"},
  };
  return *kTable;
}

namespace {

const EnumName* Find(const std::vector<EnumName>& table, int value) {
  for (const EnumName& row : table) {
    if (row.value == value) return &row;
  }
  return nullptr;
}

// Whether `row` may be typed: every row but an enum's zero value, except
// StatutoryRoute's "none", which a clerk may state.
bool Parseable(const std::vector<EnumName>& table, const EnumName& row) {
  return row.value != 0 || &table == &StatutoryRouteNames();
}

template <typename Enum>
absl::StatusOr<Enum> Typed(const std::vector<EnumName>& table,
                           absl::string_view name) {
  absl::StatusOr<int> value = ValueOf(table, name);
  if (!value.ok()) return value.status();
  return static_cast<Enum>(*value);
}

}  // namespace

std::string NameOf(const std::vector<EnumName>& table, int value) {
  const EnumName* row = Find(table, value);
  if (row == nullptr) return absl::StrCat("unknown(", value, ")");
  return std::string(row->name);
}

std::string LabelOf(const std::vector<EnumName>& table, int value) {
  const EnumName* row = Find(table, value);
  if (row == nullptr) return absl::StrCat("unknown(", value, ")");
  return absl::StrCat(row->name, " (", row->chinese, ")");
}

absl::StatusOr<int> ValueOf(const std::vector<EnumName>& table,
                            absl::string_view name) {
  for (const EnumName& row : table) {
    if (row.name == name && Parseable(table, row)) return row.value;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("must be one of ", Choices(table), "; got '", name, "'"));
}

std::string Choices(const std::vector<EnumName>& table) {
  std::vector<absl::string_view> words;
  for (const EnumName& row : table) {
    if (Parseable(table, row)) words.push_back(row.name);
  }
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
    absl::StrAppend(&out, words[i]);
  }
  return out;
}

std::string StateName(v1::CaseState state) {
  return NameOf(CaseStateNames(), state);
}
std::string StateLabel(v1::CaseState state) {
  return LabelOf(CaseStateNames(), state);
}
std::string ActionLabel(v1::CaseAction action) {
  return LabelOf(CaseActionNames(), action);
}

absl::StatusOr<v1::CaseState> ParseState(absl::string_view name) {
  return Typed<v1::CaseState>(CaseStateNames(), name);
}
absl::StatusOr<v1::Channel> ParseChannel(absl::string_view name) {
  return Typed<v1::Channel>(ChannelNames(), name);
}
absl::StatusOr<v1::MatterClass> ParseMatterClass(absl::string_view name) {
  return Typed<v1::MatterClass>(MatterClassNames(), name);
}
absl::StatusOr<v1::Outcome> ParseOutcome(absl::string_view name) {
  return Typed<v1::Outcome>(OutcomeNames(), name);
}
absl::StatusOr<v1::Satisfaction> ParseSatisfaction(absl::string_view name) {
  return Typed<v1::Satisfaction>(SatisfactionNames(), name);
}
absl::StatusOr<v1::StatutoryRoute> ParseStatutoryRoute(absl::string_view name) {
  return Typed<v1::StatutoryRoute>(StatutoryRouteNames(), name);
}
absl::StatusOr<v1::RefusalGround> ParseRefusalGround(absl::string_view name) {
  return Typed<v1::RefusalGround>(RefusalGroundNames(), name);
}
absl::StatusOr<v1::ServiceMethod> ParseServiceMethod(absl::string_view name) {
  return Typed<v1::ServiceMethod>(ServiceMethodNames(), name);
}
absl::StatusOr<v1::OfficeLevel> ParseOfficeLevel(absl::string_view name) {
  return Typed<v1::OfficeLevel>(OfficeLevelNames(), name);
}

}  // namespace caserelay::names
