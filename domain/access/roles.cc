#include "domain/access/roles.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "domain/lifecycle/transitions.h"
#include "domain/names/names.h"

namespace caserelay::access {
namespace {

using v1::CaseAction;
using v1::StaffRole;

constexpr StaffRole kRegistrar = v1::STAFF_ROLE_REGISTRAR;
constexpr StaffRole kHandler = v1::STAFF_ROLE_HANDLER;
constexpr StaffRole kHead = v1::STAFF_ROLE_HEAD;
constexpr StaffRole kInspector = v1::STAFF_ROLE_INSPECTOR;
constexpr StaffRole kLeader = v1::STAFF_ROLE_LEADER;
constexpr StaffRole kAdmin = v1::STAFF_ROLE_ADMIN;

// One office action: the roles that take it at once, and whether a
// HANDLER without HEAD proposes it for the head's approval.
struct Duty {
  CaseAction action;
  std::vector<StaffRole> direct;
  bool head_approves;
  const char* rule;
};

constexpr char kRuleHandles[] =
    "issue 16 item 1: 承办人 handles the office's cases, 负责人 heads the "
    "office";
constexpr char kRuleHeadApproves[] =
    "issue 16 item 1: 负责人 approves 延期, 不予受理, the 处理意见 and, at the "
    "re-review office, 终结 before they leave the office";

const std::vector<Duty>& Duties() {
  static const auto* const kDuties = new std::vector<Duty>{
      {v1::CASE_ACTION_TRANSFER,
       {kRegistrar, kHandler, kHead},
       false,
       "Art. 22: the bureau registers (登记) and transfers (转送) within 15 "
       "days; issue 16 item 1: 登记员 registers"},
      {v1::CASE_ACTION_ASSIGN,
       {kRegistrar, kHandler, kHead},
       false,
       "Art. 22: the bureau registers (登记) and assigns (交办) within 15 "
       "days; issue 16 item 1: 登记员 registers"},
      {v1::CASE_ACTION_OBJECT, {kHandler, kHead}, false, kRuleHandles},
      {v1::CASE_ACTION_ACCEPT, {kHandler, kHead}, false, kRuleHandles},
      {v1::CASE_ACTION_DECLINE,
       {kHead},
       true,
       "Art. 23 (不予受理) and issue 16 item 1: 负责人 approves 不予受理"},
      {v1::CASE_ACTION_EXTEND,
       {kHead},
       true,
       "Art. 34: 延期 \"经本机关、单位负责人批准\" (DOMAIN.md Deadlines: "
       "approved by the organ's head)"},
      {v1::CASE_ACTION_REPLY,
       {kHead},
       true,
       "Art. 34 (处理意见) and issue 16 item 1: 负责人 approves the 处理意见 "
       "before it leaves the office"},
      {v1::CASE_ACTION_REPORT_RESULT, {kHandler, kHead}, false, kRuleHandles},
      {v1::CASE_ACTION_EVALUATE, {kHandler, kHead}, false, kRuleHandles},
      {v1::CASE_ACTION_REQUEST_REVIEW,
       {kRegistrar, kHandler, kHead},
       false,
       "Art. 35: the review organ registers the request (复查); issue 16 "
       "item 1: 登记员 registers"},
      {v1::CASE_ACTION_DECIDE_REVIEW, {kHandler, kHead}, false, kRuleHandles},
      {v1::CASE_ACTION_REQUEST_REREVIEW,
       {kRegistrar, kHandler, kHead},
       false,
       "Art. 36: the re-review organ registers the request (复核); issue 16 "
       "item 1: 登记员 registers"},
      {v1::CASE_ACTION_START_HEARING, {kHandler, kHead}, false, kRuleHandles},
      {v1::CASE_ACTION_END_HEARING, {kHandler, kHead}, false, kRuleHandles},
      {v1::CASE_ACTION_DECIDE_REREVIEW,
       {kHead},
       true,
       "Art. 36 (复核意见, 信访终结) and issue 16 item 1: 负责人 approves 终结 "
       "at the re-review office"},
      {v1::CASE_ACTION_CLOSE, {kHandler, kHead}, false, kRuleHandles},
      {v1::CASE_ACTION_REPLY_SUPERVISION,
       {kHandler, kHead},
       false,
       "2005 Art. 36 (reply to 督办) and issue 16 item 1: 承办人 handles"},
      {v1::CASE_ACTION_RECOMMEND,
       {kInspector, kHead},
       false,
       "DOMAIN.md Supervision (Regulation Arts. 39-40; 2005 Arts. 36, 38): "
       "the supervising bureau's 督查员 or 负责人 proposes 改进工作建议 / "
       "追责建议 (issue 18 item 4)"},
      {v1::CASE_ACTION_SERVE,
       {kHandler, kHead},
       false,
       "Arts. 35-36 (送达) and issue 16 item 1: 承办人 handles"},
      {v1::CASE_ACTION_TAKE_CHARGE,
       {kLeader},
       false,
       "issue 18 item 2 (领导包案): the leader of the people's government "
       "takes charge of the case in person"},
      {v1::CASE_ACTION_FOLLOW_UP,
       {kHandler, kHead},
       false,
       "issue 18 item 7 (回访) and issue 16 item 1: the bureau's 承办人 "
       "follows up with the petitioner; 负责人 heads the office"},
      {v1::CASE_ACTION_ESCALATE,
       {kHead, kLeader},
       false,
       "issue 18 item 5 (提级办理): the superior organ decides to take the "
       "case up, by its 负责人 or 领导 (who reads the subtree it takes the "
       "case from)"},
      {v1::CASE_ACTION_CORRECT,
       {kRegistrar, kHead},
       false,
       "Art. 22 (登记) and issue 18 item 6 (更正登记): the registering "
       "bureau's 登记员 corrects its registration; 负责人 heads the office"},
  };
  return *kDuties;
}

const Duty* DutyOf(CaseAction action) {
  for (const Duty& d : Duties()) {
    if (d.action == action) return &d;
  }
  return nullptr;
}

bool Has(const StaffRoles& roles, StaffRole role) {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

bool HasAny(const StaffRoles& roles, const std::vector<StaffRole>& any) {
  for (StaffRole r : any) {
    if (Has(roles, r)) return true;
  }
  return false;
}

std::string Chinese(const std::vector<names::EnumName>& table, int value) {
  for (const names::EnumName& row : table) {
    if (row.value == value) return std::string(row.chinese);
  }
  return "?";
}

std::string RolesText(const std::vector<StaffRole>& roles) {
  std::vector<std::string> words;
  for (StaffRole r : roles) words.push_back(RoleText(r));
  return absl::StrJoin(words, "、");
}

}  // namespace

std::string ActionText(CaseAction action) {
  return Chinese(names::CaseActionNames(), action);
}

const StaffRoles& EveryRole() {
  static const auto* const kAll =
      new StaffRoles{kRegistrar, kHandler, kHead, kInspector, kLeader, kAdmin};
  return *kAll;
}

std::string RoleText(StaffRole role) {
  switch (role) {
    case kRegistrar:
      return "登记员";
    case kHandler:
      return "承办人";
    case kHead:
      return "负责人";
    case kInspector:
      return "督查员";
    case kLeader:
      return "领导";
    case kAdmin:
      return "管理员";
    default:
      return "";
  }
}

bool HeadApproves(CaseAction action) {
  const Duty* d = DutyOf(action);
  return d != nullptr && d->head_approves;
}

Ruling Rule(const StaffRoles& roles, CaseAction action, v1::CaseState state) {
  Ruling r;
  const Duty* duty = DutyOf(action);
  if (duty == nullptr) {
    r.reason = absl::StrCat("“", ActionText(action),
                            "”由系统记录，任何角色都不能直接办理");
    r.rule =
        "lifecycle.h: REGISTER, LINK_REPEAT and SUPERVISE are recorded by "
        "routing; issue 16: PROPOSE and RETURN_PROPOSAL by the approval path";
    return r;
  }
  if (lifecycle::FindTransition(state, action) == nullptr) {
    r.by_state = true;
    r.reason =
        absl::StrCat("信访事项处于“", Chinese(names::CaseStateNames(), state),
                     "”阶段，不能“", ActionText(action), "”");
    r.rule = std::string(lifecycle::RuleOf(action));
    return r;
  }
  r.rule = duty->rule;
  if (HasAny(roles, duty->direct)) {
    r.verdict = Verdict::kAllowed;
    return r;
  }
  if (duty->head_approves && Has(roles, kHandler)) {
    r.verdict = Verdict::kNeedsApproval;
    r.reason = absl::StrCat("“", ActionText(action),
                            "”须经本单位负责人批准，提交后进入负责人审批");
    return r;
  }
  std::vector<StaffRole> may = duty->direct;
  if (duty->head_approves) may.insert(may.begin(), kHandler);
  r.reason = absl::StrCat(
      "“", ActionText(action), "”由", RolesText(may), "办理",
      roles.empty()
          ? "，您没有任何角色"
          : absl::StrCat("，您的角色（", RolesText(roles), "）不能办理"));
  return r;
}

std::string MayIssueSupervision(const StaffRoles& roles) {
  if (HasAny(roles, {kInspector, kHead})) return "";
  return "督办由本部门督查员或负责人办理";
}

std::string MayAnswerProposal(const StaffRoles& roles) {
  if (Has(roles, kHead)) return "";
  return "只有本单位负责人可以审批报批事项";
}

ReadScope ReadScopeOf(const StaffRoles& roles) {
  if (Has(roles, kInspector) || Has(roles, kLeader)) return ReadScope::kSubtree;
  if (HasAny(roles, {kRegistrar, kHandler, kHead})) return ReadScope::kOffice;
  return ReadScope::kNone;
}

namespace {
constexpr char kNoCaseRead[] =
    "您的角色不查阅信访事项（管理员只管理本单位用户）";
constexpr char kOwnCasesOnly[] =
    "您的角色只能查阅本单位经办的信访事项（领导、督查员可查阅辖区）";
constexpr char kOwnOfficeOnly[] =
    "您的角色只能查阅本单位的事项（领导、督查员可查阅辖区）";

bool Names(const std::vector<std::string>& offices, const std::string& o) {
  return std::find(offices.begin(), offices.end(), o) != offices.end();
}
}  // namespace

absl::Status MayReadCaseAs(const StaffRoles& roles, const std::string& office,
                           const CaseParties& parties) {
  switch (ReadScopeOf(roles)) {
    case ReadScope::kNone:
      return absl::PermissionDeniedError(kNoCaseRead);
    case ReadScope::kOffice:
      if (Names(parties.acting_offices, office) ||
          Names(parties.past_holders, office) ||
          Names(parties.parties, office)) {
        return absl::OkStatus();
      }
      return absl::PermissionDeniedError(kOwnCasesOnly);
    case ReadScope::kSubtree:
      break;
  }
  return absl::OkStatus();
}

absl::Status NarrowToRoleScope(const StaffRoles& roles,
                               const std::string& office, std::string* region,
                               std::string* asked_office) {
  switch (ReadScopeOf(roles)) {
    case ReadScope::kNone:
      return absl::PermissionDeniedError(kNoCaseRead);
    case ReadScope::kOffice:
      if (!region->empty() ||
          (!asked_office->empty() && *asked_office != office)) {
        return absl::PermissionDeniedError(kOwnOfficeOnly);
      }
      *asked_office = office;
      return absl::OkStatus();
    case ReadScope::kSubtree:
      break;
  }
  return absl::OkStatus();
}

std::vector<v1::ConsoleView> ConsoleViews(const StaffRoles& roles) {
  std::vector<v1::ConsoleView> views;
  if (ReadScopeOf(roles) != ReadScope::kNone) {
    views.push_back(v1::CONSOLE_VIEW_INBOX);
  }
  if (Has(roles, kRegistrar)) views.push_back(v1::CONSOLE_VIEW_REGISTER);
  if (Has(roles, kHead)) views.push_back(v1::CONSOLE_VIEW_APPROVALS);
  if (HasAny(roles, {kHead, kInspector, kLeader})) {
    views.push_back(v1::CONSOLE_VIEW_RED_LIGHTS);
  }
  if (HasAny(roles, {kInspector, kLeader})) {
    views.push_back(v1::CONSOLE_VIEW_INDICATORS);
  }
  if (Has(roles, kAdmin)) views.push_back(v1::CONSOLE_VIEW_USERS);
  return views;
}

}  // namespace caserelay::access
