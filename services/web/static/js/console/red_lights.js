// red-lights.html, 灭红灯: every overdue item of the user's subtree (GET
// /api/v1/console/red-lights, supervision's ListRedLights, oldest first),
// each with the 督办 issued on it. Filters: a region of the subtree, one
// office. The services decide what this user's office may see.
// Below, 群体访预警 (issue 18 item 3): the group-petition alerts of the same
// scope (GET /api/v1/console/group-alerts, supervision's ListGroupAlerts,
// newest first), figures only.

import { byId, el, formatDateTime, setText, show } from "../ui.js";
import { word } from "./labels.js";
import { PagedList } from "./paged.js";
import { api, pageError, startPage } from "./session.js";
import { caseLink, cell, lastDay, light } from "./table.js";

function row(r) {
  const d = r.deadline || {};
  const supervision = word("SUPERVISION_LEVEL_", r.supervision);
  return el("tr", { class: "row-red" }, [
    cell(light("DEADLINE_LIGHT_RED")),
    cell(caseLink(d.case_id)),
    cell(word("DEADLINE_KIND_", d.kind)),
    cell(d.office_name || d.office_code || ""),
    cell(lastDay(d.due_at)),
    cell(`${Number(r.overdue_days || 0)} 天`),
    cell(supervision ? el("strong", { text: supervision }) : "尚未督办"),
  ]);
}

function alertRow(a) {
  const caseId = String(a.alert_id || "").split("/")[0];
  return el("tr", {}, [
    cell(formatDateTime(a.received_at)),
    cell(caseLink(caseId)),
    cell(a.office_name || a.office_code || ""),
    cell(`${Number(a.head_count || 0)} 人`),
    cell(a.category || "无头事项"),
    cell(a.region_code || ""),
    cell(word("MATTER_CLASS_", a.matter_class)),
  ]);
}

// The newest alerts of the filters' scope (at most one page of 100).
async function loadAlerts() {
  show("alerts-loading", true);
  let answer;
  try {
    answer = await api.getJson(`/console/group-alerts?${query("")}&limit=100`);
  } catch (error) {
    show("alerts-loading", false);
    pageError(error);
    return;
  }
  show("alerts-loading", false);
  const alerts = answer.alerts || [];
  byId("group-alert-rows").replaceChildren(...alerts.map(alertRow));
  setText("alerts-count", `共 ${alerts.length} 条`);
  show("alerts-wrap", alerts.length > 0);
  show("alerts-empty", alerts.length === 0);
  show("alerts-more", Boolean(answer.next_page_token));
}

function query(token) {
  const params = new URLSearchParams();
  const region = byId("region").value.trim();
  const office = byId("office").value.trim();
  if (region) params.set("region", region);
  if (office) params.set("office", office);
  if (token) params.set("page_token", token);
  return params;
}

async function start() {
  const user = await startPage("CONSOLE_VIEW_RED_LIGHTS");
  if (!user) return;
  const params = new URLSearchParams(window.location.search);
  byId("region").value = params.get("region") || "";
  byId("office").value = params.get("office") || "";
  const list = new PagedList({
    fetchPage: (token) => api.getJson(`/console/red-lights?${query(token)}`),
    render: (answer) => {
      const lights = answer.lights || [];
      byId("red-light-rows").replaceChildren(...lights.map(row));
      setText("as-of", answer.as_of ? `截至 ${formatDateTime(answer.as_of)}` : "");
      return lights.length;
    },
  });
  byId("filters").addEventListener("submit", (event) => {
    event.preventDefault();
    const search = query("").toString();
    window.history.replaceState(null, "", search ? `?${search}` : window.location.pathname);
    list.load(0);
    loadAlerts();
  });
  await Promise.all([list.load(0), loadAlerts()]);
}

start();
