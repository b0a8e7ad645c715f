// lookup.html: POST /api/v1/lookups {case_number, lookup_code}; on success
// the gateway has set the session cookie and case.html shows the case.
// A wrong pair (404), a lock after too many tries (429) and any other
// refusal show the gateway's Chinese message; which of the two fields was
// wrong is never told (the service does not say, on purpose).

import { postJson, session } from "./api.js";
import {
  byId, clearErrors, initChrome, setFieldError, show, showErrorSummary,
} from "./ui.js";

initChrome();

const form = byId("lookup-form");
const summary = byId("error-summary");
const button = byId("lookup-button");

form.hidden = false;
if (new URLSearchParams(window.location.search).get("signed_out") === "1") show("signed-out", true);
session().then((s) => {
  if (s.petitioner_case) show("resume", true);
}).catch(() => {});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors(form);
  summary.hidden = true;
  const caseNumber = byId("case_number").value.trim();
  const lookupCode = byId("lookup_code").value.trim();
  const errors = [];
  if (!caseNumber) errors.push({ fieldId: "case_number", message: "请填写案件编号" });
  if (!lookupCode) errors.push({ fieldId: "lookup_code", message: "请填写查询码" });
  if (errors.length) {
    for (const e of errors) setFieldError(e.fieldId, e.message);
    showErrorSummary(summary, errors);
    return;
  }
  button.disabled = true;
  button.textContent = "正在查询……";
  try {
    await postJson("/lookups", { case_number: caseNumber, lookup_code: lookupCode });
    window.location.assign("/case.html");
  } catch (error) {
    button.disabled = false;
    button.textContent = "查询办理进展";
    let message = error.message;
    if (error.status === 429 && error.retryAfter) {
      message += `（约 ${Math.max(1, Math.ceil(error.retryAfter / 60))} 分钟后可以再试）`;
    }
    showErrorSummary(summary, [{ fieldId: "case_number", message }]);
  }
});
