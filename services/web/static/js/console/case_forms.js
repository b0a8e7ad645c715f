// The forms of the case page's actions: exactly the view's allowed_actions
// (routing computes them from the case's state and the caller's roles),
// each with the fields it names (AllowedAction.fields, ActRequest paths
// such as "reason", "extend.days", "reply.outcome") and sent as the
// ActRequest oneof it names (AllowedAction.request) to POST
// /api/v1/console/cases/{id}/actions with the view's version. An action
// that needs the head's approval says so on its button (报批).

import { checkboxField, errorBox, inputField, radioGroup, selectField, textArea } from "../fields.js";
import { el } from "../ui.js";
import { submitForm } from "./forms.js";
import { choices } from "./labels.js";
import { chinaDayStart } from "./table.js";

// How a field of an ActRequest is asked: the one place of each field
// kind. By its full path where its last name means different things in
// two actions (serve.method is 送达, record_follow_up.method is 回访), else
// by its last name.
const BY_PATH = {
  "serve.method": (id) => radioGroup(id, id, "送达方式", choices("SERVICE_METHOD_"), ""),
  "record_follow_up.method": (id) => radioGroup(id, id, "回访方式", choices("FOLLOW_UP_METHOD_"), ""),
  "record_follow_up.view": (id) => radioGroup(id, id, "信访人的意见", choices("FOLLOW_UP_VIEW_"), ""),
  "recommend.kind": (id) => radioGroup(id, id, "建议种类", choices("RECOMMENDATION_KIND_"), ""),
  "recommend.supervision_id": (id) =>
    inputField(id, "督办编号", { hint: "不填：本单位最近一件可提建议的督办", spellcheck: "false" }),
};

function control(id, field) {
  if (BY_PATH[field]) return BY_PATH[field](id);
  const name = field.split(".").pop();
  switch (name) {
    case "reason":
      return textArea(id, "理由或说明", "写明依据和理由；报批时负责人会看到");
    case "days":
      return inputField(id, "延长天数", { type: "number", min: "1", inputmode: "numeric", class: "input-short" });
    case "outcome":
      return radioGroup(id, id, "处理结论", choices("OUTCOME_"), "");
    case "route":
      return inputField(id, "告知信访人的途径", { hint: "例如：向人民法院提起诉讼" });
    case "ground":
      return selectField(id, "不予受理的理由", [["", "请选择"], ...choices("REFUSAL_GROUND_")]);
    case "simplified":
      return checkboxField(id, "简易办理", "仅限首次信访、事实清楚的事项");
    case "on_the_spot":
      return checkboxField(id, "当场解决", "仅限在领导接访当日登记的来访");
    case "received_at":
      return inputField(id, "信访人收到的日期", { type: "date" });
    case "satisfaction":
      return radioGroup(id, id, "满意度", choices("SATISFACTION_"), "");
    case "supervision_id":
      return inputField(id, "督办编号", { hint: "不填：回复最早一件未回复的督办", spellcheck: "false" });
    case "office_code":
      return inputField(id, "机关代码", { hint: "不填：按路由决定的机关", spellcheck: "false" });
    case "leader_name":
      return inputField(id, "包案领导姓名", { autocomplete: "off" });
    case "leader_title":
      return inputField(id, "包案领导职务", { hint: "例如：县长、副市长" });
    case "category":
      return inputField(id, "更正后的类别代码", { hint: "不填：类别不变；例如 housing", spellcheck: "false" });
    case "matter_class":
      return selectField(id, "更正后的性质", [["", "不变"], ...choices("MATTER_CLASS_")]);
    case "region_code":
      return inputField(id, "更正后的事项发生地区划代码", { hint: "不填：不变", inputmode: "numeric" });
    case "statutory_route":
      return selectField(id, "更正后的法定途径", [["", "不变"], ...choices("STATUTORY_ROUTE_")]);
    default:
      return inputField(id, field);
  }
}

// The value of field `field` from its control `id` ("" / false: unset).
function read(form, id, field) {
  const name = field.split(".").pop();
  const checked = form.querySelector(`input[name="${id}"]:checked`);
  const node = form.querySelector(`[id="${id}"]`);
  if (node && node.type === "checkbox") return node.checked;
  if (checked) return checked.value;
  if (!node || node.tagName === "FIELDSET") return "";
  const value = node.value.trim();
  if (name === "days") return value ? Number(value) : "";
  if (name === "received_at") return chinaDayStart(value);
  return value;
}

// The ActRequest of `action` from `form`.
function request(form, action, prefix, caseId, version) {
  const body = { case_id: caseId, expected_version: version, [action.request]: {} };
  (action.fields || []).forEach((field, i) => {
    const value = read(form, `${prefix}-${i}`, field);
    if (value === "" || value === false) return;
    const path = field.split(".");
    if (path.length === 1) {
      body[path[0]] = value;
    } else {
      body[path[0]] = body[path[0]] || {};
      body[path[0]][path[1]] = value;
    }
  });
  return body;
}

function actionForm(action, index, caseId, version, onDone) {
  const prefix = `act-${index}`;
  const form = el("form", { class: "action-box", id: `${prefix}-form`, novalidate: true });
  const errors = errorBox();
  const label = action.needs_approval ? `报批：${action.text}` : action.text;
  const button = el("button", { type: "submit", class: "button", text: label });
  form.append(...[
    el("h3", { text: action.text }),
    errors,
    action.needs_approval ? el("p", { class: "hint", text: "需本单位负责人批准后才生效；报批期间时限照常计算。" }) : null,
    ...(action.fields || []).map((field, i) => control(`${prefix}-${i}`, field)),
    el("div", { class: "button-row" }, [button]),
  ].filter(Boolean));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    errors.hidden = true;
    const body = request(form, action, prefix, caseId, version);
    const answer = await submitForm(form, errors, `/console/cases/${encodeURIComponent(caseId)}/actions`, body);
    if (answer) onDone(action.needs_approval ? `已报负责人审批：${action.text}` : `已办理：${action.text}`);
  });
  return form;
}

// Fills `container` with one form per allowed action of `view`; answers how
// many. onDone(message) after an action was taken.
export function renderActionForms(container, view, onDone) {
  const actions = (view.allowed_actions || []).filter((a) => a && a.request && a.text);
  container.replaceChildren(...actions.map((action, i) =>
    actionForm(action, i, view.case_id, view.version, onDone)));
  return actions.length;
}

