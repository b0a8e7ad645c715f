// The Chinese words for the services' enum values on the console's pages
// (words only: what a state allows, when a limit falls due, what a role may
// read come from the services). An unknown value is shown as it came, so a
// value added to a .proto later is never hidden.

const TABLES = {
  CASE_STATE_: {
    RECEIVED: "已接收", REGISTERED: "已登记待转", TRANSFERRED: "已转送", ASSIGNED: "已交办",
    ACCEPTED: "已受理", NOT_ACCEPTED: "不予受理", EXTENDED: "已延期", REPLIED: "已出具处理意见",
    EVALUATED: "已评价", REVIEW_REQUESTED: "已申请复查", REVIEWED: "已出具复查意见",
    REREVIEW_REQUESTED: "已申请复核", HEARING: "听证中", TERMINATED: "信访终结",
    CLOSED: "办结归档", LINKED: "重复信访已关联",
  },
  CHANNEL_: { ONLINE: "网上信访", LETTER: "来信", PHONE: "来电", FAX: "传真", VISIT: "来访" },
  MATTER_CLASS_: { SUGGESTION: "建议意见类", ACCUSATION: "检举控告类", CLAIM: "申诉求决类" },
  DEADLINE_KIND_: {
    TRANSFER: "登记转送/交办", ACCEPTANCE: "告知受理", HANDLING: "出具处理意见",
    SIMPLIFIED: "简易办理", RESULT_REPORT: "报送办结报告", REVIEW: "复查意见",
    REREVIEW: "复核意见", SUPERVISION_REPLY: "回复督办", SERVICE: "登记送达",
  },
  DEADLINE_STATE_: { ARMED: "计时中", MISSED: "已超期", DONE: "已按期完成", PAUSED: "已暂停（听证）" },
  DEADLINE_LIGHT_: { GREEN: "正常", YELLOW: "临期", RED: "超期" },
  CASE_ACTION_: {
    REGISTER: "登记", TRANSFER: "转送", ASSIGN: "交办", OBJECT: "提出异议", ACCEPT: "受理",
    DECLINE: "不予受理", EXTEND: "延期", REPLY: "出具处理意见", REPORT_RESULT: "报送办结报告",
    EVALUATE: "满意度评价", REQUEST_REVIEW: "申请复查", DECIDE_REVIEW: "出具复查意见",
    REQUEST_REREVIEW: "申请复核", START_HEARING: "开始听证", END_HEARING: "结束听证",
    DECIDE_REREVIEW: "出具复核意见", CLOSE: "办结归档", LINK_REPEAT: "关联重复信访",
    SUPERVISE: "督办", REPLY_SUPERVISION: "回复督办", SERVE: "登记送达",
    PROPOSE: "报批", RETURN_PROPOSAL: "退回报批", ESCALATE: "提级办理", CORRECT: "更正登记",
    FOLLOW_UP: "回访", TAKE_CHARGE: "领导包案", RECOMMEND: "改进工作建议/追责建议",
  },
  OUTCOME_: { SUPPORT: "支持", EXPLAIN: "解释说明", REJECT: "不予支持" },
  SATISFACTION_: { SATISFIED: "满意", BASICALLY: "基本满意", DISSATISFIED: "不满意" },
  SUPERVISION_LEVEL_: { LETTER: "督办函", LISTED: "挂牌督办" },
  // 2005 Art. 36 items 1-6 (domain/lifecycle GroundWords has the same words).
  SUPERVISION_GROUND_: {
    MISSED_DEADLINE: "未按规定期限办结", RESULT_NOT_REPORTED: "未按规定反馈办理结果",
    PROCEDURE_BREACHED: "未按规定程序办理", SHIRKING: "推诿、敷衍、拖延",
    OPINION_NOT_CARRIED_OUT: "不执行信访处理意见", OTHER: "其他需要督办的情形",
  },
  SUPERVISION_SOURCE_: { AUTOMATIC: "自动督办", MANUAL: "手动督办" },
  SERVICE_METHOD_: { IN_PERSON: "直接送达", POST: "邮寄送达", PORTAL: "网上信访平台送达", SMS: "短信送达" },
  REFUSAL_GROUND_: {
    STATUTORY_ROUTE: "应通过法定途径解决", IN_PROGRESS_BELOW: "下级机关正在办理",
    TERMINATED: "已信访终结", LEVEL_SKIPPING: "越级走访", OUT_OF_SCOPE: "不属于本机关职责范围",
  },
  DISPOSITION_: {
    TRANSFER: "转送", ASSIGN: "交办", NOT_ACCEPTED: "不予受理（告知法定途径）",
    REDIRECT: "引导到有权处理的机关", LINKED_REPEAT: "重复信访，关联已有事项",
    REFUSED_TERMINATED: "已信访终结，不再受理", TRIAGE: "无明确责任单位，由本机关分办",
  },
  SMS_STATE_: {
    QUEUED: "排队待发", SENDING: "正在发送", SENT: "已发出", DELIVERED: "已送达手机",
    FAILED: "发送失败", NO_PHONE: "未留手机号", UNKNOWN: "发送结果待核实",
  },
  STAFF_ROLE_: {
    REGISTRAR: "登记员", HANDLER: "承办人", HEAD: "负责人", INSPECTOR: "督查员",
    LEADER: "领导", ADMIN: "管理员",
  },
  FOLLOW_UP_METHOD_: { PHONE: "电话回访", VISIT: "上门回访" },
  FOLLOW_UP_VIEW_: { AGREE: "认同", BASICALLY_AGREE: "基本认同", DISAGREE: "不认同" },
  // 领导接访 (issue 18 item 1; domain/names ReceptionKindNames' terms).
  RECEPTION_KIND_: { SCHEDULED: "领导接访日", DOWN_VISIT: "下访", WITH_CASES: "带案下访" },
  RECOMMENDATION_KIND_: { IMPROVEMENT: "改进工作建议", ACCOUNTABILITY: "追责建议" },
  STATUTORY_ROUTE_: {
    NONE: "无（按信访程序办理）", LITIGATION: "诉讼", ARBITRATION: "仲裁",
    ADMIN_REVIEW: "行政复议", ADMIN_RULING: "行政裁决", PARTY_APPEAL: "党内申诉",
  },
  OFFICE_LEVEL_: { PROVINCE: "省级", CITY: "市级", COUNTY: "县级", TOWNSHIP: "乡镇级" },
  BULLETIN_KIND_: { DAILY: "每日信访", WEEKLY: "周通报", MONTHLY: "月分析" },
};

// The word for `value` ("CASE_STATE_ACCEPTED") of the enum whose names
// start with `prefix` ("CASE_STATE_"); "" for an unset value.
export function word(prefix, value) {
  const name = String(value || "");
  if (!name || name.endsWith("_UNSPECIFIED")) return "";
  const table = TABLES[prefix] || {};
  const key = name.startsWith(prefix) ? name.slice(prefix.length) : name;
  return table[key] || name;
}

// [[value, word]] of every value of the enum, in the table's order: the
// choices of a filter or a form.
export function choices(prefix) {
  return Object.entries(TABLES[prefix] || {}).map(([key, text]) => [prefix + key, text]);
}
