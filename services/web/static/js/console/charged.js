// charged.html, 领导包案 (issue 18 item 2): the cases the leaders of the
// user's people's government took in charge (GET /api/v1/console/charged,
// routing's ListChargedCases: which cases and whose list the user may see
// is routing's rule), newest first, with state and next due, and each
// leader's count this quarter beside the quota (routing's setting).

import { byId, el, setText, show } from "../ui.js";
import { word } from "./labels.js";
import { PagedList } from "./paged.js";
import { api, startPage } from "./session.js";
import { caseLink, cell, day, lastDay } from "./table.js";

function row(item) {
  const l = item.leader || {};
  const due = item.next_due;
  return el("tr", {}, [
    cell(caseLink(item.case_id)),
    cell(item.title || ""),
    cell(word("CASE_STATE_", item.state)),
    cell(due ? el("span", {}, [lastDay(due.due_at), ` ${word("DEADLINE_KIND_", due.kind)}`]) : "无时限"),
    cell(`${l.leader_title || ""} ${l.leader_name || ""}`.trim()),
    cell(day(l.since)),
    cell(item.holder_office_name || item.holder_office_code || ""),
  ]);
}

function renderQuota(answer) {
  const leaders = answer.leaders || [];
  setText("quarter", answer.quarter ? `（${answer.quarter}）` : "");
  byId("quota-rows").replaceChildren(...leaders.map((q) => el("tr", {}, [
    cell(`${q.leader_title || ""} ${q.leader_name || ""}`.trim()),
    cell(String(q.taken || 0)),
    cell(q.quota ? String(q.quota) : "未设定"),
  ])));
  show("quota-wrap", leaders.length > 0);
  show("no-leaders", leaders.length === 0);
}

async function start() {
  const user = await startPage("CONSOLE_VIEW_INDICATORS");
  if (!user) return;
  const list = new PagedList({
    fetchPage: (token) => api.getJson(`/console/charged${token ? `?page_token=${encodeURIComponent(token)}` : ""}`),
    render: (answer) => {
      renderQuota(answer);
      const items = answer.cases || [];
      byId("charged-rows").replaceChildren(...items.map(row));
      return items.length;
    },
  });
  await list.load(0);
}

start();
