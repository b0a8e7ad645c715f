// bulletins.html, 通报 (issue 17 item 2: the bulletins "listed in the
// console"): the bulletins of the user's bureau (GET /api/v1/console/
// bulletins, statistics' ListBulletins, the last issued first), each with
// links to its documents as issued (GET /api/v1/console/bulletins/{id}
// ?format=html|pdf|csv). The HTML is generated and escaped by the
// statistics service and saved, never put into this page. Who may read
// them the statistics service decides (the INDICATORS view's roles).

import { byId, el, formatDateTime } from "../ui.js";
import { choices, word } from "./labels.js";
import { PagedList } from "./paged.js";
import { api, startPage } from "./session.js";
import { cell } from "./table.js";

// The documents of bulletin `id` ("<bureau>/<kind>/<first day>"): its
// three parts are the path's three segments.
function documentLink(id, format, text, label) {
  const path = String(id).split("/").map(encodeURIComponent).join("/");
  return el("a", { href: `/api/v1/console/bulletins/${path}?format=${format}`, text, "aria-label": label });
}

function row(b) {
  const issue = `${Number(b.year || 0)}年第${Number(b.number || 0)}期`;
  const period = b.first_day === b.last_day ? b.first_day : `${b.first_day} 至 ${b.last_day}`;
  const title = b.title || issue;
  return el("tr", {}, [
    cell(issue),
    cell(word("BULLETIN_KIND_", b.kind)),
    cell(title),
    cell(period || ""),
    cell(b.issued_at ? el("time", { datetime: b.issued_at, text: formatDateTime(b.issued_at) }) : ""),
    cell(el("span", { class: "links" }, [
      documentLink(b.id, "html", "网页", `${title} 网页版`), " ",
      documentLink(b.id, "pdf", "PDF", `${title} PDF`), " ",
      documentLink(b.id, "csv", "CSV", `${title} 表格 CSV`),
    ])),
  ]);
}

function query(token) {
  const params = new URLSearchParams();
  const kind = byId("kind").value;
  const year = byId("year").value.trim();
  if (kind) params.set("kind", kind);
  if (year) params.set("year", year);
  if (token) params.set("page_token", token);
  return params;
}

async function start() {
  const user = await startPage("CONSOLE_VIEW_INDICATORS");
  if (!user) return;
  byId("kind").append(...choices("BULLETIN_KIND_").map(([value, text]) => el("option", { value, text })));
  const params = new URLSearchParams(window.location.search);
  byId("kind").value = params.get("kind") || "";
  byId("year").value = params.get("year") || "";
  const list = new PagedList({
    fetchPage: (token) => api.getJson(`/console/bulletins?${query(token)}`),
    render: (answer) => {
      const bulletins = answer.bulletins || [];
      byId("bulletin-rows").replaceChildren(...bulletins.map(row));
      return bulletins.length;
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
