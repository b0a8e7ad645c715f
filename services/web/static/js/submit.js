// submit.html: the online petition (我要信访). Step 1 the answers, step 2
// 核对信息, then POST /api/v1/petitions and on to receipt.html with the
// case number and look-up code (kept for that one page in sessionStorage,
// which receipt.js empties as it shows them).
//
// The page checks only that a field is filled and within the limits the
// form API gave; every rule (ID checksum, phone number, region, category,
// class) is intake's, whose Chinese message is shown beside the field it
// names.

import { postJson } from "./api.js";
import { loadForm } from "./form_config.js";
import { PhoneCode } from "./phone_code.js";
import { RegionPicker } from "./regions.js";
import {
  announce, byId, clearErrors, countChars, el, focusOn, initChrome, setFieldError,
  setText, show, showErrorSummary,
} from "./ui.js";

initChrome();

const form = byId("petition-form");
const summary = byId("error-summary");
const value = (id) => byId(id).value.trim();
const ACCUSATION = "MATTER_CLASS_ACCUSATION";
let config = { categories: [], classes: [], maxTitleChars: null, maxTextChars: null };

// A fresh key per filled form, so a retry after a lost answer gives back
// the same case instead of a second one (SubmitPetitionRequest.request_id).
function newRequestId() {
  if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
const requestId = newRequestId();

const regions = new RegionPicker({
  container: byId("region-selects"),
  status: byId("region-status"),
  retry: byId("region-retry"),
});
const phoneCode = new PhoneCode({
  phoneInput: byId("phone"),
  button: byId("send-code"),
  sentNotice: byId("code-sent"),
  codeInput: byId("code"),
});

// ---- character counts ------------------------------------------------------

function counter(inputId, countId, limit, liveId) {
  const input = byId(inputId);
  const count = byId(countId);
  let liveTimer = null;
  const update = () => {
    const n = countChars(input.value);
    let text = `已输入 ${n} 字`;
    if (limit) {
      text = n <= limit ? `已输入 ${n} 字，还可以输入 ${limit - n} 字` : `已超出 ${n - limit} 字，最多 ${limit} 字`;
    }
    count.textContent = text;
    count.classList.toggle("over", Boolean(limit) && n > limit);
    if (liveId) {
      window.clearTimeout(liveTimer);
      liveTimer = window.setTimeout(() => setText(liveId, text), 1000);
    }
  };
  input.addEventListener("input", update);
  update();
}

// ---- the form's choices ----------------------------------------------------

function fillChoices() {
  const category = byId("category");
  for (const c of config.categories) category.append(el("option", { value: c.code, text: c.name }));
  const list = byId("class-options");
  config.classes.forEach((c, i) => {
    const id = `matter_class-${i}`;
    const hintId = `${id}-hint`;
    list.append(el("li", {}, [
      el("input", { type: "radio", id, name: "matter_class", value: c.value, "aria-describedby": c.hint ? hintId : undefined }),
      el("label", { for: id, text: c.name }),
      c.hint ? el("span", { class: "hint", id: hintId, text: c.hint }) : null,
    ]));
  });
  // Matter.accused is for accusations only (case.proto): asked only then.
  list.addEventListener("change", () => {
    const chosen = chosenClass();
    show("accused-field", Boolean(chosen) && chosen.value === ACCUSATION);
  });
  counter("title", "title-count", config.maxTitleChars);
  counter("text", "text-count", config.maxTextChars, "text-count-live");
}

// ---- step 1: checks that only need the page --------------------------------

function chosenClass() {
  const checked = form.querySelector('input[name="matter_class"]:checked');
  return checked ? { value: checked.value, name: form.querySelector(`label[for="${checked.id}"]`).textContent } : null;
}

function collectErrors() {
  const errors = [];
  const need = (id, message) => {
    if (!value(id)) errors.push({ fieldId: id, message });
  };
  need("name", "请填写姓名");
  need("phone", "请填写手机号");
  if (value("phone") && !value("code")) {
    errors.push({ fieldId: "code", message: "请填写短信验证码；还没有收到的，请点“获取验证码”" });
  } else if (value("phone") && !phoneCode.proofFor(value("phone"))) {
    errors.push({ fieldId: "code", message: "请先点“获取验证码”，用这个手机号接收验证码" });
  }
  need("address", "请填写通讯地址");
  if (!regions.value()) {
    const empty = regions.firstEmpty();
    errors.push({ fieldId: empty ? empty.id : "region", message: `请选择事项发生地的${regions.missingLabel()}` });
  }
  need("category", "请选择事项类别");
  if (!chosenClass()) errors.push({ fieldId: "matter_class", message: "请选择事项性质" });
  need("title", "请填写标题");
  need("text", "请填写内容");
  for (const [id, limit, what] of [["title", config.maxTitleChars, "标题"], ["text", config.maxTextChars, "内容"]]) {
    const n = countChars(byId(id).value);
    if (limit && n > limit) errors.push({ fieldId: id, message: `${what}最多 ${limit} 字，现在是 ${n} 字，请删减` });
  }
  return errors;
}

function showErrors(errors) {
  for (const { fieldId, message } of errors) {
    const node = byId(fieldId);
    // A region select's error goes on the whole place fieldset.
    setFieldError(node && node.closest("#region") ? "region" : fieldId, message);
  }
  showErrorSummary(summary, errors);
}

// ---- step 2: 核对信息 --------------------------------------------------------

function summaryRow(term, text, fieldId) {
  const change = el("button", { type: "button", class: "link-button", text: "修改" }, [
    el("span", { class: "visually-hidden", text: term }),
  ]);
  change.addEventListener("click", () => backToFill(fieldId));
  return el("div", {}, [el("dt", { text: term }), el("dd", { text }), el("dd", { class: "change" }, [change])]);
}

// The accused in words, when the matter is an accusation.
function accused() {
  return byId("accused-field").hidden ? "" : value("accused");
}

function showCheck() {
  const category = byId("category");
  const list = byId("check-list");
  list.replaceChildren(...[
    summaryRow("姓名", value("name"), "name"),
    summaryRow("身份证号", value("id_number") || "未填写", "id_number"),
    summaryRow("手机号", value("phone"), "phone"),
    summaryRow("通讯地址", value("address"), "address"),
    summaryRow("事项发生地", regions.text(), "region"),
    summaryRow("事项类别", category.selectedOptions[0].textContent, "category"),
    summaryRow("事项性质", chosenClass().name, "matter_class"),
    accused() ? summaryRow("被检举控告的单位或个人", accused(), "accused") : null,
    summaryRow("标题", value("title"), "title"),
    summaryRow("内容", byId("text").value, "text"),
  ].filter(Boolean));
  show("step-fill", false);
  show("step-check", true);
  setText("page-title", "我要信访：核对信息");
  focusOn(byId("check-title"));
}

function backToFill(fieldId) {
  show("step-check", false);
  show("step-fill", true);
  setText("page-title", "我要信访");
  const target = byId(fieldId);
  const focusable = target && target.matches("fieldset") ? target.querySelector("input, select") : target;
  if (focusable) focusOn(focusable);
}

// ---- submission ------------------------------------------------------------

// Which field a refusal is about, so its message also stands beside that
// field: the request path the gateway names (error.field), else the
// field's Chinese name in the message.
const FIELD_PATHS = {
  "petitioner.name": "name", "petitioner.id_number": "id_number",
  "petitioner.phone": "phone", phone: "phone", "petitioner.address": "address",
  "matter.region_code": "region", "matter.category": "category",
  "matter.matter_class": "matter_class", "matter.title": "title", "matter.text": "text",
  "matter.accused": "accused", phone_proof: "code", "phone_proof.code": "code",
  "phone_proof.challenge_id": "code",
};
const FIELD_WORDS = [
  ["验证码", "code"], ["手机", "phone"], ["身份证", "id_number"], ["姓名", "name"],
  ["地址", "address"], ["地区", "region"], ["发生地", "region"], ["类别", "category"],
  ["性质", "matter_class"], ["被检举", "accused"], ["标题", "title"], ["内容", "text"],
];

function fieldOf(error) {
  if (FIELD_PATHS[error.field]) return FIELD_PATHS[error.field];
  const hit = FIELD_WORDS.find(([word]) => error.message.includes(word));
  return hit ? hit[1] : null;
}

async function submit() {
  const button = byId("submit-petition");
  button.disabled = true;
  button.textContent = "正在提交……";
  const proof = phoneCode.proofFor(value("phone"));
  const body = {
    petitioner: {
      name: value("name"),
      id_number: value("id_number"),
      phone: value("phone"),
      address: value("address"),
    },
    matter: {
      region_code: regions.value(),
      category: byId("category").value,
      matter_class: chosenClass().value,
      channel: "CHANNEL_ONLINE",
      title: value("title"),
      text: byId("text").value,
      accused: accused(),
    },
    phone_proof: { challenge_id: proof ? proof.challenge_id : "", code: value("code") },
    request_id: requestId,
  };
  try {
    const receipt = await postJson("/petitions", body);
    try {
      window.sessionStorage.setItem("cr.receipt", JSON.stringify({
        case_number: receipt.case_number,
        lookup_code: receipt.lookup_code,
      }));
    } catch (e) {
      // No storage: show the receipt here rather than lose it.
      showReceiptInPlace(receipt);
      return;
    }
    window.location.replace("/receipt.html");
  } catch (error) {
    button.disabled = false;
    button.textContent = "提交信访事项";
    backToFill("name");
    const fieldId = fieldOf(error);
    const errors = [{ fieldId, message: error.message }];
    if (fieldId) setFieldError(fieldId, error.message);
    showErrorSummary(summary, errors);
    announce(error.message);
  }
}

function showReceiptInPlace(receipt) {
  const main = byId("main");
  main.replaceChildren(
    el("div", { class: "receipt-box" }, [
      el("h1", { text: "信访事项已提交" }),
      el("dl", {}, [
        el("dt", { text: "案件编号" }), el("dd", { text: receipt.case_number }),
        el("dt", { text: "查询码" }), el("dd", { text: receipt.lookup_code }),
      ]),
    ]),
    el("p", { class: "warning", text: "案件编号和查询码只显示这一次，请马上记下来。查询办理进度时要用到。" }),
  );
  focusOn(main.querySelector("h1"));
}

// ---- wiring ------------------------------------------------------------------

form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearErrors(form);
  summary.hidden = true;
  const errors = collectErrors();
  if (errors.length) {
    showErrors(errors);
    return;
  }
  showCheck();
});
byId("back-to-fill").addEventListener("click", () => backToFill("name"));
byId("submit-petition").addEventListener("click", submit);

async function start() {
  form.hidden = false;
  regions.start();
  try {
    config = await loadForm();
  } catch (error) {
    showErrorSummary(summary, [{ message: `表单没有加载成功：${error.message}请刷新本页重试。` }]);
  }
  fillChoices();
}

start();
