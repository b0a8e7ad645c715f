// case.html: the petitioner's own case, GET /api/v1/my-case (the
// PetitionerView of routing, see routing.proto): state in plain words,
// the office, the time limits with due dates, the latest opinion, the
// rating, the steps, the actions offered now (case_actions.js) and, for an
// action whose window has passed, routing's reason (closed_actions).
// Every text is the service's; nothing here decides a rule.

import { ApiError, getJson, postJson } from "./api.js";
import { renderActions } from "./case_actions.js";
import {
  announce, byId, el, focusOn, formatDateTime, formatLastDay, initChrome, setText, show, timeElement,
} from "./ui.js";

initChrome();

function row(term, value) {
  const dd = typeof value === "string" ? el("dd", { text: value }) : el("dd", {}, [value]);
  return el("div", {}, [el("dt", { text: term }), dd]);
}

function renderDeadlines(deadlines) {
  const list = byId("deadlines");
  list.replaceChildren();
  for (const d of deadlines || []) {
    const parts = [];
    if (d.due_at) parts.push("截止到 ", el("strong", {}, [timeElement(d.due_at, formatLastDay)]), "（含当天）");
    if (d.office_name) parts.push(`，由${d.office_name}办理`);
    if (d.paused) parts.push(" 听证期间暂停计时");
    list.append(el("div", {}, [el("dt", { text: d.text || "办理期限" }), el("dd", {}, parts)]));
  }
  show("deadlines-section", list.children.length > 0);
}

function renderOpinion(opinion) {
  const list = byId("opinion");
  list.replaceChildren();
  if (opinion && (opinion.outcome_text || opinion.reason)) {
    setText("opinion-heading", opinion.document_text || "处理意见");
    if (opinion.outcome_text) list.append(row("结论", opinion.outcome_text));
    if (opinion.reason) list.append(row("理由", opinion.reason));
    if (opinion.office_name) list.append(row("出具单位", opinion.office_name));
    if (opinion.decided_at) list.append(row("出具日期", timeElement(opinion.decided_at)));
  }
  show("opinion-section", list.children.length > 0);
}

function renderRating(rating) {
  const list = byId("rating");
  list.replaceChildren();
  if (rating && rating.satisfaction_text) {
    list.append(row("评价", rating.satisfaction_text));
    if (rating.comment) list.append(row("您的意见", rating.comment));
    if (rating.rated_at) list.append(row("评价时间", timeElement(rating.rated_at, formatDateTime)));
  }
  show("rating-section", list.children.length > 0);
}

// Why an action once offered is no longer (routing's lifecycle says, e.g.
// "申请复查的期限已过：……期限已于2027年2月15日届满。").
function renderClosed(closed) {
  const list = byId("closed-actions");
  list.replaceChildren();
  for (const c of closed || []) {
    if (c.text) list.append(el("li", { text: c.text }));
  }
  show("closed-section", list.children.length > 0);
}

function renderSteps(steps) {
  const list = byId("steps");
  list.replaceChildren();
  for (const step of steps || []) {
    list.append(el("li", {}, [timeElement(step.at, formatDateTime), el("span", { text: step.text || "" })]));
  }
  if (!list.children.length) list.append(el("li", { text: "暂无办理记录" }));
}

function render(view) {
  setText("state-text", view.state_text || "—");
  setText("case-id", view.case_number || view.case_id || "");
  setText("office-name", view.office_name || "");
  show("office-row", Boolean(view.office_name));
  setText("received-at", formatDateTime(view.received_at) || "—");
  renderDeadlines(view.deadlines);
  renderOpinion(view.outcome);
  renderRating(view.rating);
  renderSteps(view.steps);
  setText("petition-title", view.title || "");
  setText("petition-text", view.text || "");
  const offered = renderActions(byId("actions"), view, actionDone);
  show("actions-section", offered > 0);
  renderClosed(view.closed_actions);
  document.title = `${view.state_text || "我的信访事项"} - 网上信访`;
}

async function load() {
  show("load-error", false);
  show("loading", true);
  try {
    const view = await getJson("/my-case");
    render(view);
    show("case", true);
    return true;
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      show("no-session", true);
    } else {
      setText("load-error-text", error.message);
      show("load-error", true);
    }
    return false;
  } finally {
    show("loading", false);
  }
}

async function actionDone(message, { refused = false } = {}) {
  await load();
  const done = byId("action-done");
  done.className = refused ? "warning" : "notice ok";
  setText(done, message);
  show(done, true);
  focusOn(done);
  announce(message);
}

byId("reload").addEventListener("click", load);
byId("print").addEventListener("click", () => window.print());
byId("logout").addEventListener("click", async () => {
  try {
    await postJson("/logout", {});
  } catch (e) {
    // The session ends by itself soon; leave the page anyway.
  }
  window.location.replace("/lookup.html?signed_out=1");
});

load();
