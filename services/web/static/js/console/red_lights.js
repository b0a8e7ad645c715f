// red-lights.html, 灭红灯: every overdue item of the user's subtree (GET
// /api/v1/console/red-lights, supervision's ListRedLights, oldest first),
// each with the 督办 issued on it. Filters: a region of the subtree, one
// office. The services decide what this user's office may see.

import { byId, el, formatDateTime, setText } from "../ui.js";
import { word } from "./labels.js";
import { PagedList } from "./paged.js";
import { api, startPage } from "./session.js";
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
  });
  await list.load(0);
}

start();
