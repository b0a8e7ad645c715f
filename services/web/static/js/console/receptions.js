// receptions.html, 领导接访安排 (issue 18 item 1): the user's office's
// reception days from today (GET /api/v1/console/receptions, intake's
// ListReceptions), publishing one (POST /api/v1/console/receptions) and
// cancelling one before its day (POST .../receptions/{id}/cancel). Who may
// publish or cancel, which days are allowed and when a cancellation is too
// late are intake's rules; this page only shows its answers.

import { byId, el, focusOn, setText, show } from "../ui.js";
import { submitForm } from "./forms.js";
import { api, clearPageError, pageError, startPage } from "./session.js";
import { cell } from "./table.js";

const KIND_TEXT = {
  RECEPTION_KIND_SCHEDULED: "领导接访日",
  RECEPTION_KIND_DOWN_VISIT: "下访",
  RECEPTION_KIND_WITH_CASES: "带案下访",
};

function done(message) {
  const notice = byId("action-done");
  setText(notice, message);
  show(notice);
  focusOn(notice);
}

function row(r) {
  let action = "";
  if (r.cancelled) {
    action = el("strong", { text: "已取消" });
  } else {
    const button = el("button", { type: "button", class: "button secondary", text: "取消这场接访", "aria-label": `取消这场接访（${r.day}）` });
    button.addEventListener("click", async () => {
      clearPageError();
      try {
        await api.postJson(`/console/receptions/${encodeURIComponent(r.reception_id)}/cancel`, {});
        done(`已取消 ${r.day} 的接访（${r.reception_id}）。`);
        await load();
      } catch (error) {
        pageError(error);
      }
    });
    action = button;
  }
  return el("tr", {}, [
    cell(r.day || ""),
    cell(KIND_TEXT[r.kind] || ""),
    cell(`${r.leader_title || ""} ${r.leader_name || ""}`),
    cell(r.place || ""),
    cell(r.topic || ""),
    cell(r.reception_id || ""),
    cell(action),
  ]);
}

async function load() {
  show("loading");
  try {
    const answer = await api.getJson("/console/receptions");
    const rows = answer.receptions || [];
    byId("reception-rows").replaceChildren(...rows.map(row));
    setText("count", `（${rows.length} 场）`);
    show("table-wrap", rows.length > 0);
    show("empty", rows.length === 0);
  } catch (error) {
    pageError(error);
  } finally {
    show("loading", false);
  }
}

async function start() {
  const user = await startPage("CONSOLE_VIEW_REGISTER");
  if (!user) return;
  const form = byId("publish-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = {};
    for (const name of ["leader_name", "leader_title", "kind", "day", "place", "topic"]) {
      const value = byId(name).value.trim();
      if (value) body[name] = value;
    }
    const published = await submitForm(form, byId("publish-errors"), "/console/receptions", body);
    if (!published) return;
    form.reset();
    done(`已发布 ${published.day} 的接访安排，编号 ${published.reception_id}。`);
    await load();
  });
  await load();
}

start();
