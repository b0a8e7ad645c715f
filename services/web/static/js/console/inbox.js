// inbox.html, 待办: the office's cases from GET /api/v1/console/inbox with
// the filters of the form (state, category, channel, due before, period)
// and the search (case number or words; petitioner name or phone, which the
// services answer only for offices entitled to the petitioner's contact).
// The light of each row is the services' (InboxItem.light), shown as colour
// and word. Paging by the answer's next_page_token; the filters live in the
// page's address, so a filtered list can be bookmarked and reloaded.

import { loadForm } from "../form_config.js";
import { byId, el } from "../ui.js";
import { choices, word } from "./labels.js";
import { PagedList } from "./paged.js";
import { api, startPage } from "./session.js";
import { caseLink, cell, chinaDayStart, day, lastDay, light } from "./table.js";

const TEXT_FILTERS = ["q", "state", "category", "channel", "name", "phone"];
const DAY_FILTERS = ["due_before", "received_from", "received_to"];
let categoryNames = {};

function fillSelect(id, options) {
  const select = byId(id);
  for (const [value, text] of options) select.append(el("option", { value, text }));
}

function readAddress() {
  const params = new URLSearchParams(window.location.search);
  for (const name of [...TEXT_FILTERS, ...DAY_FILTERS]) {
    const control = byId(name);
    if (params.has(name)) control.value = params.get(name);
  }
  if (params.get("name") || params.get("phone")) byId("petitioner-search").open = true;
}

// The API query of the form's filters; the days as China's day limits.
function query(pageToken) {
  const params = new URLSearchParams();
  for (const name of TEXT_FILTERS) {
    const value = byId(name).value.trim();
    if (value) params.set(name, value);
  }
  const due = byId("due_before").value;
  if (due) params.set("due_before", chinaDayStart(due, 1));
  const from = byId("received_from").value;
  if (from) params.set("received_from", chinaDayStart(from));
  const to = byId("received_to").value;
  if (to) params.set("received_to", chinaDayStart(to, 1));
  if (pageToken) params.set("page_token", pageToken);
  return params;
}

function addressOfForm() {
  const params = new URLSearchParams();
  for (const name of [...TEXT_FILTERS, ...DAY_FILTERS]) {
    const value = byId(name).value.trim();
    if (value) params.set(name, value);
  }
  const search = params.toString();
  window.history.replaceState(null, "", search ? `?${search}` : window.location.pathname);
}

function row(item) {
  const next = item.next_due
    ? el("span", {}, [word("DEADLINE_KIND_", item.next_due_kind), " ", lastDay(item.next_due)])
    : "—";
  return el("tr", { class: item.light ? `row-${String(item.light).replace(/^DEADLINE_LIGHT_/, "").toLowerCase()}` : undefined }, [
    cell(light(item.light)),
    cell(caseLink(item.case_id)),
    cell(item.title || ""),
    cell(categoryNames[item.category] || item.category || ""),
    cell(word("CHANNEL_", item.channel)),
    cell(word("CASE_STATE_", item.state)),
    cell(next),
    cell(day(item.received_at)),
  ]);
}

async function start() {
  const user = await startPage("CONSOLE_VIEW_INBOX");
  if (!user) return;
  fillSelect("state", choices("CASE_STATE_"));
  fillSelect("channel", choices("CHANNEL_"));
  try {
    const form = await loadForm();
    categoryNames = Object.fromEntries(form.categories.map((c) => [c.code, c.name]));
    fillSelect("category", form.categories.map((c) => [c.code, c.name]));
  } catch (error) {
    // The list still works; categories show by their codes.
  }
  readAddress();
  const list = new PagedList({
    fetchPage: (token) => api.getJson(`/console/inbox?${query(token)}`),
    render: (answer) => {
      const items = answer.items || [];
      byId("inbox-rows").replaceChildren(...items.map(row));
      return items.length;
    },
  });
  byId("filters").addEventListener("submit", (event) => {
    event.preventDefault();
    addressOfForm();
    list.load(0);
  });
  byId("clear-filters").addEventListener("click", () => {
    byId("filters").reset();
    addressOfForm();
    list.load(0);
  });
  await list.load(0);
}

start();
