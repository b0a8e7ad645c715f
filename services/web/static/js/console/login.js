// login.html: 用户名 + 密码 -> POST /api/v1/console/login; the gateway sets a
// new session cookie each time (accounts' Login). A wrong pair, a locked or
// disabled account is refused with accounts' Chinese message. Then to the
// page asked for (same site only) or the first the user's views open.

import { byId, initChrome, show } from "../ui.js";
import { showLocalErrors, submitForm } from "./forms.js";
import { api, homeOf, pageError } from "./session.js";

function nextPage(user) {
  const next = new URLSearchParams(window.location.search).get("next") || "";
  // Only a path of the console itself: never another site.
  if (/^\/console\/[a-z-]+\.html(\?[^#]*)?$/.test(next) && !next.startsWith("/console/login.html")) return next;
  return homeOf(user) || "/console/password.html";
}

async function start() {
  initChrome();
  const form = byId("login-form");
  const summary = byId("error-summary");
  try {
    const answer = await api.session();
    if (answer && answer.user) {
      window.location.replace(nextPage(answer.user));
      return;
    }
  } catch (error) {
    pageError(error);
  }
  show(form, true);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const username = byId("username").value.trim();
    const password = byId("password").value;
    const errors = [];
    if (!username) errors.push({ fieldId: "username", message: "请输入用户名" });
    if (!password) errors.push({ fieldId: "password", message: "请输入密码" });
    if (showLocalErrors(form, summary, errors)) return;
    const answer = await submitForm(form, summary, "/console/login", { username, password });
    if (!answer) {
      byId("password").value = "";
      return;
    }
    api.remember(answer);
    window.location.assign(nextPage(answer.user));
  });
  byId("username").focus();
}

start();
