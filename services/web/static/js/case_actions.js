// The petitioner's actions on case.html: only those the view's `actions`
// offers now (routing decides them and their windows), each as a small
// form: 评价 (POST /api/v1/my-case/rating) and 申请复查 / 申请复核
// (POST /api/v1/my-case/requests). A refusal (e.g. the window has passed)
// shows the service's Chinese reason.

import { goToErrorPage, postJson } from "./api.js";
import { errorBox, radioGroup, textArea } from "./fields.js";
import {
  byId, clearErrors, el, formatLastDay, setFieldError, showErrorSummary,
} from "./ui.js";

const SATISFACTIONS = [
  ["SATISFACTION_SATISFIED", "满意"],
  ["SATISFACTION_BASICALLY", "基本满意"],
  ["SATISFACTION_DISSATISFIED", "不满意"],
];

// "rate", "review", "rereview" for PetitionerAction names; null otherwise.
export function actionKind(action) {
  const name = String(action || "");
  if (name.endsWith("REQUEST_REREVIEW")) return "rereview";
  if (name.endsWith("REQUEST_REVIEW")) return "review";
  if (name.endsWith("_RATE")) return "rate";
  return null;
}

// When the window ends; unset `until`: open, its end not known yet (the
// day the petitioner received the written opinion is not recorded).
// A 复查/复核 window counts from that receipt (Arts. 35-36): `fromReceipt`
// says so.
function untilLine(action, verb, fromReceipt = false) {
  if (!action.until) {
    const more = fromReceipt ? "截止日期从您收到书面意见之日起计算，登记收到日期后会显示在这里。" : "";
    return el("p", { text: `现在可以${verb}。${more}` });
  }
  const day = el("time", { datetime: action.until, text: formatLastDay(action.until) });
  return el("p", {}, ["请在 ", el("strong", {}, [day]), `（含当天）之前${verb}，过期后就不能再${verb}了。`]);
}

// The view's version, so a case changed meanwhile (by an office) is
// refused (case_changed) instead of acted on unseen; 0: not known.
let caseVersion = 0;

async function send(form, button, path, body, errors, onDone, doneMessage) {
  if (caseVersion > 0) body.version = caseVersion;
  button.disabled = true;
  const label = button.textContent;
  button.textContent = "正在提交……";
  try {
    await postJson(path, body);
    onDone(doneMessage);
  } catch (error) {
    button.disabled = false;
    button.textContent = label;
    if (error.status === 401) {
      goToErrorPage("session");
      return;
    }
    if (error.code === "case_changed") {
      // The page shows an old state: show the new one, then the message.
      await onDone(error.message, { refused: true });
      return;
    }
    showErrorSummary(errors, [{ message: error.message }]);
  }
}

function ratingForm(action, onDone) {
  const form = el("form", { class: "action-box", novalidate: true });
  const errors = errorBox();
  const button = el("button", { type: "submit", class: "button", text: "提交评价" });
  form.append(
    el("h3", { text: action.text || "评价处理意见" }),
    errors,
    untilLine(action, "评价"),
    radioGroup("satisfaction", "satisfaction", "您对处理意见满意吗？", SATISFACTIONS, ""),
    textArea("rating-comment", el("span", {}, ["想说的话", el("span", { class: "optional", text: "（选填）" })]), "可以写写满意或不满意的地方"),
    el("div", { class: "button-row" }, [button]),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearErrors(form);
    errors.hidden = true;
    const checked = form.querySelector('input[name="satisfaction"]:checked');
    if (!checked) {
      const message = "请选择满意、基本满意或不满意";
      setFieldError("satisfaction", message);
      showErrorSummary(errors, [{ fieldId: "satisfaction", message }]);
      return;
    }
    send(form, button, "/my-case/rating",
      { satisfaction: checked.value, comment: byId("rating-comment").value.trim() },
      errors, onDone, "您的评价已提交，谢谢！");
  });
  return form;
}

function requestForm(action, kind, onDone) {
  const word = kind === "review" ? "复查" : "复核";
  const prefix = `request-${kind}`;
  const form = el("form", { class: "action-box", novalidate: true });
  const errors = errorBox();
  const button = el("button", { type: "submit", class: "button", text: action.text || `申请${word}` });
  const organs = (action.organs || []).filter((o) => o.office_code);
  let organPart = null;
  if (organs.length > 1) {
    organPart = radioGroup(`${prefix}-organ`, `${prefix}-organ`, `向哪个机关申请${word}`,
      organs.map((o) => [o.office_code, o.office_name || o.office_code]), organs[0].office_code);
  } else if (organs.length === 1) {
    organPart = el("p", {}, [`${word}机关：`, el("strong", { text: organs[0].office_name || "" })]);
  }
  form.append(
    el("h3", { text: action.text || `申请${word}` }),
    errors,
    untilLine(action, `申请${word}`, true),
    organPart,
    textArea(`${prefix}-reason`, `申请${word}的理由`, "写明您对意见哪里不同意，以及您的请求"),
    el("div", { class: "button-row" }, [button]),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearErrors(form);
    errors.hidden = true;
    const reason = byId(`${prefix}-reason`).value.trim();
    if (!reason) {
      const message = `请写明申请${word}的理由`;
      setFieldError(`${prefix}-reason`, message);
      showErrorSummary(errors, [{ fieldId: `${prefix}-reason`, message }]);
      return;
    }
    const body = { kind, reason };
    const organ = form.querySelector(`input[name="${prefix}-organ"]:checked`);
    if (organ) body.office_code = organ.value;
    send(form, button, "/my-case/requests", body, errors, onDone, `您的${word}申请已提交。`);
  });
  return form;
}

// Fills `container` with a form per offered action of `view`; answers how
// many. onDone(message, {refused}) is called after an action was accepted
// (or refused because the case changed meanwhile: refused = true), to show
// the case again with `message`.
export function renderActions(container, view, onDone) {
  const actions = view.actions;
  const version = Number(view.version);
  caseVersion = Number.isSafeInteger(version) && version > 0 ? version : 0;
  container.replaceChildren();
  let shown = 0;
  for (const action of actions || []) {
    const kind = actionKind(action.action);
    if (!kind) continue;
    container.append(kind === "rate" ? ratingForm(action, onDone) : requestForm(action, kind, onDone));
    shown += 1;
  }
  return shown;
}
