// register.html, 登记: a clerk registers a visit, letter, call or fax in
// front of the petitioner. "路由预览" asks routing where the matter would
// go (POST /api/v1/console/preview) and shows the disposition, the office
// and every rule applied in the services' words; "保存登记" (POST
// /api/v1/console/registrations) is offered only for the matter previewed:
// a change to the form asks for a new preview. The answer's case number and
// look-up code are shown once, for the petitioner.

import { loadForm } from "../form_config.js";
import { RegionPicker } from "../regions.js";
import { byId, el, focusOn, setText, show } from "../ui.js";
import { showLocalErrors, submitForm } from "./forms.js";
import { word } from "./labels.js";
import { api, pageError, startPage } from "./session.js";

let picker = null;
let previewed = "";  // the JSON of the matter last previewed

function value(id) {
  return byId(id).value.trim();
}

function chosen(name) {
  const radio = document.querySelector(`input[name="${name}"]:checked`);
  return radio ? radio.value : "";
}

function matter() {
  const m = {
    region_code: picker.value(),
    category: value("matter-category"),
    matter_class: chosen("matter_class"),
    channel: chosen("channel"),
    title: value("matter-title"),
    text: value("matter-text"),
  };
  if (m.matter_class.endsWith("ACCUSATION") && value("matter-accused")) m.accused = value("matter-accused");
  return m;
}

function petitioner() {
  const p = { name: value("petitioner-name"), address: value("petitioner-address") };
  if (value("petitioner-id_number")) p.id_number = value("petitioner-id_number");
  if (value("petitioner-phone")) p.phone = value("petitioner-phone");
  return p;
}

// 群体访 / 联名 (issue 18 item 3): the other representatives filled in
// (intake checks each like the petitioner, and how many: Art. 18) and the
// head count, added to the registration as intake's fields.
function group(request) {
  const reps = [];
  for (const row of document.querySelectorAll(".co-representative")) {
    const field = (name) => byId(`${row.id}-${name}`).value.trim();
    const r = { name: field("name"), address: field("address") };
    if (field("phone")) r.phone = field("phone");
    if (r.name || r.address || r.phone) reps.push(r);
  }
  if (reps.length) request.co_representatives = reps;
  const count = value("head_count");
  if (count) request.head_count = Number(count);
  return request;
}

// What must be filled before routing can be asked (the services check
// every value; this only names the empty ones).
function missing(forSave) {
  const errors = [];
  const m = matter();
  if (!m.region_code) {
    const empty = picker.firstEmpty();
    errors.push({ fieldId: empty ? empty.id : "matter-region_code", message: `请选择事项发生地的${picker.missingLabel()}` });
  }
  if (!m.category) errors.push({ fieldId: "matter-category", message: "请选择事项类别" });
  if (!m.matter_class) errors.push({ fieldId: "matter-matter_class", message: "请选择事项性质" });
  if (!m.title) errors.push({ fieldId: "matter-title", message: "请填写标题" });
  if (!m.text) errors.push({ fieldId: "matter-text", message: "请填写诉求、事实和理由" });
  if (forSave) {
    const p = petitioner();
    if (!p.name) errors.push({ fieldId: "petitioner-name", message: "请填写信访人姓名或名称" });
    if (!p.address) errors.push({ fieldId: "petitioner-address", message: "请填写信访人住址或通信地址" });
    const count = value("head_count");
    if (count && !/^[0-9]+$/.test(count)) errors.push({ fieldId: "head_count", message: "人数请填写阿拉伯数字，例如 37" });
  }
  return errors;
}

// The rules of a decision, in the order routing applied them: [name,
// words], the words as routing answers them (RouteDecision.rule_texts).
function ruleLines(decision) {
  const texts = decision.rule_texts || [];
  return (decision.rules || []).map((rule, i) => [String(rule), String(texts[i] || "")]);
}

function showPreview(answer) {
  const d = answer.decision || answer;
  const rows = [
    ["去向", word("DISPOSITION_", d.disposition)],
    ["承办机关", d.target_office_name || d.target_office_code || "—"],
    ["登记机关", d.registering_office_name || d.registering_office_code || "—"],
  ];
  if (d.route) rows.push(["告知信访人", d.route]);
  if (d.linked_case_id) rows.push(["关联事项", d.linked_case_id]);
  if (d.cross_jurisdiction) rows.push(["跨地区、跨部门", "是，由共同上级机关协调"]);
  byId("preview-summary").replaceChildren(...rows.map(([term, text]) =>
    el("div", {}, [el("dt", { text: term }), el("dd", { text })])));
  byId("preview-rules").replaceChildren(...ruleLines(d).map(([rule, text]) =>
    el("li", {}, text ? [el("strong", { text }), el("span", { class: "muted rule-name", text: `（${rule}）` })] : [rule])));
  show("preview", true);
  focusOn(byId("preview"));
}

// The petitioner's details do not change the route: only a change of the
// matter asks for a new preview.
function invalidatePreview() {
  if (!previewed || JSON.stringify(matter()) === previewed) return;
  previewed = "";
  show("preview", false);
  byId("save-button").disabled = true;
}

async function preview() {
  const form = byId("register-form");
  const summary = byId("error-summary");
  if (showLocalErrors(form, summary, missing(false))) return;
  const m = matter();
  const answer = await submitForm(form, summary, "/console/preview", { matter: m, channel: m.channel });
  if (!answer) return;
  previewed = JSON.stringify(m);
  byId("save-button").disabled = false;
  showPreview(answer);
}

async function save(event) {
  event.preventDefault();
  const form = byId("register-form");
  const summary = byId("error-summary");
  if (showLocalErrors(form, summary, missing(true))) return;
  const m = matter();
  if (JSON.stringify(m) !== previewed) {
    invalidatePreview();
    showLocalErrors(form, summary, [{ fieldId: "preview-button", message: "表单改动过，请重新路由预览后再保存" }]);
    return;
  }
  const answer = await submitForm(form, summary, "/console/registrations", group({
    petitioner: petitioner(),
    matter: m,
    request_id: (window.crypto && window.crypto.randomUUID) ? window.crypto.randomUUID() : String(Date.now()),
    // 领导接访 (issue 18 item 1): intake checks the reception is this
    // office's, today's and a visit's, and says why not.
    reception_id: byId("reception_id").value,
  }));
  if (!answer) return;
  show(form, false);
  show("preview", false);
  setText("saved-case", answer.case_number);
  setText("saved-code", answer.lookup_code);
  byId("saved-link").href = `/console/case.html?id=${encodeURIComponent(answer.case_number)}`;
  show("saved", true);
  focusOn(byId("saved"));
}

// The office's published receptions not cancelled (intake's list from its
// today), offered for a visit registered at one (issue 18 item 1).
async function loadReceptions() {
  try {
    const answer = await api.getJson("/console/receptions");
    const open = (answer.receptions || []).filter((r) => !r.cancelled);
    byId("reception_id").append(...open.map((r) => el("option", {
      value: r.reception_id,
      text: `${r.day} ${r.leader_title || ""} ${r.leader_name || ""}（${r.place || ""}）`,
    })));
    show("reception-field", open.length > 0);
  } catch (error) {
    pageError(error);
  }
}

async function start() {
  const user = await startPage("CONSOLE_VIEW_REGISTER");
  if (!user) return;
  loadReceptions();
  const form = byId("register-form");
  picker = new RegionPicker({
    container: byId("region-selects"), status: byId("region-status"), retry: byId("region-retry"),
    onChange: invalidatePreview,
  });
  picker.start();
  try {
    const f = await loadForm();
    for (const c of f.categories) byId("matter-category").append(el("option", { value: c.code, text: c.name }));
    byId("class-radios").replaceChildren(...f.classes.map((c, i) => el("li", {}, [
      el("input", { type: "radio", id: `class-${i}`, name: "matter_class", value: c.value }),
      el("label", { for: `class-${i}`, text: c.name }),
    ])));
  } catch (error) {
    pageError(error);
  }
  form.addEventListener("input", invalidatePreview);
  form.addEventListener("change", () => {
    show("accused-field", chosen("matter_class").endsWith("ACCUSATION"));
    invalidatePreview();
  });
  byId("preview-button").addEventListener("click", preview);
  form.addEventListener("submit", save);
}

start();
