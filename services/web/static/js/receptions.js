// 领导接访安排 (issue 18 item 1): the published schedule of leaders'
// reception days, as intake lists it (GET /api/v1/receptions). The page
// decides nothing: which receptions exist, their days and whether
// cancelled are intake's; every text goes in through textContent (el()).
import { getJson } from "./api.js";
import { byId, el, initChrome, setText, show } from "./ui.js";

initChrome();

function item(label, value) {
  return value ? [el("dt", { text: label }), el("dd", { text: value })] : [];
}

function card(r) {
  const heading = `${r.day} ${r.kind_text}`;
  return el("li", { class: r.cancelled ? "reception cancelled" : "reception" }, [
    el("h2", {}, [heading, r.cancelled ? el("strong", { class: "tag", text: "已取消" }) : null]),
    el("dl", { class: "summary-list" }, [
      ...item("接访领导", `${r.leader_title} ${r.leader_name}`),
      ...item("单位", r.office_name || r.office_code),
      ...item("地点", r.place),
      ...item("主要接待事项", r.topic),
      ...item("编号", r.reception_id),
    ]),
  ]);
}

async function load() {
  try {
    const data = await getJson("/receptions");
    const rows = data.receptions || [];
    const list = byId("reception-list");
    for (const r of rows) list.append(card(r));
    setText(
      "reception-status",
      rows.length ? `共 ${rows.length} 场接访安排（今天及以后）` : "近期没有已发布的领导接访安排。",
    );
    show(list, rows.length > 0);
  } catch (e) {
    setText("reception-status", "");
    setText("reception-error", e.message);
    show("reception-error");
  }
}

load();
