// case.html?id=<case>: one case as GET /api/v1/console/cases/{id} gives it
// to this user: the matter, the petitioner (only when the services let this
// office see the contact), the proposal awaiting the head, every deadline
// and 督办, the whole history with who handled (承办人) and who approved
// (审批人) each step and the hash chain's check, the SMS to the petitioner
// with their delivery, and forms for exactly the allowed actions.

import { loadForm } from "../form_config.js";
import { byId, el, focusOn, formatDate, formatDateTime, setText, show } from "../ui.js";
import { renderActionForms } from "./case_forms.js";
import { renderSuperviseForm } from "./supervise_form.js";
import { word } from "./labels.js";
import { api, pageError, startPage } from "./session.js";
import { cell, day, lastDay } from "./table.js";

const caseId = new URLSearchParams(window.location.search).get("id") || "";
let categoryNames = {};

function rows(target, pairs) {
  byId(target).replaceChildren(...pairs.filter(([, v]) => v !== "" && v !== undefined && v !== null)
    .map(([term, value]) => el("div", {}, [el("dt", { text: term }), el("dd", {}, [value])])));
}

function when(value) {
  return value ? el("time", { datetime: value, text: formatDateTime(value) }) : "";
}

// 领导包案 (issue 18 item 2): "县长 王某某（沁源县人民政府，2026-03-02 起）".
function leaderText(l) {
  if (!l || !l.leader_name) return "";
  const since = l.since ? `，${formatDate(l.since)} 起` : "";
  return `${l.leader_title || ""} ${l.leader_name}（${l.office_name || l.office_code || ""}${since}）`;
}

// 回访, oldest first: "2026-03-20 电话回访：基本认同（沁源县信访局）".
function followUpsText(list) {
  return (list || []).map((f) => `${formatDate(f.contacted_at)} ${word("FOLLOW_UP_METHOD_", f.method)}：`
    + `${word("FOLLOW_UP_VIEW_", f.view)}（${f.office_name || f.office_code || ""}）`).join("；");
}

// "37 人次，代表 5 人" for a group petition; "" for one person (0 reads as 1).
function groupText(view) {
  const persons = Number(view.head_count || 0);
  const reps = Number(view.representatives || 0);
  if (persons <= 1 && reps <= 1) return "";
  return `${Math.max(persons, reps, 1)} 人次，代表 ${Math.max(reps, 1)} 人`;
}

// "2026年3月4日 领导接访日 县长 王某某": the leader's reception a visit was
// registered at (issue 18 item 1), as routing's view and event carry it.
function receptionText(r) {
  if (!r || !r.reception_id) return "";
  return [formatDate(r.day), word("RECEPTION_KIND_", r.kind), r.leader_title, r.leader_name]
    .filter(Boolean).join(" ");
}

function renderSummary(view) {
  const m = view.matter || {};
  setText("state-text", word("CASE_STATE_", view.state));
  rows("case-summary", [
    ["办理单位", view.office_name || view.office_code || ""],
    ["收到时间", when(view.received_at)],
    ["信访形式", word("CHANNEL_", m.channel)],
    ["类别", categoryNames[m.category] || m.category || ""],
    ["性质", word("MATTER_CLASS_", m.matter_class)],
    // 群体访 / 联名 (issue 18 item 3): routing's CaseView, as registered.
    ["群体访/联名", groupText(view)],
    ["领导接访", receptionText(view.reception)],
    ["处理结论", [word("OUTCOME_", view.outcome), view.on_the_spot ? "当场解决" : ""].filter(Boolean).join("，")],
    ["满意度", word("SATISFACTION_", view.satisfaction)],
    // 回访 beside the petitioner's own rating (issue 18 item 7).
    ["回访", followUpsText(view.follow_ups)],
    ["包案领导", leaderText(view.leader_in_charge)],
    ["关联的重复信访", (view.linked_cases || []).join("、")],
  ]);
  setText("matter-title", m.title || "");
  setText("matter-text", m.text || "");
}

function renderPending(view) {
  const p = view.pending;
  show("pending-section", Boolean(p));
  if (!p) return;
  rows("pending", [
    ["报批事项", word("CASE_ACTION_", p.action)],
    ["报批人", p.proposed_by || ""],
    ["报批时间", when(p.proposed_at)],
    ["理由", p.reason || ""],
  ]);
}

// intake's GetPetitioner answer, present only for an office entitled to
// contact the petitioner; the ID number comes masked, never in full.
function renderPetitioner(p) {
  const shown = p && (p.name || p.phone || p.address);
  show("petitioner-section", Boolean(shown));
  if (!shown) return;
  rows("petitioner", [
    ["姓名或名称", p.name || ""],
    ["联系电话", p.phone || ""],
    ["住址", p.address || ""],
    ["身份证号（部分隐藏）", p.id_number_masked || ""],
  ]);
}

function renderDeadlines(answer) {
  const deadlines = (answer && answer.deadlines) || [];
  byId("deadlines").replaceChildren(...deadlines.map((d) => el("tr", {}, [
    cell(word("DEADLINE_KIND_", d.kind)),
    cell(d.office_name || d.office_code || ""),
    cell(day(d.started_at)),
    cell(lastDay(d.due_at)),
    cell(word("DEADLINE_STATE_", d.state)),
  ])));
  show("deadlines-table", deadlines.length > 0);
  show("no-deadlines", deadlines.length === 0);
  const supervisions = (answer && answer.supervisions) || [];
  byId("supervisions").replaceChildren(...supervisions.map(supervisionItem));
}

// One 督办 with its source and ground (issue 18 item 4): an automatic one
// names the missed deadline, a manual one its ground and the bureau's
// reason.
function supervisionItem(s) {
  const manual = s.source === "SUPERVISION_SOURCE_MANUAL";
  const why = manual
    ? [`事由：${word("SUPERVISION_GROUND_", s.ground)}`, s.reason ? `（${s.reason}）` : ""]
    : [`${word("DEADLINE_KIND_", s.missed_kind)}超期（最后一天 `, lastDay(s.missed_due_at), "）"];
  return el("li", {}, [
    el("strong", { text: word("SUPERVISION_LEVEL_", s.level) }),
    `（${manual ? "手动督办" : "自动督办"}，${s.supervision_id || ""}）：`,
    `${s.issuer_office_name || ""} 督办 ${s.target_office_name || ""}，`, ...why,
  ]);
}

// 更正登记 (issue 18 item 6): each corrected field, "旧 → 新", as the event
// recorded them (routing decided the case anew by the rules).
function correctionText(c) {
  const category = (code) => categoryNames[code] || code || "无";
  const pairs = [
    ["类别", category(c.old_category), category(c.new_category)],
    ["性质", word("MATTER_CLASS_", c.old_matter_class), word("MATTER_CLASS_", c.new_matter_class)],
    ["发生地", c.old_region_code || "", c.new_region_code || ""],
    ["法定途径", word("STATUTORY_ROUTE_", c.old_statutory_route) || "无",
      word("STATUTORY_ROUTE_", c.new_statutory_route) || "无"],
  ].filter(([, from, to]) => from !== to);
  return `更正登记：${pairs.map(([what, from, to]) => `${what} ${from} → ${to}`).join("，")}`;
}

// One history row: an event envelope of routing's (its time, and the
// case event in it); a record the gateway could not read is null, shown as
// such (the chain check names it).
function historyRow(envelope) {
  const e = envelope && (envelope.case_event || null);
  if (!e) {
    return el("tr", {}, [cell(when(envelope && envelope.occurred_at)), cell("（无法读取的记录）"), cell(""), cell(""), cell(""), cell(""), cell("")]);
  }
  const move = e.from_state && e.to_state && e.from_state !== e.to_state
    ? `${word("CASE_STATE_", e.from_state)} → ${word("CASE_STATE_", e.to_state)}` : "";
  const proposed = word("CASE_ACTION_", e.proposed_action);
  const action = proposed ? `${word("CASE_ACTION_", e.action)}：${proposed}` : word("CASE_ACTION_", e.action);
  const notes = [
    e.reason, e.route, word("OUTCOME_", e.outcome),
    e.reception ? `领导接访：${receptionText(e.reception)}` : "",
    e.on_the_spot ? "当场解决" : "",
    e.extension_days ? `延期 ${e.extension_days} 天` : "",
    e.escalated_from_office_code ? `提级办理：原办理单位 ${e.escalated_from_office_name || e.escalated_from_office_code}` : "",
    e.correction ? correctionText(e.correction) : "",
    e.supervision ? `${word("SUPERVISION_LEVEL_", e.supervision.level)}：${e.supervision.issuer_office_name || ""} → ${e.supervision.target_office_name || ""}` : "",
    e.recommendation ? `${word("RECOMMENDATION_KIND_", e.recommendation.kind)}：${e.recommendation.target_office_name || e.recommendation.target_office_code || ""}（督办 ${e.recommendation.supervision_id || ""}）` : "",
    e.leader_in_charge ? `包案领导：${leaderText(e.leader_in_charge)}` : "",
    e.follow_up ? followUpsText([e.follow_up]) : "",
  ].filter(Boolean).join("；");
  return el("tr", {}, [
    cell(when(envelope.occurred_at)),
    cell(action),
    cell(e.actor_office_name || e.actor_office_code || ""),
    cell(e.operator || ""),
    cell(e.approved_by || ""),
    cell(move),
    cell(notes),
  ]);
}

function renderHistory(history, chain) {
  byId("history").replaceChildren(...(history || []).map(historyRow));
  const box = byId("chain");
  const ok = Boolean(chain && chain.verified);
  box.className = ok ? "chain chain-ok" : "chain chain-bad";
  box.replaceChildren(
    el("strong", { text: ok ? "记录完整性校验：通过" : "记录完整性校验：未通过" }),
    chain && chain.message ? `（${chain.message}）` : "",
  );
}

function partsText(m) {
  const parts = m.part_states || [];
  if (parts.length <= 1) return word("SMS_STATE_", m.state);
  const delivered = parts.filter((p) => String(p.state).endsWith("_DELIVERED")).length;
  return `${word("SMS_STATE_", m.state)}（共 ${parts.length} 条，已送达 ${delivered} 条）`;
}

function renderSms(answer) {
  const messages = (answer && answer.messages) || [];
  byId("sms").replaceChildren(...messages.map((m) => el("tr", {}, [
    cell(when(m.updated_at)),
    cell(m.phone_masked || ""),
    cell(m.text || ""),
    cell(el("span", {}, [partsText(m), m.last_error ? el("span", { class: "muted", text: `：${m.last_error}` }) : ""])),
  ])));
  show("sms-table", messages.length > 0);
  show("no-sms", messages.length === 0);
}

async function load(message = "") {
  let answer;
  try {
    answer = await api.getJson(`/console/cases/${encodeURIComponent(caseId)}`);
  } catch (error) {
    show("loading", false);
    pageError(error);
    return;
  }
  show("loading", false);
  const view = answer.case || {};
  renderSummary(view);
  renderPending(view);
  const count = renderActionForms(byId("actions"), view, (done) => load(done));
  show("actions-section", count > 0);
  show("no-actions", count === 0);
  renderPetitioner(answer.petitioner);
  renderDeadlines(answer.deadlines);
  // The 督办 form only where supervision offers it (supervise_offer).
  show("supervise-section", renderSuperviseForm(byId("supervise"), caseId,
    answer.deadlines && answer.deadlines.supervise_offer, (done) => load(done)));
  renderHistory(answer.history, answer.chain);
  renderSms(answer.messages);
  show("case", true);
  if (message) {
    setText("action-done", message);
    show("action-done", true);
    focusOn(byId("action-done"));
  } else {
    show("action-done", false);
  }
}

async function start() {
  const user = await startPage("");
  if (!user) return;
  setText("case-id", caseId);
  document.title = `案件 ${caseId} - 信访工作台`;
  try {
    const form = await loadForm();
    categoryNames = Object.fromEntries(form.categories.map((c) => [c.code, c.name]));
  } catch (error) {
    // Categories by their codes.
  }
  await load();
}

start();
