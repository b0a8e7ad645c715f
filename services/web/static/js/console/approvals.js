// approvals.html, 审批: the head's queue (GET /api/v1/console/approvals),
// oldest proposal first. Approving or returning is done on the case page,
// where routing offers it (allowed_actions) beside the whole case.

import { byId, el, formatDateTime } from "../ui.js";
import { word } from "./labels.js";
import { PagedList } from "./paged.js";
import { api, startPage } from "./session.js";
import { caseLink, cell } from "./table.js";

function row(item) {
  const p = item.proposal || {};
  return el("tr", {}, [
    cell(caseLink(item.case_id)),
    cell(item.title || ""),
    cell(word("CASE_ACTION_", p.action)),
    cell(p.proposed_by || ""),
    cell(p.proposed_at ? el("time", { datetime: p.proposed_at, text: formatDateTime(p.proposed_at) }) : ""),
    cell(p.reason || ""),
  ]);
}

async function start() {
  const user = await startPage("CONSOLE_VIEW_APPROVALS");
  if (!user) return;
  const list = new PagedList({
    fetchPage: (token) => api.getJson(`/console/approvals${token ? `?page_token=${encodeURIComponent(token)}` : ""}`),
    render: (answer) => {
      const items = answer.items || [];
      byId("approval-rows").replaceChildren(...items.map(row));
      return items.length;
    },
  });
  await list.load(0);
}

start();
