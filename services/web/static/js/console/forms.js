// The console's form submissions: one way to send a form's body, show the
// gateway's refusal (already Chinese) in the form's error summary and
// beside the field it names, and come back to the login page when the
// session has ended.

import { clearErrors, setFieldError, showErrorSummary } from "../ui.js";
import { api, toLogin } from "./session.js";

// The id of the control for the API's error.field ("matter.title" ->
// "matter-title" when such a control exists; else none).
function controlOf(form, field) {
  if (!field) return "";
  for (const id of [field, field.replace(/\./g, "-"), field.split(".").pop()]) {
    if (id && form.querySelector(`[id="${CSS.escape(id)}"]`)) return id;
  }
  return "";
}

// POSTs `body` to `path` for `form` (its submit button disabled meanwhile,
// its errors cleared first) and answers the parsed answer, or null after
// showing the refusal in `summary`.
export async function submitForm(form, summary, path, body) {
  clearErrors(form);
  const button = form.querySelector("button[type=submit]");
  if (button) button.disabled = true;
  try {
    return await api.postJson(path, body);
  } catch (error) {
    if (error.status === 401 && path !== "/console/login") {
      toLogin();
      return null;
    }
    const fieldId = controlOf(form, error.field);
    if (fieldId) setFieldError(fieldId, error.message);
    showErrorSummary(summary, [{ fieldId, message: error.message }]);
    return null;
  } finally {
    if (button) button.disabled = false;
  }
}

// Shows locally found `errors` ({fieldId, message}) beside their fields and
// in `summary`; answers whether there were any.
export function showLocalErrors(form, summary, errors) {
  clearErrors(form);
  if (!errors.length) return false;
  for (const { fieldId, message } of errors) setFieldError(fieldId, message);
  showErrorSummary(summary, errors);
  return true;
}
