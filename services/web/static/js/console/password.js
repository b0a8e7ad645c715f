// password.html: a user changes their own password (POST
// /api/v1/console/password); accounts checks the old one and its policy
// and says, in Chinese, what is wrong.

import { byId, focusOn, show } from "../ui.js";
import { showLocalErrors, submitForm } from "./forms.js";
import { startPage } from "./session.js";

async function start() {
  const user = await startPage("");
  if (!user) return;
  const form = byId("password-form");
  const summary = byId("error-summary");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    show("done", false);
    const body = { old_password: byId("old_password").value, new_password: byId("new_password").value };
    const errors = [];
    if (!body.old_password) errors.push({ fieldId: "old_password", message: "请输入原密码" });
    if (!body.new_password) errors.push({ fieldId: "new_password", message: "请输入新密码" });
    if (showLocalErrors(form, summary, errors)) return;
    if (await submitForm(form, summary, "/console/password", body)) {
      form.reset();
      show("done", true);
      focusOn(byId("done"));
    }
  });
}

start();
